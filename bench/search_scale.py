"""Search times at scale (issue 17, point 2): not run by the tests.

Fills a PostgreSQL database with a council of many years' agendas (items, papers with the
text of long reports, approved minutes; a tenth of the items and a twentieth of the papers
exempt), indexes it with ``search.rebuild()``, and times the search page through Django's
test client for the public and for a councillor: a word in nearly every record ("council"),
and one in fifteen ("zebrafish"). The floor is a view rendering ``base.html`` (its context
processors make one query), as in the issue. Each time is the median and the least of
``--repeat`` runs after one to warm up (on a shared machine the least is the nearest to what the
code costs), against the floor's own, with the page's queries and their database time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrutiny_bench \\
        .venv/bin/python bench/search_scale.py [--thousands 10] [--repeat 7]

The database is migrated and filled on the first run (``--thousands`` thousand items, as many
papers and as many minutes); later runs reuse it, so the same data can be timed before and
after a change to the code (``--generate-only`` fills it, ``--no-generate`` refuses to): run
this file from a checkout of the older code (``git archive``) against the same database.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import types
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F, Value  # noqa: E402
from django.db.models.functions import Concat  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from boards.models import (  # noqa: E402
    AgendaItem,
    Board,
    Meeting,
    Membership,
    MunicipalYear,
    Paper,
    Person,
    Publication,
    Venue,
)
from boards.roles import Role  # noqa: E402
from minutes.models import Minute, MinutesRecord  # noqa: E402

COMMON, RARE, RARE_HITS = "council", "zebrafish", 15
SLUG = "bench-board"
BOARDS = 8
ITEMS_PER_MEETING = 8
YEARS = 10

# A vocabulary with a long tail: a few words are everywhere, most are rare.
_STEMS = [
    "budget",
    "housing",
    "highways",
    "library",
    "school",
    "transport",
    "planning",
    "waste",
    "recycling",
    "parking",
    "care",
    "children",
    "adult",
    "health",
    "leisure",
    "park",
    "contract",
    "tender",
    "procurement",
    "staffing",
    "pension",
    "audit",
    "risk",
    "performance",
    "target",
    "service",
    "delivery",
    "consultation",
    "equality",
    "climate",
    "energy",
    "flood",
    "drainage",
    "licensing",
    "taxi",
    "market",
    "tourism",
    "museum",
    "archive",
    "grant",
    "funding",
    "reserve",
    "capital",
    "revenue",
    "saving",
    "efficiency",
    "partnership",
    "strategy",
    "policy",
    "review",
    "scrutiny",
    "inquiry",
    "evidence",
    "witness",
    "recommendation",
    "response",
    "monitoring",
    "report",
    "appendix",
    "minutes",
    "resolution",
    "member",
    "officer",
    "director",
    "executive",
    "cabinet",
    "portfolio",
    "ward",
    "neighbourhood",
    "community",
    "voluntary",
    "sector",
    "business",
    "economy",
    "employment",
    "skills",
    "apprenticeship",
    "college",
    "university",
    "transport",
    "bus",
    "rail",
    "cycling",
    "walking",
    "road",
    "pothole",
    "bridge",
    "street",
    "lighting",
    "tree",
    "verge",
    "allotment",
    "cemetery",
    "crematorium",
    "registrar",
    "election",
    "boundary",
    "governance",
    "constitution",
    "standards",
]
WORDS = _STEMS + [f"{stem}{suffix}" for stem in _STEMS for suffix in ("s", "ing", "ed", "al")]
FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "for",
    "that",
    "is",
    "on",
    "be",
    "with",
    "by",
    "as",
    "are",
    "this",
    "at",
    "from",
    "it",
    "an",
    "or",
]


def _sentence(rng: random.Random, words: int) -> str:
    picked = []
    for _ in range(words):
        if rng.random() < 0.45:
            picked.append(rng.choice(FILLER))
        else:
            picked.append(WORDS[min(int(rng.paretovariate(1.1)) - 1, len(WORDS) - 1)])
    picked[rng.randrange(len(picked))] = COMMON if rng.random() < 0.8 else picked[0]
    return " ".join(picked).capitalize() + "."


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 20)) for _ in range(sentences))


def generate(thousands: int) -> None:
    rng = random.Random(17)
    items_wanted = thousands * 1000
    meetings_wanted = items_wanted // ITEMS_PER_MEETING
    User = get_user_model()
    started = time.perf_counter()
    with transaction.atomic():
        clerk, _ = User.objects.get_or_create(username="bench-clerk")
        clerk.groups.add(Group.objects.get(name=Role.CLERK))
        venue, _ = Venue.objects.get_or_create(name="Bench Hall")
        first_year = timezone.localdate().year - YEARS
        years = [
            MunicipalYear.objects.get_or_create(starts_on=datetime.date(first_year + n, 5, 20))[0]
            for n in range(YEARS + 1)
        ]
        boards = [
            Board.objects.create(
                name=f"Bench Scrutiny Board {n}", slug=f"{SLUG}-{n}", kind=Board.Kind.SCRUTINY
            )
            for n in range(BOARDS)
        ]
        span = (years[-1].starts_on - years[0].starts_on).days
        meetings = []
        for n in range(meetings_wanted):
            day = years[0].starts_on + datetime.timedelta(days=span * n // meetings_wanted + 1)
            starts_at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
            year = [y for y in years if y.starts_on <= day][-1]
            meetings.append(
                Meeting(
                    board=boards[n % BOARDS],
                    municipal_year=year,
                    starts_at=starts_at,
                    venue=venue,
                    status=Meeting.Status.AGENDA_PUBLISHED,
                    agenda_published_at=starts_at - datetime.timedelta(days=8),
                )
            )
        meetings = Meeting.objects.bulk_create(meetings, batch_size=1000)
        publications = Publication.objects.bulk_create(
            [
                Publication(
                    meeting=meeting,
                    kind=Publication.Kind.AGENDA,
                    published_at=meeting.agenda_published_at,
                    published_by=clerk,
                    deadline=meeting.starts_at.date() - datetime.timedelta(days=7),
                )
                for meeting in meetings
            ],
            batch_size=1000,
        )
        items = []
        for meeting, publication in zip(meetings, publications, strict=True):
            for number in range(1, ITEMS_PER_MEETING + 1):
                exempt = rng.random() < 0.1
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        number=number,
                        title=_sentence(rng, rng.randint(3, 7))[:-1],
                        purpose=_text(rng, rng.randint(2, 5)),
                        exempt=exempt,
                        exempt_paragraph=3 if exempt else None,
                        publication=publication,
                    )
                )
        items = AgendaItem.objects.bulk_create(items, batch_size=1000)
        papers = []
        for item in items:
            exempt = rng.random() < 0.05
            papers.append(
                Paper(
                    agenda_item=item,
                    title=f"Report: {item.title}",
                    summary=_text(rng, 3),
                    # The text read from a long uploaded report.
                    text=_text(rng, rng.randint(20, 120)),
                    exempt=exempt,
                    exempt_paragraph=3 if exempt else None,
                    publication=item.publication,
                )
            )
        Paper.objects.bulk_create(papers, batch_size=1000)
        by_meeting = {meeting.pk: meeting for meeting in meetings}
        records = []
        for n, meeting in enumerate(meetings):
            # Approved at the board's next meeting; the last ones released as drafts.
            later = meetings[n + BOARDS] if n + BOARDS < len(meetings) else None
            records.append(
                MinutesRecord(
                    meeting=meeting,
                    status=MinutesRecord.Status.APPROVED if later else MinutesRecord.Status.DRAFT,
                    approved_at_meeting=later,
                    approved_on=later.starts_at if later else None,
                    released_at=None if later else meeting.starts_at,
                )
            )
        MinutesRecord.objects.bulk_create(records, batch_size=1000)
        numbers: dict[tuple[int, int], int] = {}
        minutes = []
        for item in items:
            meeting = by_meeting[item.meeting_id]
            key = (meeting.board_id, meeting.municipal_year_id)
            numbers[key] = numbers.get(key, 0) + 1
            minutes.append(
                Minute(
                    meeting=meeting,
                    board_id=meeting.board_id,
                    municipal_year_id=meeting.municipal_year_id,
                    number=numbers[key],
                    order=item.number,
                    agenda_item=item,
                    title=item.title,
                    narrative=_text(rng, rng.randint(3, 12)),
                    public_summary="Considered in private." if item.exempt else "",
                )
            )
        Minute.objects.bulk_create(minutes, batch_size=1000)
        # The rare word, in fifteen open records of each kind's text.
        open_records = [
            AgendaItem.objects.filter(meeting__board__slug__startswith=SLUG, exempt=False),
            Paper.objects.filter(agenda_item__meeting__board__slug__startswith=SLUG, exempt=False),
            Minute.objects.filter(board__slug__startswith=SLUG, agenda_item__exempt=False),
        ]
        for records, field in zip(open_records, ["purpose", "text", "narrative"], strict=True):
            pks = rng.sample(list(records.values_list("pk", flat=True)), RARE_HITS // 3)
            records.model.objects.filter(pk__in=pks).update(
                **{field: Concat(F(field), Value(f" The {RARE} survey."))}
            )
        councillor, _ = User.objects.get_or_create(username="bench-councillor")
        councillor.groups.add(Group.objects.get(name=Role.COUNCILLOR))
        person = Person.objects.create(
            kind=Person.Kind.COUNCILLOR, given_name="Bench", family_name="Member", user=councillor
        )
        Membership.objects.create(
            board=boards[0],
            person=person,
            role=Membership.Role.MEMBER,
            starts_on=years[0].starts_on,
        )
    print(
        f"Generated {len(items)} items, papers and minutes in {time.perf_counter() - started:.0f} s"
    )
    started = time.perf_counter()
    from search import index

    indexed = index.rebuild()
    print(f"Indexed {indexed} records in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


@dataclass
class Timing:
    median: float  # ms
    least: float  # ms: on a shared machine, the nearest to what the code itself costs
    queries: int
    db: float  # ms, the median of the queries' total
    heading: str


def _time(client: Client, params: dict, repeat: int, url: str = "/search/") -> Timing:
    client.get(url, params)  # warm: the session, the audience, the caches
    times, db = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        db.append(sum(float(q["time"]) for q in queries.captured_queries))
    heading = ""
    if "results-heading" in response.text:
        heading = response.text.split('id="results-heading">', 1)[1].split("<", 1)[0]
    return Timing(
        statistics.median(times) * 1000,
        min(times) * 1000,
        len(queries),
        statistics.median(db) * 1000,
        heading.strip(),
    )


def _floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


def _with_floor() -> None:
    """The project's URLs and the floor: a view rendering ``base.html`` with no queries."""
    urls = types.ModuleType("bench_urls")
    urls.urlpatterns = [
        path("bench-floor/", _floor),
        *import_module(settings.ROOT_URLCONF).urlpatterns,
    ]  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = urls
    clear_url_caches()


def measure(repeat: int) -> None:
    from tests.factories import sign_in

    _with_floor()
    User = get_user_model()
    councillor = sign_in(Client(), User.objects.get(username="bench-councillor"))
    clients = {"public": Client(), "councillor": councillor}
    floor = _time(Client(), {}, repeat, "/bench-floor/")
    form = _time(Client(), {}, repeat)
    print(
        f"{Minute.objects.count()} minutes, {Paper.objects.count()} papers, "
        f"{AgendaItem.objects.count()} items; database {_size()}"
    )
    print(
        f"floor (a view rendering base.html, {floor.queries} queries): median {floor.median:.1f} "
        f"ms, least {floor.least:.1f} ms; the search page without a query: {form.median:.1f}, "
        f"{form.least:.1f} ms"
    )
    print(
        f"{'audience':<11} {'word':<10} {'median':>7} {'x floor':>8} {'least':>7} {'x floor':>8} "
        f"{'queries':>8} {'db ms':>6}  heading"
    )
    for name, client in clients.items():
        for word in (COMMON, RARE):
            t = _time(client, {"q": word}, repeat)
            print(
                f"{name:<11} {word:<10} {t.median:7.1f} {t.median / floor.median:8.1f} "
                f"{t.least:7.1f} {t.least / floor.least:8.1f} {t.queries:8d} {t.db:6.1f}  "
                f"{t.heading}"
            )


def _size() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--thousands", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--no-generate", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Give DATABASE_URL a PostgreSQL database: the point is PostgreSQL at scale.")
    call_command("migrate", verbosity=0)
    if not Board.objects.filter(slug__startswith=SLUG).exists():
        if args.no_generate:
            sys.exit("The database holds no bench council.")
        generate(args.thousands)
    if not args.generate_only:
        measure(args.repeat)


if __name__ == "__main__":
    main()
