"""Agenda packs: real PDFs read back with pypdf.

The pack of ``published_meeting`` (an open report with an exempt and an open appendix, an
exempt item, a draft item added after publication), with the previous meeting's minutes and a
one-page paper added here so that blank left-hand pages are needed.
"""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from boards import services
from boards.models import AgendaItem, Paper, ReportSection
from boards.visibility import Audience
from minutes import services as minutes_services
from minutes.models import MinutesRecord
from packs import pdfparts
from packs import services as packs
from packs.models import AgendaPack, Worker
from tests.conftest import CANARY, DATABASE_TASKS, DUMMY_TASKS
from tests.factories import (
    BoardFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    pdf_bytes,
)
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(published_meeting, clerk):
    """``published_meeting`` with minutes of the previous meeting and a one-page paper."""
    board = published_meeting.board
    previous = MeetingFactory(
        board=board, starts_at=published_meeting.starts_at - datetime.timedelta(28)
    )
    minutes_item = AgendaItem.objects.create(meeting=previous, number=1, title="Work programme")
    minute = minutes_services.minute_take(meeting=previous, agenda_item=minutes_item)
    minute.narrative = "The board discussed its minutes-marker programme."
    minute.save()
    record = MinutesRecord.objects.get(meeting=previous)
    item = services.agenda_item_add(
        meeting=published_meeting,
        item=AgendaItem(
            kind=AgendaItem.Kind.MINUTES,
            title="Minutes of the previous meeting",
            purpose="To confirm the minutes.",
            minutes_of=previous,
        ),
    )
    while item.number > 1:
        services.agenda_item_move(item=item, by=-1)
        item.refresh_from_db()
    one_pager = services.agenda_item_add(
        meeting=published_meeting, item=AgendaItem(title="Performance figures")
    )
    services.paper_upload(
        paper=Paper(agenda_item=one_pager, title="Performance table"),
        upload=SimpleUploadedFile(
            "perf.pdf", pdf_bytes(1, "performance-marker"), "application/pdf"
        ),
    )
    services.agenda_publish(meeting=published_meeting, by=clerk, late_reason="Supplement.")
    assert record.pk
    late = services.agenda_item_add(
        meeting=published_meeting, item=AgendaItem(title="Late draft item", purpose="Draft.")
    )
    services.paper_upload(
        paper=Paper(agenda_item=late, title="Late draft paper"),
        upload=SimpleUploadedFile("late.pdf", pdf_bytes(1, "late-draft-text"), "application/pdf"),
    )
    return published_meeting


@pytest.fixture(autouse=True)
def _one_process(settings):
    settings.PACK_RENDER_PROCESSES = 1
    settings.PACK_INLINE_MAX_PAGES = 1000


def _download(client: Client, meeting, edition: str) -> PdfReader:
    return read_pdf(client.get(reverse("packs:pack-download", args=[meeting.pk, edition])))


def _pages(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _front_count(reader: PdfReader) -> int:
    return sum(1 for label in reader.page_labels if not label.isdigit())


def test_agenda_page_ranges_are_where_each_items_papers_begin_and_end(meeting, client_for, clerk):
    reader = _download(client_for(clerk), meeting, "members")
    pages = _pages(reader)
    front = _front_count(reader)
    front_text = " ".join(pages[:front])
    ranges = [(int(a), int(b)) for a, b in re.findall(r"\b(\d+) - (\d+)\b", front_text)]
    # Minutes, the open report, the exempt item's report, the one-page paper, the draft item.
    assert len(ranges) == 5, front_text
    first_texts = [
        "minutes-marker",
        "Budget report",
        "Restructure report",
        "draft-text",
        "performance-marker",
    ]
    numbered = pages[front:]
    for (start, end), marker in zip(ranges, first_texts, strict=True):
        assert start % 2 == 1, f"item starting on page {start} is on a left-hand page"
        assert marker in numbered[start - 1]
        assert numbered[start - 2] if start > 1 else True
        if start > 1:  # the page before is a blank filler or the end of the previous item
            before = numbered[start - 2]
            assert pdfparts.BLANK_PAGE_TEXT in before or any(
                end2 == start - 1 for _, end2 in ranges
            )
        if end < len(numbered):
            after = numbered[end]
            assert pdfparts.BLANK_PAGE_TEXT in after or any(s == end + 1 for s, _ in ranges)
    # The ranges follow one another without overlap, covering every numbered page.
    covered = set()
    for start, end in ranges:
        assert not covered & set(range(start, end + 1))
        covered |= set(range(start, end + 1))
    fillers = [n for n, text in enumerate(numbered, 1) if pdfparts.BLANK_PAGE_TEXT in text]
    assert fillers, "the one-page papers should need a blank left-hand page"
    assert covered | set(fillers) == set(range(1, len(numbered) + 1))
    for number in fillers:
        assert number % 2 == 0
        assert numbered[number - 1].replace(f"Page {number}", "").strip() == (
            pdfparts.BLANK_PAGE_TEXT
        )


def test_every_page_after_the_agenda_carries_its_pack_number(meeting, client_for, clerk):
    reader = _download(client_for(clerk), meeting, "members")
    pages = _pages(reader)
    front = _front_count(reader)
    assert front % 2 == 0, "page 1 must be a right-hand page"
    for number, text in enumerate(pages[front:], start=1):
        assert f"Page {number}" in text
    # Merged uploads too: the one-page paper and the uploaded appendices.
    merged = [n for n, t in enumerate(pages[front:], 1) if "performance-marker" in t]
    assert merged and f"Page {merged[0]}" in pages[front + merged[0] - 1]
    assert reader.page_labels[front:] == [str(n) for n in range(1, len(pages) - front + 1)]


def test_public_pack_leaves_out_exempt_papers_and_says_why(meeting):
    reader = _download(Client(), meeting, "public")
    text = " ".join(_pages(reader))
    assert CANARY not in text
    assert "open-text" in text  # the open appendix is merged in
    assert "Not for publication by virtue of paragraph 3" in text
    assert "Not for publication by virtue of paragraph 1" in text
    assert "Late draft item" not in text
    assert "late-draft-text" not in text
    assert pdfparts.NOT_FOR_PUBLICATION not in text


def test_members_pack_includes_exempt_papers_marked_not_for_publication(
    meeting, client_for, councillor
):
    reader = _download(client_for(councillor), meeting, "members")
    pages = _pages(reader)
    front = _front_count(reader)
    assert CANARY not in " ".join(pages[:front])  # the agenda itself is a public document
    exempt_pages = [text for text in pages if CANARY in text]
    assert exempt_pages
    assert all(pdfparts.NOT_FOR_PUBLICATION in text for text in exempt_pages)
    open_pages = [text for text in pages if "open-text" in text or "performance-marker" in text]
    assert open_pages and not any(pdfparts.NOT_FOR_PUBLICATION in t for t in open_pages)
    assert "late-draft-text" not in " ".join(pages)


@pytest.mark.parametrize("who", ["public", "other_councillor", "officer_elsewhere"])
def test_the_members_pack_is_never_given_to_those_not_entitled(meeting, client_for, who):
    from boards.roles import Role

    client = Client()
    if who == "other_councillor":
        user = UserFactory(roles=[Role.COUNCILLOR])
        MembershipFactory(board=BoardFactory(), person=PersonFactory(user=user))
        client = client_for(user)
    elif who == "officer_elsewhere":
        client = client_for(UserFactory(roles=[]))
    for name in ("pack-download", "pack-status", "pack-build"):
        url = reverse(f"packs:{name}", args=[meeting.pk, "members"])
        response = client.post(url) if name == "pack-build" else client.get(url)
        assert response.status_code == 404, name
    url = reverse("packs:pack-download", args=[meeting.pk, "members"])
    assert client.get(url + "?previous").status_code == 404
    assert not AgendaPack.objects.filter(edition="members").exists()


def test_an_unpublished_agenda_has_no_public_pack(board, client_for, clerk):
    meeting = MeetingFactory(board=board)
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Secret draft item"))
    url = reverse("packs:pack-download", args=[meeting.pk, "public"])
    assert Client().get(url).status_code == 404
    reader = _download(client_for(clerk), meeting, "members")
    assert "this agenda has not been published" in " ".join(_pages(reader))


def test_unknown_edition_is_not_found(meeting):
    assert Client().get(f"/meetings/{meeting.pk}/pack/everything.pdf").status_code == 404


def test_pack_is_titled_bookmarked_and_in_english(meeting):
    reader = _download(Client(), meeting, "public")
    assert reader.metadata.title.endswith("agenda pack")
    assert meeting.board.name in reader.metadata.title
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    titles = [entry["/Title"] for entry in reader.outline if not isinstance(entry, list)]
    assert titles[0] == "Front sheet and agenda"
    items = AgendaItem.objects.visible_to(Audience.public())
    with_papers = [i for i in items.filter(meeting=meeting) if i.title != "Secret"]
    assert any(title.endswith("Open report on budgets") for title in titles)
    assert len(titles) >= 4
    assert with_papers
    # Each bookmark points at the page its item's range begins on.
    pages = _pages(reader)
    for entry in reader.outline:
        if isinstance(entry, list) or entry["/Title"] == "Front sheet and agenda":
            continue
        index = reader.get_destination_page_number(entry)
        assert reader.page_labels[index].isdigit()
        assert int(reader.page_labels[index]) % 2 == 1
        assert pages[index]


def test_front_sheet_lists_membership_contacts_and_recording_notice(meeting):
    board = meeting.board
    chair = PersonFactory(family_name="Greenhalgh", given_name="Kim")
    MembershipFactory(board=board, person=chair, role="chair")
    board.head_of_scrutiny = PersonFactory(
        kind="officer", ward=None, party=None, family_name="Marchbank", telephone="0113 496 0151"
    )
    board.save()
    reader = _download(Client(), meeting, "public")
    front = " ".join(_pages(reader)[: _front_count(reader)])
    assert "K Greenhalgh (Chair)" in front
    assert f"– {chair.ward}" in front
    assert "Marchbank" in front and "0113 496 0151" in front
    assert "may be recorded" in front
    assert "Item No" in front and "Page No" in front and "Item Not Open" in front


def test_a_finished_pack_is_cached_and_only_the_changed_paper_is_rendered_again(
    meeting, client_for, clerk, monkeypatch
):
    rendered = []
    real = pdfparts.render_html

    def counting(html, path, base_url=None):
        rendered.append(path)
        return real(html, path, base_url)

    monkeypatch.setattr(pdfparts, "render_html", counting)
    client = client_for(clerk)
    _download(client, meeting, "members")
    first = AgendaPack.objects.get(meeting=meeting, edition="members")
    cold = len(rendered)
    assert cold >= 4

    rendered.clear()
    _download(client, meeting, "members")
    assert rendered == []
    assert AgendaPack.objects.get(pk=first.pk).built_at == first.built_at

    section = ReportSection.objects.get(paper__title="Budget report")
    section.body = "A changed paragraph."
    section.save()
    reader = _download(client, meeting, "members")
    assert "A changed paragraph." in " ".join(_pages(reader))
    assert len(rendered) == 1  # only the changed report: the page numbers stay as they were

    rendered.clear()
    section.body = "\n\n".join(f"Paragraph {n} of a much longer report." for n in range(150))
    section.save()
    reader = _download(client, meeting, "members")
    assert "Paragraph 149" in " ".join(_pages(reader))
    assert len(rendered) == 2  # the changed report, and the agenda with its new page numbers


def test_background_build_shows_progress_then_the_pack(
    meeting, client_for, clerk, settings, django_capture_on_commit_callbacks
):
    from django.tasks import task_backends

    settings.PACK_INLINE_MAX_PAGES = 0
    settings.TASKS = DUMMY_TASKS
    now = timezone.now()
    Worker.objects.create(id="running", pid=1, queues="*", started=now, last_beat=now)
    client = client_for(clerk)
    download = reverse("packs:pack-download", args=[meeting.pk, "members"])
    status = reverse("packs:pack-status", args=[meeting.pk, "members"])
    # The request only queues the build, once the transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(download)
    assert response.status_code == 302 and response.url == status
    backend = task_backends["default"]
    assert [result.task.name for result in backend.results] == ["build_agenda_pack"]
    pack = AgendaPack.objects.get(meeting=meeting, edition="members")
    assert pack.status == "queued" and not pack.has_file
    page = client.get(status, headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in page.content
    assert b"<progress" in page.content
    # Asking again while it waits doesn't queue a second build.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(download)
    assert len(backend.results) == 1

    packs.build(pack)  # what the worker does
    page = client.get(status, headers={"HX-Request": "true"})
    assert b"every 1s" not in page.content
    assert b"Ready" in page.content
    assert f"{pack.page_count} pages".encode() in page.content
    read_pdf(client.get(download))


@pytest.fixture
def database_queue(settings):
    """Background work goes to the database queue, from before the meeting is published (which
    queues its packs once it commits), as in production."""
    settings.PACK_INLINE_MAX_PAGES = 0
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker_build_the_pack(
    database_queue, meeting, client_for, clerk
):
    from django.core.management import call_command

    client = client_for(clerk)
    response = client.post(reverse("packs:pack-build", args=[meeting.pk, "members"]))
    assert response.status_code == 302
    pack = AgendaPack.objects.get(meeting=meeting, edition="members")
    assert pack.status == "queued"
    call_command("db_worker", queue_name="*", batch=True, no_startup_delay=True, verbosity=0)
    pack.refresh_from_db()
    assert pack.status == "ready", pack.error
    assert pack.has_file and pack.page_count > 4


def test_a_failed_build_says_why_and_keeps_the_last_good_pack(meeting, client_for, clerk):
    client = client_for(clerk)
    _download(client, meeting, "members")
    good = AgendaPack.objects.get(meeting=meeting, edition="members")
    good_file, good_pages = good.file.name, good.page_count

    paper = Paper.objects.get(title="Performance table")
    with open(paper.file.path, "wb") as handle:
        handle.write(b"%PDF-1.7 this is not a PDF any more")
    section = ReportSection.objects.get(paper__title="Budget report")
    section.body = "Changed, so the pack must be built again."
    section.save()

    response = client.get(reverse("packs:pack-download", args=[meeting.pk, "members"]))
    assert response.status_code == 302
    pack = AgendaPack.objects.get(pk=good.pk)
    assert pack.status == "failed"
    assert "could not be put together" in pack.error or "could not be printed" in pack.error
    assert pack.file.name == good_file and pack.page_count == good_pages
    page = client.get(response.url)
    assert b"The pack could not be built" in page.content
    assert b"Download the last pack built" in page.content
    previous = read_pdf(client.get(response.url.replace("/members/", "/members.pdf") + "?previous"))
    assert len(previous.pages) == good_pages

    # Downloading again doesn't try the failed build again; "Try again" does.
    modified = AgendaPack.objects.get(pk=good.pk).modified
    client.get(reverse("packs:pack-download", args=[meeting.pk, "members"]))
    assert AgendaPack.objects.get(pk=good.pk).modified == modified
    with open(paper.file.path, "wb") as handle:
        handle.write(pdf_bytes(1, "performance-marker"))
    client.post(reverse("packs:pack-build", args=[meeting.pk, "members"]))
    assert AgendaPack.objects.get(pk=good.pk).status == "ready"


def test_meeting_page_says_when_the_pack_was_built_and_from_which_agenda(meeting, client_for):
    _download(Client(), meeting, "public")
    page = Client().get(meeting.get_absolute_url()).content.decode()
    assert "Download PDF: public pack" in page
    assert "members&#x27; pack" not in page.lower()
    assert "built " in page and "supplement 1 published" in page


def test_clerk_page_offers_both_editions_and_a_rebuild(meeting, client_for, clerk):
    page = client_for(clerk).get(reverse("boards:agenda-edit", args=[meeting.pk])).content
    assert b"Download PDF: public pack" in page
    assert b"Download PDF: members&#x27; pack" in page
    assert b"Rebuild" in page


def test_parts_render_in_parallel_processes(meeting, client_for, clerk, settings):
    settings.PACK_RENDER_PROCESSES = 2
    reader = _download(client_for(clerk), meeting, "members")
    text = " ".join(_pages(reader))
    assert "Budget report" in text and "Restructure report" in text and "minutes-marker" in text


def _structure_is_whole(path_or_reader) -> None:
    """Every page's parent-tree key is in the parent tree, and every tagged page reference in
    the structure tree is a page of this document."""
    import pikepdf

    with pikepdf.open(path_or_reader) as pdf:
        tree = pdf.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        keys = {int(nums[i]) for i in range(0, len(nums), 2)}
        pages = {page.obj.objgen for page in pdf.pages}
        for page in pdf.pages:
            if "/StructParents" in page.obj:
                assert int(page.obj.StructParents) in keys
        assert int(tree.ParentTreeNextKey) > max(keys)
        seen, stack = 0, [tree.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if "/Pg" in node:
                    assert node.Pg.objgen in pages
                    seen += 1
                if "/K" in node:
                    stack.append(node.K)
        assert seen


def test_a_pack_of_tagged_parts_is_itself_tagged(board, client_for, clerk, tmp_path):
    meeting = MeetingFactory(board=board)
    for title in ("First report", "Second report"):
        item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title=title))
        report = services.paper_write(paper=Paper(agenda_item=item, title=title, summary="S."))
        ReportSection.objects.create(paper=report, number=1, heading="Body", body="Text.")
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests.")
    response = client_for(clerk).get(reverse("packs:pack-download", args=[meeting.pk, "public"]))
    path = tmp_path / "pack.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    import pikepdf

    with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
        assert meta.get("pdfuaid:part") == "1"
    _structure_is_whole(path)


def test_an_untagged_upload_means_the_pack_does_not_claim_pdf_ua(meeting, tmp_path):
    response = Client().get(reverse("packs:pack-download", args=[meeting.pk, "public"]))
    path = tmp_path / "pack.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    import pikepdf

    with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
        assert meta.get("pdfuaid:part") is None


def test_publishing_queues_both_packs_for_the_worker(
    board, client_for, clerk, settings, django_capture_on_commit_callbacks
):
    from django.tasks import task_backends

    settings.TASKS = DUMMY_TASKS
    meeting = MeetingFactory(board=board)
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="A report"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(
            reverse("boards:agenda-publish", args=[meeting.pk]), {"late_reason": "Tests."}
        )
    assert response.status_code == 302
    queued = [r for r in task_backends["default"].results if r.task.name == "build_agenda_pack"]
    packs_queued = AgendaPack.objects.filter(pk__in=[r.args[0] for r in queued])
    assert sorted(packs_queued.values_list("edition", flat=True)) == ["members", "public"]
    assert set(packs_queued.values_list("status", flat=True)) == {"queued"}


def test_parts_unused_for_a_month_are_pruned_and_rendered_again_when_needed(
    meeting, client_for, clerk, settings, tmp_path
):
    import os
    import time

    from django.core.management import call_command

    # A cache of its own: other tests' parts, in a shared one, would be pruned and never rebuilt.
    settings.PACK_CACHE_DIR = tmp_path / "pack-cache"
    client = client_for(clerk)
    read_pdf(client.get(reverse("packs:pack-download", args=[meeting.pk, "members"])))
    parts = sorted(packs.cache_dir().glob("*.pdf"))
    assert parts
    stale, fresh = parts[0], parts[1:]
    long_ago = time.time() - 31 * 24 * 3600
    os.utime(stale, (long_ago, long_ago))
    out = io.StringIO()
    call_command("prune_pack_cache", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 cached part."
    assert not stale.exists() and all(path.exists() for path in fresh)

    # A rebuild renders the missing part again; the cache is whole once more.
    AgendaPack.objects.filter(meeting=meeting).update(fingerprint="")
    read_pdf(client.get(reverse("packs:pack-download", args=[meeting.pk, "members"])))
    assert stale.exists()


def test_every_item_has_a_bookmark(meeting):
    reader = read_pdf(Client().get(reverse("packs:pack-download", args=[meeting.pk, "public"])))
    titles = [entry["/Title"] for entry in reader.outline if not isinstance(entry, list)]
    items = AgendaItem.objects.visible_to(Audience.public()).filter(meeting=meeting)
    assert titles == ["Front sheet and agenda", *(f"{i.number} {i.title}" for i in items)]


@pytest.mark.parametrize(
    ("options", "autoreload_child", "starts"),
    [
        ({}, False, True),  # production: one process does the work
        ({"reload": True}, False, False),  # development: the first process only watches files
        ({"reload": True}, True, True),  # ...and the one it starts does the work
        ({"batch": True}, False, False),  # a batch run doesn't keep processes waiting
    ],
)
def test_the_worker_starts_the_render_processes_first(
    monkeypatch, settings, options, autoreload_child, starts
):
    from django.core.management import call_command
    from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
    from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

    settings.TASKS = DATABASE_TASKS
    started, ran = [], []
    monkeypatch.setattr(packs, "start_render_processes", lambda: started.append(True))
    monkeypatch.setattr(DatabaseWorkerCommand, "handle", lambda self, **o: ran.append(o))
    if autoreload_child:
        monkeypatch.setenv(DJANGO_AUTORELOAD_ENV, "true")
    else:
        monkeypatch.delenv(DJANGO_AUTORELOAD_ENV, raising=False)
    call_command("worker", queue_name="*", **options)
    assert bool(started) is starts
    assert ran and ran[0]["queue_name"] == "*"


def test_the_worker_runs_without_the_autoreloader_even_under_debug(monkeypatch, settings):
    """db_worker reloads by default under DEBUG: two processes, a restart mid-build whenever a
    file changes, and each log line printed by both. Ours reloads only when asked."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = DATABASE_TASKS
    settings.DEBUG = True
    monkeypatch.setattr(packs, "start_render_processes", lambda: None)
    ran = []
    monkeypatch.setattr(db_worker.Worker, "run", lambda self: ran.append(self))

    def no_reloader(main_func, *args, **kwargs):
        raise AssertionError("the worker started Django's auto-reloader")

    monkeypatch.setattr(db_worker, "run_with_reloader", no_reloader)
    call_command("worker", queue_name="*", verbosity=0)
    assert len(ran) == 1
    with pytest.raises(AssertionError, match="auto-reloader"):
        call_command("worker", queue_name="*", reload=True, verbosity=0)


def _agenda_row(html: str, title: str) -> list[str]:
    """The cells of the front sheet's agenda row for the item titled ``title``, as text."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        if title in row:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
    raise AssertionError(f"No agenda row for {title}")


@pytest.mark.parametrize("edition", ["public", "members"])
def test_item_not_open_names_an_items_exempt_appendix_and_its_paragraph(meeting, edition):
    """An open item with an exempt appendix is partly not open: the agenda table says which
    paper and why, as an exempt item says its paragraph (the table is the same in both packs)."""
    html = packs.render_front(packs.plan(meeting, edition), {})
    number, _wards, not_open, _item, _pages = _agenda_row(html, "Open report on budgets")
    assert not_open == "Appendix A – supplier prices (paragraph 3)"
    assert "Open appendix" not in not_open
    assert _agenda_row(html, "Staffing restructure")[2] == "Not open: paragraph 1"
    assert _agenda_row(html, "Performance figures")[2] == ""
