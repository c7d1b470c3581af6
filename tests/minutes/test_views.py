"""The minute-taker's console and the minutes as everyone reads them: who may open what, autosave
with its conflicts, attendance, declarations, resolutions and actions, history and restore,
approval and corrections, the exempt canary, attendance figures and query budgets."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from boards import formatting, services
from boards.models import AgendaItem, Meeting, Membership, Person
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import Attendance, Declaration, Minute, MinutesRecord, Resolution
from tests.conftest import CANARY
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    MunicipalYearFactory,
    PersonFactory,
    PostFactory,
    UserFactory,
    sign_in,
)

HTMX = {"HX-Request": "true"}
LONDON = zoneinfo.ZoneInfo("Europe/London")
SIGN_IN = "/account/sign-in/"


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


JANUARY = at(2016, 1, 25)
FEBRUARY = at(2016, 2, 22)
MARCH = at(2016, 3, 21)


def meeting_on(board, starts_at: datetime.datetime) -> Meeting:
    return services.meeting_create(board=board, starts_at=starts_at, venue=None)


def report_on(meeting: Meeting, title: str = "ICT capacity", **fields) -> AgendaItem:
    return services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title=title, purpose="To receive a report.", **fields)
    )


def text_of(response) -> str:
    """The page's words without markup, whitespace collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def person_of(user) -> Person:
    return Person.objects.get(user=user)


@pytest.fixture
def meeting(board, officer):
    return meeting_on(board, FEBRUARY)


@pytest.fixture
def report(meeting):
    return report_on(meeting)


@pytest.fixture
def minute(meeting, report, officer):
    return minutes_services.minute_take(meeting=meeting, agenda_item=report, by=officer)


def save_url(minute: Minute) -> str:
    return reverse("minutes:minute-save", args=[minute.pk])


# Who may use the console -------------------------------------------------------------------

EDITORS = ["officer", "clerk", "administrator"]
REFUSED = ["other officer", "councillor", "other councillor"]


def _console(client, minute):
    return client.get(reverse("minutes:minutes-console", args=[minute.meeting_id]))


def _save(client, minute):
    # The text it already has: every editor's save succeeds without changing the version.
    return client.post(save_url(minute), {"narrative": "", "version": minute.version}, headers=HTMX)


def _history(client, minute):
    return client.get(reverse("minutes:minute-history", args=[minute.pk]))


CONSOLE_PAGES = {"minutes-console": _console, "minute-save": _save, "minute-history": _history}


@pytest.mark.parametrize("audience", EDITORS + REFUSED)
@pytest.mark.parametrize("page", list(CONSOLE_PAGES))
def test_only_the_boards_officer_clerks_and_administrators_use_the_console(
    audiences, minute, page, audience
):
    response = CONSOLE_PAGES[page](audiences[audience], minute)
    assert response.status_code == (200 if audience in EDITORS else 403)


@pytest.mark.parametrize("page", list(CONSOLE_PAGES))
def test_the_public_is_sent_to_sign_in_from_the_console(audiences, minute, page):
    response = CONSOLE_PAGES[page](audiences["public"], minute)
    assert response.status_code == 302
    assert response.url.startswith(f"{SIGN_IN}?next=")


@pytest.fixture
def console_objects(meeting, report, minute, councillor, officer):
    minutes_services.minutes_for(meeting)
    minutes_services.attendance_prefill(meeting)
    resolution = minutes_services.resolution_add(
        minute=minute, text="That the report be noted.", is_action=True, owner_post=PostFactory()
    )
    return {
        "meeting": meeting,
        "item": report,
        "minute": minute,
        "resolution": resolution,
        "member": person_of(councillor),
    }


# Each POST endpoint of the console, with data that would change something if it were let in.
POSTS = {
    "minutes-times": lambda o: (
        reverse("minutes:minutes-times", args=[o["meeting"].pk]),
        {"started_at": "10:00", "ended_at": "11:00"},
    ),
    "attendance-save": lambda o: (
        reverse("minutes:attendance-save", args=[o["meeting"].pk]),
        {f"member-{o['member'].pk}-status": "absent"},
    ),
    "attendee-add": lambda o: (
        reverse("minutes:attendee-add", args=[o["meeting"].pk]),
        {
            "attendee-given_name": "Ada",
            "attendee-family_name": "Moss",
            "attendee-kind": "other",
        },
    ),
    "declaration-add": lambda o: (
        reverse("minutes:declaration-add", args=[o["meeting"].pk]),
        {
            "declaration-person": o["member"].pk,
            "declaration-agenda_item": o["item"].pk,
            "declaration-kind": "registrable",
            "declaration-nature": "A friend.",
        },
    ),
    "minute-take": lambda o: (
        reverse("minutes:minute-take", args=[o["meeting"].pk]),
        {"extra-title": "Adjournment"},
    ),
    "minute-save": lambda o: (
        reverse("minutes:minute-save", args=[o["minute"].pk]),
        {"narrative": "Intruder text.", "version": o["minute"].version},
    ),
    "minute-edit": lambda o: (
        reverse("minutes:minute-edit", args=[o["minute"].pk]),
        {"version": o["minute"].version, "title": "Intruder", "narrative": "Intruder text."},
    ),
    "resolution-add": lambda o: (
        reverse("minutes:resolution-add", args=[o["minute"].pk]),
        {f"resolution-{o['minute'].pk}-text": "Intruder resolution."},
    ),
    "resolution-remove": lambda o: (
        reverse("minutes:resolution-remove", args=[o["resolution"].pk]),
        {},
    ),
    "action-done": lambda o: (reverse("minutes:action-done", args=[o["resolution"].pk]), {}),
    "minute-restore": lambda o: (
        reverse(
            "minutes:minute-restore",
            args=[o["minute"].pk, o["minute"].history.earliest("history_date").history_id],
        ),
        {},
    ),
    "minutes-approve": lambda o: (
        reverse("minutes:minutes-approve", args=[o["meeting"].pk]),
        {"minutes_of": o["meeting"].pk},
    ),
}


def _snapshot(meeting: Meeting) -> tuple:
    return (
        list(Attendance.objects.filter(meeting=meeting).values_list("person_id", "status")),
        list(Minute.objects.filter(meeting=meeting).values_list("pk", "title", "narrative")),
        list(Resolution.objects.values_list("pk", "text", "done_on")),
        list(Declaration.objects.values_list("pk")),
        list(MinutesRecord.objects.values_list("started_at", "status")),
    )


@pytest.mark.parametrize("audience", [*REFUSED, "public"])
@pytest.mark.parametrize("endpoint", list(POSTS))
def test_no_one_else_can_post_to_the_console(audiences, console_objects, endpoint, audience):
    url, data = POSTS[endpoint](console_objects)
    before = _snapshot(console_objects["meeting"])
    response = audiences[audience].post(url, data)
    if audience == "public":
        assert response.status_code == 302
        assert response.url.startswith(SIGN_IN)
    else:
        assert response.status_code == 403
    assert _snapshot(console_objects["meeting"]) == before


# Opening the console ------------------------------------------------------------------------


def test_opening_the_console_lists_every_current_member_and_records_the_chair(board, editor):
    chair = MembershipFactory(board=board, role=Membership.Role.CHAIR).person
    members = [MembershipFactory(board=board).person for _ in range(3)]
    MembershipFactory(board=board, ends_on=datetime.date(2015, 12, 31))  # left before the meeting
    outsider = MembershipFactory(board=BoardFactory()).person  # sits on another board
    meeting = meeting_on(board, FEBRUARY)
    console = reverse("minutes:minutes-console", args=[meeting.pk])

    response = editor.get(console)

    assert response.status_code == 200
    for person in [chair, *members]:
        assert f'id="attendance-{person.pk}"' in response.text
    assert f'id="attendance-{outsider.pk}"' not in response.text
    # Looking is not recording: a GET writes nothing.
    assert not Attendance.objects.filter(meeting=meeting).exists()
    assert not MinutesRecord.objects.filter(meeting=meeting).exists()

    # The first thing recorded opens the minutes: a row for each member, and the chair.
    attendance = reverse("minutes:attendance-save", args=[meeting.pk])
    editor.post(attendance, {f"member-{members[0].pk}-status": "present"})
    rows = Attendance.objects.filter(meeting=meeting)
    assert {a.person_id for a in rows} == {chair.pk, *(p.pk for p in members)}
    # Recorded, never assumed: only the member recorded is present; the rest are not recorded.
    assert {(a.person_id, a.status) for a in rows} == {
        (members[0].pk, "present"),
        *((person.pk, "not_recorded") for person in [chair, *members[1:]]),
    }
    assert {a.kind for a in rows} == {"member"}
    assert MinutesRecord.objects.get(meeting=meeting).chair == chair
    # Recording again adds no one twice.
    editor.get(console)
    editor.post(attendance, {f"member-{members[0].pk}-status": "present"})
    assert Attendance.objects.filter(meeting=meeting).count() == 4
    assert MinutesRecord.objects.filter(meeting=meeting).count() == 1


# Autosave and conflicts ---------------------------------------------------------------------


def test_autosave_with_htmx_answers_saved_and_the_new_version(minute, editor):
    response = editor.post(
        save_url(minute), {"narrative": "Members asked about costs.", "version": 1}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Saved" in response.text
    assert "<html" not in response.text
    assert (
        f'<input type="hidden" name="version" value="2" id="version-{minute.pk}" '
        'hx-swap-oob="true">'
    ) in response.text
    minute.refresh_from_db()
    assert (minute.narrative, minute.version) == ("Members asked about costs.", 2)


def test_autosave_without_javascript_saves_and_returns_to_the_minute(minute, editor):
    response = editor.post(save_url(minute), {"narrative": "Plain form.", "version": 1})
    assert response.status_code == 302
    assert response.url.endswith(f"#minute-{minute.pk}")
    minute.refresh_from_db()
    assert minute.narrative == "Plain form."


@pytest.fixture
def conflict(minute, editor, clerk, client_for):
    """The officer saved version 2; the clerk, still on version 1, saves over it."""
    editor.post(save_url(minute), {"narrative": "The officer's text.", "version": 1}, headers=HTMX)
    return client_for(clerk)


def test_a_stale_autosave_is_refused_with_both_texts_in_the_conflict_panel(
    minute, conflict, officer
):
    response = conflict.post(
        save_url(minute), {"narrative": "The clerk's text.", "version": 1}, headers=HTMX
    )
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == f"#conflict-{minute.pk}"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert "<html" not in response.text
    assert "Someone else saved this minute" in response.text
    assert "The officer&#x27;s text." in response.text
    assert "The clerk&#x27;s text." in response.text
    assert escape(officer.get_full_name()) in response.text
    assert 'name="version" value="2"' in response.text
    minute.refresh_from_db()
    assert (minute.narrative, minute.version) == ("The officer's text.", 2)


def test_a_stale_save_without_javascript_shows_the_conflict_page(minute, conflict):
    response = conflict.post(save_url(minute), {"narrative": "The clerk's text.", "version": 1})
    assert response.status_code == 409
    assert "<html" in response.text
    assert "Someone else saved this minute" in response.text
    assert "The officer&#x27;s text." in response.text
    assert "The clerk&#x27;s text." in response.text
    minute.refresh_from_db()
    assert minute.narrative == "The officer's text."


@pytest.mark.parametrize("version", ["", "two", "1.5"])
def test_a_save_without_a_whole_version_number_is_a_bad_request(minute, editor, version):
    response = editor.post(save_url(minute), {"narrative": "Lost?", "version": version})
    assert response.status_code == 400
    minute.refresh_from_db()
    assert minute.narrative == ""


def test_resolving_a_conflict_saves_the_chosen_text_on_the_current_version(minute, conflict):
    conflict.post(save_url(minute), {"narrative": "The clerk's text.", "version": 1}, headers=HTMX)
    merged = "The clerk's text.\n\nThe officer's text."
    response = conflict.post(save_url(minute), {"narrative": merged, "version": 2}, headers=HTMX)
    assert response.status_code == 200
    assert 'name="version" value="3"' in response.text
    minute.refresh_from_db()
    assert (minute.narrative, minute.version) == (merged, 3)


# Attendance, declarations and attendees -------------------------------------------------------


@pytest.fixture
def opened(meeting, editor, councillor):
    """The minutes opened, as the first thing recorded in the console opens them: the record
    made and the members (the councillor) listed."""
    minutes_services.minutes_open(meeting)
    return meeting


def release(meeting, by) -> None:
    """Release the meeting's draft minutes to the public, as an officer does from the console."""
    minutes_services.minutes_release(minutes=MinutesRecord.objects.get(meeting=meeting), by=by)


def test_a_substitute_is_recorded_for_a_member_who_sent_apologies(opened, editor, councillor):
    member = person_of(councillor)
    substitute = PersonFactory()
    response = editor.post(
        reverse("minutes:attendance-save", args=[opened.pk]),
        {
            f"member-{member.pk}-status": "apologies",
            f"member-{member.pk}-substitute": substitute.pk,
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert f"Attendance of {member} saved." in response.text
    assert opened.attendances.get(person=member).status == Attendance.Status.APOLOGIES
    stand_in = opened.attendances.get(person=substitute)
    assert (stand_in.kind, stand_in.substitute_for) == (Attendance.Kind.SUBSTITUTE, member)


def test_a_member_who_is_present_cannot_have_a_substitute(opened, editor, councillor):
    member = person_of(councillor)
    substitute = PersonFactory()
    response = editor.post(
        reverse("minutes:attendance-save", args=[opened.pk]),
        {f"member-{member.pk}-status": "present", f"member-{member.pk}-substitute": substitute.pk},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "substitute" in response.text.split("There is a problem")[1].split("</div>")[0]
    assert not opened.attendances.filter(person=substitute).exists()


def test_declarations_and_attendees_reach_the_published_minutes(
    opened, report, editor, councillor, officer
):
    member = person_of(councillor)
    adviser = PersonFactory(officer=True, given_name="Rhodri", family_name="Pennington")
    declared = editor.post(
        reverse("minutes:declaration-add", args=[opened.pk]),
        {
            "declaration-person": member.pk,
            "declaration-agenda_item": report.pk,
            "declaration-kind": "registrable",
            "declaration-nature": "Her husband works for the supplier.",
        },
        headers=HTMX,
    )
    assert declared.status_code == 200
    added_officer = editor.post(
        reverse("minutes:attendee-add", args=[opened.pk]),
        {
            "attendee-person": adviser.pk,
            "attendee-kind": "officer",
            "attendee-capacity": "Chief Digital Officer",
            "attendee-items": [report.pk],
        },
        headers=HTMX,
    )
    assert added_officer.status_code == 200
    added_witness = editor.post(
        reverse("minutes:attendee-add", args=[opened.pk]),
        {
            "attendee-given_name": "Ada",
            "attendee-family_name": "Moss",
            "attendee-kind": "witness",
            "attendee-capacity": "Digital Inclusion Network",
        },
        headers=HTMX,
    )
    assert added_witness.status_code == 200
    witness = Person.objects.get(given_name="Ada", family_name="Moss")
    assert (witness.kind, witness.organisation) == (
        Person.Kind.WITNESS,
        "Digital Inclusion Network",
    )
    # Recording the declaration wrote the standing minute: nobody had to take it.
    declarations_item = opened.agenda_items.get(kind=AgendaItem.Kind.DECLARATIONS)
    assert declarations_item.minute_entries.exists()
    release(opened, officer)

    page = text_of(Client().get(reverse("minutes:minutes-detail", args=[opened.pk])))

    assert "In attendance:" in page
    assert f"Rhodri Pennington, Chief Digital Officer (item {report.number})" in page
    assert "Ada Moss, Digital Inclusion Network" in page
    assert "Ada Moss, Digital Inclusion Network (item" not in page
    assert (
        f"{member.display_name} declared an other registrable interest in item {report.number}, "
        "ICT capacity: Her husband works for the supplier."
    ) in page


# Minutes and resolutions ---------------------------------------------------------------------


def test_the_first_minute_of_a_municipal_year_is_number_one(board, editor, officer):
    MunicipalYearFactory(starts_on=datetime.date(2015, 5, 21))
    MunicipalYearFactory(starts_on=datetime.date(2016, 5, 19))
    last_year = meeting_on(board, at(2016, 4, 18))
    for item in last_year.agenda_items.all()[:2]:
        minutes_services.minute_take(meeting=last_year, agenda_item=item, by=officer)
    meeting = meeting_on(board, at(2016, 6, 20))
    item = report_on(meeting)

    response = editor.post(
        reverse("minutes:minute-take", args=[meeting.pk]), {"item": item.pk}, headers=HTMX
    )

    assert response.status_code == 200
    # Taking it opened the minutes: the standing minutes come first, from number one.
    numbered = list(Minute.objects.filter(meeting=meeting).order_by("number"))
    assert [m.number for m in numbered] == [1, 2, 3, 4]
    assert [m.agenda_item.kind for m in numbered[:3]] == ["late_items", "declarations", "apologies"]
    minute = numbered[-1]
    assert (minute.agenda_item, minute.title) == (item, "ICT capacity")
    assert "Minute 4 started." in response.text


def test_resolutions_are_added_lettered_and_an_action_names_one_owner(minute, editor, officer):
    url = reverse("minutes:resolution-add", args=[minute.pk])
    prefix = f"resolution-{minute.pk}-"
    post = PostFactory(title="Chief Digital Officer")
    editor.post(url, {f"{prefix}text": "That the report be noted."}, headers=HTMX)
    refused = editor.post(
        url,
        {
            f"{prefix}text": "That costs be reported.",
            f"{prefix}is_action": "on",
            f"{prefix}owner_post": post.pk,
            f"{prefix}owner_text": "the Democratic Services Manager",
        },
        headers=HTMX,
    )
    assert refused.status_code == 422
    assert "Name one owner at most: a post, a person or in words." in refused.text
    assert minute.resolutions.count() == 1
    editor.post(
        url,
        {
            f"{prefix}text": "That costs be reported.",
            f"{prefix}is_action": "on",
            f"{prefix}owner_post": post.pk,
            f"{prefix}due_on": "2016-04-30",
        },
        headers=HTMX,
    )
    resolutions = list(minute.resolutions.order_by("position"))
    assert [(r.letter, r.is_action) for r in resolutions] == [("a", False), ("b", True)]
    assert (resolutions[1].owner_post, resolutions[1].due_on) == (post, datetime.date(2016, 4, 30))

    release(minute.meeting, officer)
    page = text_of(Client().get(reverse("minutes:minutes-detail", args=[minute.meeting_id])))

    assert "RESOLVED – (a) That the report be noted. (b) That costs be reported." in page


def test_a_minute_off_the_agenda_is_public(meeting, editor, officer):
    editor.post(reverse("minutes:minute-take", args=[meeting.pk]), {"extra-title": "Adjournment"})
    minute = Minute.objects.get(meeting=meeting, title="Adjournment")
    minutes_services.minute_update(
        minute=minute, version=minute.version, by=None, narrative="The meeting adjourned."
    )
    release(meeting, officer)
    page = text_of(Client().get(reverse("minutes:minutes-detail", args=[meeting.pk])))
    assert "Adjournment" in page
    assert "The meeting adjourned." in page
    assert "Not for publication" not in page


# The minutes page: draft, withheld, approved --------------------------------------------------


@pytest.fixture
def next_meeting(board, meeting):
    return meeting_on(board, MARCH)


@pytest.fixture
def narrated(meeting, minute, officer):
    return minutes_services.minute_autosave(
        minute=minute, narrative="Members welcomed the report.", version=1, by=officer
    )


def test_draft_minutes_name_the_meeting_that_will_approve_them(narrated, next_meeting, officer):
    release(narrated.meeting, officer)
    page = text_of(Client().get(reverse("minutes:minutes-detail", args=[narrated.meeting_id])))
    assert (
        "Draft minutes to be approved at the meeting to be held on Monday, 21 March 2016." in page
    )
    assert "Members welcomed the report." in page


def test_draft_minutes_reach_the_public_only_when_released(
    narrated, next_meeting, audiences, officer
):
    """Nobody but staff reads draft minutes while they are typed; an officer or clerk releases
    them (dated, by whom), or the next meeting approves them."""
    url = reverse("minutes:minutes-detail", args=[narrated.meeting_id])
    for audience in ["public", "councillor", "other councillor"]:
        page = text_of(audiences[audience].get(url))
        assert "The minutes of this meeting have not been published yet." in page
        assert "Members welcomed the report." not in page
    for audience in ["officer", "clerk", "administrator"]:
        assert "Members welcomed the report." in text_of(audiences[audience].get(url))

    released = audiences["officer"].post(
        reverse("minutes:minutes-release", args=[narrated.meeting_id])
    )
    assert released.status_code == 302
    record = MinutesRecord.objects.get(meeting=narrated.meeting)
    assert record.released_by == officer and record.released_at is not None
    for audience in ["public", "councillor"]:
        page = text_of(audiences[audience].get(url))
        assert "Members welcomed the report." in page
        released_on = formatting.long_date(record.released_at)
        assert f"Released for publication on {released_on}." in page

    record.refresh_from_db()
    minutes_services.minutes_approve(minutes=record, at=next_meeting, by=officer)

    page = text_of(audiences["public"].get(url))
    assert "Members welcomed the report." in page
    assert "Approved as a correct record at the meeting held on Monday, 21 March 2016" in page
    assert "Draft minutes" not in page


# The exempt canary ------------------------------------------------------------------------------


@pytest.fixture
def exempt_minute(meeting, officer):
    item = report_on(
        meeting,
        title="Staffing restructure",
        exempt=True,
        exempt_paragraph=1,
        public_interest_reasoning="Individuals could be identified.",
    )
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)
    minute = minutes_services.minute_update(
        minute=minute,
        version=minute.version,
        by=officer,
        narrative=f"The board discussed {CANARY}.",
        public_summary="Summary for the public.",
    )
    minutes_services.resolution_add(minute=minute, text=f"That {CANARY} be agreed.")
    release(meeting, officer)
    return minute


@pytest.mark.parametrize("audience", ["public", "other councillor"])
def test_an_exempt_minute_shows_only_its_summary_to_those_not_entitled(
    exempt_minute, audiences, audience
):
    response = audiences[audience].get(
        reverse("minutes:minutes-detail", args=[exempt_minute.meeting_id])
    )
    assert response.status_code == 200
    assert CANARY not in response.text
    page = text_of(response)
    assert "Staffing restructure" in page
    assert "Not for publication by virtue of paragraph 1" in page
    assert "Summary for the public." in page


@pytest.mark.parametrize("audience", ["councillor", "officer", "clerk", "administrator"])
def test_members_of_the_board_and_staff_read_the_exempt_minute(exempt_minute, audiences, audience):
    response = audiences[audience].get(
        reverse("minutes:minutes-detail", args=[exempt_minute.meeting_id])
    )
    assert f"The board discussed {CANARY}." in text_of(response)
    assert f"RESOLVED – That {CANARY} be agreed." in text_of(response)


# History and restore ----------------------------------------------------------------------------


def test_history_shows_each_version_by_its_author_and_restores_an_earlier_one(
    minute, editor, conflict, officer, clerk
):
    conflict.post(
        save_url(minute),
        {"narrative": "The officer's text and the clerk's addition.", "version": 2},
        headers=HTMX,
    )
    history_url = reverse("minutes:minute-history", args=[minute.pk])

    page = editor.get(history_url).text

    assert escape(officer.get_full_name()) in page
    assert escape(clerk.get_full_name()) in page
    assert (
        "The officer&#x27;s <del>text.</del> <ins>text and the clerk&#x27;s addition.</ins>" in page
    )

    earlier = minute.history.get(narrative="The officer's text.")
    response = editor.post(reverse("minutes:minute-restore", args=[minute.pk, earlier.history_id]))

    assert response.status_code == 302
    assert response.url == history_url
    minute.refresh_from_db()
    assert minute.narrative == "The officer's text."
    assert minute.version == 4
    restored = text_of(editor.get(history_url))
    assert f"Restored the version of {formatting.long_datetime(earlier.history_date)}" in restored


# Corrections after approval ------------------------------------------------------------------


@pytest.fixture
def approved(narrated, next_meeting, officer):
    record = MinutesRecord.objects.get(meeting=narrated.meeting)
    minutes_services.minutes_approve(minutes=record, at=next_meeting, by=officer)
    narrated.refresh_from_db()
    return narrated


def _edit_data(minute: Minute, **extra) -> dict:
    return {
        "version": minute.version,
        "title": minute.title,
        "narrative": "Members welcomed the revised report.",
        "public_summary": "",
        **extra,
    }


def test_approved_minutes_refuse_an_autosave(approved, editor):
    response = editor.post(
        save_url(approved),
        {"narrative": "Changed after approval.", "version": approved.version},
        headers=HTMX,
    )
    assert response.status_code == 422
    approved.refresh_from_db()
    assert approved.narrative == "Members welcomed the report."


def test_correcting_approved_minutes_needs_a_reason(approved, editor):
    url = reverse("minutes:minute-edit", args=[approved.pk])
    refused = editor.post(url, _edit_data(approved))
    assert refused.status_code == 422
    assert '<a href="#id_correction_reason">' in refused.text
    approved.refresh_from_db()
    assert approved.narrative == "Members welcomed the report."


def test_a_correction_without_its_reason_says_what_is_missing(approved, editor):
    refused = editor.post(reverse("minutes:minute-edit", args=[approved.pk]), _edit_data(approved))
    assert refused.status_code == 422
    assert "Give the reason for this correction" in refused.text


def test_a_correction_with_its_reason_is_saved_and_kept_in_the_history(approved, editor):
    url = reverse("minutes:minute-edit", args=[approved.pk])
    response = editor.post(
        url, _edit_data(approved, correction_reason="The report's title was misquoted.")
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.narrative == "Members welcomed the revised report."
    history = text_of(editor.get(reverse("minutes:minute-history", args=[approved.pk])))
    assert "Correction: The report's title was misquoted." in history


# Approval at the next meeting ------------------------------------------------------------------


def test_the_next_meeting_approves_the_minutes_from_its_console(
    narrated, next_meeting, editor, officer
):
    earlier = narrated.meeting
    response = editor.post(
        reverse("minutes:minutes-approve", args=[next_meeting.pk]), {"minutes_of": earlier.pk}
    )
    assert response.status_code == 302
    assert response.url.endswith("#minutes")
    record = MinutesRecord.objects.get(meeting=earlier)
    assert record.is_approved
    assert record.approved_at_meeting == next_meeting

    release(next_meeting, officer)
    page = text_of(Client().get(reverse("minutes:minutes-detail", args=[next_meeting.pk])))

    assert (
        "RESOLVED – That the minutes of the meeting held on 22 February 2016 "
        "be approved as a correct record."
    ) in page
    assert "Approved as a correct record at the meeting held on Monday, 21 March 2016" in text_of(
        Client().get(reverse("minutes:minutes-detail", args=[earlier.pk]))
    )


# Attendance figures ----------------------------------------------------------------------------


def publish_minutes(meeting: Meeting) -> None:
    """A minute of a report taken, and the draft released to the public."""
    minutes_services.minute_take(meeting=meeting, agenda_item=report_on(meeting))
    release(meeting, UserFactory(roles=[Role.OFFICER]))


def test_attendance_figures_count_apologies_and_substitutes(board):
    alice, bob, carol = (
        MembershipFactory(board=board, person=PersonFactory(family_name=name)).person
        for name in ["Adams", "Brown", "Clarke"]
    )
    stand_in = PersonFactory(family_name="Dixon")
    meetings = [meeting_on(board, day) for day in [JANUARY, FEBRUARY, MARCH]]
    meeting_on(board, at(2016, 4, 18))  # no minutes yet: not counted
    for meeting in meetings:
        minutes_services.minutes_for(meeting)
        minutes_services.attendance_prefill(meeting)
    minutes_services.attendance_set(meeting=meetings[0], person=alice, status="apologies")
    minutes_services.attendance_set(
        meeting=meetings[1], person=bob, status="apologies", substitute=stand_in
    )
    minutes_services.attendance_set(meeting=meetings[2], person=carol, status="absent")
    for meeting in meetings:
        minutes_services.attendance_all_present(meeting=meeting)
        publish_minutes(meeting)

    response = Client().get(reverse("minutes:attendance-figures", args=[board.slug]))

    assert response.status_code == 200
    rows = {row.person.family_name: row.counts for row in response.context["rows"]}
    blank = {"apologies": 0, "absent": 0, "not_recorded": 0, "substituted": 0, "as_substitute": 0}
    assert rows == {
        "Adams": {**blank, "expected": 3, "present": 2, "apologies": 1},
        "Brown": {**blank, "expected": 3, "present": 2, "apologies": 1, "substituted": 1},
        "Clarke": {**blank, "expected": 3, "present": 2, "absent": 1},
        "Dixon": {**blank, "expected": 0, "present": 0, "as_substitute": 1},
    }
    assert "From the minutes of 3 meetings." in text_of(response)


def test_attendance_not_recorded_is_counted_as_such_never_as_present(board):
    alice = MembershipFactory(board=board, person=PersonFactory(family_name="Adams")).person
    meeting = meeting_on(board, JANUARY)
    minutes_services.minutes_open(meeting)
    publish_minutes(meeting)

    response = Client().get(reverse("minutes:attendance-figures", args=[board.slug]))

    (row,) = response.context["rows"]
    assert row.person == alice
    assert (row.expected, row.present, row.not_recorded) == (1, 0, 1)


def test_attendance_of_minutes_still_being_written_counts_for_staff_only(board, officer):
    """The public (and a councillor) counts attendance from minutes it may read: approved, or
    a draft once released; staff count the drafts they are typing too."""
    alice = MembershipFactory(board=board, person=PersonFactory(family_name="Adams")).person
    meeting = meeting_on(board, JANUARY)
    minutes_services.minutes_open(meeting)
    minutes_services.attendance_set(meeting=meeting, person=alice, status="apologies")
    url = reverse("minutes:attendance-figures", args=[board.slug])
    staff = sign_in(Client(), officer)

    assert Client().get(url).context["rows"] == []
    assert "From the minutes of 0 meetings." in text_of(Client().get(url))
    assert [row.apologies for row in staff.get(url).context["rows"]] == [1]

    publish_minutes(meeting)

    assert [row.apologies for row in Client().get(url).context["rows"]] == [1]


@pytest.mark.parametrize("year", ["abc", "999999999999999999999", "-1", "0", "1.5"])
def test_an_unreadable_or_unknown_year_shows_the_latest_saying_so(board, year):
    alice = MembershipFactory(board=board, person=PersonFactory(family_name="Adams")).person
    meeting = meeting_on(board, JANUARY)
    minutes_services.minutes_open(meeting)
    publish_minutes(meeting)
    url = reverse("minutes:attendance-figures", args=[board.slug])

    response = Client().get(f"{url}?year={year}")

    assert response.status_code == 200
    assert response.context["year_id"] == meeting.municipal_year_id
    assert [row.person for row in response.context["rows"]] == [alice]
    assert "The board has no meetings in that municipal year: showing the latest." in (
        response.text
    )


# Open actions -------------------------------------------------------------------------------------


def _actions_table(response) -> str:
    return text_of(response).split("Open actions from minutes")[1].split("</table>")[0]


@pytest.fixture
def actions(minute):
    today = timezone.localdate()
    late = minutes_services.resolution_add(
        minute=minute,
        text="That costs be reported.",
        is_action=True,
        owner_post=PostFactory(title="Chief Digital Officer"),
        due_on=today - datetime.timedelta(days=1),
    )
    later = minutes_services.resolution_add(
        minute=minute,
        text="That a site visit be arranged.",
        is_action=True,
        owner_person=PersonFactory(officer=True, given_name="Rhodri", family_name="Pennington"),
        due_on=today + datetime.timedelta(days=30),
    )
    return late, later


def test_open_actions_show_their_owner_due_date_and_whether_overdue(
    actions, editor, board, officer
):
    late, later = actions
    board_url = reverse("boards:board-detail", args=[board.slug])
    # The public reads no action of draft minutes until they are released.
    assert "That costs be reported." not in _actions_table(Client().get(board_url))
    release(late.minute.meeting, officer)
    officer_home = editor.get(reverse("home:officer-home"))
    board_page = Client().get(board_url)
    for response in [officer_home, board_page]:
        assert response.status_code == 200
        table = _actions_table(response)
        assert (
            f"That costs be reported. Chief Digital Officer "
            f"{formatting.long_date(late.due_on)} Overdue"
        ) in table
        assert (
            f"That a site visit be arranged. Rhodri Pennington {formatting.long_date(later.due_on)}"
        ) in table
        assert table.count("Overdue") == 1


def test_marking_an_action_done_removes_it_from_the_open_actions(actions, editor):
    late, _later = actions
    response = editor.post(
        reverse("minutes:action-done", args=[late.pk]), {"next": "/officer/", "note": "Sent."}
    )
    assert response.status_code == 302
    assert response.url == "/officer/"
    late.refresh_from_db()
    assert (late.done_on, late.done_note) == (timezone.localdate(), "Sent.")
    table = _actions_table(editor.get("/officer/"))
    assert "That costs be reported." not in table
    assert "That a site visit be arranged." in table


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_marking_an_action_done_never_redirects_off_the_site(actions, editor, next_url):
    _late, later = actions
    response = editor.post(reverse("minutes:action-done", args=[later.pk]), {"next": next_url})
    assert response.status_code == 302
    assert response.url == reverse("home:officer-home") == "/officer/"


# Query budgets --------------------------------------------------------------------------------


@pytest.fixture
def board_of_eleven(board, councillor):
    """The board with a chair and nine members besides the councillor fixture."""
    MembershipFactory(board=board, role=Membership.Role.CHAIR)
    for _ in range(9):
        MembershipFactory(board=board)
    meeting_on(board, JANUARY)  # so that each measured meeting's minutes item names an earlier one
    return board


def _minuted_meeting(board, starts_at: datetime.datetime, minutes: int) -> Meeting:
    """A meeting with ``minutes`` minutes of three resolutions each, attendance taken."""
    meeting = meeting_on(board, starts_at)
    minutes_services.minutes_for(meeting)
    minutes_services.attendance_prefill(meeting)
    post = PostFactory(title="Chief Digital Officer")
    for number in range(minutes):
        item = report_on(meeting, title=f"Report {number}")
        minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)
        minutes_services.minute_update(
            minute=minute, version=1, by=None, narrative=f"What was said about {number}."
        )
        minutes_services.resolution_add(minute=minute, text="That the report be noted.")
        minutes_services.resolution_add(minute=minute, text="That a briefing be given.")
        minutes_services.resolution_add(
            minute=minute, text="That costs be reported.", is_action=True, owner_post=post
        )
    minutes_services.attendance_all_present(meeting=meeting)
    release(meeting, UserFactory(roles=[Role.OFFICER]))
    return meeting


def _queries_for(client, url: str, budget: int, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(budget) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


# The smallest budget the large meeting passes in, plus two; the same budget for both sizes.
PAGE_BUDGETS = [
    ("public", "minutes:minutes-detail", 13),
    ("clerk", "minutes:minutes-detail", 19),  # +1: the session's second factor
    ("officer", "minutes:minutes-console", 32),
]


@pytest.mark.parametrize(("audience", "page", "budget"), PAGE_BUDGETS)
def test_minutes_pages_run_the_same_number_of_queries_for_3_or_15_minutes(
    board_of_eleven, audiences, django_assert_max_num_queries, audience, page, budget
):
    small = _minuted_meeting(board_of_eleven, FEBRUARY, 3)
    large = _minuted_meeting(board_of_eleven, MARCH, 15)
    assert small.attendances.count() == large.attendances.count() == 11
    client = audiences[audience]
    counts = [
        _queries_for(
            client, reverse(page, args=[meeting.pk]), budget, django_assert_max_num_queries
        )
        for meeting in (small, large)
    ]
    assert counts[0] == counts[1]
    assert client.get(reverse(page, args=[large.pk])).text.count("That costs be reported.") == 15


def test_the_console_runs_the_same_number_of_queries_for_a_small_or_large_board(
    officer, client_for, django_assert_max_num_queries
):
    client = client_for(officer)
    counts = []
    for size in (3, 11):
        board = BoardFactory(support_officer=person_of(officer))
        for _ in range(size):
            MembershipFactory(board=board)
        meeting = _minuted_meeting(board, FEBRUARY, 1)
        url = reverse("minutes:minutes-console", args=[meeting.pk])
        counts.append(_queries_for(client, url, 32, django_assert_max_num_queries))
    assert counts[0] == counts[1]


def test_an_autosave_runs_the_same_few_queries_however_much_the_meeting_holds(
    officer, client_for, django_assert_max_num_queries
):
    """The console's most frequent request: the session, the minute and its meeting, the save
    and its history entry, search and packs told; nothing for the page's navigation."""
    client = client_for(officer)
    counts = []
    for size in (1, 12):
        board = BoardFactory(support_officer=person_of(officer))
        meeting = _minuted_meeting(board, FEBRUARY, size)
        minute = meeting.minute_entries.order_by("number").last()
        for typed in ("Members asked", "Members asked about costs."):
            minute.refresh_from_db()
            # 19 on SQLite; PostgreSQL also writes the entry's search vector.
            with django_assert_max_num_queries(20) as queries:
                response = client.post(
                    save_url(minute), {"narrative": typed, "version": minute.version}, headers=HTMX
                )
            assert response.status_code == 200
        counts.append(len(queries.captured_queries))
        minute.refresh_from_db()
        assert minute.narrative == "Members asked about costs."
    assert counts[0] == counts[1]


# Attendance recorded, never assumed ---------------------------------------------------------------


def test_all_present_records_every_member_not_yet_recorded_in_one_action(
    opened, editor, councillor
):
    away = MembershipFactory(board=opened.board).person
    minutes_services.attendance_prefill(opened)  # the member who joined since it was opened
    minutes_services.attendance_set(meeting=opened, person=away, status="apologies")
    console = editor.get(reverse("minutes:minutes-console", args=[opened.pk]))
    assert "1 member not recorded yet." in text_of(console)

    response = editor.post(
        reverse("minutes:attendance-save", args=[opened.pk]), {"all_present": "1"}, headers=HTMX
    )

    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#attendance"  # every row may have changed
    assert f"Attendance of {person_of(councillor)} saved." in response.text
    assert opened.attendances.get(person=person_of(councillor)).status == "present"
    assert opened.attendances.get(person=away).status == "apologies"
    assert "not recorded yet" not in text_of(response)


def test_members_not_recorded_print_as_not_recorded_never_as_present(
    opened, minute, councillor, officer
):
    recorded = MembershipFactory(board=opened.board).person
    minutes_services.attendance_prefill(opened)
    minutes_services.attendance_set(meeting=opened, person=recorded, status="present")
    release(opened, officer)

    page = text_of(Client().get(reverse("minutes:minutes-detail", args=[opened.pk])))

    unrecorded = person_of(councillor).short_name
    assert f"Attendance not recorded: Councillor {unrecorded}." in page
    present = page.split("PRESENT:")[1].split("Attendance not recorded")[0]
    assert recorded.short_name in present
    assert unrecorded not in present


def test_approving_minutes_with_attendance_unrecorded_asks_to_confirm_it(
    opened, minute, next_meeting, editor, councillor
):
    url = reverse("minutes:minutes-approve", args=[next_meeting.pk])
    console = text_of(editor.get(reverse("minutes:minutes-console", args=[next_meeting.pk])))
    assert f"The attendance of {person_of(councillor).short_name} at that meeting" in console

    refused = editor.post(url, {"minutes_of": opened.pk}, follow=True)
    assert "is not recorded" in text_of(refused)
    record = MinutesRecord.objects.get(meeting=opened)
    assert not record.is_approved

    editor.post(url, {"minutes_of": opened.pk, "unrecorded_confirmed": "on"})
    record.refresh_from_db()
    assert record.is_approved
