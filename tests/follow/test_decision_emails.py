"""E-mails about executive decisions and call-ins: publishing a decision tells the followers of
the executive; each step of a call-in tells its signatories (at the address the council holds
for them) and the followers of the scrutiny board and of the executive, once each, in plain
words with a link; an exempt decision's text is never in an e-mail, whoever is told."""

import pytest
from django.core import mail
from django.tasks import default_task_backend
from django.utils import timezone

from decisions.models import CallIn
from decisions.signals import call_in_changed
from follow import notifications
from follow.models import SentEmail, Subscription
from tests.conftest import CANARY, DUMMY_TASKS
from tests.decisions.exempt import EXEMPT_TITLE, executive_member, exempt_decision
from tests.factories import (
    BoardFactory,
    CallInFactory,
    ExecutiveDecisionFactory,
    ExecutiveFactory,
    ForwardPlanEntryFactory,
    PersonFactory,
    UserFactory,
)
from tests.follow.conftest import SITE

pytestmark = pytest.mark.django_db


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def executive():
    return ExecutiveFactory(name="Executive Board")


@pytest.fixture
def scrutiny():
    return BoardFactory(name="Scrutiny Board (Communities)")


def follower(board):
    user = UserFactory()
    Subscription.objects.create(user=user, board=board)
    return user


def test_publishing_a_decision_tells_the_executives_followers_with_a_link(
    executive, django_capture_on_commit_callbacks
):
    theirs, elsewhere = follower(executive), follower(BoardFactory())

    with django_capture_on_commit_callbacks(execute=True):
        decision = ExecutiveDecisionFactory(
            maker_body=executive,
            title="Library opening hours",
            decision="To open the central library on Sundays.",
            publish=True,
        )

    [message] = mail_to(theirs.email)
    assert message.subject == "Decision published: Library opening hours"
    assert "Made by Executive Member for Resources" in message.body
    assert "To open the central library on Sundays." in message.body
    assert "Open to call-in until 5.00 pm on" in message.body
    assert f"{SITE}{decision.get_absolute_url()}" in message.body
    assert "Stop these e-mails" in message.body
    assert mail_to(elsewhere.email) == []


def test_publishing_only_queues_the_emails_on_the_email_queue(
    settings, executive, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    follower(executive)

    with django_capture_on_commit_callbacks(execute=True):
        decision = ExecutiveDecisionFactory(maker_body=executive, publish=True)

    assert mail.outbox == []
    [result] = [r for r in default_task_backend.results if r.task.queue_name == "email"]
    assert result.args == [notifications.DECISION_PUBLISHED, decision.pk]


def test_an_exempt_decisions_email_has_its_title_and_paragraph_only_even_for_its_members(
    django_capture_on_commit_callbacks,
):
    executive = ExecutiveFactory()
    member = executive_member(executive)
    Subscription.objects.create(user=member, board=executive)
    public = follower(executive)

    with django_capture_on_commit_callbacks(execute=True):
        exempt_decision(maker_body=executive)

    for user in (member, public):
        [message] = mail_to(user.email)
        assert EXEMPT_TITLE in message.subject
        assert "Not for publication by virtue of paragraph 3" in message.body
        assert CANARY not in message.body
        assert CANARY not in message.subject


def test_a_draft_decision_sends_nothing(executive):
    follower(executive)
    decision = ExecutiveDecisionFactory(maker_body=executive)

    assert notifications.send_notifications.call(notifications.DECISION_PUBLISHED, decision.pk) == 0


@pytest.fixture
def call_in(executive, scrutiny):
    decision = ExecutiveDecisionFactory(
        maker_body=executive, title="Closure of Eastgate library", publish=True
    )
    call_in = CallInFactory(decision=decision, board=scrutiny, reasons="Consultation ignored.")
    return call_in


def step(call_in, name: str, capture) -> None:
    with capture(execute=True):
        call_in_changed.send(sender=CallIn, call_in=call_in, step=name)


def test_each_step_tells_the_signatories_and_the_followers_of_both_boards(
    call_in, executive, scrutiny, django_capture_on_commit_callbacks
):
    with_account = PersonFactory(email="ann.blackmore@council.example", user=UserFactory())
    without_account = PersonFactory(email="neil.dawson@council.example")
    no_address = PersonFactory(email="")
    call_in.signatories.add(with_account, without_account, no_address)
    of_scrutiny, of_executive, elsewhere = (
        follower(scrutiny),
        follower(executive),
        follower(BoardFactory()),
    )
    mail.outbox.clear()

    step(call_in, "requested", django_capture_on_commit_callbacks)

    told = sorted(message.to[0] for message in mail.outbox)
    assert told == sorted(
        [with_account.email, without_account.email, of_scrutiny.email, of_executive.email]
    )
    assert mail_to(elsewhere.email) == []
    [signed] = mail_to(without_account.email)
    assert signed.subject == "Call-in of Closure of Eastgate library: requested"
    assert "Councillors have asked for this decision to be called in" in signed.body
    assert "Scrutiny Board (Communities)" in signed.body
    assert f"{SITE}{call_in.get_absolute_url()}" in signed.body
    assert f"{SITE}{call_in.decision.get_absolute_url()}" in signed.body
    assert "because you signed this call-in" in signed.body
    assert "Stop these e-mails" not in signed.body  # not a subscription
    [followed] = mail_to(of_scrutiny.email)
    assert "Stop these e-mails" in followed.body

    # The officer's check: a step of its own, told once again to each.
    CallIn.objects.filter(pk=call_in.pk).update(
        checked_on=timezone.localdate(), valid=True, check_reasons="In time."
    )
    call_in.refresh_from_db()
    mail.outbox.clear()
    step(call_in, "checked", django_capture_on_commit_callbacks)
    [checked] = mail_to(without_account.email)
    assert checked.subject == "Call-in of Closure of Eastgate library: found valid"
    assert "found valid" in checked.body
    assert "The decision is suspended until Scrutiny Board (Communities) has considered it" in (
        checked.body
    )
    assert "In time." in checked.body
    assert "Called in: suspended" in checked.body  # where it stands
    assert len(mail.outbox) == 4


def test_a_signatory_who_follows_gets_one_email_as_a_signatory(
    call_in, scrutiny, django_capture_on_commit_callbacks
):
    user = UserFactory()
    call_in.signatories.add(PersonFactory(email="", user=user))  # their account's address
    Subscription.objects.create(user=user, board=scrutiny)

    step(call_in, "requested", django_capture_on_commit_callbacks)

    [message] = mail_to(user.email)
    assert "because you signed this call-in" in message.body


def test_a_step_told_again_sends_nobody_a_second_email(call_in, scrutiny):
    call_in.signatories.add(PersonFactory(email="neil.dawson@council.example"))
    follower(scrutiny)
    event = (f"{notifications.CALL_IN}outcome", call_in.pk)

    assert notifications.send_notifications.call(*event) == 2
    assert notifications.send_notifications.call(*event) == 0
    assert len(mail.outbox) == 2
    assert set(SentEmail.objects.values_list("address", flat=True)) == {
        "",
        "neil.dawson@council.example",
    }


def test_an_exempt_decisions_call_in_never_carries_its_text_or_the_reasons(
    scrutiny, django_capture_on_commit_callbacks
):
    decision = exempt_decision()
    call_in = CallInFactory(decision=decision, board=scrutiny, reasons=f"Sold to {CANARY}.")
    member = executive_member(decision.maker_body)
    call_in.signatories.add(PersonFactory(email="ann.blackmore@council.example"))
    Subscription.objects.create(user=member, board=decision.maker_body)
    CallIn.objects.filter(pk=call_in.pk).update(
        checked_on=timezone.localdate(), valid=False, check_reasons=f"Not valid: {CANARY}."
    )
    call_in.refresh_from_db()

    for name in ("requested", "checked"):
        step(call_in, name, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert EXEMPT_TITLE in message.body
        assert "Not for publication by virtue of paragraph 3" in message.body
        assert CANARY not in message.body + message.subject


def test_an_unknown_step_queues_nothing(settings, call_in, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY_TASKS
    call_in.signatories.add(PersonFactory(email="ann.blackmore@council.example"))

    step(call_in, "mislaid", django_capture_on_commit_callbacks)

    assert [r for r in default_task_backend.results if r.task.queue_name == "email"] == []


def test_the_scrutiny_board_its_forward_plan_notice_names_is_told_too(
    executive, scrutiny, django_capture_on_commit_callbacks
):
    watching = follower(scrutiny)
    notice = ForwardPlanEntryFactory(decision_maker=executive, scrutiny_board=scrutiny)

    with django_capture_on_commit_callbacks(execute=True):
        ExecutiveDecisionFactory(
            maker_body=executive, title="Leisure centres", notice=notice, publish=True
        )

    [message] = mail_to(watching.email)
    assert message.subject == "Decision published: Leisure centres"
