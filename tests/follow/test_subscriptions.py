"""Subscriptions: following a board, an inquiry or a recommendation, the e-mails that brings
(sent by the task worker, never in the request; each subscriber sent only what they may see),
and unsubscribing from an e-mail without signing in."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.tasks import default_task_backend
from django.test import Client
from django.urls import reverse

from boards import services as board_services
from boards.models import AgendaItem, Paper
from boards.roles import Role
from follow import notifications
from follow.models import Subscription
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from minutes import services as minutes_services
from recommendations import services as recommendation_services
from recommendations.models import TrackingCategory
from tests.conftest import CANARY, DATABASE_TASKS, DUMMY_TASKS, meeting_with_exempt_item
from tests.factories import (
    BoardFactory,
    InquiryFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RecommendationFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def follow_url(thing) -> str:
    kind = Subscription.kind_of(thing)
    return reverse("follow:subscribe", kwargs={"kind": kind, "pk": thing.pk})


def stop_url(thing) -> str:
    kind = Subscription.kind_of(thing)
    return reverse("follow:unsubscribe", kwargs={"kind": kind, "pk": thing.pk})


def follow(user, thing) -> Subscription:
    return Subscription.objects.create(user=user, **{Subscription.kind_of(thing): thing})


def published_statement(**kwargs):
    statement = StatementFactory(**kwargs)
    statement.published_on = D(2017, 5, 15)
    statement.response_due_on = D(2017, 7, 15)
    statement.save()
    return statement


def mail_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


@pytest.fixture
def resident(db):
    """A signed-in user with no role: what they may see is what the public may see."""
    return UserFactory()


@pytest.fixture
def other_councillor(db):
    user = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=BoardFactory(), person=PersonFactory(user=user))
    return user


# The model.


def test_a_user_follows_a_thing_once(resident, board):
    follow(resident, board)
    with pytest.raises(IntegrityError), transaction.atomic():
        follow(resident, board)


@pytest.mark.parametrize("things", [(), ("board", "inquiry")])
def test_a_subscription_follows_exactly_one_thing(resident, board, things):
    values = {"board": board, "inquiry": InquiryFactory(board=board)}
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=resident, **{name: values[name] for name in things})


def test_subscriptions_go_with_their_user(resident, board):
    follow(resident, board)
    resident.delete()
    assert not Subscription.objects.exists()


# Subscribing and unsubscribing on the pages.


def test_subscribing_needs_a_signed_in_user(board):
    response = Client().post(follow_url(board))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))
    assert not Subscription.objects.exists()


def test_subscribing_is_a_post(client_for, resident, board):
    assert client_for(resident).get(follow_url(board)).status_code == 405
    assert not Subscription.objects.exists()


def test_subscribing_needs_the_csrf_token(resident, board):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)

    assert client.post(follow_url(board)).status_code == 403
    assert client.post(stop_url(board)).status_code == 403
    assert not Subscription.objects.exists()


def test_subscribing_without_javascript_goes_back_to_the_page(client_for, resident, board):
    client = client_for(resident)
    page = reverse("boards:board-detail", kwargs={"slug": board.slug})

    response = client.post(follow_url(board), {"next": page})
    again = client.post(follow_url(board), {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert response.url == page
    assert again.url == page  # not an outside address: the thing's own page
    assert Subscription.objects.filter(user=resident, board=board).count() == 1
    assert "Stop e-mails about this board" in client.get(page).content.decode()

    client.post(stop_url(board), {"next": page})
    assert not Subscription.objects.exists()
    assert "Get e-mails about this board" in client.get(page).content.decode()


def test_subscribing_with_htmx_swaps_the_button(client_for, resident, board):
    client = client_for(resident)

    response = client.post(follow_url(board), headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Stop e-mails about this board" in body
    assert "<html" not in body
    assert f'action="{stop_url(board)}"' in body
    assert "HX-Request" in response["Vary"]
    assert Subscription.objects.filter(user=resident, board=board).exists()


def test_inquiries_and_published_recommendations_can_be_followed(client_for, resident, board):
    inquiry = InquiryFactory(board=board)
    recommendation = RecommendationFactory(statement=published_statement(inquiry=inquiry))
    client = client_for(resident)

    for thing, noun in ((inquiry, "inquiry"), (recommendation, "recommendation")):
        page = thing.get_absolute_url()
        assert f"Get e-mails about this {noun}" in client.get(page).content.decode()
        client.post(follow_url(thing), {"next": page})
        assert f"Stop e-mails about this {noun}" in client.get(page).content.decode()

    assert Subscription.objects.filter(user=resident).count() == 2


def test_a_draft_statements_recommendation_cannot_be_followed(client_for, resident):
    recommendation = RecommendationFactory()  # its statement is unpublished

    response = client_for(resident).post(follow_url(recommendation))

    assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_unknown_kinds_cannot_be_followed(client_for, resident, board):
    url = reverse("follow:subscribe", kwargs={"kind": "user", "pk": resident.pk})
    assert client_for(resident).post(url).status_code == 404


def test_the_public_sees_a_sign_in_link_instead_of_the_button(board):
    body = Client().get(reverse("boards:board-detail", kwargs={"slug": board.slug})).content
    assert b"to get an e-mail about this board" in body
    assert b"Get e-mails about this board" not in body


def test_my_subscriptions_lists_what_i_follow_and_can_stop_it(client_for, resident, board):
    inquiry = InquiryFactory(board=board, title="Inquiry into parks")
    recommendation = RecommendationFactory(statement=published_statement(inquiry=inquiry), number=3)
    for thing in (board, inquiry, recommendation):
        follow(resident, thing)
    follow(UserFactory(), BoardFactory(name="Someone else's board"))
    client = client_for(resident)
    url = reverse("follow:subscription-list")

    body = client.get(url).content.decode()

    assert board.name in body
    assert "Inquiry into parks" in body
    assert "Recommendation 3 of Inquiry into parks" in body
    assert "Someone else&#x27;s board" not in body
    client.post(stop_url(inquiry), {"next": url})
    body = client.get(url).content.decode()
    assert f'href="{inquiry.get_absolute_url()}"' not in body
    assert "Recommendation 3 of Inquiry into parks" in body


def test_my_subscriptions_needs_a_signed_in_user():
    response = Client().get(reverse("follow:subscription-list"))
    assert response.status_code == 302


# E-mails when papers are published.


@pytest.fixture
def board_followers(board, councillor, other_councillor, resident, officer):
    for user in (councillor, other_councillor, resident, officer):
        follow(user, board)
    return {"member": councillor, "other councillor": other_councillor, "resident": resident}


def publish_through_the_page(clerk, client_for, meeting):
    return client_for(clerk).post(
        reverse("boards:agenda-publish", kwargs={"pk": meeting.pk}), {"late_reason": ""}
    )


def test_publishing_sends_each_follower_what_they_may_see(
    board, board_followers, clerk, client_for, officer, django_capture_on_commit_callbacks
):
    meeting = meeting_with_exempt_item(board)

    with django_capture_on_commit_callbacks(execute=True):
        response = publish_through_the_page(clerk, client_for, meeting)

    assert response.status_code == 302
    assert len(mail.outbox) == 4
    for name in ("other councillor", "resident"):
        [message] = mail_to(board_followers[name])
        assert message.subject.startswith(f"Agenda published: {board.name}")
        assert "Open report on budgets" in message.body
        assert "Open purpose." in message.body
        assert "Staffing restructure" in message.body  # an exempt item's title is public
        assert "Not for publication by virtue of paragraph 1" in message.body
        assert "Appendix A – supplier prices" in message.body
        assert CANARY not in message.body, name
    [member_mail] = mail_to(board_followers["member"])
    assert CANARY in member_mail.body  # the board's own member reads the exempt item
    assert "Not for publication" not in member_mail.body
    [officer_mail] = mail_to(officer)
    assert CANARY in officer_mail.body


def test_a_supplement_sends_only_what_it_published(
    published_meeting, board_followers, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_publish(meeting=published_meeting, by=clerk, late_reason="Late.")

    [message] = mail_to(board_followers["resident"])
    assert message.subject.startswith("Supplementary papers published")
    assert "Draft item not yet published" in message.body
    assert "Draft paper" in message.body
    assert "Budget report" not in message.body


def held_before_the_app(board):
    """``meeting_with_exempt_item``, held in March 2016: entered long after it took place."""
    meeting = meeting_with_exempt_item(board)
    meeting.starts_at = datetime.datetime(2016, 3, 21, 10, tzinfo=datetime.UTC)
    meeting.save(update_fields=["starts_at"])
    return meeting


def test_a_publication_recorded_afterwards_emails_nobody(
    settings, board, board_followers, clerk, client_for, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    meeting = held_before_the_app(board)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            reverse("boards:agenda-publish", kwargs={"pk": meeting.pk}),
            {"published_on": "2016-03-11"},
        )

    assert response.status_code == 302
    assert meeting.publications.get().is_recorded_afterwards
    assert [r for r in default_task_backend.results if r.task.queue_name == "email"] == []
    assert mail.outbox == []


def test_papers_published_here_after_a_recorded_agenda_are_emailed(
    board, board_followers, clerk, django_capture_on_commit_callbacks
):
    meeting = held_before_the_app(board)
    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_record_published(
            meeting=meeting, published_on=D(2016, 3, 11), by=clerk
        )
        board_services.agenda_item_add(
            meeting=meeting, item=AgendaItem(title="Presentation to the board")
        )
        board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="After the meeting.")

    [message] = mail_to(board_followers["resident"])
    assert message.subject.startswith("Supplementary papers published")
    assert "Presentation to the board" in message.body
    assert "Open report on budgets" not in message.body  # the recorded agenda is not news


def test_no_email_is_sent_inside_the_request(
    board, board_followers, clerk, client_for, django_capture_on_commit_callbacks
):
    meeting = meeting_with_exempt_item(board)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_through_the_page(clerk, client_for, meeting)

    assert mail.outbox == []  # the request only queued the work, after its commit
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 4


def test_the_request_enqueues_a_task_on_the_email_queue_and_sends_nothing(
    settings, board, board_followers, clerk, client_for, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    meeting = meeting_with_exempt_item(board)

    with django_capture_on_commit_callbacks(execute=True):
        publish_through_the_page(clerk, client_for, meeting)

    assert mail.outbox == []
    [result] = [r for r in default_task_backend.results if r.task.queue_name == "email"]
    assert result.task.func is notifications.send_notifications.func
    assert result.task.queue_name == "email"
    assert result.args == [notifications.PUBLICATION, meeting.publications.get().pk]
    # What the worker then does:
    notifications.send_notifications.call(*result.args)
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_what_the_request_queued(
    settings, board, resident, clerk, client_for
):
    settings.TASKS = DATABASE_TASKS
    follow(resident, board)
    meeting = meeting_with_exempt_item(board)

    publish_through_the_page(clerk, client_for, meeting)  # really commits: the task is queued
    assert mail.outbox == []
    call_command("db_worker", queue_name="email", batch=True, no_startup_delay=True, verbosity=0)

    [message] = mail.outbox
    assert message.to == [resident.email]
    assert CANARY not in message.body


def test_followers_without_an_address_or_an_active_account_get_nothing(
    board, clerk, django_capture_on_commit_callbacks
):
    follow(UserFactory(email=""), board)
    follow(UserFactory(is_active=False), board)
    meeting = meeting_with_exempt_item(board)

    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Late.")

    assert mail.outbox == []


def test_followers_of_another_board_get_nothing(board, clerk, django_capture_on_commit_callbacks):
    elsewhere = UserFactory()
    follow(elsewhere, BoardFactory())
    meeting = meeting_with_exempt_item(board)

    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Late.")

    assert mail_to(elsewhere) == []


def test_approving_minutes_emails_the_boards_followers_a_link_and_nothing_exempt(
    board, board_followers, officer, django_capture_on_commit_callbacks
):
    earlier = meeting_with_exempt_item(board)
    exempt_item = earlier.agenda_items.get(exempt=True)
    minute = minutes_services.minute_take(meeting=earlier, agenda_item=exempt_item, by=officer)
    minutes_services.minute_autosave(
        minute=minute, narrative=f"Members discussed {CANARY}.", version=minute.version, by=officer
    )
    later = MeetingFactory(board=board, starts_at=earlier.starts_at + datetime.timedelta(days=28))
    elsewhere = UserFactory()
    follow(elsewhere, BoardFactory())

    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.minutes_approve(
            minutes=minutes_services.minutes_for(earlier), at=later, by=officer
        )

    followers = [*board_followers.values(), officer]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in followers)
    site = "https://scrutiny.aldermoor.example"
    for message in mail.outbox:
        assert message.subject == f"Minutes approved: {earlier}"
        assert "were approved as a correct record" in message.body
        assert f"{site}/meetings/{earlier.pk}/minutes/" in message.body
        assert f"{site}/meetings/{earlier.pk}/minutes.pdf" in message.body
        assert CANARY not in message.body
    assert mail_to(elsewhere) == []


def test_draft_minutes_send_nothing(board, board_followers, officer):
    meeting = meeting_with_exempt_item(board)
    record = minutes_services.minutes_for(meeting)

    assert notifications.send_notifications.call(notifications.MINUTES_APPROVED, record.pk) == 0
    assert mail.outbox == []


# Unsubscribing from the e-mail.


def unsubscribe_link(message) -> str:
    [url] = re.findall(r"https://scrutiny\.aldermoor\.example(/unsubscribe/[^/\s]+/)", message.body)
    return url


def test_the_unsubscribe_link_works_signed_out_and_only_on_the_button(
    board, resident, clerk, django_capture_on_commit_callbacks
):
    follow(resident, board)
    meeting = meeting_with_exempt_item(board)
    with django_capture_on_commit_callbacks(execute=True):
        board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Late.")
    [message] = mail.outbox
    url = unsubscribe_link(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<https://scrutiny.aldermoor.example{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    signed_out = Client(enforce_csrf_checks=True)

    looked = signed_out.get(url)
    assert looked.status_code == 200
    assert f"Stop e-mails about {board.name}" in looked.content.decode()
    assert Subscription.objects.filter(user=resident, board=board).exists()  # looking is harmless

    done = signed_out.post(url)  # a mail client's one-click unsubscribe has no CSRF cookie
    assert done.status_code == 200
    assert "You will no longer get e-mails" in done.content.decode()
    assert not Subscription.objects.filter(user=resident).exists()
    assert signed_out.post(url).status_code == 200  # a second click is harmless


def test_a_forged_or_altered_unsubscribe_token_is_refused(board, resident):
    subscription = follow(resident, board)
    other = follow(UserFactory(), board)
    token = notifications.unsubscribe_token(subscription)
    forged = [
        "x",
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # a broken signature
        signing.dumps([other.user_id, "board", board.pk], salt="some.other.purpose"),
        signing.dumps([other.user_id, "user", other.user_id], salt=notifications.UNSUBSCRIBE_SALT),
    ]

    for bad in forged:
        url = reverse("follow:unsubscribe-token", kwargs={"token": bad})
        assert Client().post(url).status_code == 404, bad

    assert Subscription.objects.count() == 2


# E-mails about inquiries and recommendations.


def test_an_inquiry_stage_change_emails_its_followers_and_never_a_draft_statement(
    board, resident, django_capture_on_commit_callbacks
):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into ICT capacity", on=D(2015, 6, 1)
    )
    StatementFactory(inquiry=inquiry, title="DRAFT-STATEMENT-TITLE")
    follow(resident, inquiry)
    follow(UserFactory(), InquiryFactory(board=board))

    with django_capture_on_commit_callbacks(execute=True):
        inquiry_services.inquiry_move_stage(
            inquiry=inquiry, stage=Inquiry.Stage.DRAFTING, on=D(2017, 4, 1), note="Drafting now."
        )

    [message] = mail.outbox
    assert message.to == [resident.email]
    assert message.subject == "Inquiry into ICT capacity: Drafting the statement"
    assert "Drafting now." in message.body
    assert "DRAFT-STATEMENT-TITLE" not in message.body
    assert f"https://scrutiny.aldermoor.example{inquiry.get_absolute_url()}" in message.body
    assert "/unsubscribe/" in message.body


def test_publishing_the_statement_tells_the_inquirys_followers(
    board, resident, django_capture_on_commit_callbacks
):
    statement = StatementFactory(inquiry__board=board, title="Commissioning statement")
    RecommendationFactory(statement=statement)
    follow(resident, statement.inquiry)

    with django_capture_on_commit_callbacks(execute=True):
        recommendation_services.statement_publish(statement=statement, on=D(2017, 5, 15))

    [message] = mail.outbox
    assert "Statement published" in message.subject
    assert "Commissioning statement" in message.body
    assert f"https://scrutiny.aldermoor.example{statement.get_absolute_url()}" in message.body


@pytest.fixture
def tracked_part(board):
    statement = published_statement(inquiry__board=board, inquiry__title="Inquiry into parks")
    parent = RecommendationFactory(statement=statement, number=2)
    return RecommendationFactory(parent=parent, position=1)


def test_progress_judgements_and_responses_email_the_recommendations_followers(
    tracked_part, resident, django_capture_on_commit_callbacks
):
    follow(resident, tracked_part.parent)  # following the whole recommendation covers its parts
    part_follower = UserFactory()
    follow(part_follower, tracked_part)
    both = UserFactory()
    follow(both, tracked_part)
    follow(both, tracked_part.parent)
    category = TrackingCategory.objects.first() or TrackingCategory.objects.create(name="Achieved")

    with django_capture_on_commit_callbacks(execute=True):
        recommendation_services.update_add(
            recommendation=tracked_part, on=D(2017, 9, 1), text="Parks reopened."
        )
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_services.judgement_record(
            recommendation=tracked_part, category=category, on=D(2017, 10, 1), note="Well done."
        )
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_services.response_record(
            recommendation=tracked_part, decision="agreed", text="We agree.", on=D(2017, 7, 1)
        )

    for user in (resident, part_follower, both):
        subjects = [message.subject for message in mail_to(user)]
        assert subjects == [
            "Recommendation 2(a) of Inquiry into parks: progress update",
            "Recommendation 2(a) of Inquiry into parks: the board's judgement",
            "Recommendation 2(a) of Inquiry into parks: the executive's response",
        ]
    bodies = [message.body for message in mail_to(resident)]
    assert "Parks reopened." in bodies[0]
    assert category.name in bodies[1] and "Well done." in bodies[1]
    assert "We agree." in bodies[2] and "Agreed" in bodies[2]


def test_a_progress_updates_exempt_evidence_reaches_only_those_entitled(
    board, clerk, councillor, resident, django_capture_on_commit_callbacks
):
    statement = published_statement(inquiry__board=board)
    recommendation = RecommendationFactory(statement=statement)
    meeting = meeting_with_exempt_item(board)
    board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Late.")
    exempt_paper = Paper.objects.get(title="Restructure report")
    exempt_paper.title = f"Restructure report {CANARY}"  # only for this check: a secret title
    exempt_paper.save()
    for user in (councillor, resident):
        follow(user, recommendation)

    with django_capture_on_commit_callbacks(execute=True):
        recommendation_services.update_add(
            recommendation=recommendation,
            on=D(2017, 9, 1),
            text="See the evidence.",
            evidence=[exempt_paper],
        )

    [public_mail] = mail_to(resident)
    [member_mail] = mail_to(councillor)
    assert "See the evidence." in public_mail.body
    assert f"https://scrutiny.aldermoor.example/papers/{exempt_paper.pk}/" in member_mail.body
    assert f"/papers/{exempt_paper.pk}/" not in public_mail.body
    assert "Not for publication by virtue of paragraph 1" in public_mail.body


def test_a_draft_statements_recommendations_send_nothing(
    officer, django_capture_on_commit_callbacks
):
    recommendation = RecommendationFactory()  # the statement is a draft
    follow(officer, recommendation)

    with django_capture_on_commit_callbacks(execute=True):
        recommendation_services.update_add(
            recommendation=recommendation, on=D(2017, 9, 1), text="DRAFT-PROGRESS"
        )

    assert mail.outbox == []
