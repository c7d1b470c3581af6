"""A generated council of any size for `make bench-pages` (``bench/pages.py``), written straight
into the database with ``bulk_create`` through the real models: nothing here is a fixture the
app knows about, and nothing goes through the services (which would take hours at this size).

At the defaults (ten municipal years, twenty bodies) it is the council issue 17 describes:
about 2,100 meetings, 27,000 agenda items, 30,000 papers, 25,000 minutes, 150 inquiries and
2,000 recommendations and parts, with people, memberships that start and end, posts and their
holders, attendance, resolutions and actions, decisions, statements, responses, progress
updates and judgements. The rates are per body and year, so ``--years`` and ``--boards`` scale
it. Every uploaded paper points at one small PDF stored once.

``generate()`` returns what the bench asks for: the pages to time and who may see them.
"""

from __future__ import annotations

import bisect
import datetime
import io
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

LONDON = zoneinfo.ZoneInfo("Europe/London")

# The word the "rare" search finds: planted in RARE_HITS published records, nowhere else.
RARE_WORD = "quillwort"
RARE_HITS = 15
# The word the "common" search finds: in nearly every record.
COMMON_WORD = "council"

SHARED_PDF = "papers/bench-shared.pdf"

BOARDS = [
    ("Scrutiny Board (Strategy and Resources)", "scrutiny"),
    ("Executive Board", "executive"),
    ("Scrutiny Board (Adults, Health and Active Lifestyles)", "scrutiny"),
    ("Full Council", "council"),
    ("Scrutiny Board (Children and Families)", "scrutiny"),
    ("Plans Panel (City Centre)", "regulatory"),
    ("Scrutiny Board (Environment, Housing and Communities)", "scrutiny"),
    ("Licensing Committee", "regulatory"),
    ("Scrutiny Board (Infrastructure, Investment and Inclusive Growth)", "scrutiny"),
    ("Corporate Governance and Audit Committee", "other"),
    ("Scrutiny Board (Culture, Economy and Skills)", "scrutiny"),
    ("Standards and Conduct Committee", "other"),
    ("Plans Panel (North and East)", "regulatory"),
    ("Scrutiny Board (Climate Emergency)", "scrutiny"),
    ("Health and Wellbeing Board", "other"),
    ("Plans Panel (South and West)", "regulatory"),
    ("Employment Committee", "other"),
    ("Community Committee (Inner East)", "other"),
    ("Community Committee (Outer North West)", "other"),
    ("Climate Emergency Advisory Working Group", "working_group"),
]
SEATS = {"council": 0, "executive": 8, "scrutiny": 12, "regulatory": 10, "other": 8}
SEATS["working_group"] = 6

GIVEN = (  # noqa: SIM905 - a list of words, as one reads it
    "Alan Amina Barbara Bilal Carol Chen Daniel Deborah Edward Fatima Fiona Gareth Hannah "
    "Harjit Ian Imran Jane Jonathan Karen Kevin Laura Liam Margaret Mohammed Neil Nicola "
    "Oliver Pauline Peter Priya Rachel Richard Sarah Simon Stewart Tahir Una Victoria "
    "William Yasmin Zara"
).split()
FAMILY = (  # noqa: SIM905 - a list of words, as one reads it
    "Anderson Ahmed Bentley Brown Carter Chapman Davies Dobson Evans Fletcher Green Groves "
    "Harper Hussain Iqbal Jackson Khan Lamb Latty Lewis Marshall McKenna Nash Newton Owen "
    "Patel Quinn Ritchie Robinson Smith Taylor Truswell Underwood Venner Walker Wood Wright "
    "Yeadon Young"
).split()
POSTS = [
    "Chief Executive",
    "Director of Resources",
    "Director of Adults and Health",
    "Director of Children and Families",
    "Director of Communities, Housing and Environment",
    "Director of City Development",
    "Chief Digital and Information Officer",
    "Chief Officer Financial Services",
    "Chief Officer Human Resources",
    "City Solicitor",
    "Head of Democratic Services",
    "Head of Scrutiny",
    "Chief Officer Highways and Transportation",
    "Chief Planning Officer",
    "Chief Officer Culture and Economy",
    "Chief Officer Safer Stronger Communities",
    "Director of Public Health",
    "Chief Officer Commissioning",
    "Chief Officer Elections and Regulatory",
    "Chief Officer Climate Emergency",
    "Executive Member for Resources",
    "Executive Member for Adult Social Care",
    "Executive Member for Children and Families",
    "Executive Member for Housing",
    "Executive Member for Infrastructure and Climate",
    "Executive Member for Economy, Culture and Education",
    "Executive Member for Communities",
    "Executive Member for Public Health",
]
TOPICS = [
    "Financial Health Monitoring",
    "Performance Update",
    "Budget Proposals",
    "Digital Strategy",
    "Procurement and Commissioning",
    "Workforce Strategy",
    "Customer Access",
    "Community Safety Partnership",
    "Libraries and Community Hubs",
    "Housing Repairs and Maintenance",
    "Highways Maintenance Programme",
    "Council Tax Support Scheme",
    "Adult Social Care Charging",
    "School Places Planning",
    "Waste Strategy",
    "Air Quality",
    "Local Plan Update",
    "Inclusive Growth Strategy",
    "Flood Risk Management",
    "Public Health Annual Report",
    "Children's Social Work Services",
    "Apprenticeships and Skills",
    "Asset Management Plan",
    "Contracts Register",
    "Complaints and Compliments",
    "Equality Improvement Priorities",
    "Transport Connectivity",
    "Cultural Programme",
    "Carbon Reduction Plan",
    "Tenant Satisfaction",
]
INQUIRY_TOPICS = [
    "ICT Capacity",
    "Commissioning of Services",
    "Maternity Services",
    "Fuel Poverty",
    "Waste Collection",
    "Housing Mix",
    "Apprenticeships",
    "Residential Care Quality",
    "Child Poverty",
    "Town Centre Regeneration",
    "Bus Services",
    "Anti-Social Behaviour",
    "Sickness Absence",
    "Income Generation",
    "Private Rented Sector",
    "Early Help",
    "Digital Inclusion",
    "Cycling Infrastructure",
    "Loneliness in Later Life",
    "Youth Services",
]
WORDS = (  # noqa: SIM905 - a list of words, as one reads it
    "council board officers members service services report review current arrangements "
    "investment resilience support demand systems business continuity planned delivery "
    "partners residents community communities budget savings performance progress outcomes "
    "strategy framework capacity workforce contract contracts provider providers quality "
    "improvement priorities risks mitigation consultation engagement evidence inquiry "
    "recommendation recommendations monitoring targets funding capital revenue pressures "
    "demand-led transformation digital housing highways schools health care wellbeing "
    "transport climate carbon libraries licensing planning applications wards city district "
    "neighbourhoods equality diversity cohesion integration commissioning procurement value "
    "money efficiency assurance governance audit compliance statutory duties legislation "
    "guidance national regional local authority authorities government grant allocation "
    "reserves forecast outturn variance spending programme project projects timetable"
).split()
SENTENCES = [
    "The {a} of the {b} was considered in the light of {c} and {d}.",
    "Members noted that the {a} had improved since the last report to the Board.",
    "Officers explained how {a} and {b} would be brought together over the coming year.",
    "The Board asked for further information on {a} in each ward of the city.",
    "It was reported that {a} remained a pressure on the council's {b} budget.",
    "Members welcomed the progress made on {a} and thanked the officers for their work.",
    "Concerns were raised about {a}, particularly where {b} depended on external {c}.",
    "The Director confirmed that {a} would be reviewed with {b} before the next meeting.",
    "A discussion took place on the {a} and the council's approach to {b}.",
    "The report set out the {a}, the {b} and the options for {c}.",
    "The Executive Member outlined the {a} and how it would support {b} across the council.",
    "Members sought assurance that {a} would not affect the quality of {b}.",
]


def _words(rng: random.Random, k: int) -> list[str]:
    return rng.choices(WORDS, k=k)


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 6)):
        a, b, c, d = (" ".join(_words(rng, 2)) for _ in range(4))
        sentences.append(rng.choice(SENTENCES).format(a=a, b=b, c=c, d=d))
    return " ".join(sentences)


RESOLUTIONS = [
    "That the report be noted.",
    "That the Board's comments on the {a} be passed to the Executive Member.",
    "That the {post} provide a further report on the {a} to a future meeting of the Board.",
    "That the Board endorse the approach to {a} set out in the report.",
    "That the {post} circulate a briefing note on {a} to members of the Board.",
    "That the {a} be added to the Board's work schedule.",
]
RECOMMENDATIONS = [
    "That the {post} reviews the {a} and reports the findings to this Board.",
    "That the {post} develops a plan for {a} with partners and residents.",
    "That the {post} sets targets for {a} and reports progress against them twice a year.",
    "That the {post} publishes the {a} on the council's website.",
    "That the {post} ensures that {a} is considered in every future contract.",
]


class Text:
    """A pool of council prose, drawn from quickly: paragraphs joined, never the same twice in a
    row."""

    def __init__(self, rng: random.Random, size: int = 600) -> None:
        self.rng = rng
        self.pool = [_paragraph(rng) for _ in range(size)]

    def paragraphs(self, low: int, high: int) -> list[str]:
        return self.rng.sample(self.pool, self.rng.randint(low, high))

    def body(self, low: int, high: int) -> str:
        return "\n\n".join(self.paragraphs(low, high))

    def sentence(self) -> str:
        return self.rng.choice(self.pool).split(". ")[0].rstrip(".") + "."

    def phrase(self) -> str:
        return " ".join(_words(self.rng, 2))

    def resolution(self) -> str:
        return self.rng.choice(RESOLUTIONS).format(a=self.phrase(), post=self.rng.choice(POSTS))

    def recommendation(self) -> str:
        return self.rng.choice(RECOMMENDATIONS).format(
            a=self.phrase(), post=self.rng.choice(POSTS[:20])
        )


@dataclass
class Summary:
    """What was made, and what the bench times."""

    counts: dict[str, int] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)  # role → User
    targets: dict[str, Any] = field(default_factory=dict)  # name → pk, slug or minute pks


def _pdf_bytes() -> bytes:
    """A one-page PDF (pypdf, a dependency of the project)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:90]


def _bulk(model: Any, rows: list, batch: int = 2000) -> list:
    model.objects.bulk_create(rows, batch_size=batch)
    return rows


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def _weekday(day: datetime.date) -> datetime.date:
    """The day, or the Monday after it if it falls on a weekend."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


@dataclass
class _Meeting:
    """A meeting as planned here, before and after it is saved."""

    board_index: int
    year_index: int
    when: datetime.datetime
    obj: Any = None
    items: list = field(default_factory=list)
    held: bool = False
    published: bool = False
    publication: Any = None
    session: tuple | None = None  # (inquiry plan, session number)
    terms_of: Any = None  # inquiry plan whose terms this meeting agrees


@dataclass
class _Inquiry:
    board_index: int
    year_index: int
    title: str
    meetings: list = field(default_factory=list)
    obj: Any = None


def generate(*, years: int, boards: int, seed: int = 17, log=print) -> Summary:  # noqa: C901
    """Write the council into the (empty, migrated) database; what it made and what to time."""
    from django.contrib.auth.models import Group, User
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from boards import models as b
    from boards.publication import publication_deadline
    from boards.roles import Role
    from decisions.models import ExecutiveDecision
    from inquiries import models as inq
    from minutes import models as mn
    from recommendations import models as rec

    rng = random.Random(seed)
    text = Text(rng)
    summary = Summary()
    now = timezone.now()
    today = timezone.localdate()

    # The shared paper, stored once.
    if not default_storage.exists(SHARED_PDF):
        default_storage.save(SHARED_PDF, ContentFile(_pdf_bytes()))

    # The council, its wards and parties, posts and people. -----------------------------------
    b.Council.objects.update_or_create(pk=1, defaults={"name": "Benchmoor City Council"})
    ward_count = max(4, round(boards * 1.65))
    wards = _bulk(
        b.Ward, [b.Ward(name=f"{FAMILY[i % len(FAMILY)]} Ward {i + 1}") for i in range(ward_count)]
    )
    parties = _bulk(
        b.Party,
        [
            b.Party(name=name, short_name=short)
            for name, short in [
                ("Labour", "Lab"),
                ("Conservative", "Con"),
                ("Liberal Democrat", "LD"),
                ("Green", "Grn"),
            ]
        ],
    )
    venues = _bulk(
        b.Venue,
        [
            b.Venue(name=name, address="Civic Hall\nBenchmoor\nBM1 1UR")
            for name in ("Civic Hall", "Committee Room 6/7", "Council Chamber", "Banqueting Suite")
        ],
    )

    def name() -> tuple[str, str]:
        return rng.choice(GIVEN), rng.choice(FAMILY)

    first_year = today.year - (years - 1) - (0 if today >= datetime.date(today.year, 5, 21) else 1)
    year_starts = [datetime.date(first_year + i, 5, 21) for i in range(years)]
    myears = _bulk(b.MunicipalYear, [b.MunicipalYear(starts_on=start) for start in year_starts])
    # The last day of each municipal year.
    year_end = [start - datetime.timedelta(days=1) for start in year_starts[1:]]
    year_end.append(datetime.date(first_year + years, 5, 20))

    officers = []
    for i in range(max(12, boards + 6)):
        given, family = name()
        officers.append(
            b.Person(
                kind=b.Person.Kind.OFFICER,
                given_name=given,
                family_name=family,
                job_title="Principal Scrutiny Adviser" if i < boards else "Senior Officer",
                team="Scrutiny Support Unit" if i < boards else "",
                email=f"officer{i}@benchmoor.example",
            )
        )
    witnesses = []
    for _ in range(max(10, boards * 2)):
        given, family = name()
        witnesses.append(
            b.Person(
                kind=b.Person.Kind.WITNESS,
                given_name=given,
                family_name=family,
                organisation=rng.choice(
                    ["Healthwatch", "Chamber of Commerce", "University", "Voluntary Action"]
                ),
            )
        )
    # Councillors by seat, elected by thirds: each year a third of the seats is fought, and a
    # quarter of those change hands.
    seat_count = ward_count * 3
    councillors: list = []
    seat_holders: list[list[tuple[int, int, int]]] = []  # per seat: (councillor index, from, to)
    for seat in range(seat_count):
        holders = []
        start = 0
        current = len(councillors)
        councillors.append(None)
        for year in range(1, years):
            if year % 3 == seat % 3 and rng.random() < 0.25:
                holders.append((current, start, year))
                start = year
                current = len(councillors)
                councillors.append(None)
        holders.append((current, start, years))
        seat_holders.append(holders)
    party_of_ward = [rng.choice(parties) for _ in wards]
    for seat, holders in enumerate(seat_holders):
        for index, start, end in holders:
            given, family = name()
            elected = datetime.date(first_year + start, 5, 5)
            councillors[index] = b.Person(
                kind=b.Person.Kind.COUNCILLOR,
                given_name=given,
                family_name=family,
                ward=wards[seat // 3],
                party=party_of_ward[seat // 3] if rng.random() < 0.8 else rng.choice(parties),
                elected_on=elected,
                term_ends_on=datetime.date(first_year + max(end, start + 4), 5, 4),
            )
    coopted = [
        b.Person(kind=b.Person.Kind.COOPTED, given_name=g, family_name=f)
        for g, f in (name() for _ in range(boards))
    ]
    _bulk(b.Person, officers + witnesses + councillors + coopted)
    active: list[list[int]] = [[] for _ in range(years)]  # councillor indexes in office each year
    for holders in seat_holders:
        for index, start, end in holders:
            for year in range(start, end):
                active[year].append(index)

    posts = _bulk(b.Post, [b.Post(title=title) for title in POSTS])
    holdings = []
    for i, post in enumerate(posts):
        people = councillors if post.title.startswith("Executive Member") else officers[boards:]
        change = rng.randrange(0, years)
        first = rng.choice(people)
        second = rng.choice(people)
        if change == 0 or first == second:
            holdings.append(b.PostHolding(post=post, person=first, starts_on=year_starts[0]))
        else:
            holdings.append(
                b.PostHolding(
                    post=post,
                    person=first,
                    starts_on=year_starts[0],
                    ends_on=year_starts[change] - datetime.timedelta(days=1),
                )
            )
            holdings.append(b.PostHolding(post=post, person=second, starts_on=year_starts[change]))
        del i
    _bulk(b.PostHolding, holdings)

    # The accounts the bench signs in with. ---------------------------------------------------
    users = {}
    for role, username in (
        (Role.CLERK, "bench-clerk"),
        (Role.OFFICER, "bench-officer"),
        (Role.COUNCILLOR, "bench-councillor"),
    ):
        # No password: the bench signs its sessions in directly.
        user = User.objects.create_user(username, f"{username}@benchmoor.example", None)
        user.groups.add(Group.objects.get(name=role))
        if role != Role.COUNCILLOR:
            TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        users[role] = user
    clerk = users[Role.CLERK]
    officer_person = officers[0]
    officer_person.user = users[Role.OFFICER]
    officer_person.save(update_fields=["user"])
    councillor_index = active[years - 1][0]
    councillor_person = councillors[councillor_index]
    councillor_person.user = users[Role.COUNCILLOR]
    councillor_person.save(update_fields=["user"])
    summary.users = {
        "clerk": clerk,
        "officer": users[Role.OFFICER],
        "councillor": users[Role.COUNCILLOR],
    }

    # The bodies and their memberships over the years. -----------------------------------------
    catalogue = list(BOARDS)
    while len(catalogue) < boards:
        catalogue.append((f"Community Committee (Area {len(catalogue) + 1})", "other"))
    catalogue = catalogue[:boards]
    board_objs = []
    for i, (board_name, kind) in enumerate(catalogue):
        board_objs.append(
            b.Board(
                name=board_name,
                slug=_slug(board_name),
                kind=kind,
                remit=text.sentence(),
                # The bench officer supports the first board (the one the pages show) only.
                support_officer=officers[0] if i == 0 else officers[1 + i % (len(officers) - 1)],
                head_of_scrutiny=officers[-1] if kind == "scrutiny" else None,
                minute_prefix="EX" if kind == "executive" else "",
                starts_on=year_starts[0] - datetime.timedelta(days=365 * 5),
            )
        )
    _bulk(b.Board, board_objs)
    template = []
    for board in board_objs:
        for position, (kind, title) in enumerate(_STANDARD, start=1):
            template.append(
                b.AgendaTemplateItem(board=board, position=position, kind=kind, title=title)
            )
    _bulk(b.AgendaTemplateItem, template)

    # Memberships: (person, role, starts, ends) per board; seats keep their holder from year to
    # year with a chance of change, the chair's seat for three years at a time.
    memberships: list = []
    seats_of: dict[int, list] = defaultdict(list)  # board index → memberships
    roles = [b.Membership.Role.CHAIR, b.Membership.Role.VICE_CHAIR]
    for bi, board in enumerate(board_objs):
        kind = catalogue[bi][1]
        if kind == "council":
            for holders in seat_holders:
                for index, start, end in holders:
                    memberships.append(
                        b.Membership(
                            board=board,
                            person=councillors[index],
                            starts_on=year_starts[start],
                            ends_on=None if end == years else year_end[end - 1],
                        )
                    )
            continue
        size = SEATS[kind]
        holders_now: list[int] = [-1] * size
        starts: list[int] = [0] * size
        for year in range(years):
            in_office = set(active[year])
            for seat in range(size):
                holder = holders_now[seat]
                # The bench's councillor sits on the first board this year, and on no other.
                forced = bi == 0 and seat == 2 and year == years - 1
                if forced:
                    keep = holder == councillor_index
                elif seat < 2:  # chair and vice-chair: three years at a time
                    keep = holder in in_office and year % 3 != 0
                else:
                    keep = holder in in_office and rng.random() < 0.75
                if keep:
                    continue
                if holder >= 0:
                    memberships.append(
                        b.Membership(
                            board=board,
                            person=councillors[holder],
                            role=roles[seat] if seat < 2 else b.Membership.Role.MEMBER,
                            starts_on=year_starts[starts[seat]],
                            ends_on=year_end[year - 1],
                        )
                    )
                if forced:
                    new = councillor_index
                else:
                    taken = set(holders_now) | {councillor_index}
                    new = rng.choice([c for c in active[year] if c not in taken] or active[year])
                holders_now[seat] = new
                starts[seat] = year
        for seat, holder in enumerate(holders_now):
            memberships.append(
                b.Membership(
                    board=board,
                    person=councillors[holder],
                    role=roles[seat] if seat < 2 else b.Membership.Role.MEMBER,
                    starts_on=year_starts[starts[seat]],
                )
            )
        if kind == "scrutiny":
            memberships.append(
                b.Membership(
                    board=board,
                    person=coopted[bi],
                    role=b.Membership.Role.COOPTED_VOTING,
                    starts_on=year_starts[0],
                )
            )
    _bulk(b.Membership, memberships)
    for membership in memberships:
        seats_of[membership.board_id].append(membership)

    def members_on(board: Any, day: datetime.date) -> list:
        return [
            m
            for m in seats_of[board.pk]
            if m.starts_on <= day and (m.ends_on is None or m.ends_on >= day)
        ]

    # Meetings: ten or eleven a year per body, June to April. ----------------------------------
    plans: list[_Meeting] = []
    per_board: dict[int, list[_Meeting]] = defaultdict(list)
    for bi in range(len(board_objs)):
        kind = catalogue[bi][1]
        hour = {"executive": 13, "council": 14, "regulatory": 13, "other": 18}.get(kind, 10)
        for yi, year_start in enumerate(year_starts):
            count = 10 + (bi + yi) % 2
            step = 320 // count
            for k in range(count):
                day = _weekday(
                    year_start + datetime.timedelta(days=20 + k * step + rng.randint(-3, 3))
                )
                plan = _Meeting(bi, yi, _at(day, hour))
                plans.append(plan)
                per_board[bi].append(plan)
    for plan in plans:
        plan.held = plan.when < now
    # Two in a hundred past meetings cancelled; the next meeting of each body within twelve
    # days has its agenda out.
    cancelled = set()
    for plan in plans:
        if plan.held and rng.random() < 0.02:
            cancelled.add(id(plan))
            plan.held = False
    for plan in plans:
        publish_at = plan.when - datetime.timedelta(days=8)
        plan.published = id(plan) not in cancelled and publish_at < now
    meeting_rows = []
    for plan in plans:
        board = board_objs[plan.board_index]
        status = b.Meeting.Status.SCHEDULED
        if id(plan) in cancelled:
            status = b.Meeting.Status.CANCELLED
        elif plan.held:
            status = b.Meeting.Status.HELD
        elif plan.published:
            status = b.Meeting.Status.AGENDA_PUBLISHED
        plan.obj = b.Meeting(
            board=board,
            municipal_year=myears[plan.year_index],
            starts_at=plan.when,
            ends_at=plan.when + datetime.timedelta(hours=2, minutes=30) if plan.held else None,
            venue=venues[plan.board_index % len(venues)],
            pre_meeting_at=datetime.time(9, 30) if plan.when.hour == 10 else None,
            status=status,
            status_reason="The meeting was not quorate." if id(plan) in cancelled else "",
            compiler=board.support_officer,
            agenda_published_at=plan.when - datetime.timedelta(days=8) if plan.published else None,
        )
        meeting_rows.append(plan.obj)
    _bulk(b.Meeting, meeting_rows)
    publications = []
    for plan in plans:
        if plan.published:
            plan.publication = b.Publication(
                meeting=plan.obj,
                kind=b.Publication.Kind.AGENDA,
                published_at=plan.obj.agenda_published_at,
                published_by=clerk,
                deadline=publication_deadline(plan.when.date()),
            )
            publications.append(plan.publication)
    _bulk(b.Publication, publications)

    # Inquiries, planned before the agendas so that their sessions are items on them. ----------
    scrutiny = [bi for bi, (_n, kind) in enumerate(catalogue) if kind == "scrutiny"]
    inquiry_count = max(2, round(0.75 * years * boards))
    slots = [(bi, yi) for yi in reversed(range(years)) for bi in scrutiny]
    inquiry_plans: list[_Inquiry] = []
    per_slot: dict[tuple[int, int], list[_Inquiry]] = defaultdict(list)
    for n in range(inquiry_count):
        bi, yi = slots[n % len(slots)]
        topic = INQUIRY_TOPICS[n % len(INQUIRY_TOPICS)]
        title = f"Inquiry into {topic}"
        if n >= len(INQUIRY_TOPICS):
            title += f" ({myears[yi].label})"
        planned = _Inquiry(bi, yi, title)
        inquiry_plans.append(planned)
        per_slot[(bi, yi)].append(planned)
    for (bi, yi), plans_here in per_slot.items():
        meetings_here = [
            p for p in per_board[bi] if p.year_index == yi and p.obj.status != "cancelled"
        ]
        for j, ip in enumerate(plans_here):
            # Terms at one meeting, three sessions at the next three; inquiries of a year
            # take turns.
            first = (j * 3) % max(1, len(meetings_here) - 3)
            chosen = meetings_here[first : first + 4]
            if chosen:
                chosen[0].terms_of = ip
            for number, meeting in enumerate(chosen[1:], start=1):
                if meeting.session is None:
                    meeting.session = (ip, number)
                    ip.meetings.append(meeting)
    subjects: list[Any] = []
    for ip in inquiry_plans:
        subjects.append(b.Subject(title=ip.title, slug=_slug(f"{ip.title}-{len(subjects)}")))
    recurring = [
        b.Subject(title=f"{topic}", slug=_slug(f"recurring-{topic}")) for topic in TOPICS[:12]
    ]
    _bulk(b.Subject, subjects + recurring)
    for ip, subject in zip(inquiry_plans, subjects, strict=True):
        ip.obj = inq.Inquiry(
            board=board_objs[ip.board_index],
            title=ip.title,
            slug=subject.slug,
            subject=subject,
            scope=text.body(1, 2),
            lines_of_enquiry="\n".join(f"- {text.sentence()}" for _ in range(4)),
        )

    # Agenda items. ---------------------------------------------------------------------------
    items = []
    previous: dict[int, Any] = {}
    rare_left = {"item": 3}
    for plan in plans:
        board = board_objs[plan.board_index]
        kind = catalogue[plan.board_index][1]
        meeting = plan.obj
        publication = plan.publication

        def item(plan: _Meeting = plan, **fields: Any) -> Any:
            row = b.AgendaItem(
                meeting=plan.obj, number=len(plan.items) + 1, publication=plan.publication, **fields
            )
            plan.items.append(row)
            items.append(row)
            return row

        for standard_kind, title in _STANDARD[:6]:
            if standard_kind == "minutes":
                before = previous.get(plan.board_index)
                item(
                    kind=standard_kind,
                    title=f"Minutes - {before.starts_at.astimezone(LONDON):%-d %B %Y}"
                    if before
                    else title,
                    purpose="To confirm as a correct record the minutes of the previous meeting.",
                    minutes_of=before,
                )
            else:
                item(kind=standard_kind, title=title)
        substantive = rng.randint(3, 7)
        for s in range(substantive):
            topic = rng.choice(TOPICS)
            exempt = rng.random() < 0.04
            purpose = (
                f"To receive a report from the {rng.choice(POSTS[:20])} informing the "
                f"{board.name} of the {topic.lower()} and the {COMMON_WORD}'s "
                f"{' '.join(_words(rng, 3))}."
            )
            if publication and not exempt and rare_left["item"] and plan.year_index == years - 1:
                rare_left["item"] -= 1
                purpose += f" It includes the survey of {RARE_WORD} at the city's nature reserves."
            fields: dict[str, Any] = {
                "kind": b.AgendaItem.Kind.REPORT,
                "title": topic,
                "purpose": purpose,
                "lead_post": rng.choice(posts),
                "equality_implications": rng.random() < 0.3,
                "eligible_for_call_in": kind == "executive",
            }
            if s == 0 and plan.terms_of is not None:
                fields["title"] = f"{plan.terms_of.title}: terms of reference"
            if s == 1 and plan.session is not None:
                inquiry_plan, session_number = plan.session
                fields.update(
                    kind=b.AgendaItem.Kind.INQUIRY_SESSION,
                    title=f"Scrutiny {inquiry_plan.title} – Session {session_number}",
                    purpose=f"To consider evidence in the Board's {inquiry_plan.title.lower()}.",
                    subject=inquiry_plan.obj.subject,
                )
            elif exempt:
                fields.update(
                    exempt=True,
                    exempt_paragraph=3,
                    public_interest_reasoning="The public interest in keeping the commercial "
                    "terms confidential outweighs the public interest in disclosing them.",
                )
            elif rng.random() < 0.15:
                fields["subject"] = rng.choice(recurring)
            row = item(**fields)
            if s == 0 and plan.terms_of is not None:
                plan.terms_of.obj.terms_agreed_at = row
            if s == 1 and plan.session is not None:
                row.session_of = plan.session
        if kind == "scrutiny":
            item(
                kind=b.AgendaItem.Kind.WORK_SCHEDULE,
                title="Work Schedule",
                purpose="To consider the Board's work schedule for the current municipal year.",
            )
        else:
            item(kind=b.AgendaItem.Kind.OTHER, title="Any Other Business")
        item(kind=b.AgendaItem.Kind.NEXT_MEETING, title="Date and Time of Next Meeting")
        previous[plan.board_index] = meeting
    _bulk(b.AgendaItem, items)
    ward_links = []
    for row in items:
        if row.kind == b.AgendaItem.Kind.REPORT and rng.random() < 0.15:
            for ward in rng.sample(wards, rng.randint(1, 2)):
                ward_links.append(b.AgendaItem.wards.through(agendaitem_id=row.pk, ward_id=ward.pk))
    _bulk(b.AgendaItem.wards.through, ward_links, batch=5000)
    log(f"  {len(meeting_rows):,} meetings, {len(items):,} agenda items")

    # Papers: the previous minutes, and each report with its appendices. -----------------------
    reports, appendices, sections = [], [], []
    rare_left["paper"] = 8
    size = default_storage.size(SHARED_PDF)

    def upload(**fields: Any) -> dict[str, Any]:
        extracted = text.body(6, 12)
        if (
            rare_left["paper"]
            and fields["publication"] is not None
            and not fields.get("exempt")
            and fields["agenda_item"].meeting.municipal_year_id == myears[-1].pk
        ):
            rare_left["paper"] -= 1
            extracted += f"\n\nA colony of {RARE_WORD} was recorded beside the reservoir."
        return {
            **fields,
            "file": SHARED_PDF,
            "original_filename": f"{_slug(fields['title'])}.pdf",
            "file_size": size + rng.randint(20_000, 900_000),
            "page_count": rng.randint(2, 40),
            "text": f"{COMMON_WORD.title()} {extracted}",
        }

    for plan in plans:
        if plan.obj.status == b.Meeting.Status.CANCELLED:
            continue
        for row in plan.items:
            if row.kind == b.AgendaItem.Kind.MINUTES and row.minutes_of_id:
                reports.append(
                    b.Paper(
                        **upload(
                            agenda_item=row,
                            kind="report",
                            title=row.title,
                            publication=plan.publication,
                        )
                    )
                )
            elif row.kind in (b.AgendaItem.Kind.REPORT, b.AgendaItem.Kind.INQUIRY_SESSION):
                written = rng.random() < 0.4
                fields = {
                    "agenda_item": row,
                    "kind": "report",
                    "title": f"{row.title}: report of the {row.lead_post or 'Head of Scrutiny'}",
                    "publication": plan.publication,
                    "exempt": row.exempt,
                    "exempt_paragraph": row.exempt_paragraph,
                    "public_interest_reasoning": row.public_interest_reasoning,
                    "report_of": row.lead_post,
                }
                if written:
                    report = b.Paper(
                        **fields,
                        report_date=plan.when.date() - datetime.timedelta(days=10),
                        summary=text.body(2, 3),
                        recommendations=f"Members of the {COMMON_WORD} board are asked to:\n\n"
                        + "\n".join(f"- {text.sentence()}" for _ in range(3)),
                    )
                    for number, heading in enumerate(_SECTIONS, start=1):
                        sections.append(
                            b.ReportSection(
                                paper=report, number=number, heading=heading, body=text.body(2, 4)
                            )
                        )
                else:
                    report = b.Paper(**upload(**fields))
                reports.append(report)
                for position in range(2, 2 + rng.choice([0, 1, 1, 2, 2, 3, 3])):
                    exempt = row.exempt or rng.random() < 0.02
                    appendices.append(
                        b.Paper(
                            **upload(
                                agenda_item=row,
                                parent=report,
                                position=position,
                                kind="appendix",
                                title=f"Appendix {chr(63 + position)} – {' '.join(_words(rng, 3)).capitalize()}",
                                publication=plan.publication,
                                exempt=exempt,
                                exempt_paragraph=3 if exempt else None,
                                public_interest_reasoning=row.public_interest_reasoning
                                or ("Commercially sensitive." if exempt else ""),
                            )
                        )
                    )
    _bulk(b.Paper, reports, batch=1000)
    _bulk(b.Paper, appendices, batch=1000)
    _bulk(b.ReportSection, sections)
    log(f"  {len(reports) + len(appendices):,} papers")

    # Inquiries, their sessions, evidence and stages. ------------------------------------------
    session_rows = []
    for ip in inquiry_plans:
        ip.obj.stage = inq.Inquiry.Stage.PROPOSED
    _bulk(inq.Inquiry, [ip.obj for ip in inquiry_plans])
    witness_links = []
    for row in items:
        session_of = getattr(row, "session_of", None)
        if session_of is None:
            continue
        inquiry_plan, number = session_of
        session = inq.Session(
            inquiry=inquiry_plan.obj,
            number=number,
            agenda_item=row,
            focus="\n".join(f"- {text.sentence()}" for _ in range(3)),
        )
        session_rows.append(session)
    _bulk(inq.Session, session_rows)
    for session in session_rows:
        for witness in rng.sample(witnesses, 2):
            witness_links.append(
                inq.Session.witnesses.through(session_id=session.pk, person_id=witness.pk)
            )
    _bulk(inq.Session.witnesses.through, witness_links)
    evidence = []
    for ip in inquiry_plans:
        when = (
            ip.meetings[0].when.date() if ip.meetings else year_starts[ip.year_index]
        ) + datetime.timedelta(days=10)
        for k in range(2):
            evidence.append(
                inq.Evidence(
                    inquiry=ip.obj,
                    kind="written" if k == 0 else "visit",
                    title=f"{'Written evidence from' if k == 0 else 'Notes of a visit to'} {rng.choice(witnesses).organisation}",
                    received_on=min(when + datetime.timedelta(days=20 * k), today),
                    source=rng.choice(witnesses).organisation,
                    body=text.body(2, 4),
                    exempt=rng.random() < 0.1,
                )
            )
    _bulk(inq.Evidence, evidence)
    schedule = []
    for bi in scrutiny:
        this_year = year_starts[-1]
        for k in range(6):
            month = (this_year.replace(day=1) + datetime.timedelta(days=31 * (k + 1))).replace(
                day=1
            )
            schedule.append(
                inq.WorkScheduleEntry(
                    board=board_objs[bi], area=rng.choice(TOPICS), month=month, note="Briefing"
                )
            )
    _bulk(inq.WorkScheduleEntry, schedule)

    # The record of meetings: attendance, declarations, minutes, resolutions, decisions. --------
    held = [plan for plan in plans if plan.held]
    last_held: dict[int, _Meeting] = {}
    next_held: dict[int, _Meeting] = {}
    for bi, board_plans in per_board.items():
        held_here = [p for p in board_plans if p.held]
        if held_here:
            last_held[bi] = held_here[-1]
        for earlier, later in zip(held_here, held_here[1:], strict=False):
            next_held[id(earlier)] = later
    attendances, declarations, records = [], [], []
    for plan in held:
        board = board_objs[plan.board_index]
        day = plan.when.date()
        members = members_on(board, day)
        chair = next(
            (m.person for m in members if m.role == "chair"), members[0].person if members else None
        )
        present = []
        for m in members:
            attended = "present" if m.role == "chair" or rng.random() < 0.9 else "apologies"
            attendances.append(
                mn.Attendance(meeting=plan.obj, person=m.person, kind="member", status=attended)
            )
            if attended == "present":
                present.append(m.person)
        seated = {m.person_id for m in members}
        for person in rng.sample(officers, 3):
            if person.pk not in seated:
                seated.add(person.pk)
                attendances.append(
                    mn.Attendance(
                        meeting=plan.obj,
                        person=person,
                        kind="officer",
                        status="present",
                        capacity=person.job_title,
                    )
                )
        if present and rng.random() < 0.1:
            reports_here = [i for i in plan.items if i.kind == b.AgendaItem.Kind.REPORT]
            if reports_here:
                declarations.append(
                    mn.Declaration(
                        meeting=plan.obj,
                        person=rng.choice(present),
                        agenda_item=rng.choice(reports_here),
                        kind="registrable",
                        nature="A member of the board of a provider named in the report.",
                    )
                )
        following = next_held.get(id(plan))
        record = mn.MinutesRecord(
            meeting=plan.obj,
            chair=chair,
            started_at=plan.when.time(),
            ended_at=(plan.when + datetime.timedelta(hours=2)).time(),
        )
        if following is not None:
            record.status = mn.MinutesRecord.Status.APPROVED
            record.approved_at_meeting = following.obj
            record.approved_on = following.when
            record.signed_by = chair
        elif plan.board_index != 0:
            record.released_at = min(plan.when + datetime.timedelta(days=7), now)
            record.released_by = clerk
        records.append(record)
    _bulk(mn.Attendance, attendances, batch=5000)
    _bulk(mn.Declaration, declarations)
    _bulk(mn.MinutesRecord, records)

    minutes, resolutions, decisions = [], [], []
    numbers: dict[tuple[int, int], int] = defaultdict(int)
    rare_left["minute"] = RARE_HITS - 3 - 8
    for plan in held:
        board = board_objs[plan.board_index]
        kind = catalogue[plan.board_index][1]
        key = (plan.board_index, plan.year_index)
        approved = id(plan) in next_held
        for row in plan.items:
            numbers[key] += 1
            narrative = _STANDING_NARRATIVE.get(row.kind, "")
            substantive = row.kind in (b.AgendaItem.Kind.REPORT, b.AgendaItem.Kind.INQUIRY_SESSION)
            if substantive:
                narrative = (
                    f"The {row.lead_post or 'Head of Scrutiny'} submitted a report on the {row.title.lower()}.\n\n"
                    + text.body(2, 4)
                )
                if (
                    rare_left["minute"]
                    and approved
                    and not row.exempt
                    and plan.year_index == years - 1
                ):
                    rare_left["minute"] -= 1
                    narrative += f"\n\nMembers asked about the {RARE_WORD} survey."
            minute = mn.Minute(
                meeting=plan.obj,
                board=board,
                municipal_year=myears[plan.year_index],
                number=numbers[key],
                order=row.number,
                agenda_item=row,
                title=row.title,
                narrative=narrative,
                public_summary="The Board considered the exempt report and agreed its recommendations."
                if row.exempt
                else "",
            )
            minutes.append(minute)
            if row.kind == b.AgendaItem.Kind.MINUTES and row.minutes_of_id:
                resolutions.append(
                    mn.Resolution(
                        minute=minute,
                        position=1,
                        text=f"That the minutes of the meeting held on {row.title.removeprefix('Minutes - ')} be approved as a correct record.",
                    )
                )
            elif substantive:
                for position in range(1, rng.randint(2, 4)):
                    resolution = mn.Resolution(
                        minute=minute, position=position, text=text.resolution()
                    )
                    if rng.random() < 0.25:
                        due = plan.when.date() + datetime.timedelta(days=91)
                        resolution.is_action = True
                        resolution.owner_post = rng.choice(posts)
                        resolution.due_on = due
                        if due < today - datetime.timedelta(days=60) and rng.random() < 0.85:
                            resolution.done_on = due
                            resolution.done_note = "Reported to the Board."
                    resolutions.append(resolution)
                if board.kind in ("executive", "council", "regulatory"):
                    decisions.append(
                        mn.Decision(
                            minute=minute,
                            reasons=text.sentence(),
                            alternatives=text.sentence(),
                            key_decision=rng.random() < 0.2,
                        )
                    )
            elif row.kind == b.AgendaItem.Kind.NEXT_MEETING:
                following = next_held.get(id(plan))
                if following is not None:
                    resolutions.append(
                        mn.Resolution(
                            minute=minute,
                            position=1,
                            text=f"That the next meeting be held on {following.when:%-d %B %Y} at {following.when:%H.%M}.",
                        )
                    )
    _bulk(mn.Minute, minutes, batch=1000)
    _bulk(mn.Resolution, resolutions, batch=5000)
    _bulk(mn.Decision, decisions)
    executive: list[Any] = []
    for decision in decisions:
        minute = decision.minute
        if minute.board.kind != "executive":
            continue
        decided_item = minute.agenda_item
        assert decided_item is not None  # every minute here is an item's
        published = minute.meeting.starts_at + datetime.timedelta(days=2)
        executive.append(
            ExecutiveDecision(
                reference=f"D{50000 + len(executive)}",
                maker_body=minute.board,
                maker_post=rng.choice(posts[20:]),
                recorded=decision,
                agenda_item=decided_item,
                decided_on=minute.meeting.starts_at.date(),
                title=minute.title,
                decision=text.sentence(),
                reasons=decision.reasons,
                key_decision=decision.key_decision,
                exempt=decided_item.exempt,
                exempt_paragraph=decided_item.exempt_paragraph,
                published_at=published if published < now else None,
                published_by=clerk if published < now else None,
                call_in_closes_at=published + datetime.timedelta(days=7)
                if published < now
                else None,
            )
        )
    _bulk(ExecutiveDecision, executive)
    log(
        f"  {len(minutes):,} minutes, {len(resolutions):,} resolutions, {len(attendances):,} attendances"
    )

    # Statements, recommendations, responses, progress and judgements. ------------------------
    categories = list(rec.TrackingCategory.objects.order_by("position"))
    ending = [c for c in categories if c.ends_monitoring]
    continuing = [c for c in categories if not c.ends_monitoring] or ending
    achieved = ending[0]
    not_for_monitoring = ending[-1]
    items_by_board: dict[int, list[tuple[datetime.date, Any]]] = defaultdict(list)
    for plan in held:
        first = next((i for i in plan.items if i.kind == b.AgendaItem.Kind.REPORT), None)
        if first is not None:
            items_by_board[plan.board_index].append((plan.when.date(), first))

    days_by_board = {bi: [d for d, _ in dated] for bi, dated in items_by_board.items()}

    def item_after(bi: int, day: datetime.date) -> Any:
        """The first report item of the board's first meeting on or after the day."""
        index = bisect.bisect_left(days_by_board.get(bi, []), day)
        return items_by_board[bi][index][1] if index < len(items_by_board[bi]) else None

    statements, outcomes, st_sections, paragraphs, footnotes, st_appendices = [], [], [], [], [], []
    recs, addressee_links = [], []
    stage_changes = []
    candidates: list[tuple[datetime.date, _Inquiry]] = []  # the first board's, published
    for ip in inquiry_plans:
        inquiry = ip.obj
        board = board_objs[ip.board_index]
        last_session = (
            ip.meetings[-1].when.date()
            if ip.meetings
            else year_starts[ip.year_index] + datetime.timedelta(days=120)
        )
        published_on = last_session + datetime.timedelta(days=45)
        if years == 1 and ip.board_index == 0 and not candidates and published_on >= today:
            # The inquiry the bench shows has a published statement, even in a one-year council.
            published_on = max(last_session, today - datetime.timedelta(days=1))
        stages = [("terms_agreed", year_starts[ip.year_index] + datetime.timedelta(days=30))]
        if ip.meetings and ip.meetings[0].when.date() < today:
            stages.append(("evidence", ip.meetings[0].when.date()))
        if last_session < today:
            stages.append(("drafting", last_session + datetime.timedelta(days=1)))
        if published_on < today:
            stages.append(("published", published_on))
            if published_on + datetime.timedelta(days=60) < today:
                stages.append(("response_received", published_on + datetime.timedelta(days=60)))
            if published_on + datetime.timedelta(days=120) < today:
                stages.append(("monitoring", published_on + datetime.timedelta(days=120)))
            if published_on + datetime.timedelta(days=3 * 365) < today:
                stages.append(("closed", published_on + datetime.timedelta(days=3 * 365)))
        for stage, on in stages:
            stage_changes.append(inq.StageChange(inquiry=inquiry, stage=stage, on=min(on, today)))
        inquiry.stage = stages[-1][0]
        if published_on >= today:
            continue
        if ip.board_index == 0:
            candidates.append((published_on, ip))
        chair = next((m.person for m in members_on(board, published_on) if m.role == "chair"), None)
        statement = rec.Statement(
            inquiry=inquiry,
            title=f"{ip.title}: statement of the {board.name}",
            month=published_on.replace(day=1),
            chair=chair,
            author=board.support_officer,
            published_on=published_on,
            response_due_on=published_on + datetime.timedelta(days=61),
        )
        statements.append(statement)
        own_outcomes = [
            rec.DesiredOutcome(statement=statement, position=k, text=text.sentence())
            for k in range(1, 4)
        ]
        outcomes.extend(own_outcomes)
        paragraph_number = 0
        for position, heading in enumerate(_STATEMENT_SECTIONS, start=1):
            section = rec.Section(statement=statement, position=position, heading=heading)
            st_sections.append(section)
            for _ in range(rng.randint(3, 6)):
                paragraph_number += 1
                paragraph = rec.Paragraph(
                    section=section, number=paragraph_number, text=text.body(1, 1)
                )
                paragraphs.append(paragraph)
                if rng.random() < 0.3:
                    paragraph.text += "[^1]"
                    footnotes.append(
                        rec.Footnote(paragraph=paragraph, number=1, text=text.sentence())
                    )
        st_appendices.append(
            rec.Appendix(
                statement=statement, position=1, title="Evidence considered", body=text.body(1, 2)
            )
        )
        boxes = paragraphs[-paragraph_number:]
        for number in range(1, 10):
            deadline = _month_end(
                published_on + datetime.timedelta(days=rng.choice([180, 270, 365, 540]))
            )
            parent = rec.Recommendation(
                statement=statement,
                outcome=own_outcomes[number % 3],
                number=number,
                text=text.recommendation(),
                deadline_on=deadline,
                report_back_to=board,
            )
            recs.append(parent)
            if number <= len(boxes):
                boxes[-number].recommendation = parent
            if number in (2, 5, 8):
                for position in (1, 2):
                    recs.append(
                        rec.Recommendation(
                            statement=statement,
                            outcome=parent.outcome,
                            number=number,
                            parent=parent,
                            position=position,
                            text=text.recommendation(),
                            deadline_on=deadline,
                            report_back_to=board,
                        )
                    )
    _bulk(inq.StageChange, stage_changes)
    inq.Inquiry.objects.bulk_update(
        [ip.obj for ip in inquiry_plans], ["stage", "terms_agreed_at"], batch_size=500
    )
    _bulk(rec.Statement, statements)
    _bulk(rec.DesiredOutcome, outcomes)
    _bulk(rec.Section, st_sections)
    # Parents first (the parts point at them); the boxes after them.
    _bulk(rec.Recommendation, [r for r in recs if r.parent is None])
    _bulk(rec.Recommendation, [r for r in recs if r.parent is not None])
    _bulk(rec.Paragraph, paragraphs)
    _bulk(rec.Footnote, footnotes)
    _bulk(rec.Appendix, st_appendices)
    for r in recs:
        addressee_links.append(
            rec.Recommendation.addressees.through(
                recommendation_id=r.pk, post_id=rng.choice(posts).pk
            )
        )
    _bulk(rec.Recommendation.addressees.through, addressee_links)

    responses, updates, judgements = [], [], []
    with_parts = {r.parent_id for r in recs if r.parent_id}
    trackable = [r for r in recs if r.pk not in with_parts]
    board_index = {board.pk: i for i, board in enumerate(board_objs)}
    for r in trackable:
        statement = r.statement
        assert statement.published_on is not None
        responded = statement.published_on + datetime.timedelta(days=50)
        if responded >= today:
            continue
        answer = rng.choices(["agreed", "partly_agreed", "not_agreed"], weights=[75, 15, 10])[0]
        responses.append(
            rec.Response(
                recommendation=r,
                decision=answer,
                text=text.sentence(),
                responded_on=responded,
                actioned_by=rng.choice(posts),
            )
        )
        if answer == "not_agreed":
            judgements.append(
                rec.Judgement(recommendation=r, category=not_for_monitoring, on=responded, by=clerk)
            )
            r.current_category = not_for_monitoring
            continue
        bi = board_index[statement.inquiry.board_id]
        for k, days in enumerate((120, 240, 360)):
            on = responded + datetime.timedelta(days=days)
            if on >= today:
                break
            considered = item_after(bi, on)
            updates.append(
                rec.ProgressUpdate(
                    recommendation=r,
                    on=on,
                    text=text.body(1, 2),
                    author=board_objs[bi].support_officer,
                    considered_at=considered,
                )
            )
            category = achieved if k == 2 or rng.random() < 0.3 else rng.choice(continuing)
            judgements.append(
                rec.Judgement(
                    recommendation=r, category=category, on=on, considered_at=considered, by=clerk
                )
            )
            r.current_category = category
            if category.ends_monitoring:
                break
    _bulk(rec.Response, responses)
    _bulk(rec.ProgressUpdate, updates)
    _bulk(rec.Judgement, judgements)
    rec.Recommendation.objects.bulk_update(trackable, ["current_category"], batch_size=1000)
    log(
        f"  {len(inquiry_plans):,} inquiries, {len(statements):,} statements, {len(recs):,} recommendations and parts"
    )

    # What the bench times. --------------------------------------------------------------------
    focus_board = board_objs[0]
    console = last_held[0]
    shown = next((p for p in reversed(per_board[0]) if id(p) in next_held), console)
    summary.targets = {
        "board_slug": focus_board.slug,
        "meeting_pk": shown.obj.pk,
        "console_meeting_pk": console.obj.pk,
        "console_minute_pks": [m.pk for m in minutes if m.meeting_id == console.obj.pk],
        "inquiry_slug": _focus(candidates, today, inquiry_plans).obj.slug,
    }
    summary.counts = {
        "boards": len(board_objs),
        "people": len(officers) + len(witnesses) + len(councillors) + len(coopted),
        "memberships": len(memberships),
        "meetings": len(meeting_rows),
        "agenda items": len(items),
        "papers": len(reports) + len(appendices),
        "minutes": len(minutes),
        "resolutions": len(resolutions),
        "inquiries": len(inquiry_plans),
        "recommendations and parts": len(recs),
    }
    return summary


def _focus(candidates: list, today: datetime.date, plans: list) -> _Inquiry:
    """The inquiry whose page the bench shows: the first board's whose statement was published
    most recently but a year ago at least (responses, progress and judgements by now), else the
    latest published."""
    if not candidates:
        return plans[0]
    year_ago = today - datetime.timedelta(days=365)
    settled = [c for c in candidates if c[0] <= year_ago]
    return max(settled or candidates, key=lambda c: c[0])[1]


_STANDARD = [
    ("appeals", "Appeals against Refusal of Inspection of Documents"),
    ("exempt_information", "Exempt Information - Possible Exclusion of the Press and Public"),
    ("late_items", "Late Items"),
    ("declarations", "Declaration of Interests"),
    ("apologies", "Apologies for Absence and Notification of Substitutes"),
    ("minutes", "Minutes of the Previous Meeting"),
    ("report", "Report"),
    ("work_schedule", "Work Schedule"),
    ("next_meeting", "Date and Time of Next Meeting"),
]
_STANDING_NARRATIVE = {
    "appeals": "There were no appeals against refusal of inspection of documents.",
    "exempt_information": "There was no exempt information.",
    # Late items, declarations and apologies: the minutes say them from what is recorded.
    "minutes": "",
    "work_schedule": "The Board considered its work schedule for the municipal year.",
    "other": "There was no other business.",
    "next_meeting": "",
}
_SECTIONS = [
    "Purpose of this report",
    "Background information",
    "Main issues",
    "Corporate considerations",
]
_STATEMENT_SECTIONS = ["Introduction and Scope", "Background", "Findings", "Conclusions"]
