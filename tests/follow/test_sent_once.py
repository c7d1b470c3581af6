"""Alert e-mails go out at most once to each follower for each event, even when the worker
sending them dies part-way and another worker runs the task again."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from boards import services as board_services
from follow import notifications
from follow.models import SentEmail, Subscription
from packs.models import Worker
from tests.conftest import DATABASE_TASKS, meeting_with_exempt_item
from tests.factories import UserFactory


class Killed(BaseException):
    """What kill -9 does to a worker, as near as a test in one process can: nothing after it
    runs, not even ``except Exception``."""


@pytest.fixture
def followers(board):
    users = [UserFactory() for _ in range(4)]
    for user in users:
        Subscription.objects.create(user=user, board=board)
    return users


@pytest.mark.django_db(transaction=True)
def test_a_reclaimed_alert_task_sends_nobody_the_same_email_twice(
    settings, board, followers, clerk, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    meeting = meeting_with_exempt_item(board)
    board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Late.")  # commits
    task = DBTaskResult.objects.get(queue_name="email")
    # A worker takes the task and dies after its second e-mail has gone, before recording it.
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Worker.objects.create(id="killed", pid=1, queues="*", started=long_ago, last_beat=long_ago)
    task.claim("killed")
    real_send = locmem.EmailBackend.send_messages

    def send_then_die(self, messages):
        sent = real_send(self, messages)
        if len(mail.outbox) == 2:
            raise Killed
        return sent

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_then_die)
    with pytest.raises(Killed):
        notifications.send_notifications.call(*task.args_kwargs["args"])
    monkeypatch.undo()
    assert len(mail.outbox) == 2

    # The next worker to start puts the task back on the queue, and runs it.
    call_command("worker", queue_name="email", batch=True, no_startup_delay=True, verbosity=0)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.worker_ids[0] == "killed" and len(task.worker_ids) == 2
    assert task.return_value == 2  # the two not sent before
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in followers)
    statuses = sorted(SentEmail.objects.values_list("status", flat=True))
    assert statuses == ["sending", "sent", "sent", "sent"]  # one may or may not have gone


def test_running_an_alert_task_again_sends_nothing_more(board, followers, clerk):
    meeting = meeting_with_exempt_item(board)
    publication = board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Late.")
    event = (notifications.PUBLICATION, publication.pk)

    assert notifications.send_notifications.call(*event) == 4
    assert notifications.send_notifications.call(*event) == 0

    assert len(mail.outbox) == 4
    assert SentEmail.objects.filter(status=SentEmail.Status.SENT).count() == 4


def test_an_email_that_fails_to_send_is_sent_when_the_task_is_tried_again(
    board, followers, clerk, monkeypatch
):
    meeting = meeting_with_exempt_item(board)
    publication = board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Late.")
    real_send = locmem.EmailBackend.send_messages

    def refused_after_two(self, messages):
        if len(mail.outbox) == 2:
            raise ConnectionRefusedError("The mail server refused the connection")
        return real_send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refused_after_two)
    with pytest.raises(ConnectionRefusedError):
        notifications.send_notifications.call(notifications.PUBLICATION, publication.pk)
    monkeypatch.undo()

    assert notifications.send_notifications.call(notifications.PUBLICATION, publication.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in followers)
