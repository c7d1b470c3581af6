"""Agenda pack build times: `make bench-pdf` (not run by the tests).

Generates packs shaped like the reference pack (front sheet, agenda table with page ranges,
reports with their front-sheet tables and numbered paragraphs, a service-level appendix table per
report, an uploaded PDF per report) of about 20, 100 and 400 pages, and for each prints:

- the pack built from parts (this app's way): cold (empty part cache, render processes started
  for the build), and again after one paper changes;
- WeasyPrint rendering the same content as one HTML document in one process, with a running
  header, "Page X of Y" and the agenda's page ranges as cross-references (target-counter);

each with seconds, pages per second and peak memory (largest resident set of any process).
Every measurement runs in a fresh process, so peaks don't leak between them.

    .venv/bin/python bench/pdf.py [--sizes 20,100,400] [--processes N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "the",
    "council",
    "service",
    "level",
    "availability",
    "review",
    "of",
    "current",
    "arrangements",
    "investment",
    "resilience",
    "support",
    "hours",
    "demand",
    "systems",
    "business",
    "continuity",
    "planned",
    "downtime",
    "overnight",
    "processing",
    "data",
    "centre",
    "network",
    "failover",
    "applications",
    "officers",
    "members",
    "board",
    "inquiry",
    "recommendation",
    "progress",
]


def _setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _sentence(seed: int, words: int = 70) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words)).capitalize() + "."


def _sla_table(seed: int, rows: int = 45) -> str:
    lines = ["| Service | Measure | Target | Achieved |", "|---|---|---|---|"]
    for row in range(rows):
        lines.append(
            f"| System {seed}-{row} | Availability in core hours | 99.{row % 10}% | "
            f"{98 + (row * seed) % 2}.{(row * 3) % 10}% |"
        )
    return "\n".join(lines)


def generate(target_pages: int):
    """A published meeting whose pack comes to about ``target_pages`` pages."""
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boards import services
    from boards.models import AgendaItem, Board, Paper, ReportSection
    from tests.factories import MeetingFactory, MembershipFactory, PersonFactory, pdf_bytes

    board = Board.objects.create(
        name=f"Scrutiny Board ({target_pages} pages)", slug=f"b{target_pages}"
    )
    for _ in range(11):
        MembershipFactory(board=board, person=PersonFactory())
    meeting = MeetingFactory(board=board)
    clerk = User.objects.get_or_create(username="bench-clerk")[0]
    reports = max(1, round(target_pages / 14.5))
    for number in range(reports):
        item = services.agenda_item_add(
            meeting=meeting,
            item=AgendaItem(title=f"Inquiry session {number + 1}", purpose=_sentence(number, 40)),
        )
        report = services.paper_write(
            paper=Paper(
                agenda_item=item,
                title=f"Inquiry session {number + 1}: service levels",
                summary=_sentence(number, 60),
                recommendations="Scrutiny Board is requested to:\n\n- note the report\n- make recommendations",
            )
        )
        for section in range(1, 6):
            body = "\n\n".join(_sentence(number * 31 + section * 7 + p) for p in range(8))
            ReportSection.objects.create(
                paper=report, number=section, heading=f"Section {section}", body=body
            )
        appendix = services.paper_write(
            paper=Paper(
                agenda_item=item,
                parent=report,
                kind=Paper.Kind.APPENDIX,
                title=f"Appendix A – service level availability {number + 1}",
            )
        )
        ReportSection.objects.create(
            paper=appendix, number=1, heading="Service levels", body=_sla_table(number)
        )
        services.paper_upload(
            paper=Paper(
                agenda_item=item,
                parent=report,
                kind=Paper.Kind.APPENDIX,
                title=f"Appendix B – CLT paper {number + 1}",
            ),
            upload=SimpleUploadedFile(
                "clt.pdf", pdf_bytes(2, f"CLT paper {number + 1}"), "application/pdf"
            ),
        )
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Benchmark.")
    return meeting


class PeakWatcher(threading.Thread):
    """The largest resident set of this process or any of its descendants (the render workers
    are the forkserver's children, so getrusage can't see them): /proc sampled every 20 ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.by_pid: dict[int, int] = {}
        self.running = True

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree, frontier = [os.getpid()], [os.getpid()]
        while frontier:
            frontier = [pid for pid, parent in parents.items() if parent in frontier]
            tree += frontier
        return tree

    def run(self) -> None:
        while self.running:
            for pid in self._tree():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                match = re.search(r"VmHWM:\s+(\d+)", status)
                if match:
                    self.peak_kb = max(self.peak_kb, int(match.group(1)))
                    self.by_pid[pid] = max(self.by_pid.get(pid, 0), int(match.group(1)))
            time.sleep(0.02)


WATCHER = PeakWatcher()


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, WATCHER.peak_kb) / 1024


def run_parts(meeting_id: int) -> dict:
    from boards.models import Meeting, ReportSection
    from packs import services as packs
    from packs.models import AgendaPack

    meeting = Meeting.objects.get(pk=meeting_id)
    # Publishing the meeting built its packs (the tasks run at once here): start cold, with no
    # pack and no cached part.
    AgendaPack.objects.filter(meeting=meeting).delete()
    shutil.rmtree(packs.cache_dir(), ignore_errors=True)
    pack = AgendaPack.objects.create(meeting=meeting, edition="public")
    # What `manage.py worker` does as it starts, once for all the packs it builds: lower its
    # priority (so this process and its render processes share the cores as equals, as the
    # worker and its render processes do), start its render processes.
    packs.lower_priority()
    started = time.perf_counter()
    packs.start_render_processes()
    worker_start = time.perf_counter() - started
    started = time.perf_counter()
    packs.build(pack)
    cold = time.perf_counter() - started
    assert pack.status == "ready", pack.error
    pages = pack.page_count

    section = ReportSection.objects.filter(paper__agenda_item__meeting=meeting).first()
    section.body += "\n\nA paragraph added after the pack was built."
    section.save()
    started = time.perf_counter()
    packs.build(pack)
    warm = time.perf_counter() - started
    assert pack.status == "ready", pack.error

    # Planning renders every part's HTML (no PDFs): each download does it to check the pack is
    # current. Timed apart from the front sheet, which is rendered from the plan.
    started = time.perf_counter()
    the_plan = packs.plan(meeting, "public")
    plan_seconds = time.perf_counter() - started
    started = time.perf_counter()
    front = packs.render_front(the_plan, {})
    from packs import pdfparts

    # As a build renders it: in a warm render process.
    packs._in_render_process(pdfparts.render_html, front, str(Path(tempfile.mkdtemp()) / "f.pdf"))
    front_seconds = time.perf_counter() - started

    peak = _peak_mb()
    main_peak = WATCHER.by_pid.get(os.getpid(), 0) / 1024
    merge_seconds = _time_merge(pack)
    if packs._pool is not None:
        packs._pool.shutdown()
    return {
        "pages": pages,
        "cold": cold,
        "warm": warm,
        "front": front_seconds,
        "plan": plan_seconds,
        "merge": merge_seconds,
        "peak_mb": peak,
        "main_peak_mb": main_peak,
        "worker_start": worker_start,
    }


def _time_merge(pack) -> float:
    """Merging and numbering alone, from the cached parts."""
    from packs import pdfparts
    from packs import services as packs

    the_plan = packs.plan(pack.meeting, pack.edition)
    chapters = []
    for chapter in the_plan.chapters:
        parts = []
        for part in chapter.parts:
            path = (
                Path(part.upload.file.path)
                if part.upload is not None
                else packs.cache_dir() / f"{part.key}.pdf"
            )
            parts.append(
                pdfparts.Part(path=path, pages=pdfparts.count_pages(path), title=part.title)
            )
        chapters.append(pdfparts.Chapter(title=chapter.title, parts=parts))
    front_path = Path(tempfile.mkdtemp()) / "front.pdf"
    pages = pdfparts.render_html(packs.render_front(the_plan, {}), str(front_path))
    started = time.perf_counter()
    pdfparts.assemble(
        pdfparts.PackDocument(
            title="bench",
            author="bench",
            front=pdfparts.Chapter(title="Front", parts=[pdfparts.Part(front_path, pages)]),
            chapters=chapters,
        ),
        Path(tempfile.mkdtemp()) / "pack.pdf",
    )
    return time.perf_counter() - started


BODY = re.compile(r"<body>(.*)</body>", re.S)
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def run_one_document(meeting_id: int) -> dict:
    """The whole pack as one HTML document rendered by WeasyPrint in this one process, tagged
    (PDF/UA-1) like the parts, so both ways make the same kind of PDF."""
    from weasyprint import HTML

    from boards.models import Meeting
    from packs import services as packs

    meeting = Meeting.objects.get(pk=meeting_id)
    the_plan = packs.plan(meeting, "public")
    front = packs.render_front(the_plan, {})
    styles = "\n".join(dict.fromkeys(STYLE.findall(front)))
    bodies = []
    rows = []
    for chapter in the_plan.chapters:
        htmls = [part.html for part in chapter.parts if part.html]
        if not htmls:
            continue
        anchor = f"item-{chapter.item.pk}"
        rows.append(
            f"<tr><td>{chapter.item.number}</td><td>{chapter.item.title}</td>"
            f'<td><a href="#{anchor}"></a></td></tr>'
        )
        for index, html in enumerate(htmls):
            body = BODY.search(html).group(1)
            id_attr = f' id="{anchor}"' if index == 0 else ""
            bodies.append(f'<section class="part"{id_attr}>{body}</section>')
    html = f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>One document</title>
<style>{styles}
@page {{ size: A4; margin: 22mm 20mm 24mm;
  @top-center {{ content: "{meeting.board.name}"; font: 8pt sans-serif; }}
  @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; }} }}
.part {{ break-before: right; }}
.xref a::after {{ content: target-counter(attr(href), page); }}
</style></head><body>{BODY.search(front).group(1)}
<table class="xref">{"".join(rows)}</table>{"".join(bodies)}</body></html>"""
    started = time.perf_counter()
    document = HTML(string=html).render()
    document.write_pdf(Path(tempfile.mkdtemp()) / "one.pdf", pdf_variant="pdf/ua-1")
    seconds = time.perf_counter() - started
    return {"pages": len(document.pages), "seconds": seconds, "peak_mb": _peak_mb()}


def _child(mode: str, meeting_id: int, workdir: Path, processes: int) -> dict:
    env = {**os.environ, "PACK_RENDER_PROCESSES": str(processes)}
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(meeting_id), str(workdir)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100,400")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        mode, meeting_id, workdir = args.child
        WATCHER.start()
        _setup_django(Path(workdir))
        result = (
            run_parts(int(meeting_id)) if mode == "parts" else run_one_document(int(meeting_id))
        )
        print(json.dumps(result))
        return

    workdir = Path(tempfile.mkdtemp(prefix="scrutiny-bench-"))
    _setup_django(workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sizes = [int(size) for size in args.sizes.split(",")]
    meetings = {size: generate(size).pk for size in sizes}
    print(f"Agenda pack builds on {os.cpu_count()} cores, {args.processes} render processes")
    print(f"(data in {workdir})\n")
    header = f"{'pack':>6} {'way':<26} {'pages':>5} {'seconds':>8} {'pages/s':>8} {'peak MB':>8}"
    print(header)
    print("-" * len(header))
    for size in sizes:
        parts = _child("parts", meetings[size], workdir, args.processes)
        one = _child("one", meetings[size], workdir, args.processes)
        rows = [
            ("parts, cold", parts["pages"], parts["cold"], parts["peak_mb"]),
            ("parts, one paper changed", parts["pages"], parts["warm"], parts["peak_mb"]),
            ("one document, one process", one["pages"], one["seconds"], one["peak_mb"]),
        ]
        for way, pages, seconds, peak in rows:
            print(
                f"{size:>6} {way:<26} {pages:>5} {seconds:>8.2f} {pages / seconds:>8.1f} {peak:>8.0f}"
            )
        print(
            f"{'':>6} cold / one document = {parts['cold'] / one['seconds']:.2f}; "
            f"peak / one document's = {parts['peak_mb'] / one['peak_mb']:.2f} "
            f"(building process {parts['main_peak_mb']:.0f} MB); "
            f"merge and number {parts['merge']:.2f} s; front sheet alone {parts['front']:.2f} s; "
            f"planning (a download's is-it-current check) {parts['plan']:.2f} s; "
            f"render processes started in {parts['worker_start']:.2f} s, once per worker\n"
        )


if __name__ == "__main__":
    main()
