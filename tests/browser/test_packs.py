"""A clerk prints the demo meeting's agenda pack: queued, built by the task worker while the page
shows its progress, then downloaded."""

import re

from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from boards.models import Meeting
from packs.models import AgendaPack
from tests.conftest import DATABASE_TASKS


def test_clerk_builds_and_downloads_the_agenda_pack(
    page, demo, live_server, sign_in, assert_accessible, settings
):
    from django.contrib.auth import get_user_model

    settings.TASKS = DATABASE_TASKS
    settings.PACK_INLINE_MAX_PAGES = 0  # as in production: every pack is built by the worker
    settings.PACK_RENDER_PROCESSES = 1
    meeting = Meeting.objects.get(starts_at__date="2016-03-21")
    sign_in(get_user_model().objects.get(username="clerk"))
    # A worker is alive (its heartbeat is recent): the page waits for it rather than saying
    # none is running. It runs below, in this process.
    from django.utils import timezone

    from packs.models import Worker

    now = timezone.now()
    Worker.objects.create(id="browser-test", pid=1, queues="*", started=now, last_beat=now)

    page.goto(f"/meetings/{meeting.pk}/agenda/")
    assert_accessible(page)
    page.get_by_role("link", name="Download PDF: members' pack").click()

    # The pack is queued: the page shows its progress and keeps asking.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Members' pack")
    progress = page.get_by_role("progressbar")
    expect(progress).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Waiting to be built")
    assert_accessible(page)
    assert AgendaPack.objects.get(meeting=meeting, edition="members").status == "queued"

    # The worker builds it; the page notices without being reloaded.
    call_command("db_worker", queue_name="*", batch=True, no_startup_delay=True, verbosity=0)
    download_link = page.get_by_role("link", name=re.compile(r"Download the members' pack"))
    expect(download_link).to_be_visible(timeout=20_000)
    expect(progress).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Ready")
    assert_accessible(page)

    with page.expect_download() as download:
        download_link.click()
    reader = PdfReader(download.value.path())
    pack = AgendaPack.objects.get(meeting=meeting, edition="members")
    assert len(reader.pages) == pack.page_count
    assert reader.metadata.title.endswith("members' pack")
    assert "This page is intentionally left blank" in " ".join(
        page.extract_text() for page in reader.pages
    )
