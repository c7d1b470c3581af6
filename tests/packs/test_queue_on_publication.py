"""Publishing an agenda makes its packs ready: both editions are queued for the worker once the
publication commits, for a meeting still to come, whoever publishes (the clerk's page, or any
other service). A meeting already held is built when someone first asks."""

import datetime

import pytest
from django.tasks import task_backends
from django.utils import timezone

from boards import services
from boards.models import AgendaItem
from packs.models import AgendaPack
from tests.conftest import DUMMY_TASKS
from tests.factories import MeetingFactory


def _queued_editions() -> list[str]:
    queued = [r for r in task_backends["default"].results if r.task.name == "build_agenda_pack"]
    packs = AgendaPack.objects.filter(pk__in=[r.args[0] for r in queued])
    return sorted(packs.values_list("edition", flat=True))


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = DUMMY_TASKS


def _publish(meeting, clerk):
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="A report"))
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")


def test_publishing_a_coming_meetings_agenda_queues_both_packs_once_it_commits(
    board, clerk, dummy_tasks, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(board=board, starts_at=timezone.now() + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        _publish(meeting, clerk)
        assert _queued_editions() == []  # nothing before the commit
    assert _queued_editions() == ["members", "public"]
    statuses = AgendaPack.objects.filter(meeting=meeting).values_list("status", flat=True)
    assert set(statuses) == {"queued"}


def test_publishing_the_agenda_of_a_meeting_already_held_queues_nothing(
    board, clerk, dummy_tasks, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(board=board, starts_at=timezone.now() - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        _publish(meeting, clerk)
    assert _queued_editions() == []
    assert not AgendaPack.objects.filter(meeting=meeting).exists()


def test_recording_when_a_held_meetings_agenda_was_published_queues_nothing(
    board, clerk, dummy_tasks, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(board=board, starts_at=timezone.now() - datetime.timedelta(days=30))
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="A report"))
    with django_capture_on_commit_callbacks(execute=True):
        record = services.agenda_record_published(
            meeting=meeting, published_on=meeting.date - datetime.timedelta(days=7), by=clerk
        )
    assert record.is_recorded_afterwards
    assert _queued_editions() == []
    assert not AgendaPack.objects.filter(meeting=meeting).exists()
