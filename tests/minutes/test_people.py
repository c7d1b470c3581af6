"""People as the minutes name them: someone attending by their post alone, councillors who are
not members of the board chosen from the council's councillors, arrivals and departures printed
where they happened, and declarations by anyone present (an officer too), with whether they
left the room. Service, console and the minutes as the reader sees them, page and PDF."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from boards.models import Person
from minutes import services as minutes_services
from minutes.models import Attendance, Declaration, MinutesRecord, Movement
from tests.factories import MembershipFactory, PersonFactory, PostFactory
from tests.minutes.test_actions import HTMX, D, meeting_on, minute_of, release, text_of
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db

T = datetime.time


@pytest.fixture
def meeting(board):
    return meeting_on(board, D(2016, 2, 22))


@pytest.fixture
def budget(meeting):
    """The meeting's minutes opened, with a minute for item "Budget"."""
    return minute_of(meeting, title="Budget")


@pytest.fixture
def ward_councillor():
    return PersonFactory(given_name="Kathryn", family_name="Groves")


def _printed(meeting) -> tuple[str, str]:
    """The minutes as the public reads them, page and PDF, once released."""
    if not MinutesRecord.objects.get(meeting=meeting).is_released:
        release(meeting)
    page = text_of(Client().get(reverse("minutes:minutes-detail", args=[meeting.pk])).text)
    pdf = pdf_text(read_pdf(Client().get(reverse("minutes:minutes-pdf", args=[meeting.pk]))))
    return page, pdf


def _in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not after position {at} in {text!r}"
        at = found + len(part)


# Attending by post, and councillors who are not members --------------------------------------


def test_someone_attends_by_their_post_alone(meeting, budget):
    post = PostFactory(title="Cabinet Member for Corporate Services")

    attendance = minutes_services.attendee_add(
        meeting=meeting, post=post, kind=Attendance.Kind.OTHER
    )

    assert attendance.person is None
    assert attendance.listed_as == "Cabinet Member for Corporate Services"
    assert attendance.named == "the Cabinet Member for Corporate Services"
    page, pdf = _printed(meeting)
    for text in (page, pdf):
        _in_order(text, ["In attendance:", "Cabinet Member for Corporate Services", "Budget"])
        assert "None" not in text


def test_a_post_is_recorded_once_and_a_member_never_by_post_alone(meeting, budget):
    post = PostFactory(title="Cabinet Member for Corporate Services")
    minutes_services.attendee_add(meeting=meeting, post=post, kind=Attendance.Kind.OTHER)

    with pytest.raises(ValidationError) as twice:
        minutes_services.attendee_add(meeting=meeting, post=post, kind=Attendance.Kind.OFFICER)
    with pytest.raises(ValidationError) as member:
        minutes_services.attendee_add(
            meeting=meeting, post=PostFactory(), kind=Attendance.Kind.MEMBER
        )

    assert "already recorded" in twice.value.message_dict["post"][0]
    assert "members' attendance" in member.value.message_dict["kind"][0]
    assert meeting.attendances.filter(person__isnull=True).count() == 1


def test_a_councillor_who_is_not_a_member_attends_as_a_councillor(meeting, budget, ward_councillor):
    attendance = minutes_services.attendee_add(
        meeting=meeting,
        person=ward_councillor,
        kind=Attendance.Kind.COUNCILLOR,
        capacity="ward member for Rothwell",
        items=[budget.agenda_item],
    )

    assert ward_councillor.kind == Person.Kind.COUNCILLOR  # chosen, not made an officer
    assert Person.objects.filter(family_name="Groves").count() == 1
    number = budget.agenda_item.number
    printed = f"Councillor K Groves (ward member for Rothwell; item {number})"
    assert attendance.printed_as == printed
    page, pdf = _printed(meeting)
    for text in (page, pdf):
        assert f"Also in attendance: {printed}" in text


def test_a_councillor_is_never_recorded_as_an_officer_nor_a_member_as_a_visitor(
    board, meeting, budget, ward_councillor
):
    member = MembershipFactory(board=board, starts_on=D(2015, 5, 21)).person
    officer = PersonFactory(officer=True)

    with pytest.raises(ValidationError) as as_officer:
        minutes_services.attendee_add(
            meeting=meeting, person=ward_councillor, kind=Attendance.Kind.OFFICER
        )
    with pytest.raises(ValidationError) as a_member:
        minutes_services.attendee_add(
            meeting=meeting, person=member, kind=Attendance.Kind.COUNCILLOR
        )
    with pytest.raises(ValidationError) as not_a_councillor:
        minutes_services.attendee_add(
            meeting=meeting, person=officer, kind=Attendance.Kind.COUNCILLOR
        )

    assert "record them as a councillor attending" in as_officer.value.message_dict["kind"][0]
    assert "member of the board" in a_member.value.message_dict["person"][0]
    assert (
        "not one of the council's councillors" in (not_a_councillor.value.message_dict["person"][0])
    )


def test_the_console_adds_a_post_alone_and_a_councillor_chosen_from_the_councillors(
    meeting, budget, editor, ward_councillor
):
    url = reverse("minutes:attendee-add", args=[meeting.pk])
    post = PostFactory(title="Cabinet Member for Corporate Services")

    by_post = editor.post(url, {"attendee-kind": "other", "attendee-post": post.pk}, headers=HTMX)
    councillor = editor.post(
        url,
        {
            "attendee-kind": "councillor",
            "attendee-person": ward_councillor.pk,
            "attendee-capacity": "ward member for Rothwell",
        },
        headers=HTMX,
    )
    made_up = editor.post(
        url,
        {"attendee-kind": "councillor", "attendee-given_name": "A", "attendee-family_name": "B"},
        headers=HTMX,
    )
    unreadable = editor.post(url, {"attendee-kind": "other", "attendee-post": "abc"}, headers=HTMX)

    assert by_post.status_code == councillor.status_code == 200
    assert "Cabinet Member for Corporate Services added." in by_post.text
    assert "Councillor K Groves (ward member for Rothwell) added." in councillor.text
    assert made_up.status_code == 422
    assert "Choose the councillor from the council&#x27;s councillors." in made_up.text
    assert unreadable.status_code == 422
    assert not Person.objects.filter(family_name="B").exists()
    assert sorted(
        (a.kind, a.person_id, a.post_id) for a in meeting.attendances.exclude(kind="member")
    ) == sorted([("other", None, post.pk), ("councillor", ward_councillor.pk, None)])


# Arrivals and departures ----------------------------------------------------------------------


@pytest.fixture
def times(meeting, budget):
    minutes_services.minutes_set_times(
        record=MinutesRecord.objects.get(meeting=meeting),
        chair=None,
        started_at=T(10),
        ended_at=T(12, 30),
    )


def test_a_departure_during_an_item_prints_in_its_minute_and_an_arrival_with_the_attendance(
    meeting, budget, times, ward_councillor
):
    attendance = minutes_services.attendee_add(
        meeting=meeting, person=ward_councillor, kind=Attendance.Kind.COUNCILLOR
    )
    later = minute_of(meeting, title="Work schedule")
    minutes_services.movement_add(attendance=attendance, kind=Movement.Kind.ARRIVED, at=T(10, 20))
    minutes_services.movement_add(
        attendance=attendance, kind=Movement.Kind.LEFT, agenda_item=budget.agenda_item
    )

    page, pdf = _printed(meeting)
    for text in (page, pdf):
        _in_order(
            text,
            [
                "The meeting started at 10.00 am.",
                "Councillor K Groves arrived at 10.20 am.",
                "Budget",
                "Councillor K Groves left the meeting during this item.",
                later.title,
            ],
        )
        assert text.count("left the meeting") == 1


def test_a_movement_needs_a_time_or_an_item_within_the_meeting_and_someone_there(
    board, meeting, budget, times, ward_councillor
):
    there = minutes_services.attendee_add(
        meeting=meeting, person=ward_councillor, kind=Attendance.Kind.COUNCILLOR
    )
    member = MembershipFactory(board=board, starts_on=D(2015, 5, 21)).person
    minutes_services.attendance_prefill(meeting)  # joined after the minutes were opened
    minutes_services.attendance_set(
        meeting=meeting, person=member, status=Attendance.Status.APOLOGIES
    )
    away = meeting.attendances.get(person=member)

    refusals = {
        "neither": {"attendance": there, "kind": "left"},
        "before it started": {"attendance": there, "kind": "arrived", "at": T(9, 30)},
        "after it ended": {"attendance": there, "kind": "left", "at": T(13)},
        "sent apologies": {"attendance": away, "kind": "arrived", "at": T(10, 30)},
    }
    for case, fields in refusals.items():
        with pytest.raises(ValidationError, match=".") as error:
            minutes_services.movement_add(**fields)
        assert error.value.messages, case

    assert not Movement.objects.exists()


def test_the_console_records_a_departure_and_refuses_an_unreadable_one(
    meeting, budget, times, editor, ward_councillor
):
    attendance = minutes_services.attendee_add(
        meeting=meeting, person=ward_councillor, kind=Attendance.Kind.COUNCILLOR
    )
    url = reverse("minutes:movement-add", args=[meeting.pk])

    recorded = editor.post(
        url,
        {
            "movement-attendance": attendance.pk,
            "movement-kind": "left",
            "movement-agenda_item": budget.agenda_item.pk,
        },
        headers=HTMX,
    )
    refused = [
        editor.post(url, fields, headers=HTMX)
        for fields in (
            {"movement-attendance": "x", "movement-kind": "left", "movement-at": "10:30"},
            {"movement-attendance": attendance.pk, "movement-kind": "left", "movement-at": "25:99"},
            {"movement-attendance": attendance.pk, "movement-kind": "left"},
        )
    ]

    assert recorded.status_code == 200
    number = budget.agenda_item.number
    assert f"Councillor K Groves left the meeting during item {number}, Budget." in recorded.text
    assert [response.status_code for response in refused] == [422, 422, 422]
    assert "Give the time, the item it happened during, or both." in refused[2].text
    assert Movement.objects.count() == 1


# Declarations by anyone present ----------------------------------------------------------------


def test_an_officer_declares_and_leaves_the_room_and_the_minutes_say_so(meeting, budget):
    officer = PersonFactory(
        officer=True, given_name="Dylan", family_name="Roberts", job_title="Chief Digital Officer"
    )
    minutes_services.attendee_add(meeting=meeting, person=officer, kind=Attendance.Kind.OFFICER)

    minutes_services.declaration_add(
        meeting=meeting,
        person=officer,
        agenda_item=budget.agenda_item,
        kind=Declaration.Kind.NON_REGISTRABLE,
        nature="His partner works for the supplier.",
        left_room=True,
    )

    page, pdf = _printed(meeting)
    for text in (page, pdf):
        _in_order(
            text,
            [
                "Dylan Roberts, Chief Digital Officer, declared a non-registrable interest in item",
                "His partner works for the supplier.",
                "Budget",
                "Dylan Roberts, having declared an interest in this item, left the room and "
                "took no part in it.",
            ],
        )


def test_only_someone_there_declares(meeting, budget, ward_councillor):
    with pytest.raises(ValidationError) as error:
        minutes_services.declaration_add(
            meeting=meeting,
            person=ward_councillor,
            agenda_item=budget.agenda_item,
            kind=Declaration.Kind.NON_REGISTRABLE,
            nature="A governor of the school.",
            left_room=False,
        )

    assert "add them to those in attendance first" in error.value.message_dict["person"][0]
    assert not Declaration.objects.exists()
