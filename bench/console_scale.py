"""The minute-taker's console, a board's page, its tracker and "What needs attention" with ten
years of one board held (not run by the tests).

Generates, in a database of its own, a council that has used the app for ten municipal years:
300 past councillors (their terms ended) and 99 serving, 80 officers, 300 witnesses, 200 posts
(60 held today, the rest held only in earlier years), one scrutiny board with 12 members a year,
ten meetings a year of 13 items, each held meeting minuted (attendance, a minute an item,
resolutions and actions), two inquiries a year with their recommendations, responses, progress
updates and judgements (most of the older ones closed). Then, signed in as the board's officer,
asks for each page repeatedly and prints its median and 95th percentile time, its size and
its number of queries, against a floor: a page rendering ``base.html`` with no queries.

    .venv/bin/python bench/console_scale.py               # SQLite, /tmp/console_scale.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/console_scale .venv/bin/python \\
        bench/console_scale.py
    .venv/bin/python bench/console_scale.py --fresh --past 300 --posts 200 --years 10 --runs 20

The database is generated once and kept (``--fresh`` generates it again); times are of the
Django test client in one process (middleware, views, templates and queries; no network).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import types
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LONDON = zoneinfo.ZoneInfo("Europe/London")
TEXT = (
    "the board considered the report of the director on the council's service level agreement "
    "members asked about the capacity of the ICT service its resilience and the investment "
    "planned for the coming year officers explained the arrangements for support out of hours "
    "and the review of demand across the directorates"
)
WORDS = TEXT.split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def setup_django(database: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()


def generate(args: argparse.Namespace) -> None:
    """The council, as ``--past``, ``--current``, ``--posts`` and ``--years`` say."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from boards.models import (
        AgendaItem,
        Board,
        Meeting,
        Membership,
        MunicipalYear,
        NamedSubstitute,
        Party,
        Person,
        Post,
        PostHolding,
        Publication,
        Ward,
    )
    from boards.roles import Role
    from boards.services import standard_agenda
    from inquiries.models import Inquiry, StageChange
    from minutes.models import Attendance, Minute, MinutesRecord, Resolution
    from recommendations.models import (
        Judgement,
        ProgressUpdate,
        Recommendation,
        Response,
        Statement,
        TrackingCategory,
    )

    rng = random.Random(17)
    today = datetime.date.today()
    current_start = datetime.date(today.year if today.month >= 6 else today.year - 1, 5, 20)
    starts = [current_start.replace(year=current_start.year - n) for n in range(args.years)][::-1]
    with transaction.atomic():
        years = [MunicipalYear.objects.create(starts_on=day) for day in starts]
        wards = Ward.objects.bulk_create(Ward(name=f"Ward {n}") for n in range(1, 34))
        parties = Party.objects.bulk_create(
            Party(name=name) for name in ("Labour", "Conservative", "Liberal Democrat", "Green")
        )

        def councillor(n: int, elected: datetime.date, ends: datetime.date) -> Person:
            return Person(
                kind=Person.Kind.COUNCILLOR,
                given_name=f"Given{n}",
                family_name=f"Family{n:04d}",
                ward=wards[n % len(wards)],
                party=parties[n % len(parties)],
                elected_on=elected,
                term_ends_on=ends,
            )

        first = starts[0]
        past = Person.objects.bulk_create(
            councillor(
                n,
                first + datetime.timedelta(days=rng.randrange(0, 365 * 2)),
                first + datetime.timedelta(days=365 * 2 + rng.randrange(0, 365 * (args.years - 3))),
            )
            for n in range(args.past)
        )
        # Every past term ended before the previous municipal year.
        for person in past:
            person.term_ends_on = min(person.term_ends_on, starts[-2] - datetime.timedelta(days=1))
            person.elected_on = min(person.elected_on, person.term_ends_on - datetime.timedelta(1))
        Person.objects.bulk_update(past, ["elected_on", "term_ends_on"])
        current = Person.objects.bulk_create(
            councillor(
                args.past + n,
                starts[-2] - datetime.timedelta(days=rng.randrange(0, 365 * 2)),
                current_start.replace(year=current_start.year + 3),
            )
            for n in range(args.current)
        )
        officers = Person.objects.bulk_create(
            Person(
                kind=Person.Kind.OFFICER,
                given_name=f"Officer{n}",
                family_name=f"Staff{n:04d}",
                job_title=f"Head of Service {n}",
            )
            for n in range(80)
        )
        Person.objects.bulk_create(
            Person(
                kind=Person.Kind.WITNESS,
                given_name=f"Witness{n}",
                family_name=f"Outside{n:04d}",
                organisation=f"Partner {n}",
            )
            for n in range(300)
        )
        posts = Post.objects.bulk_create(
            Post(title=f"Director of Service Area {n:03d}") for n in range(args.posts)
        )
        holdings = []
        for n, post in enumerate(posts):
            held_to = current_start if n >= 60 else None
            holdings.append(
                PostHolding(
                    post=post,
                    person=officers[n % len(officers)],
                    starts_on=first,
                    ends_on=(held_to - datetime.timedelta(days=400)) if held_to else None,
                )
            )
        PostHolding.objects.bulk_create(holdings)

        user = get_user_model().objects.create_user("bench-officer", password="bench-2026")  # noqa: S106
        user.groups.add(Group.objects.get(name=Role.OFFICER))
        support = Person.objects.create(
            kind=Person.Kind.OFFICER,
            given_name="Sandra",
            family_name="Pentelow",
            job_title="Principal Scrutiny Adviser",
            user=user,
        )
        board = Board.objects.create(
            name="Scrutiny Board (Strategy and Resources)",
            slug="strategy-and-resources",
            support_officer=support,
        )
        members_by_year = []
        for index, year in enumerate(years):
            last = index == len(years) - 1
            pool = current if index >= len(years) - 2 else past
            chosen = rng.sample(pool, 12)
            members_by_year.append(chosen)
            ends = None if last else years[index + 1].starts_on - datetime.timedelta(days=1)
            Membership.objects.bulk_create(
                Membership(
                    board=board,
                    person=person,
                    role=Membership.Role.CHAIR if n == 0 else Membership.Role.MEMBER,
                    starts_on=year.starts_on,
                    ends_on=ends,
                )
                for n, person in enumerate(chosen)
            )
        others = [p for p in current if p not in members_by_year[-1]]
        NamedSubstitute.objects.bulk_create(
            NamedSubstitute(board=board, person=person, starts_on=current_start)
            for person in others[:5]
        )

        now = datetime.datetime.now(tz=LONDON)
        agenda = standard_agenda(board)
        held_meetings = []
        number_of_minute = {}
        for index, year in enumerate(years):
            for month in (6, 7, 9, 10, 11, 12, 1, 2, 3, 4):
                calendar_year = year.starts_on.year + (month < 5)
                starts_at = datetime.datetime(calendar_year, month, 20, 10, 0, tzinfo=LONDON)
                held = starts_at < now
                meeting = Meeting.objects.create(
                    board=board,
                    municipal_year=year,
                    starts_at=starts_at,
                    status=Meeting.Status.HELD if held else Meeting.Status.SCHEDULED,
                    compiler=support,
                    agenda_published_at=starts_at - datetime.timedelta(days=8),
                )
                publication = Publication.objects.create(
                    meeting=meeting,
                    kind=Publication.Kind.AGENDA,
                    published_at=starts_at - datetime.timedelta(days=8),
                    published_by=user,
                    deadline=(starts_at - datetime.timedelta(days=7)).date(),
                )
                standard = [
                    AgendaItem(
                        meeting=meeting,
                        number=n,
                        kind=item.kind,
                        title=item.title,
                        purpose=item.purpose,
                        publication=publication,
                    )
                    for n, item in enumerate(agenda[:6], start=1)
                ]
                reports = [
                    AgendaItem(
                        meeting=meeting,
                        number=7 + n,
                        kind=AgendaItem.Kind.REPORT,
                        title=f"Report {n + 1}: {sentence(rng, 5)}",
                        purpose=sentence(rng, 20),
                        publication=publication,
                        lead_post=rng.choice(posts),
                    )
                    for n in range(5)
                ]
                closing = [
                    AgendaItem(
                        meeting=meeting,
                        number=12 + n,
                        kind=item.kind,
                        title=item.title,
                        purpose=item.purpose,
                        publication=publication,
                    )
                    for n, item in enumerate(agenda[6:])
                ]
                items = AgendaItem.objects.bulk_create([*standard, *reports, *closing])
                if held:
                    held_meetings.append((meeting, year, members_by_year[index], items))

        for position, (meeting, year, members, items) in enumerate(held_meetings):
            latest = position == len(held_meetings) - 1
            MinutesRecord.objects.create(
                meeting=meeting,
                chair=members[0],
                started_at=datetime.time(10, 0),
                ended_at=datetime.time(12, 5),
                status=MinutesRecord.Status.DRAFT if latest else MinutesRecord.Status.APPROVED,
                approved_at_meeting=None if latest else held_meetings[position + 1][0],
                approved_on=None if latest else held_meetings[position + 1][0].starts_at,
            )
            Attendance.objects.bulk_create(
                Attendance(
                    meeting=meeting,
                    person=person,
                    kind=Attendance.Kind.MEMBER,
                    status=Attendance.Status.APOLOGIES
                    if rng.random() < 0.1
                    else Attendance.Status.PRESENT,
                )
                for person in members
            )
            Attendance.objects.bulk_create(
                Attendance(
                    meeting=meeting,
                    person=holding.person,
                    post=holding.post,
                    kind=Attendance.Kind.OFFICER,
                    status=Attendance.Status.PRESENT,
                )
                for holding in rng.sample(holdings[:60], 3)
            )
            minutes = []
            for item in items:
                if item.kind in (AgendaItem.Kind.APPEALS, AgendaItem.Kind.EXEMPT_INFORMATION):
                    continue
                number = number_of_minute.get(year.pk, 0) + 1
                number_of_minute[year.pk] = number
                report = item.kind == AgendaItem.Kind.REPORT
                minutes.append(
                    Minute(
                        meeting=meeting,
                        board=board,
                        municipal_year=year,
                        number=number,
                        order=item.number,
                        agenda_item=item,
                        title=item.title,
                        narrative="\n\n".join(sentence(rng, 40) for _ in range(3))
                        if report
                        else "",
                    )
                )
            minutes = Minute.objects.bulk_create(minutes)
            resolutions = []
            for minute in minutes:
                for n in range(1, rng.randint(2, 3) + 1):
                    action = n == 2 and rng.random() < 0.6
                    owner = rng.random()
                    resolutions.append(
                        Resolution(
                            minute=minute,
                            position=n,
                            text=sentence(rng, 14),
                            is_action=action,
                            owner_post=rng.choice(posts) if action and owner < 0.4 else None,
                            owner_person=rng.choice(officers)
                            if action and 0.4 <= owner < 0.7
                            else None,
                            owner_text="the Democratic Services Manager"
                            if action and owner >= 0.7
                            else "",
                            due_on=meeting.date + datetime.timedelta(days=90) if action else None,
                            done_on=meeting.date + datetime.timedelta(days=60)
                            if action and rng.random() < 0.9 and not latest
                            else None,
                        )
                    )
            Resolution.objects.bulk_create(resolutions)

        categories = list(TrackingCategory.objects.all())
        achieved = next(c for c in categories if c.ends_monitoring)
        continuing = next(c for c in categories if not c.ends_monitoring)
        for index, year in enumerate(years):
            for n in range(2):
                began = year.starts_on + datetime.timedelta(days=40 + 120 * n)
                inquiry = Inquiry.objects.create(
                    board=board,
                    title=f"Inquiry into service {index}-{n}: {sentence(rng, 4)}",
                    slug=f"inquiry-{index}-{n}",
                    stage=Inquiry.Stage.MONITORING,
                )
                StageChange.objects.create(inquiry=inquiry, stage=Inquiry.Stage.PROPOSED, on=began)
                published = began + datetime.timedelta(days=150)
                statement = Statement.objects.create(
                    inquiry=inquiry,
                    title=inquiry.title,
                    month=published.replace(day=1),
                    published_on=published if published < today else None,
                    response_due_on=published + datetime.timedelta(days=61)
                    if published < today
                    else None,
                )
                old = index < len(years) - 2
                if old and rng.random() < 0.9:
                    closed_on = published + datetime.timedelta(days=rng.randrange(200, 360))
                    inquiry.stage = Inquiry.Stage.CLOSED
                    inquiry.save(update_fields=["stage"])
                    StageChange.objects.create(
                        inquiry=inquiry, stage=Inquiry.Stage.CLOSED, on=closed_on
                    )
                for number in range(1, 9):
                    recommendation = Recommendation.objects.create(
                        statement=statement,
                        number=number,
                        text=sentence(rng, 30),
                        deadline_on=published + datetime.timedelta(days=180),
                    )
                    tracked = [recommendation]
                    if number <= 2:
                        tracked = [
                            Recommendation.objects.create(
                                statement=statement,
                                number=number,
                                parent=recommendation,
                                position=letter,
                                text=sentence(rng, 15),
                                deadline_on=published + datetime.timedelta(days=180),
                            )
                            for letter in (1, 2, 3)
                        ]
                    if statement.published_on is None:
                        continue
                    for part in tracked:
                        Response.objects.create(
                            recommendation=part,
                            decision=Response.Decision.AGREED,
                            text=sentence(rng, 25),
                            responded_on=published + datetime.timedelta(days=50),
                        )
                        ProgressUpdate.objects.create(
                            recommendation=part,
                            on=published + datetime.timedelta(days=120),
                            text=sentence(rng, 30),
                        )
                        closed = old and rng.random() < 0.92
                        category = achieved if closed else continuing
                        Judgement.objects.create(
                            recommendation=part,
                            category=category,
                            on=published + datetime.timedelta(days=150),
                        )
                        part.current_category = category
                        part.save(update_fields=["current_category"])


def sign_in(client, username: str) -> None:
    from django.contrib.auth import get_user_model
    from django.http import HttpRequest
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="Bench", confirmed=True
    )
    request = HttpRequest()
    request.session = client.session
    request.user = user
    otp_login(request, device)
    request.session.save()


def measure(client, method: str, url: str, runs: int, data: dict | None = None):
    """Median and 95th percentile in ms, bytes and queries of the last run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send = getattr(client, method)

    def ask():
        payload = data() if callable(data) else data
        begin = time.perf_counter()
        response = send(url, payload) if payload is not None else send(url)
        return response, (time.perf_counter() - begin) * 1000

    for _ in range(2):
        ask()
    times = [ask()[1] for _ in range(runs)]
    with CaptureQueriesContext(connection) as queries:
        response, _ms = ask()
    if response.status_code not in (200, 302):
        raise SystemExit(f"{url}: {response.status_code}")
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(response.content), len(queries)


def floor_urls() -> str:
    """The project's URLs and ``/bench-floor/``: ``base.html`` with no queries."""
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    template = engines["django"].from_string('{% extends "base.html" %}')

    def floor(request):
        return HttpResponse(template.render({}, request))

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench-floor/", floor),
        path("", include("scrutiny.urls")),
    ]
    sys.modules["bench_urls"] = module
    return "bench_urls"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database", default=str(Path(tempfile.gettempdir()) / "console_scale.sqlite3")
    )
    parser.add_argument("--fresh", action="store_true", help="generate the council again")
    parser.add_argument("--past", type=int, default=300, help="past councillors")
    parser.add_argument("--current", type=int, default=99, help="serving councillors")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    sqlite = "DATABASE_URL" not in os.environ
    if sqlite and args.fresh and Path(args.database).exists():
        Path(args.database).unlink()
    setup_django(args.database)

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import clear_url_caches

    from boards.models import Meeting
    from minutes.models import Minute

    call_command("migrate", verbosity=0)
    if args.fresh or not Meeting.objects.exists():
        if Meeting.objects.exists():
            call_command("flush", "--no-input", verbosity=0)
            call_command("migrate", verbosity=0)
        began = time.perf_counter()
        generate(args)
        print(f"generated in {time.perf_counter() - began:.0f} s")

    settings.ROOT_URLCONF = floor_urls()
    clear_url_caches()
    client = Client()
    sign_in(client, "bench-officer")
    meeting = Meeting.objects.filter(minutes__status="draft").order_by("-starts_at").first()
    minute = Minute.objects.filter(meeting=meeting, narrative__gt="").first()

    def autosave() -> dict:
        minute.refresh_from_db(fields=["version"])
        return {"version": minute.version, "narrative": f"Typed {time.perf_counter()}"}

    pages = [
        ("floor (base.html, no queries)", "get", "/bench-floor/", None),
        ("the minutes console", "get", f"/meetings/{meeting.pk}/console/", None),
        ("board page", "get", "/boards/strategy-and-resources/", None),
        ("tracker", "get", "/recommendations/tracking/board/strategy-and-resources/", None),
        ("tracker CSV", "get", "/recommendations/tracking/board/strategy-and-resources.csv", None),
        ("What needs attention", "get", "/recommendations/attention/", None),
        ("autosave (htmx POST)", "post", f"/minutes/{minute.pk}/save/", autosave),
    ]
    print(f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {args.runs} runs each")
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'× floor':>8} {'KB':>8} {'queries':>8}")
    floor = None
    for name, method, url, data in pages:
        if method == "post":
            client.defaults["HTTP_HX_REQUEST"] = "true"
        median, p95, size, queries = measure(client, method, url, args.runs, data)
        client.defaults.pop("HTTP_HX_REQUEST", None)
        floor = floor or median
        print(
            f"{name:34} {median:10.1f} {p95:8.1f} {median / floor:8.1f} {size / 1024:8.1f} "
            f"{queries:8d}"
        )


if __name__ == "__main__":
    main()
