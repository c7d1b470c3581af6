"""Giving notice of key decisions: drafts, publishing (refused with the earliest date the notice
allows and the alternatives when it is too late), general exception and special urgency with
what each needs, changing a published notice's date (kept in its history) and withdrawing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from boards.models import Board, Membership
from decisions import services
from decisions.models import ForwardPlanEntry
from tests.factories import (
    BoardFactory,
    ExecutiveFactory,
    MembershipFactory,
    UserFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def draft(**fields) -> ForwardPlanEntry:
    fields.setdefault("decision_maker", ExecutiveFactory())
    fields.setdefault("title", "The future of the leisure centres")
    fields.setdefault("decision_due_on", D(2026, 3, 31))
    return services.forward_plan_entry_create(entry=ForwardPlanEntry(**fields))


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def refusal(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        services.forward_plan_entry_publish(**kwargs)
    return messages_of(raised.value)


SEAT_STARTS = D(2025, 5, 20)


def chair(board: Board, *, ends_on=None):
    return MembershipFactory(
        board=board, role=Membership.Role.CHAIR, starts_on=SEAT_STARTS, ends_on=ends_on
    ).person


# Drafts -------------------------------------------------------------------------------------


def test_a_new_notice_is_a_draft_with_the_next_reference_of_the_year():
    year = datetime.date.today().year
    first = draft(published_on=D(2026, 1, 1))  # publishing is its own step
    second = draft()
    assert first.published_on is None
    assert (first.reference, second.reference) == (f"FP/{year}/001", f"FP/{year}/002")


def test_a_reference_given_is_kept_and_the_wards_are_set():
    ward = WardFactory(name="Weetwood")
    entry = services.forward_plan_entry_create(
        entry=ForwardPlanEntry(
            decision_maker=ExecutiveFactory(),
            title="Library opening hours",
            decision_due_on=D(2026, 9, 1),
            reference="KD/7",
        ),
        wards=[ward],
    )
    assert entry.reference == "KD/7"
    assert list(entry.wards.all()) == [ward]


def test_a_private_matter_needs_its_paragraph_and_a_public_one_keeps_none():
    with pytest.raises(ValidationError) as raised:
        draft(private=True)
    assert "private_paragraph" in raised.value.message_dict
    entry = draft(private=False, private_paragraph=None, private_reasons="left over")
    assert entry.private_reasons == ""


def test_only_the_executive_makes_key_decisions():
    with pytest.raises(ValidationError) as raised:
        draft(decision_maker=BoardFactory())
    assert "decision_maker" in raised.value.message_dict


# Publishing in the forward plan: 28 clear days ----------------------------------------------


def test_publishing_28_clear_days_before_the_expected_decision():
    clerk = UserFactory()
    entry = draft(decision_due_on=D(2026, 3, 31))
    published = services.forward_plan_entry_publish(entry=entry, on=D(2026, 3, 2), by=clerk)
    assert published.published_on == D(2026, 3, 2)
    assert published.history.first().history_user == clerk
    assert ForwardPlanEntry.objects.published().get() == entry


def test_publishing_27_clear_days_before_is_refused_with_the_earliest_date_and_the_alternatives():
    entry = draft(decision_due_on=D(2026, 3, 30))
    [message] = refusal(entry=entry, on=D(2026, 3, 2))["published_on"]
    assert message.startswith(
        "Notice published on 2 March 2026 allows the decision on Tuesday, 31 March 2026 at the "
        "earliest (28 clear days), not on Monday, 30 March 2026. Move the expected date to "
        "31 March 2026 or later;"
    )
    assert "general exception" in message
    assert "special urgency" in message
    entry.refresh_from_db()
    assert entry.published_on is None


def test_the_councils_rules_may_count_the_28_days_in_working_days():
    from decisions.models import CallInRules

    CallInRules.objects.create(pk=1, notice_working_days=True)
    entry = draft(decision_due_on=D(2026, 3, 31))
    [message] = refusal(entry=entry, on=D(2026, 3, 2))["published_on"]
    assert "(28 clear working days)" in message


def test_a_notice_cannot_be_published_in_the_future_nor_twice_nor_once_withdrawn():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    entry = draft(decision_due_on=tomorrow + datetime.timedelta(days=60))
    assert refusal(entry=entry, on=tomorrow) == {
        "published_on": ["A notice cannot be published on a future date."]
    }
    services.forward_plan_entry_publish(entry=entry, on=D(2026, 1, 5))
    assert refusal(entry=entry) == {"__all__": ["This notice was published on 5 January 2026."]}
    other = draft(decision_due_on=D(2026, 12, 31))
    services.forward_plan_entry_withdraw(entry=other, reason="No longer needed.")
    assert refusal(entry=other) == {
        "__all__": ["This notice has been withdrawn: it cannot be published."]
    }


# The general exception ----------------------------------------------------------------------


def general(**fields) -> ForwardPlanEntry:
    fields.setdefault("notice", ForwardPlanEntry.Notice.GENERAL_EXCEPTION)
    fields.setdefault("urgency_reasons", "The grant must be accepted by the end of May.")
    fields.setdefault("chair_informed_on", D(2026, 5, 21))
    fields.setdefault("decision_due_on", D(2026, 6, 1))
    return draft(**fields)


def test_general_exception_with_5_clear_working_days_is_published():
    entry = services.forward_plan_entry_publish(entry=general(), on=D(2026, 5, 21))
    assert entry.published_on == D(2026, 5, 21)


def test_general_exception_with_4_clear_working_days_is_refused_saying_the_earliest():
    entry = general(decision_due_on=D(2026, 5, 29))
    [message] = refusal(entry=entry, on=D(2026, 5, 21))["published_on"]
    assert message.startswith(
        "Under the general exception the decision may be taken on Saturday, 30 May 2026 at the "
        "earliest (5 clear working days after the notice was published on 21 May 2026), not on "
        "Friday, 29 May 2026."
    )
    assert "special urgency" in message


def test_general_exception_counts_from_the_chair_informed_after_the_notice():
    entry = general(chair_informed_on=D(2026, 5, 21), decision_due_on=D(2026, 5, 29))
    [message] = refusal(entry=entry, on=D(2026, 5, 14))["published_on"]
    assert "5 clear working days after the chair of the scrutiny board was informed" in message


def test_general_exception_needs_the_chair_informed_and_the_reasons():
    assert refusal(entry=general(chair_informed_on=None), on=D(2026, 5, 21)) == {
        "chair_informed_on": [
            "A general exception needs the chair of the relevant scrutiny board to be "
            "informed: enter the date they were."
        ]
    }
    assert list(refusal(entry=general(urgency_reasons=""), on=D(2026, 5, 21))) == [
        "urgency_reasons"
    ]


# Special urgency ----------------------------------------------------------------------------


def urgent(**fields) -> ForwardPlanEntry:
    fields.setdefault("notice", ForwardPlanEntry.Notice.SPECIAL_URGENCY)
    fields.setdefault("urgency_reasons", "The contractor has gone into administration.")
    fields.setdefault("urgency_agreed_on", D(2026, 6, 9))
    fields.setdefault("decision_due_on", D(2026, 6, 10))
    return draft(**fields)


def test_special_urgency_agreed_by_a_current_chair_of_a_scrutiny_board():
    person = chair(BoardFactory(kind=Board.Kind.SCRUTINY))
    entry = services.forward_plan_entry_publish(
        entry=urgent(urgency_agreed_by=person), on=D(2026, 6, 9)
    )
    assert entry.published_on == D(2026, 6, 9)
    overview = chair(BoardFactory(kind=Board.Kind.OVERVIEW))
    services.forward_plan_entry_publish(entry=urgent(urgency_agreed_by=overview), on=D(2026, 6, 9))


@pytest.mark.parametrize(
    "who",
    ["a member", "the chair of the executive", "a chair whose term ended", "another board's chair"],
)
def test_special_urgency_refused_without_the_relevant_chairs_agreement(who):
    scrutiny = BoardFactory(kind=Board.Kind.SCRUTINY, name="Scrutiny Board (Resources)")
    person = {
        "a member": lambda: MembershipFactory(board=scrutiny).person,
        "the chair of the executive": lambda: chair(ExecutiveFactory()),
        "a chair whose term ended": lambda: chair(scrutiny, ends_on=D(2026, 5, 31)),
        "another board's chair": lambda: chair(BoardFactory(kind=Board.Kind.SCRUTINY)),
    }[who]()
    entry = urgent(urgency_agreed_by=person, scrutiny_board=scrutiny)
    [message] = refusal(entry=entry, on=D(2026, 6, 9))["urgency_agreed_by"]
    assert message == (
        f"{person} was not the chair of Scrutiny Board (Resources) on 9 June 2026: special "
        "urgency needs the agreement of the chair of the relevant scrutiny board."
    )


def test_special_urgency_needs_who_agreed_when_and_why():
    person = chair(BoardFactory())
    assert list(refusal(entry=urgent(urgency_agreed_by=None), on=D(2026, 6, 9))) == [
        "urgency_agreed_by"
    ]
    assert list(
        refusal(entry=urgent(urgency_agreed_by=person, urgency_agreed_on=None), on=D(2026, 6, 9))
    ) == ["urgency_agreed_on"]
    assert list(
        refusal(entry=urgent(urgency_agreed_by=person, urgency_reasons=" "), on=D(2026, 6, 9))
    ) == ["urgency_reasons"]


def test_special_urgency_agreed_after_the_day_or_after_the_notice_is_refused():
    person = chair(BoardFactory())
    late = urgent(urgency_agreed_by=person, urgency_agreed_on=D(2026, 6, 11))
    assert refusal(entry=late, on=D(2026, 6, 11)) == {
        "urgency_agreed_on": [
            "The chair must agree on or before the day of the decision (Wednesday, 10 June 2026)."
        ]
    }
    ahead = urgent(urgency_agreed_by=person, urgency_agreed_on=D(2026, 6, 9))
    assert list(refusal(entry=ahead, on=D(2026, 6, 8))) == ["urgency_agreed_on"]


# Changing and withdrawing a published notice ------------------------------------------------


def test_moving_the_expected_date_of_a_published_notice_keeps_the_old_one_in_its_history():
    entry = draft(decision_due_on=D(2026, 4, 30))
    services.forward_plan_entry_publish(entry=entry, on=D(2026, 3, 2))
    entry.refresh_from_db()
    entry.decision_due_on = D(2026, 5, 14)
    services.forward_plan_entry_update(entry=entry)
    latest, before = entry.history.all()[:2]
    assert (before.decision_due_on, latest.decision_due_on) == (D(2026, 4, 30), D(2026, 5, 14))
    assert latest.history_change_reason == "Expected date moved from 30 April 2026 to 14 May 2026"


def test_moving_it_too_early_for_the_notice_is_refused_on_the_date():
    entry = draft(decision_due_on=D(2026, 4, 30))
    services.forward_plan_entry_publish(entry=entry, on=D(2026, 3, 2))
    entry.refresh_from_db()
    entry.decision_due_on = D(2026, 3, 20)
    with pytest.raises(ValidationError) as raised:
        services.forward_plan_entry_update(entry=entry)
    assert (
        "allows the decision on Tuesday, 31 March 2026"
        in (raised.value.message_dict["decision_due_on"][0])
    )
    assert ForwardPlanEntry.objects.get().decision_due_on == D(2026, 4, 30)


def test_a_draft_may_take_any_date_and_an_update_does_not_publish():
    entry = draft(decision_due_on=D(2026, 4, 30))
    entry.decision_due_on = D(2026, 1, 2)
    entry.published_on = D(2026, 1, 1)
    services.forward_plan_entry_update(entry=entry)
    entry.refresh_from_db()
    assert (entry.decision_due_on, entry.published_on) == (D(2026, 1, 2), None)


def test_withdrawing_keeps_the_notice_with_who_when_and_why():
    clerk = UserFactory()
    entry = draft()
    with pytest.raises(ValidationError):
        services.forward_plan_entry_withdraw(entry=entry, reason="  ")
    services.forward_plan_entry_withdraw(entry=entry, reason="The decision is deferred.", by=clerk)
    entry.refresh_from_db()
    assert entry.withdrawn_by == clerk
    assert entry.withdrawal_reason == "The decision is deferred."
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.forward_plan_entry_withdraw(entry=entry, reason="Again.")
    entry.title = "Changed"
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.forward_plan_entry_update(entry=entry)
