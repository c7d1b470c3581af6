"""The summons and its dispatch list: who is on the list, which edition of the pack each is
sent, what the e-mail says (never exempt text), failures, resending, sending at most once, and
the publications that summon nobody."""

import datetime
import smtplib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone

from boards import services as board_services
from boards.models import AgendaItem, Paper, ReportSection
from summons import sending
from summons import services as summons
from summons.models import Dispatch, DispatchAttempt, ExtraRecipient
from tests.conftest import CANARY, meeting_with_exempt_item
from tests.factories import MeetingFactory
from tests.summons.conftest import SITE

pytestmark = pytest.mark.django_db

Role = Dispatch.Role
Edition = Dispatch.Edition
Status = Dispatch.Status


class Killed(BaseException):
    """What kill -9 does to a worker, as near as a test in one process can: nothing after it
    runs, not even ``except Exception``."""


@pytest.fixture
def publish(clerk, django_capture_on_commit_callbacks):
    """Publish the meeting's agenda (or a supplement) as a clerk, the e-mails sent as the
    transaction commits (the tests run tasks at once)."""

    def publish(meeting, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return board_services.agenda_publish(meeting=meeting, by=clerk, **kwargs)

    return publish


def rows_of(publication) -> dict[str, Dispatch]:
    return {row.name: row for row in Dispatch.objects.filter(publication=publication)}


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def failing_for(address: str):
    """A mail backend that refuses one address, as an SMTP server does."""
    real_send = locmem.EmailBackend.send_messages

    def send_messages(self, messages):
        for message in messages:
            if address in message.to:
                raise smtplib.SMTPRecipientsRefused({address: (550, b"No such mailbox")})
        return real_send(self, messages)

    return send_messages


# Who is on the list ---------------------------------------------------------------------------


def test_the_list_is_the_members_on_the_meeting_day_substitutes_officers_and_others(body, publish):
    meeting = meeting_with_exempt_item(body.board)
    ExtraRecipient.objects.create(
        board=body.board, name="Press Office", email="press@aldermoor.example", reason="Press"
    )
    ExtraRecipient.objects.create(
        meeting=meeting, name="Ward member", email="ward@aldermoor.example", reason="Item 7"
    )
    # Added by a clerk at an address a member already has: sent once, as the member.
    ExtraRecipient.objects.create(
        meeting=meeting, name="Chair again", email="K.Greenhalgh@aldermoor.example", reason="x"
    )
    publication = publish(meeting)

    rows = rows_of(publication)
    roles = {name: row.role for name, row in rows.items()}
    assert roles == {
        body.chair.display_name: Role.MEMBER,  # a named substitute too, but listed once
        body.member.display_name: Role.MEMBER,
        body.no_account.display_name: Role.MEMBER,
        body.no_address.display_name: Role.MEMBER,
        body.substitute.display_name: Role.SUBSTITUTE,
        body.officer.display_name: Role.OFFICER,
        "Press Office": Role.OTHER,
        "Ward member": Role.OTHER,
    }
    # Not past members, nor members whose seat starts after the meeting.
    assert body.past.display_name not in rows
    assert body.future.display_name not in rows
    assert rows[body.chair.display_name].role_detail == "Chair"
    assert rows[body.substitute.display_name].role_detail == "For any member"
    assert rows[body.officer.display_name].role_detail == "Supports the body"
    assert Dispatch.objects.filter(publication=publication).count() == 8


def test_each_is_sent_the_edition_they_are_entitled_to(body, publish):
    ExtraRecipient.objects.create(
        board=body.board, name="Press Office", email="press@aldermoor.example", reason="Press"
    )
    publication = publish(meeting_with_exempt_item(body.board))

    editions = {name: row.edition for name, row in rows_of(publication).items()}
    assert editions == {
        body.chair.display_name: Edition.MEMBERS,
        body.member.display_name: Edition.MEMBERS,
        body.no_account.display_name: Edition.PUBLIC,  # cannot sign in to read them
        body.no_address.display_name: Edition.PUBLIC,
        # Entitled once recorded as substituting at the meeting, not before.
        body.substitute.display_name: Edition.PUBLIC,
        body.officer.display_name: Edition.MEMBERS,
        "Press Office": Edition.PUBLIC,
    }
    reasons = {name: row.edition_reason for name, row in rows_of(publication).items()}
    assert reasons[body.no_account.display_name] == "No account to sign in with"
    assert reasons[body.substitute.display_name] == "Not yet recorded as substituting"
    assert reasons[body.chair.display_name] == "A member of the body"


def test_addresses_are_those_the_council_holds_else_the_account_s(body, publish):
    publication = publish(meeting_with_exempt_item(body.board))

    rows = rows_of(publication)
    assert rows[body.chair.display_name].address == "k.greenhalgh@aldermoor.example"
    assert rows[body.member.display_name].address == body.member.user.email
    assert rows[body.no_address.display_name].address == ""


# The e-mail -----------------------------------------------------------------------------------


def test_the_email_names_the_meeting_and_lists_the_items_but_never_exempt_text(body, publish):
    meeting = meeting_with_exempt_item(body.board)
    publication = publish(meeting)

    sent = Dispatch.objects.filter(publication=publication, status=Status.SENT)
    assert sent.count() == 5  # all but the member without an address
    assert len(mail.outbox) == 5
    for message in mail.outbox:
        assert not getattr(message, "alternatives", [])  # plain text only: the body is all
        text = message.subject + message.body
        assert CANARY not in text
        assert "Exempt purpose" not in text
        assert "Open report on budgets" in text  # an item by its title
        assert "Staffing restructure" in text  # the exempt item by its title...
        assert "paragraph 1 of Part 1 of Schedule 12A" in text  # ...and its paragraph
        assert body.board.name in message.subject
        assert meeting.venue.name in text
        assert f"{SITE}{meeting.get_absolute_url()}" in text
        assert not message.attachments
    [to_chair] = mail_to("k.greenhalgh@aldermoor.example")
    assert to_chair.subject.startswith("Summons: ")
    assert "You are summoned to attend" in to_chair.body
    [to_officer] = mail_to("scrutiny.adviser@aldermoor.example")
    assert to_officer.subject.startswith("Agenda: ")


def _links(body: str) -> list[str]:
    return [word for word in body.split() if word.startswith(SITE)]


def test_members_are_linked_to_their_pack_through_sign_in_and_others_to_the_public_pack(
    body, publish, client
):
    meeting = meeting_with_exempt_item(body.board)
    publish(meeting)
    members_pack = reverse("packs:pack-download", args=[meeting.pk, "members"])
    public_pack = reverse("packs:pack-download", args=[meeting.pk, "public"])

    [to_chair] = mail_to("k.greenhalgh@aldermoor.example")
    [sign_in] = [link for link in _links(to_chair.body) if "sign-in" in link]
    parts = urlsplit(sign_in)
    assert parts.path == reverse("accounts:sign-in")
    assert parse_qs(parts.query)["next"] == [members_pack]
    assert f"{SITE}{public_pack}" not in to_chair.body
    # The link asks a visitor to sign in; the pack itself is not theirs without it.
    assert client.get(parts.path, parse_qs(parts.query)).status_code == 200
    assert client.get(members_pack).status_code == 404

    [to_no_account] = mail_to("r.woodhouse@aldermoor.example")
    assert f"{SITE}{public_pack}" in _links(to_no_account.body)
    assert "sign-in" not in to_no_account.body


# Failures -------------------------------------------------------------------------------------


def test_a_refused_address_is_recorded_as_not_sent_with_the_server_s_words_and_the_rest_go(
    body, publish, monkeypatch
):
    monkeypatch.setattr(
        locmem.EmailBackend, "send_messages", failing_for("k.greenhalgh@aldermoor.example")
    )
    publication = publish(meeting_with_exempt_item(body.board))

    chair = rows_of(publication)[body.chair.display_name]
    assert chair.status == Status.FAILED
    assert "No such mailbox" in chair.error
    assert chair.failed_at is not None and chair.sent_at is None
    assert chair.attempts == 1
    [attempt] = chair.tries.all()
    assert attempt.outcome == DispatchAttempt.Outcome.FAILED and attempt.by is None
    assert len(mail.outbox) == 4  # everyone else with an address
    assert Dispatch.objects.filter(publication=publication, status=Status.SENT).count() == 4


def test_a_member_without_an_address_is_recorded_as_not_sent_saying_why(body, publish):
    publication = publish(meeting_with_exempt_item(body.board))

    row = rows_of(publication)[body.no_address.display_name]
    assert row.status == Status.FAILED
    assert row.error.startswith("No e-mail address is held")
    assert row.attempts == 0


def test_a_clerk_resends_to_one_person_and_it_is_recorded(
    body, publish, monkeypatch, clerk, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        locmem.EmailBackend, "send_messages", failing_for("k.greenhalgh@aldermoor.example")
    )
    publication = publish(meeting_with_exempt_item(body.board))
    monkeypatch.undo()
    mail.outbox.clear()
    row = rows_of(publication)[body.chair.display_name]

    with django_capture_on_commit_callbacks(execute=True):
        summons.dispatch_resend(dispatch=row, by=clerk)

    row.refresh_from_db()
    assert [message.to for message in mail.outbox] == [["k.greenhalgh@aldermoor.example"]]
    assert row.status == Status.SENT and row.sent_at is not None
    assert row.error == ""
    assert row.attempts == 2
    assert row.resent_by == clerk and row.resent_at is not None
    first, second = row.tries.all()
    assert (first.outcome, first.by) == (DispatchAttempt.Outcome.FAILED, None)
    assert (second.outcome, second.by) == (DispatchAttempt.Outcome.SENT, clerk)


def test_resending_uses_the_address_held_now(
    body, publish, clerk, django_capture_on_commit_callbacks
):
    publication = publish(meeting_with_exempt_item(body.board))
    row = rows_of(publication)[body.no_address.display_name]
    body.no_address.email = "j.jaworski@aldermoor.example"
    body.no_address.save()

    with django_capture_on_commit_callbacks(execute=True):
        summons.dispatch_resend(dispatch=row, by=clerk)

    row.refresh_from_db()
    assert row.status == Status.SENT and row.address == "j.jaworski@aldermoor.example"
    assert len(mail_to("j.jaworski@aldermoor.example")) == 1


def test_resending_without_an_address_is_refused_saying_what_to_do(body, publish, clerk):
    publication = publish(meeting_with_exempt_item(body.board))
    row = rows_of(publication)[body.no_address.display_name]

    with pytest.raises(ValidationError, match="by hand or by post"):
        summons.dispatch_resend(dispatch=row, by=clerk)


# At most once ---------------------------------------------------------------------------------


def test_running_the_task_again_sends_nobody_a_second_email(body, publish):
    publication = publish(meeting_with_exempt_item(body.board))
    ids = list(Dispatch.objects.filter(publication=publication).values_list("pk", flat=True))
    assert len(mail.outbox) == 5

    assert sending.send_summonses.call(ids) == 0
    assert sending.send_summonses.call(ids) == 0

    assert len(mail.outbox) == 5
    assert set(Dispatch.objects.values_list("attempts", flat=True)) == {0, 1}


def test_a_task_run_again_after_its_worker_died_sends_only_what_nobody_claimed(
    body, clerk, monkeypatch, django_capture_on_commit_callbacks
):
    meeting = meeting_with_exempt_item(body.board)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        publication = board_services.agenda_publish(meeting=meeting, by=clerk)
    assert not mail.outbox  # nothing goes before the publication commits
    ids = list(
        Dispatch.objects.filter(publication=publication, status=Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(ids) == 5
    assert [callback.args for callback in queued if callback.args[0] == ids] == [(ids, None)]
    real_send = locmem.EmailBackend.send_messages

    def send_then_die(self, messages):
        sent = real_send(self, messages)
        if len(mail.outbox) == 2:
            raise Killed
        return sent

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_then_die)
    with pytest.raises(Killed):
        sending.send_summonses.call(ids)
    monkeypatch.undo()
    assert len(mail.outbox) == 2

    assert sending.send_summonses.call(ids) == 3

    assert len(mail.outbox) == 5
    addresses = [message.to[0] for message in mail.outbox]
    assert len(set(addresses)) == 5  # nobody twice
    # The one the worker was sending when it died may or may not have gone: left for a clerk.
    statuses = sorted(Dispatch.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == ["sending", *["sent"] * 4]


# Which publications summon -------------------------------------------------------------------


def test_each_supplement_is_sent_again_to_everyone_on_the_list(body, publish):
    meeting = meeting_with_exempt_item(body.board)
    agenda = publish(meeting)
    item = board_services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            title="Exempt late item",
            purpose=f"Late purpose {CANARY}.",
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Commercial.",
        ),
    )
    paper = board_services.paper_write(
        paper=Paper(agenda_item=item, title="Supplement report", summary=CANARY)
    )
    ReportSection.objects.create(paper=paper, number=1, heading="Detail", body=CANARY)
    mail.outbox.clear()

    supplement = publish(meeting, late_reason="Tests.")

    assert supplement.kind == "supplement"
    assert set(rows_of(supplement)) == set(rows_of(agenda))
    assert len(mail.outbox) == 5
    for message in mail.outbox:
        assert message.subject.startswith("Supplementary papers: ")
        assert "Exempt late item" in message.body
        assert "Supplement report" in message.body
        assert "paragraph 3" in message.body
        assert CANARY not in message.body
        assert "Staffing restructure" not in message.body  # what the agenda put out


def test_a_publication_recorded_afterwards_summons_nobody(
    body, clerk, django_capture_on_commit_callbacks
):
    held = MeetingFactory(board=body.board, starts_at=timezone.now() - datetime.timedelta(days=20))
    board_services.agenda_item_add(meeting=held, item=AgendaItem(title="Budget"))

    with django_capture_on_commit_callbacks(execute=True):
        publication = board_services.agenda_record_published(
            meeting=held, published_on=timezone.localdate() - datetime.timedelta(days=30), by=clerk
        )

    assert publication.is_recorded_afterwards
    assert not Dispatch.objects.exists()
    assert not mail.outbox


def test_papers_published_once_the_meeting_has_begun_summon_nobody(body, publish):
    held = MeetingFactory(board=body.board, starts_at=timezone.now() - datetime.timedelta(hours=1))
    board_services.agenda_item_add(meeting=held, item=AgendaItem(title="Budget"))

    publish(held, late_reason="Forgotten.")

    assert not Dispatch.objects.exists()
    assert not mail.outbox


def test_the_demo_s_next_meeting_was_summoned_when_its_agenda_went_out(demo):
    rows = Dispatch.objects.select_related("publication__meeting")
    assert rows.exists()
    for row in rows:
        assert row.publication.meeting.starts_at > timezone.now()  # none for meetings held
        assert row.status == Status.SENT
        assert row.sent_at >= row.publication.published_at
        assert row.tries.get().outcome == DispatchAttempt.Outcome.SENT
