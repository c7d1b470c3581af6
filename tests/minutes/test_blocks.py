"""What happens in the meeting, in order: a minute's narrative, its resolutions, then what is
noted after them (a minute's silence); adjournments printed after the minute of their item, and
changes of chair at the start of the minute of the item from which the new chair presided.
Service, console and the minutes as the reader sees them, page and PDF."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Membership
from minutes import services as minutes_services
from minutes.models import Attendance, MeetingEvent, Minute, MinutesRecord
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.minutes.test_actions import HTMX, D, meeting_on, minute_of, release, text_of
from tests.minutes.test_people import _in_order, _printed

pytestmark = pytest.mark.django_db

T = datetime.time
SILENCE = "The Board observed a minute's silence in memory of former Councillor Jean Hardy."


@pytest.fixture
def meeting(board):
    return meeting_on(board, D(2016, 2, 22))


@pytest.fixture
def budget(meeting):
    """The meeting's minutes opened, with a minute for item "Budget"."""
    return minute_of(meeting, title="Budget")


@pytest.fixture
def times(meeting, budget):
    minutes_services.minutes_set_times(
        record=MinutesRecord.objects.get(meeting=meeting),
        chair=None,
        started_at=T(10),
        ended_at=T(12, 30),
    )


@pytest.fixture
def vice_chair(board):
    return MembershipFactory(
        board=board,
        role=Membership.Role.VICE_CHAIR,
        person=PersonFactory(given_name="John", family_name="Smith"),
    ).person


def _autosave(minute, **fields):
    minute.refresh_from_db()
    return minutes_services.minute_autosave(
        minute=minute, version=minute.version, by=None, **fields
    )


# Notes after the resolutions --------------------------------------------------------------------


def test_notes_after_the_resolutions_autosave_with_the_narrative_on_one_version(budget):
    saved = _autosave(budget, narrative="Members asked about costs.", notes_after=SILENCE)

    assert (saved.narrative, saved.notes_after, saved.version) == (
        "Members asked about costs.",
        SILENCE,
        2,
    )
    # A form that does not carry the notes leaves them as they are.
    kept = _autosave(budget, narrative="Members asked about reserves.")
    assert (kept.notes_after, kept.version) == (SILENCE, 3)
    # Only the notes changed: still a change, with its version.
    assert _autosave(kept, narrative=kept.narrative, notes_after="").version == 4


def test_notes_typed_against_an_old_version_are_refused_not_lost(budget):
    _autosave(budget, narrative="The officer's text.")

    with pytest.raises(minutes_services.StaleMinute) as stale:
        minutes_services.minute_autosave(
            minute=budget, narrative="", notes_after=SILENCE, version=1, by=None
        )

    assert stale.value.current.narrative == "The officer's text."
    budget.refresh_from_db()
    assert (budget.notes_after, budget.version) == ("", 2)


def test_the_history_keeps_the_notes_and_restoring_brings_them_back(budget):
    user = UserFactory()
    minutes_services.minute_update(
        minute=budget, version=1, by=user, narrative="Discussed.", notes_after=SILENCE
    )
    earlier = budget.history.get(notes_after=SILENCE)
    minutes_services.minute_update(minute=budget, version=2, by=user, notes_after="")

    restored = minutes_services.minute_restore(
        minute=budget, history_id=earlier.history_id, by=user
    )

    assert restored.notes_after == SILENCE
    assert [h.notes_after for h in budget.history.order_by("history_date")] == [
        "",
        SILENCE,
        "",
        SILENCE,
    ]


def test_notes_after_the_resolutions_are_sanitised_markdown(budget):
    budget.notes_after = "The Board **observed** a silence.<script>alert(1)</script>"

    html = budget.notes_after_html

    assert "<strong>observed</strong>" in html
    assert "<script" not in html


# Adjournments ---------------------------------------------------------------------------------


def test_an_adjournment_reads_as_councils_write_it(meeting, budget, times):
    during = minutes_services.adjournment_add(
        meeting=meeting, adjourned_at=T(11, 5), resumed_at=T(11, 20), agenda_item=budget.agenda_item
    )
    going_on = minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(12, 15))

    number = budget.agenda_item.number
    assert during.in_its_minute == "The meeting adjourned at 11.05 am and resumed at 11.20 am."
    assert during.sentence == (
        f"The meeting adjourned at 11.05 am and resumed at 11.20 am (item {number}, Budget)."
    )
    assert going_on.sentence == "The meeting adjourned at 12.15 pm."
    assert during.history.get().history_type == "+"


def test_an_adjournment_falls_within_the_meeting_resumes_after_it_adjourns_and_overlaps_none(
    board, meeting, budget, times
):
    minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11), resumed_at=T(11, 15))
    other_meeting_item = minute_of(meeting_on(board, D(2016, 3, 21))).agenda_item
    withdrawn = minute_of(meeting, title="Withdrawn report").agenda_item
    AgendaItem.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=datetime.datetime(2016, 2, 20, tzinfo=datetime.UTC),
        withdrawal_reason="Deferred to the next meeting.",
    )
    withdrawn.refresh_from_db()

    refusals = {
        "no time": ({"adjourned_at": None}, "adjourned_at", "Give the time the meeting adjourned."),
        "before it started": (
            {"adjourned_at": T(9, 30)},
            "adjourned_at",
            "The meeting started at 10.00 am: give a time after that.",
        ),
        "after it concluded": (
            {"adjourned_at": T(12), "resumed_at": T(12, 45)},
            "resumed_at",
            "The meeting concluded at 12.30 pm: give a time before that.",
        ),
        "resumed before it adjourned": (
            {"adjourned_at": T(11, 30), "resumed_at": T(11, 30)},
            "resumed_at",
            "The meeting adjourned at 11.30 am: it resumed after that.",
        ),
        "overlapping": (
            {"adjourned_at": T(11, 10), "resumed_at": T(11, 40)},
            "adjourned_at",
            "Already recorded: The meeting adjourned at 11.00 am and resumed at 11.15 am.",
        ),
        "another meeting's item": (
            {"adjourned_at": T(11, 30), "agenda_item": other_meeting_item},
            "agenda_item",
            "Choose an item of this meeting.",
        ),
        "a withdrawn item": (
            {"adjourned_at": T(11, 30), "agenda_item": withdrawn},
            "agenda_item",
            "Choose an item of this meeting.",
        ),
    }
    for case, (fields, field, message) in refusals.items():
        with pytest.raises(ValidationError) as error:
            minutes_services.adjournment_add(meeting=meeting, **fields)
        assert error.value.message_dict == {field: [message]}, case

    assert MeetingEvent.objects.count() == 1


def test_an_adjournment_still_going_on_overlaps_any_later_one(meeting, budget, times):
    minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11))

    with pytest.raises(ValidationError):
        minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11, 30))
    later = minutes_services.adjournment_add(
        meeting=meeting, adjourned_at=T(10, 30), resumed_at=T(10, 45)
    )
    assert later.pk


def test_the_database_refuses_an_adjournment_without_its_time_or_resuming_before_it(
    meeting, budget
):
    event = minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingEvent.objects.filter(pk=event.pk).update(resumed_at=T(10))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingEvent.objects.filter(pk=event.pk).update(adjourned_at=None)


# Changes of chair -------------------------------------------------------------------------------


def test_a_change_of_chair_is_a_councillor_there_from_an_item_of_this_meeting(
    board, meeting, budget, vice_chair
):
    minutes_services.attendance_prefill(meeting)
    away = MembershipFactory(board=board).person
    minutes_services.attendance_prefill(meeting)
    minutes_services.attendance_set(
        meeting=meeting, person=away, status=Attendance.Status.APOLOGIES
    )
    officer = PersonFactory(officer=True, given_name="Dylan", family_name="Roberts")
    item = budget.agenda_item
    other_item = minute_of(meeting_on(board, D(2016, 3, 21))).agenda_item

    refusals = {
        "nobody": ({"chair": None, "agenda_item": item}, "chair"),
        "an officer": ({"chair": officer, "agenda_item": item}, "chair"),
        "someone who sent apologies": ({"chair": away, "agenda_item": item}, "chair"),
        "no item": ({"chair": vice_chair, "agenda_item": None}, "agenda_item"),
        "another meeting's item": ({"chair": vice_chair, "agenda_item": other_item}, "agenda_item"),
    }
    for case, (fields, field) in refusals.items():
        with pytest.raises(ValidationError) as error:
            minutes_services.chair_change_add(meeting=meeting, **fields)
        assert list(error.value.message_dict) == [field], case
    assert "Dylan Roberts is not a councillor" in _refusal(meeting, officer, item)
    assert "recorded as apologies: record them present first" in _refusal(meeting, away, item)

    change = minutes_services.chair_change_add(
        meeting=meeting,
        chair=vice_chair,
        agenda_item=item,
        why="Councillor K Groves left the meeting",
    )
    with pytest.raises(ValidationError) as twice:
        minutes_services.chair_change_add(meeting=meeting, chair=vice_chair, agenda_item=item)
    assert twice.value.message_dict == {
        "agenda_item": ["A change of chair from this item is already recorded."]
    }
    assert change.sentence == (
        "Councillor K Groves left the meeting. Councillor J Smith took the Chair from item "
        f"{item.number}, Budget."
    )
    assert change.in_its_minute == (
        "Councillor K Groves left the meeting. Councillor J Smith took the Chair for this item "
        "and the rest of the meeting."
    )


def _refusal(meeting, chair, item) -> str:
    with pytest.raises(ValidationError) as error:
        minutes_services.chair_change_add(meeting=meeting, chair=chair, agenda_item=item)
    return " ".join(error.value.messages)


def test_the_database_refuses_a_change_of_chair_without_a_chair_or_twice_at_an_item(
    meeting, budget, vice_chair
):
    change = minutes_services.chair_change_add(
        meeting=meeting, chair=vice_chair, agenda_item=budget.agenda_item
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingEvent.objects.filter(pk=change.pk).update(chair=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingEvent.objects.create(
            meeting=meeting, kind="chair_changed", chair=vice_chair, agenda_item=budget.agenda_item
        )


def test_events_on_approved_minutes_are_corrections_with_their_reason(
    board, meeting, budget, vice_chair
):
    minutes_services.minutes_approve(
        minutes=MinutesRecord.objects.get(meeting=meeting),
        at=meeting_on(board, D(2016, 3, 21)),
        by=UserFactory(),
        unrecorded_confirmed=True,
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11))
    assert list(refused.value.message_dict) == ["correction_reason"]

    event = minutes_services.chair_change_add(
        meeting=meeting, chair=vice_chair, agenda_item=budget.agenda_item, reason="Omitted."
    )
    assert event.history.get().history_change_reason == "Correction: Omitted."
    with pytest.raises(ValidationError):
        minutes_services.meeting_event_remove(event=event)
    minutes_services.meeting_event_remove(event=event, reason="Recorded in error.")
    assert not MeetingEvent.objects.exists()


# The minutes as printed -------------------------------------------------------------------------


@pytest.fixture
def recorded(meeting, budget, times, vice_chair):
    """Item "Budget" with its narrative, two resolutions and a note after them; someone leaving
    the room for it; an adjournment after it; the vice-chair in the Chair from the next item to
    the one before last; the chair back for the last; an adjournment with no item."""
    minutes_services.minute_update(
        minute=budget,
        version=budget.version,
        by=None,
        narrative="Members asked about reserves.",
        notes_after=SILENCE,
    )
    minutes_services.resolution_add(minute=budget, text="That the report be noted.")
    minutes_services.resolution_add(minute=budget, text="That a briefing be given.")
    groves = PersonFactory(given_name="Kathryn", family_name="Groves")
    attendance = minutes_services.attendee_add(
        meeting=meeting, person=groves, kind=Attendance.Kind.COUNCILLOR
    )
    minutes_services.movement_add(
        attendance=attendance, kind="left", agenda_item=budget.agenda_item
    )
    minutes_services.adjournment_add(
        meeting=meeting, adjourned_at=T(11, 5), resumed_at=T(11, 20), agenda_item=budget.agenda_item
    )
    contracts = minute_of(meeting, title="Contracts")
    minute_of(meeting, title="Procurement")
    schedule = minute_of(meeting, title="Work schedule")
    minutes_services.chair_change_add(
        meeting=meeting,
        chair=vice_chair,
        agenda_item=contracts.agenda_item,
        why="Councillor K Groves left the meeting",
    )
    minutes_services.chair_change_add(
        meeting=meeting, chair=groves, agenda_item=schedule.agenda_item
    )
    minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(10, 10), resumed_at=T(10, 15))
    return {"contracts": contracts.agenda_item, "schedule": schedule.agenda_item}


def test_the_minutes_read_the_meeting_in_order_page_and_pdf(meeting, recorded):
    contracts, schedule = recorded["contracts"].number, recorded["schedule"].number

    page, pdf = _printed(meeting)

    for text in (page, pdf):
        _in_order(
            text,
            [
                "The meeting started at 10.00 am.",
                "The meeting adjourned at 10.10 am and resumed at 10.15 am.",
                "Budget",
                "Members asked about reserves.",
                "RESOLVED –",
                "That the report be noted.",
                "That a briefing be given.",
                SILENCE,
                "Councillor K Groves left the meeting during this item.",
                "The meeting adjourned at 11.05 am and resumed at 11.20 am.",
                "Contracts",
                "Councillor K Groves left the meeting. Councillor J Smith took the Chair for "
                f"items {contracts} to {schedule - 1}.",
                "Procurement",
                "Work schedule",
                "Councillor K Groves took the Chair for this item and the rest of the meeting.",
                "The meeting concluded at 12.30 pm.",
            ],
        )
        assert text.count("The meeting adjourned") == 2
        assert text.count("took the Chair") == 2


def test_an_event_at_an_item_with_no_minute_prints_with_the_start_of_the_meeting(
    meeting, budget, times, vice_chair
):
    untaken = services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title="Untaken", purpose="To receive a report."),
    )
    minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11), agenda_item=untaken)
    minutes_services.chair_change_add(meeting=meeting, chair=vice_chair, agenda_item=untaken)

    page, pdf = _printed(meeting)

    for text in (page, pdf):
        _in_order(
            text,
            [
                "The meeting started at 10.00 am.",
                f"The meeting adjourned at 11.00 am (item {untaken.number}, Untaken).",
                f"Councillor J Smith took the Chair from item {untaken.number}, Untaken.",
                "Budget",
            ],
        )


def test_the_minutes_read_events_in_a_fixed_number_of_queries(meeting, budget, times, vice_chair):
    release(meeting)
    url = reverse("minutes:minutes-detail", args=[meeting.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        return len(queries)

    minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(10, 5), resumed_at=T(10, 6))
    before = count()
    for n in range(4):
        minute = minute_of(meeting, title=f"Report {n}")
        minutes_services.adjournment_add(
            meeting=meeting,
            adjourned_at=T(11, n * 10),
            resumed_at=T(11, n * 10 + 5),
            agenda_item=minute.agenda_item,
        )
        minutes_services.chair_change_add(
            meeting=meeting,
            chair=PersonFactory() if n % 2 else vice_chair,
            agenda_item=minute.agenda_item,
        )
    assert count() == before
    assert Client().get(url).text.count("took the Chair") == 4


# The console ------------------------------------------------------------------------------------


def _adjourn(client, meeting, **fields):
    return client.post(
        reverse("minutes:adjournment-add", args=[meeting.pk]),
        {f"adjournment-{name}": value for name, value in fields.items()},
        headers=HTMX,
    )


def _change_chair(client, meeting, **fields):
    return client.post(
        reverse("minutes:chair-change-add", args=[meeting.pk]),
        {f"chair_change-{name}": value for name, value in fields.items()},
        headers=HTMX,
    )


def test_the_console_records_an_adjournment_and_a_change_of_chair(
    meeting, budget, times, editor, vice_chair
):
    item = budget.agenda_item

    adjourned = _adjourn(
        editor, meeting, adjourned_at="11:05", resumed_at="11:20", agenda_item=item.pk
    )
    changed = _change_chair(
        editor, meeting, chair=vice_chair.pk, agenda_item=item.pk, why="The Chair left the meeting"
    )

    assert adjourned.status_code == changed.status_code == 200
    assert (
        f"Recorded: The meeting adjourned at 11.05 am and resumed at 11.20 am (item "
        f"{item.number}, Budget)." in text_of(adjourned.text)
    )
    assert (
        "The Chair left the meeting. Councillor J Smith took the Chair from item "
        f"{item.number}, Budget." in text_of(changed.text)
    )
    assert 'id="events"' in changed.text
    assert list(MeetingEvent.objects.values_list("kind", flat=True).order_by("pk")) == [
        "adjourned",
        "chair_changed",
    ]


@pytest.mark.parametrize(
    ("post", "fields", "message"),
    [
        (
            "adjourn",
            {"adjourned_at": "11:05", "agenda_item": "x"},
            "Choose an item of this meeting.",
        ),
        (
            "adjourn",
            {"adjourned_at": "11:05", "agenda_item": "999999"},
            "Choose an item of this meeting.",
        ),
        ("adjourn", {"adjourned_at": "25:99"}, "Give the time the meeting adjourned as a time"),
        ("adjourn", {}, "Give the time the meeting adjourned."),
        (
            "adjourn",
            {"adjourned_at": "11:20", "resumed_at": "11:05"},
            "The meeting adjourned at 11.20 am: it resumed after that.",
        ),
        (
            "adjourn",
            {"adjourned_at": "09:00"},
            "The meeting started at 10.00 am: give a time after that.",
        ),
        (
            "chair",
            {"chair": "x", "agenda_item": "item"},
            "Choose one of the council&#x27;s councillors.",
        ),
        (
            "chair",
            {"chair": "officer", "agenda_item": "item"},
            "Choose one of the council&#x27;s councillors.",
        ),
        ("chair", {"chair": "vice", "agenda_item": "x"}, "Choose an item of this meeting."),
        ("chair", {"chair": "vice"}, "Choose the item from which they took the Chair."),
    ],
)
def test_the_console_refuses_an_event_recorded_wrongly_saying_why_on_the_field(
    meeting, budget, times, editor, vice_chair, post, fields, message
):
    people = {"vice": vice_chair.pk, "officer": PersonFactory(officer=True).pk}
    fields = {
        name: people.get(value, budget.agenda_item.pk if value == "item" else value)
        for name, value in fields.items()
    }

    response = (_adjourn if post == "adjourn" else _change_chair)(editor, meeting, **fields)

    assert response.status_code == 422
    assert message in response.text
    assert 'class="error-message"' in response.text  # on its field
    assert not MeetingEvent.objects.exists()


def test_the_console_removes_an_event(meeting, budget, times, editor):
    event = minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11, 5))

    response = editor.post(reverse("minutes:meeting-event-remove", args=[event.pk]), headers=HTMX)

    assert response.status_code == 200
    assert "Removed: The meeting adjourned at 11.05 am." in text_of(response.text)
    assert "No adjournments or changes of chair recorded." in response.text
    assert not MeetingEvent.objects.exists()


def test_removing_an_event_from_approved_minutes_needs_the_reason(board, meeting, budget, editor):
    event = minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11, 5))
    minutes_services.minutes_approve(
        minutes=MinutesRecord.objects.get(meeting=meeting),
        at=meeting_on(board, D(2016, 3, 21)),
        by=UserFactory(),
        unrecorded_confirmed=True,
    )
    url = reverse("minutes:meeting-event-remove", args=[event.pk])

    refused = editor.post(url, headers=HTMX)
    removed = editor.post(url, {"correction_reason": "Recorded in error."}, headers=HTMX)

    assert refused.status_code == 422
    assert "Give the reason for this correction." in refused.text
    assert removed.status_code == 200
    assert not MeetingEvent.objects.exists()


@pytest.mark.parametrize("audience", ["other officer", "councillor", "other councillor", "public"])
def test_only_those_who_edit_the_board_record_or_remove_events(
    audiences, meeting, budget, times, vice_chair, audience
):
    event = minutes_services.adjournment_add(meeting=meeting, adjourned_at=T(11, 5))
    client = audiences[audience]
    item = budget.agenda_item.pk

    responses = [
        _adjourn(client, meeting, adjourned_at="11:30"),
        _change_chair(client, meeting, chair=vice_chair.pk, agenda_item=item),
        client.post(reverse("minutes:meeting-event-remove", args=[event.pk]), headers=HTMX),
    ]

    expected = 302 if audience == "public" else 403
    assert [response.status_code for response in responses] == [expected] * 3
    assert list(MeetingEvent.objects.values_list("pk", flat=True)) == [event.pk]


def test_the_console_autosaves_the_notes_after_the_resolutions(budget, editor):
    url = reverse("minutes:minute-save", args=[budget.pk])

    saved = editor.post(
        url, {"narrative": "Discussed.", "notes_after": SILENCE, "version": 1}, headers=HTMX
    )
    stale = editor.post(
        url, {"narrative": "Discussed.", "notes_after": "Mine.", "version": 1}, headers=HTMX
    )

    assert saved.status_code == 200
    assert 'name="version" value="2"' in saved.text
    budget.refresh_from_db()
    assert (budget.narrative, budget.notes_after) == ("Discussed.", SILENCE)
    # Someone saved since: both versions of the notes are shown, and nothing is overwritten.
    assert stale.status_code == 409
    assert 'name="notes_after"' in stale.text
    assert "Mine." in stale.text and "minute&#x27;s silence" in stale.text
    budget.refresh_from_db()
    assert budget.notes_after == SILENCE


def test_the_console_shows_the_notes_box_and_the_edit_form_corrects_them(meeting, budget, editor):
    console = editor.get(reverse("minutes:minutes-console", args=[meeting.pk]))
    assert f'id="notes-after-{budget.pk}"' in console.text
    assert 'id="events"' in console.text

    response = editor.post(
        reverse("minutes:minute-edit", args=[budget.pk]),
        {"version": 1, "title": "Budget", "narrative": "", "notes_after": SILENCE},
    )

    assert response.status_code == 302
    assert Minute.objects.get(pk=budget.pk).notes_after == SILENCE


def test_taking_the_first_minute_from_an_items_button_replaces_the_whole_minutes_section(
    meeting, editor
):
    """Taking it opened the minutes (the standing minutes were written too): the section comes
    back in place of the section, not inside the item's block, which would show it twice."""
    item = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Budget", purpose="To receive a report.")
    )

    response = editor.post(
        reverse("minutes:minute-take", args=[meeting.pk]), {"item": item.pk}, headers=HTMX
    )

    assert response.status_code == 200
    assert response.text.count('id="minutes"') == 1
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == (
        "#minutes",
        "outerHTML",
    )
