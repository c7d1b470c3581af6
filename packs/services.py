"""Agenda packs: the front sheet, the agenda with page numbers, the previous meeting's minutes
and every paper, numbered continuously, in a public and a members' edition.

A pack is assembled from parts. Each written report, the minutes and each notice page is
rendered from the same templates and data as its web page into a PDF of its own, cached under
the hash of the HTML it came from, so a change to one paper renders that paper again and
nothing else. Parts that need rendering are rendered in parallel worker processes. Uploaded
PDFs are merged as they are. The agenda table takes its page ranges from the parts' real page
counts, and the merged pages are numbered by a small content stream on each page.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import datetime
import functools
import hashlib
import logging
import multiprocessing
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from boards import formatting
from boards.documents import agenda_for
from boards.files import is_local
from boards.models import AgendaItem, Council, Meeting, Paper, Publication
from boards.visibility import Audience
from minutes.documents import minutes_document
from minutes.models import Minute, MinutesRecord
from packs import pdfparts, priority
from packs.models import AgendaPack, Worker, pack_file_name

if TYPE_CHECKING:
    from boards.documents import AgendaEntry
    from boards.models.papers import VisiblePaper

logger = logging.getLogger(__name__)

# A build in a request (or queued, before its task is recorded) that has said nothing for this
# long is taken to have died. A worker's build is followed by its task instead: see
# ``build_under_way``.
STALE_BUILD = datetime.timedelta(minutes=15)
# A build's own file older than this was left by a build that was killed.
LEFT_BEHIND = datetime.timedelta(days=1)
# Estimated pages of a part rendered from HTML, to decide whether to build in the request.
HTML_CHARACTERS_PER_PAGE = 3500
TEMPLATE_VERSION = "2"  # raise to rebuild every pack after a change to the print or the stamps


@dataclass
class PartSpec:
    title: str
    html: str = ""
    upload: Paper | None = None
    not_for_publication: bool = False
    # What of the meeting the part reveals ("paper:12", "minutes:3", "minute:40"): a pack file
    # is served only while its audience may still read all of it (``may_serve``).
    holds: tuple[str, ...] = ()

    @cached_property
    def key(self) -> str:
        if self.upload is not None:
            return f"upload:{self.upload.file.name}:{self.upload.file_size}"
        return hashlib.sha256(f"{TEMPLATE_VERSION}\n{self.html}".encode()).hexdigest()

    @property
    def estimated_pages(self) -> int:
        if self.upload is not None:
            return self.upload.page_count or 1
        return max(1, len(self.html) // HTML_CHARACTERS_PER_PAGE)


@dataclass
class ChapterSpec:
    item: AgendaItem
    parts: list[PartSpec] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.item.shown_number} {self.item.title}"


@dataclass
class PackPlan:
    meeting: Meeting
    edition: str
    items: list[AgendaEntry]
    chapters: list[ChapterSpec]
    front_context: dict

    @cached_property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(f"{TEMPLATE_VERSION}:{self.edition}".encode())
        digest.update(render_front(self, page_ranges={}).encode())
        for chapter in self.chapters:
            digest.update(f"\nchapter {chapter.item.pk}".encode())
            for part in chapter.parts:
                digest.update(f"\n{part.key}:{part.not_for_publication}".encode())
        return digest.hexdigest()

    @property
    def estimated_pages(self) -> int:
        return 2 + sum(part.estimated_pages for c in self.chapters for part in c.parts)

    @property
    def holds(self) -> list[str]:
        """What of the meeting the pack reveals: the items whose purpose the agenda prints, and
        the papers and minutes whose content its parts carry."""
        items = [
            f"item:{item.pk}"
            for item in self.items
            if item.withdrawn_at is None and item.content_visible and not item.exempt
        ]
        parts = [token for c in self.chapters for part in c.parts for token in part.holds]
        return sorted({*items, *parts})

    @property
    def title(self) -> str:
        edition = "members' pack" if self.edition == AgendaPack.Edition.MEMBERS else "agenda pack"
        when = formatting.long_date(self.meeting.starts_at)
        return f"{self.meeting.board.name}, {when}: {edition}"


# Who may have which edition -------------------------------------------------------------------


def may_download(audience: Audience, meeting: Meeting, edition: str) -> bool:
    """The public pack goes to anyone once the agenda is published, and to staff before; the
    members' pack only to those the visibility rule lets read the meeting's exempt papers (the
    board's members, staff, and the meeting's substitutes)."""
    if edition == AgendaPack.Edition.PUBLIC:
        return meeting.is_agenda_published or audience.sees_drafts_of(meeting.board_id)
    if not meeting.is_agenda_published:
        return audience.sees_drafts_of(meeting.board_id)
    return audience.sees_exempt_of_meeting(meeting)


def visible_now(meeting: Meeting, edition: str) -> set[str]:
    """What of the meeting the edition's audience may read now, in the terms of
    ``PackPlan.holds``, without planning the pack (a few queries)."""
    audience = edition_audience(meeting, edition)
    items = AgendaItem.objects.visible_to(audience).filter(meeting=meeting)
    tokens = {
        f"item:{pk}"
        for pk in items.filter(
            withdrawn_at__isnull=True, exempt=False, content_visible=True
        ).values_list("pk", flat=True)
    }
    papers = Paper.objects.visible_to(audience).filter(
        agenda_item__meeting=meeting, withdrawn_at__isnull=True, content_visible=True
    )
    tokens |= {f"paper:{pk}" for pk in papers.values_list("pk", flat=True)}
    earlier = [item.minutes_of for item in items.select_related("minutes_of") if item.minutes_of]
    # As the plan has it: the members' pack always carries the draft the meeting will approve.
    records = MinutesRecord.objects.filter(meeting__in=earlier)
    if edition == AgendaPack.Edition.PUBLIC:
        records = records.published_to(audience)
    tokens |= {f"minutes:{pk}" for pk in records.values_list("pk", flat=True)}
    minutes = Minute.objects.visible_to(audience).filter(
        meeting__minutes__in=records, withdrawn_at__isnull=True, content_visible=True
    )
    tokens |= {f"minute:{pk}" for pk in minutes.values_list("pk", flat=True)}
    return tokens


def may_serve(pack: AgendaPack) -> bool:
    """Whether the pack's file may still be given to its audience: everything in it must still
    be theirs to read (a paper made exempt, withdrawn, or minutes no longer published stop it at
    once, whether or not a newer pack has been built). A file whose contents were not recorded
    is not served."""
    if not pack.has_file or pack.holds is None:
        return False
    return set(pack.holds) <= visible_now(pack.meeting, pack.edition)


def withdraw_unservable(meetings: Iterable[Meeting]) -> int:
    """Remove the files of the meetings' packs that hold what their audience may no longer read
    (once the change commits). Returns how many were removed."""
    removed = 0
    for pack in AgendaPack.objects.filter(meeting__in=meetings).exclude(file=""):
        if not may_serve(pack):
            _remove_file(pack)
            removed += 1
    return removed


def _remove_file(pack: AgendaPack) -> None:
    name, storage = pack.file.name or "", pack.file.storage
    AgendaPack.objects.filter(pk=pack.pk).update(
        file="", fingerprint="", holds=None, page_count=None, built_at=None, file_size=None
    )
    pack.file.name, pack.fingerprint, pack.holds = "", "", None
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def records_changed(sender, *, records, **kwargs) -> None:
    """Receiver of ``boards.signals.records_changed``: a paper, item or minute that changed may
    have become exempt, withdrawn or unpublished; packs holding it stop being served at once."""
    meetings: set[int] = set()
    for record in records:
        if isinstance(record, Paper):
            meetings.add(record.agenda_item.meeting_id)
        elif isinstance(record, AgendaItem):
            meetings.add(record.meeting_id)
        elif isinstance(record, Minute | MinutesRecord):
            meetings.update(
                AgendaItem.objects.filter(minutes_of_id=record.meeting_id).values_list(
                    "meeting_id", flat=True
                )
            )
    if meetings:
        withdraw_unservable(Meeting.objects.filter(pk__in=meetings))


def edition_audience(meeting: Meeting, edition: str) -> Audience:
    """Whose eyes the edition is printed for: the public, or a member of the board. Before the
    agenda is published both editions are previews of the draft for the clerk."""
    if not meeting.is_agenda_published:
        return Audience(sees_drafts=True)
    if edition == AgendaPack.Edition.PUBLIC:
        return Audience.public()
    return Audience(member_board_ids=frozenset({meeting.board_id}))


# Planning: what goes in, as HTML and uploads ------------------------------------------------


def _exempt_reason(paper: Paper, item: AgendaItem) -> str:
    for source in (paper, paper.parent, item):
        if source is not None and source.exempt:
            return source.exemption_notice
    return ""


def _render_print(template: str, context: dict, title: str) -> str:
    return render_to_string(template, {**context, "document_title": title, "in_pack": True})


def _paper_parts(
    plan_edition: str, item: AgendaItem, paper: VisiblePaper, council: Council
) -> Iterator[PartSpec]:
    exempt_reason = _exempt_reason(paper, item)
    if paper.withdrawn_at:
        return
    if not paper.content_visible or (exempt_reason and plan_edition == AgendaPack.Edition.PUBLIC):
        if exempt_reason:
            yield PartSpec(
                title=f"{paper.title} (not for publication)",
                html=_render_print(
                    "print/pack_exempt_notice.html",
                    {"item": item, "paper": paper, "notice": exempt_reason, "council": council},
                    title=paper.title,
                ),
            )
        return
    if not paper.is_upload and not paper.is_written:
        return  # a document not yet converted to PDF: nothing half-converted reaches a pack
    holds = (f"paper:{paper.pk}",)
    if paper.is_upload:
        yield PartSpec(
            title=paper.title,
            upload=paper,
            not_for_publication=bool(exempt_reason),
            holds=holds,
        )
    else:
        yield PartSpec(
            title=paper.title,
            holds=holds,
            html=_render_print(
                "print/report.html",
                {
                    "item": item,
                    "paper": paper,
                    "sections": list(paper.sections.all()),
                    "appendices": [],
                    "council": council,
                },
                title=paper.title,
            ),
            not_for_publication=bool(exempt_reason),
        )


def _minutes_parts(
    edition: str, item: AgendaItem, audience: Audience, council: Council
) -> Iterator[PartSpec]:
    meeting = item.minutes_of
    if meeting is None:
        return
    record = MinutesRecord.objects.filter(meeting=meeting).first()
    if record is None:
        return
    # The members' pack always carries the draft the meeting is asked to approve.
    if edition == AgendaPack.Edition.PUBLIC and not record.is_published_to(audience):
        yield PartSpec(
            title=item.title,
            html=_render_print(
                "print/pack_exempt_notice.html",
                {
                    "item": item,
                    "notice": "The draft minutes are published once the board approves them",
                    "council": council,
                },
                title=item.title,
            ),
        )
        return
    context = minutes_document(meeting, audience)
    readable = [m for m in context["minutes"] if m.content_visible and not m.withdrawn_at]
    yield PartSpec(
        title=f"Minutes of {formatting.long_date(meeting.starts_at)}",
        html=_render_print("print/minutes.html", {**context, "council": council}, title=item.title),
        holds=(f"minutes:{record.pk}", *(f"minute:{minute.pk}" for minute in readable)),
    )


def awaiting_conversion(meeting: Meeting, edition: str) -> list[Paper]:
    """The papers the edition would hold but leaves out for now: documents still being
    converted to PDF, or whose conversion failed (only ever unpublished, so only in the
    preview of a draft)."""
    return list(
        Paper.objects.visible_to(edition_audience(meeting, edition))
        .unconverted()
        .filter(
            agenda_item__meeting=meeting,
            agenda_item__withdrawn_at__isnull=True,
            withdrawn_at__isnull=True,
            content_visible=True,
        )
        .order_by("agenda_item__number", "position", "pk")
    )


def plan(meeting: Meeting, edition: str) -> PackPlan:
    audience = edition_audience(meeting, edition)
    council = Council.load()
    # django-stubs checks prefetch lookups against the models' relations only, not the lists
    # agenda_for's Prefetch(to_attr=...) adds, which Django follows like a relation.
    items = list(
        agenda_for(meeting, audience).prefetch_related(  # type: ignore[misc]
            "visible_papers__sections", "visible_papers__visible_appendices__sections"
        )
    )
    chapters = []
    for item in items:
        item.meeting = meeting
        chapter = ChapterSpec(item=item)
        if item.withdrawn_at is None:
            if item.kind == AgendaItem.Kind.MINUTES and item.content_visible:
                chapter.parts.extend(_minutes_parts(edition, item, audience, council))
            for paper in item.visible_papers:
                chapter.parts.extend(_paper_parts(edition, item, paper, council))
                for appendix in paper.visible_appendices:
                    appendix.parent = paper
                    chapter.parts.extend(_paper_parts(edition, item, appendix, council))
        chapters.append(chapter)
    board = meeting.board
    members = list(
        board.current_memberships(meeting.starts_at.date())
        .select_related("person__ward")
        .order_by("person__family_name", "person__given_name")
    )
    return PackPlan(
        meeting=meeting,
        edition=edition,
        items=items,
        chapters=chapters,
        front_context={
            "council": council,
            "meeting": meeting,
            "board": board,
            "members": members,
            "compiler": meeting.compiler or board.support_officer,
            "head_of_scrutiny": board.head_of_scrutiny,
            "edition": edition,
            "published": meeting.is_agenda_published,
            "public_edition": edition == AgendaPack.Edition.PUBLIC,
        },
    )


def render_front(plan: PackPlan, page_ranges: dict[int, tuple[int, int]]) -> str:
    rows = [(item, page_ranges.get(item.pk)) for item in plan.items]
    return _render_print(
        "print/pack_front.html", {**plan.front_context, "rows": rows}, title=plan.title
    )


def agenda_version(meeting: Meeting) -> str:
    publications = list(meeting.publications.order_by("published_at"))
    if not publications:
        return "the draft agenda (not yet published)"
    latest = publications[-1]
    label = "the agenda" if latest.kind == "agenda" else f"supplement {len(publications) - 1}"
    return f"{label} published {latest.published_when}"


# Rendering parts ------------------------------------------------------------------------------


def cache_dir() -> Path:
    """This worker's cache of rendered parts and local copies of papers, keyed by content, on
    its own disk (``PACK_CACHE_DIR``): workers never depend on each other's disks."""
    return Path(settings.PACK_CACHE_DIR or Path(settings.MEDIA_ROOT) / "pack-cache")


def _upload_path(paper: Paper) -> Path:
    """A path on this machine holding the paper's PDF, for pikepdf: the stored file itself on
    the file system; from an object store, a copy in the cache under a name of its content
    (a paper's file name is never reused), fetched once and kept while builds use it."""
    if is_local(paper.file.storage):
        return Path(paper.file.path)
    key = hashlib.sha256(f"{paper.file.name}:{paper.file_size}".encode()).hexdigest()
    path = cache_dir() / f"upload-{key}.pdf"
    if path.exists():
        path.touch()  # used: `prune_pack_cache` keeps it
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".fetching-{key}-{uuid.uuid4().hex}.pdf")
    try:
        with paper.file.open("rb") as source, partial.open("wb") as copy:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


_pool: concurrent.futures.ProcessPoolExecutor | None = None
_pool_processes = 0
_pool_lock = threading.Lock()


def lower_priority() -> None:
    """Run the calling process at ``PACK_RENDER_NICENESS`` (10) or lower priority
    (``packs.priority``). The task worker calls it as it starts, so what it does, and the render
    processes it starts, run after the site's requests; each render process calls it as it
    starts, whoever started it."""
    priority.lower(settings.PACK_RENDER_NICENESS)


def start_render_processes() -> None:
    """Start the render processes ahead of the first build (the worker does, as it starts)."""
    if settings.PACK_RENDER_PROCESSES > 1:
        pool = _render_pool(settings.PACK_RENDER_PROCESSES)
        for future in [pool.submit(abs, 0) for _ in range(settings.PACK_RENDER_PROCESSES)]:
            future.result()


def _render_pool(processes: int) -> concurrent.futures.ProcessPoolExecutor:
    """Worker processes kept warm between builds, at lower priority than the site
    (``lower_priority``). forkserver, not fork: the parent has threads and database
    connections that a forked child must not inherit."""
    global _pool, _pool_processes
    with _pool_lock:
        if _pool is None or _pool_processes != processes:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["packs.pdfwarm"])
            _pool = concurrent.futures.ProcessPoolExecutor(
                processes,
                mp_context=context,
                initializer=priority.lower,
                initargs=(settings.PACK_RENDER_NICENESS,),
            )
            _pool_processes = processes
            atexit.register(_pool.shutdown, cancel_futures=True)
        return _pool


def _in_render_process(function, *args):
    """Run ``function`` in a warm render process when there are any, else here: the process
    building the pack then never loads WeasyPrint or holds the merged pages."""
    if settings.PACK_RENDER_PROCESSES > 1 and _pool is not None:
        return _pool.submit(function, *args).result()
    return function(*args)


def _render_parts(parts: list[PartSpec], on_done) -> dict[str, int]:
    """Render the HTML parts not in the cache; return every part's page count by key."""
    pages: dict[str, int] = {}
    missing: dict[str, PartSpec] = {}
    for part in parts:
        if part.upload is not None:
            pages[part.key] = part.upload.page_count or pdfparts.count_pages(
                _upload_path(part.upload)
            )
            on_done(pages[part.key])
            continue
        path = cache_dir() / f"{part.key}.pdf"
        if path.exists():
            path.touch()  # used: `prune_pack_cache` keeps it
            pages[part.key] = pdfparts.count_pages(path)
            on_done(pages[part.key])
        else:
            missing[part.key] = part
    work = sorted(missing.values(), key=lambda p: len(p.html), reverse=True)
    if settings.PACK_RENDER_PROCESSES <= 1 or (_pool is None and len(work) <= 2):
        # One or two parts and no render processes yet: rendering here beats starting them.
        for part in work:
            pages[part.key] = pdfparts.render_html(part.html, str(cache_dir() / f"{part.key}.pdf"))
            on_done(pages[part.key])
        return pages
    pool = _render_pool(settings.PACK_RENDER_PROCESSES)
    futures = {
        pool.submit(pdfparts.render_html, part.html, str(cache_dir() / f"{part.key}.pdf")): part
        for part in work
    }
    for future in concurrent.futures.as_completed(futures):
        pages[futures[future].key] = future.result()
        on_done(pages[futures[future].key])
    return pages


# Building -------------------------------------------------------------------------------------


class PackError(Exception):
    """A build that cannot finish, with a message a clerk can act on."""


def _progress(pack: AgendaPack, **fields) -> None:
    for name, value in fields.items():
        setattr(pack, name, value)
    pack.save(update_fields=[*fields, "modified"])


def build(pack: AgendaPack, the_plan: PackPlan | None = None) -> AgendaPack:
    """Build the pack now. On failure the last good pack stays, with the error beside it."""
    started = time.perf_counter()
    meeting = pack.meeting
    try:
        the_plan = the_plan or plan(meeting, pack.edition)
        fingerprint = the_plan.fingerprint
        if pack.has_file and pack.fingerprint == fingerprint:
            _progress(pack, status=AgendaPack.Status.READY, stage="", error="")
            return pack
        parts = [part for chapter in the_plan.chapters for part in chapter.parts]
        _progress(
            pack,
            status=AgendaPack.Status.BUILDING,
            stage="Rendering the papers",
            parts_total=len(parts) + 1,
            parts_done=0,
            pages_done=0,
            wanted_fingerprint=fingerprint,
            error="",
        )

        def part_done(pages: int) -> None:
            _progress(pack, parts_done=pack.parts_done + 1, pages_done=pack.pages_done + pages)

        try:
            page_counts = _render_parts(parts, part_done)
        except Exception as error:
            raise PackError(f"A paper could not be printed: {error}") from error

        chapters = [
            pdfparts.Chapter(
                title=chapter.title,
                parts=[
                    pdfparts.Part(
                        path=(
                            _upload_path(part.upload)
                            if part.upload is not None
                            else cache_dir() / f"{part.key}.pdf"
                        ),
                        pages=page_counts[part.key],
                        title=part.title,
                        not_for_publication=part.not_for_publication,
                        rendered=part.upload is None,
                    )
                    for part in chapter.parts
                ],
            )
            for chapter in the_plan.chapters
        ]
        ranges = pdfparts.page_ranges(chapters)
        _progress(pack, stage="Numbering the agenda's pages")
        front_html = render_front(
            the_plan,
            {
                chapter.item.pk: page_range
                for chapter, page_range in zip(the_plan.chapters, ranges, strict=True)
                if page_range
            },
        )
        front_key = hashlib.sha256(front_html.encode()).hexdigest()
        front_path = cache_dir() / f"{front_key}.pdf"
        if front_path.exists():
            front_path.touch()
        front_pages = (
            pdfparts.count_pages(front_path)
            if front_path.exists()
            else _in_render_process(pdfparts.render_html, front_html, str(front_path))
        )
        part_done(front_pages)

        _progress(pack, stage="Merging and numbering the pages")
        # Each build writes a file of its own and publishes it by renaming it into place, so two
        # builds at once (two workers, or a worker taken for dead) never spoil each other's.
        final_name = pack_file_name(pack, fingerprint)
        output = _build_output(pack, final_name)
        try:
            total = _in_render_process(
                pdfparts.assemble,
                pdfparts.PackDocument(
                    title=the_plan.title,
                    author=the_plan.front_context["council"].name,
                    front=pdfparts.Chapter(
                        title="Front sheet and agenda",
                        parts=[pdfparts.Part(path=front_path, pages=front_pages)],
                    ),
                    chapters=chapters,
                ),
                output,
            )
        except Exception as error:
            output.unlink(missing_ok=True)
            raise PackError(f"The papers could not be put together: {error}") from error
        try:
            _publish(
                pack,
                the_plan,
                output=output,
                name=final_name,
                pages=total,
                seconds=time.perf_counter() - started,
            )
        finally:
            output.unlink(missing_ok=True)
        return pack
    except Exception as error:
        logger.exception("Building %s failed", pack)
        message = str(error) if isinstance(error, PackError) else "The pack could not be built."
        _progress(pack, status=AgendaPack.Status.FAILED, stage="", error=message)
        # Recorded on the pack for the clerk; raised for the task, so the queue records a
        # failed task that monitoring sees.
        if isinstance(error, PackError):
            raise
        raise PackError(message) from error


def _build_output(pack: AgendaPack, name: str) -> Path:
    """Where this build writes its file: a name of its own, so two builds at once never spoil
    each other's; beside the pack's final place on the file system (published by renaming it),
    in this worker's cache when the packs are kept in an object store (published by writing it)."""
    storage = pack.file.storage
    final = Path(storage.path(name)) if is_local(storage) else cache_dir() / Path(name).name
    final.parent.mkdir(parents=True, exist_ok=True)
    return final.with_name(f".building-{final.stem}-{uuid.uuid4().hex}.pdf")


def _store(storage: Storage, output: Path, name: str) -> int:
    """Publish the built file under ``name``; return its size. On the file system by an atomic
    rename; in an object store by one write of the whole object, which readers see whole or not
    at all. The name is of the pack's content, so a file already there is this one."""
    size = output.stat().st_size
    if is_local(storage):
        if settings.FILE_UPLOAD_PERMISSIONS is not None:
            output.chmod(settings.FILE_UPLOAD_PERMISSIONS)
        os.replace(output, storage.path(name))
    elif not storage.exists(name):
        with output.open("rb") as built:
            storage.save(name, File(built, name=name))
    return size


def _publish(
    pack: AgendaPack, the_plan: PackPlan, *, output: Path, name: str, pages: int, seconds: float
) -> None:
    """Make the built file the pack's, by an atomic rename, under a lock on the pack's row. A
    build whose content another build has published already leaves that file alone; a build
    overtaken by a newer request publishes its file only if nothing newer has been, and leaves
    the state of the build under way to that request's build."""
    fingerprint = the_plan.fingerprint
    storage = pack.file.storage
    with transaction.atomic():
        current = AgendaPack.objects.select_for_update().get(pk=pack.pk)
        if current.has_file and current.fingerprint == fingerprint:
            pack.refresh_from_db()
            if not current.in_progress or current.wanted_fingerprint == fingerprint:
                _progress(pack, status=AgendaPack.Status.READY, stage="", error="")
            return
        overtaken = current.wanted_fingerprint != fingerprint
        if overtaken and current.has_file and current.fingerprint == current.wanted_fingerprint:
            return
        old_file = current.file.name or ""
        size = _store(storage, output, name)
        published = {
            "file": name,
            "fingerprint": fingerprint,
            "holds": the_plan.holds,
            "agenda_version": agenda_version(pack.meeting),
            "page_count": pages,
            "file_size": size,
            "built_at": timezone.now(),
            "build_seconds": seconds,
        }
        if overtaken:
            pack.refresh_from_db()
            _progress(pack, **published)
        else:
            _progress(
                pack,
                status=AgendaPack.Status.READY,
                stage="",
                pages_done=pages,
                parts_done=pack.parts_total,
                **published,
            )
        if old_file and old_file != name:
            transaction.on_commit(lambda: storage.delete(old_file))


def request(
    meeting: Meeting,
    edition: str,
    *,
    rebuild: bool = False,
    retry: bool = False,
    background: bool = False,
) -> tuple[AgendaPack, bool]:
    """The pack, current if it can be had now: built in this request when it is small, else
    queued for the worker. Returns the pack and whether it is current. A build that failed is
    tried again only when asked (``retry``), not on every download; ``rebuild`` builds even a
    current pack again.

    Each pack is built once: the pack's row is locked while this decides, so two requests at
    once (two clerks pressing Rebuild, or a download beside a publication) start one build, and
    a request while a build of the same content is under way, a rebuild too, joins it."""
    the_plan = plan(meeting, edition)
    fingerprint = the_plan.fingerprint
    with transaction.atomic():
        AgendaPack.objects.get_or_create(meeting=meeting, edition=edition)
        pack = AgendaPack.objects.select_for_update().get(meeting=meeting, edition=edition)
        if pack.has_file and pack.fingerprint == fingerprint and not rebuild:
            return pack, True
        building_this = pack.in_progress and pack.wanted_fingerprint == fingerprint
        if building_this and build_under_way(pack):
            return pack, False
        failed_this = (
            pack.status == AgendaPack.Status.FAILED and pack.wanted_fingerprint == fingerprint
        )
        if failed_this and not (retry or rebuild):
            return pack, False
        if rebuild:
            pack.fingerprint = ""
        _progress(
            pack,
            status=AgendaPack.Status.QUEUED,
            stage="Waiting for the print worker",
            wanted_fingerprint=fingerprint,
            requested_at=timezone.now(),
            parts_done=0,
            parts_total=0,
            pages_done=0,
            error="",
            fingerprint=pack.fingerprint,
            build_task_id="",
        )
        inline = not background and the_plan.estimated_pages <= settings.PACK_INLINE_MAX_PAGES
        if not inline:
            transaction.on_commit(functools.partial(_enqueue_build, pack.pk))
    if not inline:
        return pack, False
    with contextlib.suppress(PackError):  # recorded on the pack, which the status page shows
        build(pack, the_plan)
    return pack, pack.status == AgendaPack.Status.READY


def _enqueue_build(pack_id: int) -> None:
    from packs.tasks import build_agenda_pack  # the task module imports this one

    result = build_agenda_pack.enqueue(pack_id)
    AgendaPack.objects.filter(
        pk=pack_id, status__in=[AgendaPack.Status.QUEUED, AgendaPack.Status.BUILDING]
    ).update(build_task_id=str(result.id))


def build_under_way(pack: AgendaPack) -> bool:
    """Whether the build the pack shows in progress can still finish: its task is waiting or
    running (if its worker dies, another puts it back on the queue: ``packs.workers``); or,
    built in a request or just queued, it has said something within ``STALE_BUILD``."""
    from packs.tasks import build_agenda_pack

    if pack.build_task_id:
        try:
            result = build_agenda_pack.get_result(pack.build_task_id)
        except (TaskResultDoesNotExist, NotImplementedError):
            return False
        return result.status in {TaskResultStatus.READY, TaskResultStatus.RUNNING}
    return timezone.now() - pack.modified < STALE_BUILD


def waiting_for_a_worker(pack: AgendaPack | None) -> bool:
    """Whether the pack waits for the task worker and none is running (``packs.workers``)."""
    if pack is None or not pack.in_progress or not pack.build_task_id:
        return False
    return not Worker.objects.alive().serving("packs")


def queue_after_publication(meeting: Meeting) -> None:
    """Have both editions built by the worker as soon as an agenda or supplement is published,
    so the first reader doesn't wait for them."""
    for edition in AgendaPack.Edition.values:
        request(meeting, edition, background=True)


def publication_published(sender, *, publication: Publication, **kwargs) -> None:
    """Receiver of ``boards.signals.agenda_published``: once the publication commits, queue both
    editions of a meeting still to come. A pack of a meeting already held (an agenda published
    late, or history brought in) is built when someone first asks for it."""
    meeting = publication.meeting
    if meeting.starts_at > timezone.now():
        transaction.on_commit(lambda: queue_after_publication(meeting))


def prune_cache(*, unused_for: datetime.timedelta) -> int:
    """Delete cached parts no build has used for ``unused_for``; return how many. A pack that
    needs one again renders it again."""
    cutoff = time.time() - unused_for.total_seconds()
    pruned = 0
    for path in cache_dir().glob("*.pdf"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            pruned += 1
    # What builds killed part-way left behind (a build publishes its file by renaming it).
    abandoned = time.time() - LEFT_BEHIND.total_seconds()
    left_behind = [*cache_dir().glob(".building-*"), *cache_dir().glob(".fetching-*")]
    if is_local(default_storage):
        left_behind += (Path(settings.MEDIA_ROOT) / "packs").glob(".building-*")
    for path in left_behind:
        if path.stat().st_mtime < abandoned:
            path.unlink(missing_ok=True)
            pruned += 1
    return pruned


def is_current(pack: AgendaPack) -> bool:
    return pack.has_file and pack.fingerprint == plan(pack.meeting, pack.edition).fingerprint
