"""The console's attendance is one form with one button, each choice saving as it changes;
nothing chosen is lost to a swap or a refusal. And the keyboard's short way to a minute."""

import re

import pytest
from django.urls import reverse

from minutes import services as minutes_services
from minutes.models import Attendance, MinutesRecord
from tests.factories import MembershipFactory, PersonFactory
from tests.minutes.test_views import FEBRUARY, HTMX, MARCH, meeting_on, person_of, report_on


@pytest.fixture
def members(board, councillor):
    return [
        person_of(councillor),
        MembershipFactory(board=board).person,
        MembershipFactory(board=board).person,
    ]


@pytest.fixture
def opened(board, members):
    meeting = meeting_on(board, FEBRUARY)
    minutes_services.minutes_open(meeting)
    return meeting


def save_url(meeting) -> str:
    return reverse("minutes:attendance-save", args=[meeting.pk])


def status_of(meeting) -> dict:
    return {a.person_id: a.status for a in meeting.attendances.filter(kind=Attendance.Kind.MEMBER)}


def test_attendance_is_one_form_with_one_save_button(opened, members, editor):
    page = editor.get(reverse("minutes:minutes-console", args=[opened.pk])).text
    section = page.split('id="attendance"')[1].split("</section>")[0]

    assert section.count("<form") == 1
    assert len(re.findall(r">\s*Save attendance\s*<", section)) == 1
    assert "Save<span" not in section  # no button per member
    for person in members:
        assert f'name="member-{person.pk}-status"' in section
    assert 'hx-trigger="change, submit"' in section
    assert 'hx-sync="this:queue last"' in section


def test_one_post_records_every_member_as_chosen(opened, members, editor):
    chair, second, third = members
    response = editor.post(
        save_url(opened),
        {
            f"member-{chair.pk}-status": "present",
            f"member-{second.pk}-status": "apologies",
            f"member-{third.pk}-status": "absent",
        },
    )

    assert response.status_code == 302
    assert response.url.endswith("#attendance")
    assert status_of(opened) == {chair.pk: "present", second.pk: "apologies", third.pk: "absent"}


def test_a_choice_saved_with_htmx_answers_its_status_not_the_choices(opened, members, editor):
    chair, second, third = members
    response = editor.post(
        save_url(opened),
        {
            f"member-{chair.pk}-status": "present",
            f"member-{second.pk}-status": "not_recorded",
            f"member-{third.pk}-status": "not_recorded",
        },
        headers=HTMX,
    )

    assert response.status_code == 200
    page = response.text
    assert re.search(
        r'<p class="save-status" id="attendance-status" role="status">\s*'
        rf"Attendance of {chair} saved.\s*</p>",
        page,
    )
    # Nothing the minute-taker may be choosing meanwhile is swapped away...
    assert 'name="member-' not in page
    # ...and what depends on it comes with it, out of band.
    assert '<div id="attendance-unrecorded" hx-swap-oob="true">' in page
    assert "2 members not recorded yet." in re.sub(r"\s+", " ", page)
    assert status_of(opened)[chair.pk] == "present"


def test_a_refused_row_records_nothing_and_keeps_every_choice(opened, members, editor):
    chair, second, third = members
    substitute = PersonFactory()
    response = editor.post(
        save_url(opened),
        {
            f"member-{chair.pk}-status": "apologies",
            f"member-{second.pk}-status": "present",
            f"member-{second.pk}-substitute": substitute.pk,
            f"member-{third.pk}-status": "absent",
        },
        headers=HTMX,
    )

    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#attendance"
    page = response.text
    assert "There is a problem" in page
    assert (
        f'<a href="#id_member-{second.pk}-substitute">{second}: A substitute stands in for a '
        "member who sent apologies.</a>"
    ) in page
    # What was chosen comes back as chosen; nothing was recorded.
    assert re.search(rf'name="member-{chair.pk}-status" value="apologies"[^>]*checked', page)
    assert re.search(rf'name="member-{third.pk}-status" value="absent"[^>]*checked', page)
    assert set(status_of(opened).values()) == {"not_recorded"}


def test_all_present_saves_the_choices_sent_with_it_first(opened, members, editor):
    chair, second, third = members
    response = editor.post(
        save_url(opened),
        {
            f"member-{chair.pk}-status": "not_recorded",
            f"member-{second.pk}-status": "apologies",
            f"member-{third.pk}-status": "not_recorded",
            "all_present": "1",
        },
    )

    assert response.status_code == 302
    assert status_of(opened) == {chair.pk: "present", second.pk: "apologies", third.pk: "present"}


def test_approved_minutes_take_one_reason_for_the_attendance_corrected(
    opened, members, editor, officer
):
    chair = members[0]
    minutes_services.attendance_all_present(meeting=opened)
    later = meeting_on(opened.board, MARCH)
    minutes_services.minutes_approve(
        minutes=MinutesRecord.objects.get(meeting=opened), at=later, by=officer
    )
    console = editor.get(reverse("minutes:minutes-console", args=[opened.pk])).text
    section = console.split('id="attendance"')[1].split("</section>")[0]
    assert section.count('name="correction_reason"') == 1
    assert 'hx-trigger="submit"' in section  # no saving on each change: the reason comes first
    rows = {f"member-{p.pk}-status": "present" for p in members}

    refused = editor.post(save_url(opened), {**rows, f"member-{chair.pk}-status": "absent"})
    assert refused.status_code == 422
    assert "Give the reason for this correction." in refused.text
    assert status_of(opened)[chair.pk] == "present"

    corrected = editor.post(
        save_url(opened),
        {
            **rows,
            f"member-{chair.pk}-status": "absent",
            "correction_reason": "Recorded present in error.",
        },
    )
    assert corrected.status_code == 302
    assert status_of(opened)[chair.pk] == "absent"


# The keyboard's short way to a minute -------------------------------------------------------------


def test_the_console_offers_every_minute_to_go_to_first(opened, editor):
    item = report_on(opened, title="Budget monitoring")
    page = editor.get(reverse("minutes:minutes-console", args=[opened.pk])).text
    jump = page.split('<form method="get"')[1].split("</form>")[0]

    assert '<label for="jump-to">Go to the minute of</label>' in jump
    assert re.search(
        rf'<option value="minute-item-{item.pk}">\s*Item {item.shown_number}: Budget monitoring',
        jump,
    )
    assert page.index("jump-to") < page.index('id="times"')  # before the first section
    assert re.search(rf'id="minute-item-{item.pk}"\s+tabindex="-1"', page)


def test_go_without_javascript_goes_to_the_minute(opened, editor):
    item = report_on(opened, title="Budget monitoring")
    console = reverse("minutes:minutes-console", args=[opened.pk])

    response = editor.get(console, {"go": f"minute-item-{item.pk}"})
    assert response.status_code == 302
    assert response.url == f"{console}#minute-item-{item.pk}"
    # Anything else is no address to go to: the console, as it is.
    for go in ("javascript:alert(1)", "minute-item-1#x", "https://example.com/"):
        assert editor.get(console, {"go": go}).status_code == 200
