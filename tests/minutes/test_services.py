"""The services that take, correct and approve minutes: numbering, attendance, declarations,
autosaving with optimistic locking, lettered resolutions and approval at the next meeting."""

import contextlib
import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from boards import services
from boards.models import AgendaItem, Meeting, Membership
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import Attendance, Declaration, Minute, MinutesRecord, Resolution
from minutes.services import COALESCE_AUTOSAVES
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    MunicipalYearFactory,
    PersonFactory,
    PostFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
Kind = AgendaItem.Kind

# The order the standard agenda's opening items are minuted in.
OPENING_KINDS = [Kind.LATE_ITEMS, Kind.DECLARATIONS, Kind.APOLOGIES]


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


JANUARY = at(2016, 1, 25)
FEBRUARY = at(2016, 2, 22)
MARCH = at(2016, 3, 21)


def meeting_on(board, starts_at: datetime.datetime) -> Meeting:
    return services.meeting_create(board=board, starts_at=starts_at, venue=None)


def item_of(meeting: Meeting, kind: str) -> AgendaItem:
    return meeting.agenda_items.get(kind=kind)


def report_on(meeting: Meeting, title: str) -> AgendaItem:
    return services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title=title, purpose="To receive a report.")
    )


def take(meeting: Meeting, kinds=OPENING_KINDS, by=None) -> list[int]:
    """Minute the meeting's items of these kinds in turn; their numbers."""
    return [
        minutes_services.minute_take(
            meeting=meeting, agenda_item=item_of(meeting, kind), by=by
        ).number
        for kind in kinds
    ]


def history_of(minute: Minute):
    return Minute.history.filter(id=minute.pk).order_by("-history_date", "-history_id")


@contextlib.contextmanager
def request_by(user):
    """As inside a request: simple-history's middleware records the signed-in user."""
    request = RequestFactory().post("/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def user():
    return UserFactory(roles=[Role.OFFICER])


@pytest.fixture
def other_user():
    return UserFactory(roles=[Role.OFFICER])


@pytest.fixture
def meeting(board):
    return meeting_on(board, FEBRUARY)


@pytest.fixture
def minute(meeting, user):
    return minutes_services.minute_take(
        meeting=meeting, agenda_item=report_on(meeting, "ICT"), by=user
    )


# Numbering ---------------------------------------------------------------------------------


def test_minute_numbers_continue_across_meetings_of_a_board_in_the_municipal_year(board):
    january = meeting_on(board, JANUARY)
    february = meeting_on(board, FEBRUARY)

    assert take(january) == [1, 2, 3]
    assert take(february) == [4, 5, 6]
    assert january.municipal_year == february.municipal_year


def test_minute_numbers_restart_each_municipal_year(board):
    MunicipalYearFactory(starts_on=datetime.date(2015, 5, 21))
    MunicipalYearFactory(starts_on=datetime.date(2016, 5, 19))
    before = meeting_on(board, at(2016, 5, 16))
    after = meeting_on(board, at(2016, 5, 23))
    assert before.municipal_year.label == "2015/16"
    assert after.municipal_year.label == "2016/17"

    assert take(before) == [1, 2, 3]
    assert take(after) == [1, 2, 3]


def test_minute_numbers_are_independent_for_each_board(board):
    other_board = BoardFactory()
    ours = meeting_on(board, FEBRUARY)
    theirs = meeting_on(other_board, FEBRUARY)

    assert take(ours) == [1, 2, 3]
    assert take(theirs) == [1, 2, 3]
    assert take(ours, kinds=[Kind.MINUTES]) == [4]


def test_withdrawn_minute_keeps_its_number_and_the_number_is_never_reused(meeting, user):
    take(meeting)
    last = Minute.objects.get(meeting=meeting, number=3)

    minutes_services.minute_withdraw(minute=last, by=user, reason="Taken against the wrong item.")

    last.refresh_from_db()
    assert last.number == 3
    assert last.is_withdrawn
    assert last.withdrawn_by == user
    assert last.withdrawal_reason == "Taken against the wrong item."
    # The same item minuted again gets the next number, not the withdrawn one.
    assert take(meeting, kinds=[Kind.APOLOGIES]) == [4]
    assert take(meeting, kinds=[Kind.MINUTES]) == [5]


def test_minute_withdrawal_needs_a_reason(minute, user):
    with pytest.raises(ValidationError) as error:
        minutes_services.minute_withdraw(minute=minute, by=user, reason="  ")

    assert "reason" in error.value.message_dict
    minute.refresh_from_db()
    assert not minute.is_withdrawn


def test_minute_numbers_stay_when_the_agenda_is_reordered_afterwards(meeting):
    first = report_on(meeting, "Budget")
    second = report_on(meeting, "Housing")
    budget = minutes_services.minute_take(meeting=meeting, agenda_item=first)
    housing = minutes_services.minute_take(meeting=meeting, agenda_item=second)
    assert (budget.number, housing.number) == (1, 2)

    order = list(meeting.agenda_items.order_by("number").values_list("pk", flat=True))
    order.remove(second.pk)
    order.insert(0, second.pk)
    services.agenda_items_reorder(meeting=meeting, ordered_ids=order)

    second.refresh_from_db()
    assert second.number == 1  # the agenda did change
    budget.refresh_from_db()
    housing.refresh_from_db()
    assert (budget.number, housing.number) == (1, 2)
    # A minute taken afterwards takes its place in agenda order (late items come first).
    assert take(meeting, kinds=[Kind.LATE_ITEMS]) == [1]
    budget.refresh_from_db()
    housing.refresh_from_db()
    assert (budget.number, housing.number) == (2, 3)


def test_minutes_taken_out_of_agenda_order_are_numbered_in_agenda_order(meeting):
    budget = report_on(meeting, "Budget")
    housing = report_on(meeting, "Housing")
    # The chair takes housing first, then budget, then the opening items.
    minutes_services.minute_take(meeting=meeting, agenda_item=housing)
    minutes_services.minute_take(meeting=meeting, agenda_item=budget)
    take(meeting, kinds=[Kind.LATE_ITEMS, Kind.DECLARATIONS])

    numbered = Minute.objects.filter(meeting=meeting).order_by("number")
    assert [m.agenda_item.number for m in numbered] == sorted(
        m.agenda_item.number for m in numbered
    )
    assert [m.number for m in numbered] == [1, 2, 3, 4]
    assert [m.title for m in numbered][2:] == ["Budget", "Housing"]


def test_the_next_meetings_minutes_follow_on_and_move_up_when_an_earlier_minute_is_added(board):
    first = meeting_on(board, at(2016, 1, 25))
    second = meeting_on(board, at(2016, 2, 22))
    budget = report_on(first, "Budget")
    later = report_on(second, "Housing")
    minutes_services.minute_take(meeting=first, agenda_item=budget)
    housing = minutes_services.minute_take(meeting=second, agenda_item=later)
    assert housing.number == 2

    late = minutes_services.minute_take(meeting=first, agenda_item=item_of(first, Kind.LATE_ITEMS))

    housing.refresh_from_db()
    assert (late.number, housing.number) == (1, 3)


def test_released_or_approved_minutes_keep_their_numbers(meeting, user):
    budget = report_on(meeting, "Budget")
    taken = minutes_services.minute_take(meeting=meeting, agenda_item=budget)
    minutes_services.minutes_release(minutes=MinutesRecord.objects.get(meeting=meeting), by=user)

    late = minutes_services.minute_take(
        meeting=meeting, agenda_item=item_of(meeting, Kind.LATE_ITEMS)
    )

    taken.refresh_from_db()
    assert (taken.number, late.number) == (1, 2)  # released: the new one comes after


def test_taking_a_minute_twice_for_an_item_returns_the_same_minute(meeting):
    item = item_of(meeting, Kind.LATE_ITEMS)

    first = minutes_services.minute_take(meeting=meeting, agenda_item=item)
    again = minutes_services.minute_take(meeting=meeting, agenda_item=item)

    assert again.pk == first.pk
    assert Minute.objects.filter(agenda_item=item).count() == 1


def test_minute_takes_its_title_from_the_agenda_item(meeting):
    item = item_of(meeting, Kind.LATE_ITEMS)

    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)

    assert minute.title == item.title
    assert minute.board == meeting.board
    assert minute.municipal_year == meeting.municipal_year


def test_cancelled_meeting_refuses_minutes(meeting):
    services.meeting_cancel(meeting=meeting, reason="The meeting was not quorate.")

    with pytest.raises(ValidationError):
        minutes_services.minute_take(meeting=meeting, agenda_item=item_of(meeting, Kind.LATE_ITEMS))

    assert not Minute.objects.filter(meeting=meeting).exists()


# Attendance --------------------------------------------------------------------------------


@pytest.fixture
def members(board):
    """The chair and a member on the board in February; one who left and one not yet joined."""
    chair = MembershipFactory(board=board, role=Membership.Role.CHAIR).person
    member = MembershipFactory(board=board).person
    MembershipFactory(board=board, ends_on=datetime.date(2016, 1, 31))
    MembershipFactory(board=board, starts_on=datetime.date(2016, 6, 1))
    MembershipFactory(board=BoardFactory())
    return chair, member


def test_attendance_prefill_lists_each_current_member_of_the_board(meeting, members):
    minutes_services.attendance_prefill(meeting)

    rows = meeting.attendances.all()
    assert {row.person for row in rows} == set(members)
    # Recorded, never assumed: each member is "not recorded" until the minute-taker says.
    assert {(row.kind, row.status) for row in rows} == {
        (Attendance.Kind.MEMBER, Attendance.Status.NOT_RECORDED)
    }


def test_all_present_records_every_member_not_yet_recorded_and_no_one_else(meeting, members):
    minutes_services.attendance_prefill(meeting)
    chair, member = members
    minutes_services.attendance_set(
        meeting=meeting, person=chair, status=Attendance.Status.APOLOGIES
    )

    assert minutes_services.attendance_all_present(meeting=meeting) == 1

    assert meeting.attendances.get(person=chair).status == Attendance.Status.APOLOGIES
    assert meeting.attendances.get(person=member).status == Attendance.Status.PRESENT
    assert minutes_services.unrecorded_members(meeting) == []


def test_attendance_prefill_is_idempotent(meeting, members):
    minutes_services.attendance_prefill(meeting)
    chair, _member = members
    minutes_services.attendance_set(
        meeting=meeting, person=chair, status=Attendance.Status.APOLOGIES
    )

    minutes_services.attendance_prefill(meeting)

    assert meeting.attendances.count() == 2
    assert meeting.attendances.get(person=chair).status == Attendance.Status.APOLOGIES


def test_attendance_prefill_lists_a_member_once_when_their_role_changes_that_day(board):
    person = PersonFactory()
    MembershipFactory(board=board, person=person, ends_on=datetime.date(2016, 2, 22))
    MembershipFactory(
        board=board,
        person=person,
        role=Membership.Role.VICE_CHAIR,
        starts_on=datetime.date(2016, 2, 22),
    )
    meeting = meeting_on(board, FEBRUARY)

    minutes_services.attendance_prefill(meeting)

    assert list(meeting.attendances.values_list("person", flat=True)) == [person.pk]


@pytest.fixture
def seated(meeting, members):
    """The members on the meeting's list, recorded present."""
    minutes_services.attendance_prefill(meeting)
    minutes_services.attendance_all_present(meeting=meeting)
    return members


def substitutes(meeting: Meeting):
    return meeting.attendances.filter(kind=Attendance.Kind.SUBSTITUTE)


def test_apologies_with_a_substitute_record_the_substitute(meeting, seated):
    _chair, member = seated
    substitute = PersonFactory()

    record = minutes_services.attendance_set(
        meeting=meeting, person=member, status=Attendance.Status.APOLOGIES, substitute=substitute
    )

    assert record.status == Attendance.Status.APOLOGIES
    row = substitutes(meeting).get()
    assert row.person == substitute
    assert row.substitute_for == member
    assert row.status == Attendance.Status.PRESENT


def test_changing_the_substitute_replaces_the_earlier_one(meeting, seated):
    _chair, member = seated
    first, second = PersonFactory(), PersonFactory()
    apologies = Attendance.Status.APOLOGIES
    minutes_services.attendance_set(
        meeting=meeting, person=member, status=apologies, substitute=first
    )

    minutes_services.attendance_set(
        meeting=meeting, person=member, status=apologies, substitute=second
    )

    assert [row.person for row in substitutes(meeting)] == [second]
    assert not meeting.attendances.filter(person=first).exists()


def test_clearing_the_substitute_removes_them(meeting, seated):
    _chair, member = seated
    apologies = Attendance.Status.APOLOGIES
    minutes_services.attendance_set(
        meeting=meeting, person=member, status=apologies, substitute=PersonFactory()
    )

    minutes_services.attendance_set(meeting=meeting, person=member, status=apologies)

    assert not substitutes(meeting).exists()
    assert meeting.attendances.get(person=member).status == apologies


def test_substitute_is_refused_for_a_member_who_is_present(meeting, seated):
    _chair, member = seated

    with pytest.raises(ValidationError) as error:
        minutes_services.attendance_set(
            meeting=meeting,
            person=member,
            status=Attendance.Status.PRESENT,
            substitute=PersonFactory(),
        )

    assert "substitute" in error.value.message_dict
    assert not substitutes(meeting).exists()


def test_person_already_recorded_cannot_be_a_substitute(meeting, seated):
    chair, member = seated

    with pytest.raises(ValidationError) as error:
        minutes_services.attendance_set(
            meeting=meeting, person=member, status=Attendance.Status.APOLOGIES, substitute=chair
        )

    assert "substitute" in error.value.message_dict
    assert not substitutes(meeting).exists()
    assert meeting.attendances.get(person=member).status == Attendance.Status.PRESENT


def test_attendee_add_records_an_officer_for_some_items(meeting):
    officer = PersonFactory(officer=True)
    ict = report_on(meeting, "ICT")
    budget = report_on(meeting, "Budget")
    report_on(meeting, "Housing")

    record = minutes_services.attendee_add(
        meeting=meeting,
        person=officer,
        kind=Attendance.Kind.OFFICER,
        capacity="Chief Digital Officer",
        items=[ict, budget],
    )

    record.refresh_from_db()
    assert record.kind == Attendance.Kind.OFFICER
    assert record.capacity == "Chief Digital Officer"
    assert set(record.items.all()) == {ict, budget}


def test_attendee_add_refuses_a_person_already_recorded(meeting):
    officer = PersonFactory(officer=True)
    minutes_services.attendee_add(meeting=meeting, person=officer, kind=Attendance.Kind.OFFICER)

    with pytest.raises(ValidationError):
        minutes_services.attendee_add(meeting=meeting, person=officer, kind=Attendance.Kind.WITNESS)

    assert meeting.attendances.filter(person=officer).count() == 1


def test_attendee_remove_refuses_members_but_removes_others(meeting, seated):
    _chair, member = seated
    officer = minutes_services.attendee_add(
        meeting=meeting, person=PersonFactory(officer=True), kind=Attendance.Kind.OFFICER
    )

    with pytest.raises(ValidationError):
        minutes_services.attendee_remove(attendance=meeting.attendances.get(person=member))
    minutes_services.attendee_remove(attendance=officer)

    assert meeting.attendances.filter(person=member).exists()
    assert not Attendance.objects.filter(pk=officer.pk).exists()


# Declarations ------------------------------------------------------------------------------


def test_declaration_needs_an_item_of_the_same_meeting(board, meeting):
    other = meeting_on(board, MARCH)

    with pytest.raises(ValidationError) as error:
        minutes_services.declaration_add(
            meeting=meeting,
            person=PersonFactory(),
            agenda_item=report_on(other, "Housing"),
            kind=Declaration.Kind.PECUNIARY,
            nature="Owns a flat in the block.",
            left_room=True,
        )

    assert "agenda_item" in error.value.message_dict
    assert not Declaration.objects.exists()


def test_declaration_stores_its_kind_nature_and_whether_they_left(meeting):
    person = PersonFactory(officer=True)
    item = report_on(meeting, "Housing")
    # Only someone at the meeting declares: an officer attending, here.
    minutes_services.attendee_add(meeting=meeting, person=person, kind=Attendance.Kind.OFFICER)

    declaration = minutes_services.declaration_add(
        meeting=meeting,
        person=person,
        agenda_item=item,
        kind=Declaration.Kind.PECUNIARY,
        nature="  Owns a flat in the block.  ",
        left_room=True,
    )

    declaration.refresh_from_db()
    assert declaration.meeting == meeting
    assert declaration.person == person
    assert declaration.agenda_item == item
    assert declaration.kind == Declaration.Kind.PECUNIARY
    assert declaration.nature == "Owns a flat in the block."
    assert declaration.left_room is True


# Autosave and restore ----------------------------------------------------------------------


def test_autosave_saves_the_narrative_and_bumps_the_version(minute, user):
    saved = minutes_services.minute_autosave(
        minute=minute, narrative="The board discussed ICT.", version=minute.version, by=user
    )

    minute.refresh_from_db()
    assert minute.narrative == "The board discussed ICT."
    assert minute.version == saved.version == 2
    assert minute.edited_by == user


def test_stale_autosave_keeps_the_other_writers_text(minute, user, other_user):
    loaded = minute.version
    minutes_services.minute_autosave(minute=minute, narrative="Mine.", version=loaded, by=user)

    with pytest.raises(minutes_services.StaleMinute) as error:
        minutes_services.minute_autosave(
            minute=minute, narrative="Theirs.", version=loaded, by=other_user
        )

    assert error.value.current.narrative == "Mine."
    assert error.value.current.version == loaded + 1
    minute.refresh_from_db()
    assert minute.narrative == "Mine."
    assert minute.version == loaded + 1


def test_autosave_of_unchanged_text_keeps_the_version(minute, user):
    saved = minutes_services.minute_autosave(minute=minute, narrative="Text.", version=1, by=user)
    records = history_of(minute).count()

    again = minutes_services.minute_autosave(
        minute=minute, narrative="Text.", version=saved.version, by=user
    )

    assert again.version == saved.version
    minute.refresh_from_db()
    assert minute.version == saved.version
    assert history_of(minute).count() == records


def test_autosaves_by_one_person_within_five_minutes_are_one_history_record(minute, user):
    first = minutes_services.minute_autosave(minute=minute, narrative="One.", version=1, by=user)
    records = history_of(minute).count()

    second = minutes_services.minute_autosave(
        minute=minute, narrative="One. Two.", version=first.version, by=user
    )

    assert history_of(minute).count() == records
    latest = history_of(minute).first()
    assert latest.narrative == "One. Two."
    assert latest.version == second.version


def test_autosaves_in_a_request_by_one_person_within_five_minutes_are_one_record(minute, user):
    with request_by(user):
        first = minutes_services.minute_autosave(
            minute=minute, narrative="One.", version=1, by=user
        )
        records = history_of(minute).count()
        second = minutes_services.minute_autosave(
            minute=minute, narrative="One. Two.", version=first.version, by=user
        )

    assert history_of(minute).count() == records
    latest = history_of(minute).first()
    assert latest.narrative == "One. Two."
    assert latest.version == second.version
    assert latest.history_user == user


def test_autosave_by_another_person_is_a_new_history_record(minute, user, other_user):
    with request_by(user):
        first = minutes_services.minute_autosave(
            minute=minute, narrative="One.", version=1, by=user
        )
    records = history_of(minute).count()

    with request_by(other_user):
        minutes_services.minute_autosave(
            minute=minute, narrative="One. Two.", version=first.version, by=other_user
        )

    assert history_of(minute).count() == records + 1
    latest, previous = history_of(minute)[:2]
    assert (latest.narrative, latest.history_user) == ("One. Two.", other_user)
    assert (previous.narrative, previous.history_user) == ("One.", user)


def test_autosave_more_than_five_minutes_later_is_a_new_history_record(minute, user):
    with request_by(user):
        first = minutes_services.minute_autosave(
            minute=minute, narrative="One.", version=1, by=user
        )
        history_of(minute).update(
            history_date=F("history_date") - COALESCE_AUTOSAVES - datetime.timedelta(seconds=1)
        )
        records = history_of(minute).count()

        minutes_services.minute_autosave(
            minute=minute, narrative="One. Two.", version=first.version, by=user
        )

    assert history_of(minute).count() == records + 1
    assert [record.narrative for record in history_of(minute)[:2]] == ["One. Two.", "One."]


def test_autosave_after_approval_is_refused(board, user):
    earlier = meeting_on(board, JANUARY)
    minute = minutes_services.minute_take(
        meeting=earlier, agenda_item=item_of(earlier, Kind.LATE_ITEMS)
    )
    minutes_services.minutes_approve(
        minutes=minutes_services.minutes_for(earlier), at=meeting_on(board, FEBRUARY), by=user
    )

    with pytest.raises(ValidationError):
        minutes_services.minute_autosave(minute=minute, narrative="Changed.", version=1, by=user)

    minute.refresh_from_db()
    assert minute.narrative == ""


def test_restoring_an_earlier_version_brings_back_its_text(minute, user, other_user):
    first = minutes_services.minute_update(minute=minute, version=1, by=user, narrative="First.")
    earlier = history_of(minute).first()
    assert earlier.narrative == "First."
    second = minutes_services.minute_update(
        minute=minute, version=first.version, by=other_user, narrative="Second."
    )
    records = history_of(minute).count()

    restored = minutes_services.minute_restore(
        minute=minute, history_id=earlier.history_id, by=user
    )

    minute.refresh_from_db()
    assert minute.narrative == restored.narrative == "First."
    assert minute.version == second.version + 1
    assert history_of(minute).count() == records + 1
    latest = history_of(minute).first()
    assert latest.narrative == "First."
    assert latest.history_change_reason.startswith("Restored the version of")


# Resolutions and actions -------------------------------------------------------------------


def test_resolutions_are_lettered_in_order(minute):
    added = [
        minutes_services.resolution_add(minute=minute, text=text)
        for text in ["One", "Two", "Three"]
    ]

    assert [resolution.position for resolution in added] == [1, 2, 3]
    assert [resolution.letter for resolution in minute.resolutions.all()] == ["a", "b", "c"]


def test_an_action_names_one_owner_at_most_and_may_name_none(minute):
    # As councils set them: "advise the Democratic Services Manager", or nobody named.
    unnamed = minutes_services.resolution_add(
        minute=minute, text="Report back in June.", is_action=True
    )
    in_words = minutes_services.resolution_add(
        minute=minute,
        text="Advise the Democratic Services Manager.",
        is_action=True,
        owner_text="the Democratic Services Manager",
    )
    with pytest.raises(ValidationError):
        minutes_services.resolution_add(
            minute=minute,
            text="Two owners.",
            is_action=True,
            owner_post=PostFactory(title="Chief Digital Officer"),
            owner_text="the Democratic Services Manager",
        )

    assert [(r.letter, r.action_note) for r in minute.resolutions.order_by("position")] == [
        (unnamed.letter, "Action"),
        (in_words.letter, "Action: the Democratic Services Manager"),
    ]


def test_removing_a_resolution_reletters_the_rest(minute):
    first, second, third = (
        minutes_services.resolution_add(minute=minute, text=text)
        for text in ["One", "Two", "Three"]
    )

    minutes_services.resolution_remove(resolution=second)

    assert [(r.letter, r.text) for r in minute.resolutions.all()] == [("a", "One"), ("b", "Three")]
    assert not Resolution.objects.filter(pk=second.pk).exists()


def test_action_done_records_the_date(minute):
    action = minutes_services.resolution_add(
        minute=minute, text="Report back in June.", is_action=True, owner_post=PostFactory()
    )

    minutes_services.action_done(
        resolution=action, on=datetime.date(2016, 6, 20), note=" Reported. "
    )

    action.refresh_from_db()
    assert action.done_on == datetime.date(2016, 6, 20)
    assert action.done_note == "Reported."


def test_only_an_action_can_be_done(minute):
    resolution = minutes_services.resolution_add(minute=minute, text="Noted the report.")

    with pytest.raises(ValidationError):
        minutes_services.action_done(resolution=resolution, on=datetime.date(2016, 6, 20))

    resolution.refresh_from_db()
    assert resolution.done_on is None


# Approval ----------------------------------------------------------------------------------


def test_minutes_are_approved_and_signed_at_the_next_meeting(board, user):
    outgoing = PersonFactory()
    incoming = PersonFactory()
    MembershipFactory(
        board=board, person=outgoing, role=Membership.Role.CHAIR, ends_on=datetime.date(2016, 2, 1)
    )
    MembershipFactory(
        board=board,
        person=incoming,
        role=Membership.Role.CHAIR,
        starts_on=datetime.date(2016, 2, 2),
    )
    january = meeting_on(board, JANUARY)
    february = meeting_on(board, FEBRUARY)
    record = minutes_services.minutes_for(january)
    assert record.chair == outgoing

    minute = minutes_services.minutes_approve(minutes=record, at=february, by=user)

    record.refresh_from_db()
    assert record.status == MinutesRecord.Status.APPROVED
    assert record.approved_at_meeting == february
    assert record.approved_on is not None
    assert record.signed_by == incoming
    assert minute.meeting == february
    assert minute.agenda_item == item_of(february, Kind.MINUTES)
    assert [resolution.text for resolution in minute.resolutions.all()] == [
        "That the minutes of the meeting held on 25 January 2016 be approved as a correct record."
    ]


def test_minutes_cannot_be_approved_twice(board, user):
    january = meeting_on(board, JANUARY)
    minutes_services.minutes_approve(
        minutes=minutes_services.minutes_for(january), at=meeting_on(board, FEBRUARY), by=user
    )

    with pytest.raises(ValidationError):
        minutes_services.minutes_approve(
            minutes=minutes_services.minutes_for(january), at=meeting_on(board, MARCH), by=user
        )


@pytest.mark.parametrize("where", ["earlier", "same", "other board"])
def test_minutes_are_approved_only_at_a_later_meeting_of_the_same_board(board, user, where):
    february = meeting_on(board, FEBRUARY)
    at_meeting = {
        "earlier": lambda: meeting_on(board, JANUARY),
        "same": lambda: february,
        "other board": lambda: meeting_on(BoardFactory(), MARCH),
    }[where]()
    record = minutes_services.minutes_for(february)

    with pytest.raises(ValidationError):
        minutes_services.minutes_approve(minutes=record, at=at_meeting, by=user)

    record.refresh_from_db()
    assert record.status == MinutesRecord.Status.DRAFT
    assert not Minute.objects.filter(meeting=at_meeting).exists()


@pytest.fixture
def approved(board, members, user):
    """January's minutes, with a minute and the members' attendance, approved in February."""
    january = meeting_on(board, JANUARY)
    minutes_services.attendance_prefill(january)
    minutes_services.attendance_all_present(meeting=january)
    minute = minutes_services.minute_take(
        meeting=january, agenda_item=report_on(january, "ICT"), by=user
    )
    minutes_services.minutes_approve(
        minutes=minutes_services.minutes_for(january), at=meeting_on(board, FEBRUARY), by=user
    )
    minute.refresh_from_db()
    return minute


def correct_minute(minute, user, **kwargs):
    return minutes_services.minute_update(
        minute=minute, version=minute.version, by=user, narrative="Corrected.", **kwargs
    )


def correct_resolution(minute, user, **kwargs):
    return minutes_services.resolution_add(minute=minute, text="Noted the report.", **kwargs)


def correct_attendance(minute, user, **kwargs):
    person = minute.meeting.attendances.first().person
    return minutes_services.attendance_set(
        meeting=minute.meeting, person=person, status=Attendance.Status.APOLOGIES, **kwargs
    )


def correct_declarations(minute, user, **kwargs):
    return minutes_services.declaration_add(
        meeting=minute.meeting,
        person=minute.meeting.attendances.first().person,
        agenda_item=minute.agenda_item,
        kind=Declaration.Kind.REGISTRABLE,
        nature="Governor of a school in the ward.",
        left_room=False,
        **kwargs,
    )


CORRECTIONS = [correct_minute, correct_resolution, correct_attendance, correct_declarations]


@pytest.mark.parametrize("correct", CORRECTIONS)
def test_approved_minutes_are_corrected_only_with_a_reason(approved, user, correct):
    with pytest.raises(ValidationError) as error:
        correct(approved, user)

    assert "correction_reason" in error.value.message_dict


@pytest.mark.parametrize(
    "correct",
    [
        correct_minute,
        correct_resolution,
        correct_attendance,
        correct_declarations,
    ],
)
def test_correction_to_approved_minutes_keeps_its_reason_in_the_history(approved, user, correct):
    corrected = correct(approved, user, reason="Misspelt name.")

    latest = corrected.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason.startswith("Correction:")
    assert "Misspelt name." in latest.history_change_reason


def test_correction_to_approved_minutes_is_saved(approved, user):
    correct_minute(approved, user, reason="Misspelt name.")

    approved.refresh_from_db()
    assert approved.narrative == "Corrected."


def test_no_minute_can_be_added_to_approved_minutes(approved):
    with pytest.raises(ValidationError):
        minutes_services.minute_take(meeting=approved.meeting, title="Any other business")

    assert Minute.objects.filter(meeting=approved.meeting).count() == 1


# Times -------------------------------------------------------------------------------------


def test_setting_the_times_records_them_and_marks_the_meeting_held(meeting, members):
    chair, _member = members
    record = minutes_services.minutes_for(meeting)

    minutes_services.minutes_set_times(
        record=record,
        chair=chair,
        started_at=datetime.time(10, 0),
        ended_at=datetime.time(11, 35),
    )

    record.refresh_from_db()
    assert record.chair == chair
    assert record.started_at == datetime.time(10, 0)
    assert record.ended_at == datetime.time(11, 35)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_meeting_cannot_end_before_it_starts(meeting):
    record = minutes_services.minutes_for(meeting)

    with pytest.raises(ValidationError):
        minutes_services.minutes_set_times(
            record=record,
            chair=None,
            started_at=datetime.time(11, 35),
            ended_at=datetime.time(10, 0),
        )

    record.refresh_from_db()
    assert record.ended_at is None
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


# Releasing drafts, and approving with attendance unrecorded -------------------------------------


def test_approving_minutes_with_attendance_unrecorded_needs_confirming(board, members, user):
    january = meeting_on(board, JANUARY)
    minutes_services.attendance_prefill(january)
    chair, member = members
    minutes_services.attendance_set(meeting=january, person=chair, status="present")
    record = minutes_services.minutes_for(january)
    february = meeting_on(board, FEBRUARY)

    with pytest.raises(ValidationError) as error:
        minutes_services.minutes_approve(minutes=record, at=february, by=user)

    assert member.short_name in " ".join(error.value.message_dict["unrecorded_confirmed"])
    record.refresh_from_db()
    assert not record.is_approved
    assert not Minute.objects.filter(meeting=february).exists()

    minutes_services.minutes_approve(
        minutes=record, at=february, by=user, unrecorded_confirmed=True
    )
    record.refresh_from_db()
    assert record.is_approved


def test_releasing_draft_minutes_records_when_and_by_whom_once(meeting, user):
    minutes_services.minute_take(meeting=meeting, agenda_item=report_on(meeting, "Budget"))
    record = MinutesRecord.objects.get(meeting=meeting)

    minutes_services.minutes_release(minutes=record, by=user)

    record.refresh_from_db()
    assert record.is_released and record.released_by == user
    assert record.released_at is not None
    with pytest.raises(ValidationError):
        minutes_services.minutes_release(minutes=record, by=user)


def test_minutes_with_nothing_minuted_cannot_be_released(meeting, user):
    record = minutes_services.minutes_for(meeting)
    with pytest.raises(ValidationError):
        minutes_services.minutes_release(minutes=record, by=user)
    record.refresh_from_db()
    assert not record.is_released


def test_recording_apologies_or_a_declaration_writes_the_standing_minute(meeting, seated):
    chair, member = seated
    minutes_services.attendance_set(meeting=meeting, person=member, status="apologies")
    minutes_services.declaration_add(
        meeting=meeting,
        person=chair,
        agenda_item=report_on(meeting, "Budget"),
        kind="registrable",
        nature="A governor of a school named in the report.",
        left_room=False,
    )

    kinds = set(Minute.objects.filter(meeting=meeting).values_list("agenda_item__kind", flat=True))
    assert kinds == {Kind.APOLOGIES, Kind.DECLARATIONS}
    numbered = Minute.objects.filter(meeting=meeting).order_by("number")
    assert [m.agenda_item.kind for m in numbered] == [Kind.DECLARATIONS, Kind.APOLOGIES]
