"""Demo meetings of the current municipal year, dated from the day the demo is loaded, so that
each role's desk looks as it would on an ordinary working day: three meetings held (their
minutes are ``minutes.demo``'s part), the next with its agenda published and an exempt appendix,
and the one after it still being prepared. Its inquiry sessions are items here, which
``inquiries.demo`` attaches to its inquiry, as the 2015/16 year's are. Every name and figure is
invented.

The year is added once: if the demo board already has meetings after 2015/16, nothing here
changes them, so loading twice (even on another day) changes nothing. A demo loaded into a new
database on another day gets that day's dates.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from boards import formatting, publication, services
from boards.demo_meetings import LONDON
from boards.models import AgendaItem, Board, Meeting, MunicipalYear, Paper, Post, ReportSection

# Meetings after this day are the current year's; the 2015/16 year ended before it.
DEMO_YEAR_ENDS = datetime.date(2016, 5, 18)
AGENCY_SESSION = "Scrutiny Inquiry into the use of agency staff – Session"
AGENCY_TERMS = "Scrutiny Inquiry into the use of agency staff – terms of reference"
CUSTOMER_TRACKING = "Customer contact and digital access: progress on the Board's recommendations"
POSTS = [
    "Chief Officer (Financial Services)",
    "Chief Officer (Human Resources)",
    "Chief Officer (Customer Access)",
    "Chief Digital Officer",
    "Head of Scrutiny and Member Development",
]
# Days from the day of loading to each meeting (moved to a Monday, or the next working day).
HELD = (-63, -35, -14)
NEXT = 8
IN_PREPARATION = 36


def meeting_days(today: datetime.date) -> list[datetime.date]:
    """The current year's meeting days around ``today``: three held, the next and the one after."""
    days = [_monday_on_or_before(today + datetime.timedelta(days=n)) for n in HELD]
    days += [
        _monday_on_or_after(today + datetime.timedelta(days=n)) for n in (NEXT, IN_PREPARATION)
    ]
    return [_working_day_from(day) for day in days]


def current_meetings(board: Board):
    """The demo board's meetings of the current year, in date order."""
    return board.meetings.filter(starts_at__date__gt=DEMO_YEAR_ENDS).order_by("starts_at")


def annual_meeting(year: int) -> datetime.date:
    """The third Thursday of May, when the demo council's municipal year begins."""
    first = datetime.date(year, 5, 1)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7 + 14)


def _monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=-day.weekday() % 7)


def _working_day_from(day: datetime.date) -> datetime.date:
    while not publication.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _working_day_before(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while not publication.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def load(*, board: Board, clerk: User, venue, today: datetime.date | None = None) -> None:
    if current_meetings(board).exists():
        return
    today = today or timezone.localdate()
    days = meeting_days(today)
    for day in days:
        # The year each meeting falls in begins at its annual meeting, as 2015/16 did.
        start = annual_meeting(day.year)
        MunicipalYear.objects.get_or_create(
            starts_on=start if day >= start else annual_meeting(day.year - 1)
        )
    posts = {title: Post.objects.get_or_create(title=title)[0] for title in POSTS}
    meetings = [
        services.meeting_create(
            board=board,
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            venue=venue,
            pre_meeting_at=datetime.time(9, 30),
        )
        for day in days
    ]
    first, second, third, next_meeting, preparing = meetings
    # The minutes of the board's last meeting before this demo are not here to approve.
    services.agenda_item_remove(item=first.agenda_items.get(kind=AgendaItem.Kind.MINUTES), by=clerk)
    for meeting, later in zip(meetings, [*days[1:], None], strict=True):
        _next_meeting(meeting, later)
        _work_schedule(meeting, posts)
    _first(first, posts)
    _second(second, posts)
    _third(third, posts)
    _next(next_meeting, posts)
    _preparing(preparing, posts)
    for meeting in (first, second, third):
        services.agenda_publish(
            meeting=meeting, by=clerk, now=_at(meeting.publication_deadline, 15)
        )
    # The next meeting's agenda went out on time, before today.
    out_on = min(next_meeting.publication_deadline, _working_day_before(today))
    services.agenda_publish(meeting=next_meeting, by=clerk, now=_at(out_on, 15))


def _next_meeting(meeting: Meeting, later: datetime.date | None) -> None:
    item = meeting.agenda_items.get(kind=AgendaItem.Kind.NEXT_MEETING)
    item.purpose = (
        f"{formatting.long_date(later)} at 10.00 am (pre-meeting for all board members at 9.30 am)"
        if later
        else "To be confirmed."
    )
    services.agenda_item_update(item=item)


def _work_schedule(meeting: Meeting, posts: dict[str, Post]) -> None:
    item = meeting.agenda_items.get(kind=AgendaItem.Kind.WORK_SCHEDULE)
    item.purpose = (
        f"To consider the Scrutiny Board's work schedule for the {meeting.municipal_year} "
        "municipal year."
    )
    item.lead_post = posts["Head of Scrutiny and Member Development"]
    services.agenda_item_update(item=item)


def _item(meeting: Meeting, title: str, purpose: str, post: Post, **fields) -> AgendaItem:
    fields.setdefault("kind", AgendaItem.Kind.REPORT)
    return services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title=title, purpose=purpose, lead_post=post, **fields),
    )


def _report(
    item: AgendaItem,
    title: str,
    summary: str,
    sections: list[tuple[str, str]],
    *,
    parent: Paper | None = None,
    **fields,
) -> Paper:
    """A report written in the app, or an appendix of one, with numbered sections."""
    return services.paper_write(
        paper=Paper(
            agenda_item=item,
            title=title,
            parent=parent,
            kind=Paper.Kind.APPENDIX if parent else Paper.Kind.REPORT,
            report_of=None if parent else item.lead_post,
            report_date=None if parent else item.meeting.date - datetime.timedelta(days=14),
            summary=summary,
            **fields,
        ),
        sections=[ReportSection(heading=heading, body=body) for heading, body in sections],
    )


def _session(meeting: Meeting, number: int, purpose: str, posts: dict[str, Post]) -> AgendaItem:
    return _item(
        meeting,
        f"{AGENCY_SESSION} {number}",
        purpose,
        posts["Chief Officer (Human Resources)"],
        kind=AgendaItem.Kind.INQUIRY_SESSION,
    )


def _finance(meeting: Meeting, posts: dict[str, Post], title: str, summary: str) -> None:
    item = _item(
        meeting,
        title,
        "To receive a report from the Chief Officer (Financial Services) on the council's "
        "projected financial position for the year.",
        posts["Chief Officer (Financial Services)"],
    )
    _report(item, title, summary, FINANCE_SECTIONS)


def _first(meeting: Meeting, posts: dict[str, Post]) -> None:
    item = _item(
        meeting,
        AGENCY_TERMS,
        "To agree the terms of reference for the Board's inquiry into the council's use of "
        "agency staff.",
        posts["Head of Scrutiny and Member Development"],
    )
    _report(
        item,
        "Terms of reference: inquiry into the use of agency staff",
        "The Board is asked to agree the terms of reference for its inquiry, which will look "
        "at why the council's spending on agency staff has risen and what would reduce it.",
        AGENCY_TERMS_SECTIONS,
    )
    _finance(
        meeting,
        posts,
        "Financial health monitoring – first quarter",
        "The council projects an overspend at the end of the year, mainly in children's "
        "services and home-to-school transport.",
    )


def _second(meeting: Meeting, posts: dict[str, Post]) -> None:
    session = _session(
        meeting,
        1,
        "To receive evidence from the Chief Officer (Human Resources) on the council's use of "
        "agency staff: the numbers engaged, the spending and the services that rely on them.",
        posts,
    )
    _report(
        session,
        "The use of agency staff – session 1",
        "Spending on agency staff has risen for three years running, most of it in social "
        "work, waste collection and ICT.",
        AGENCY_SESSION_SECTIONS,
    )
    item = _item(
        meeting,
        CUSTOMER_TRACKING,
        "To consider the progress made on the recommendations of the Board's inquiry into "
        "customer contact and digital access.",
        posts["Chief Officer (Customer Access)"],
    )
    _report(
        item,
        "Customer contact and digital access: progress report",
        "The directorate reports progress on each recommendation of the Board's statement.",
        [
            (
                "Progress",
                "Digital inclusion training has been given to every library's staff. Work on "
                "publishing the contact centre's answering times is under way.",
            )
        ],
    )


def _third(meeting: Meeting, posts: dict[str, Post]) -> None:
    session = _session(
        meeting,
        2,
        "To receive evidence on the recruitment and retention of social workers and ICT staff, "
        "and the use of agency staff to fill their vacancies.",
        posts,
    )
    _report(
        session,
        "The use of agency staff – session 2",
        "Vacancies in children's social work are the largest single reason for agency spending.",
        AGENCY_SESSION_SECTIONS,
    )
    _finance(
        meeting,
        posts,
        "Medium-term financial strategy",
        "The strategy sets out the savings needed over the next three years and the principles "
        "for the coming budget.",
    )


def _next(meeting: Meeting, posts: dict[str, Post]) -> None:
    session = _session(
        meeting,
        3,
        "To receive evidence from the council's recruitment partner and from trade union "
        "representatives on the alternatives to agency staff.",
        posts,
    )
    _report(
        session,
        "The use of agency staff – session 3",
        "The session considers a council-run staff bank and the experience of neighbouring "
        "councils that have set one up.",
        AGENCY_SESSION_SECTIONS,
    )
    item = _item(
        meeting,
        "Procurement of data-centre services",
        "To receive a report from the Chief Digital Officer on the procurement of the "
        "council's data-centre and hosting services, ahead of the executive's decision.",
        posts["Chief Digital Officer"],
    )
    report = _report(
        item,
        "Procurement of data-centre services",
        "The council's data-centre contract ends next year. The report sets out the options "
        "considered and how the tenders will be evaluated.",
        DATA_CENTRE_SECTIONS,
    )
    _report(
        item,
        "Appendix 1 – Tender evaluation and prices",
        "The prices quoted by each bidder and the evaluation scores.",
        [("Prices and scores", "The bidders' prices, in confidence, are set out in the table.")],
        parent=report,
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning=(
            "The appendix sets out the prices quoted by the bidders. Publishing them while the "
            "procurement is under way would prejudice the council's commercial position, so "
            "the public interest in keeping it exempt outweighs the interest in disclosing it."
        ),
    )
    _finance(
        meeting,
        posts,
        "Financial health monitoring – second quarter",
        "The projected overspend has fallen since the first quarter, after the spending "
        "controls the executive agreed.",
    )


def _preparing(meeting: Meeting, posts: dict[str, Post]) -> None:
    """Still being prepared: items without all their papers, and nothing published."""
    _item(
        meeting,
        "Initial budget proposals",
        "To consider the executive's initial budget proposals for the next financial year, "
        "as the budget and policy framework requires.",
        posts["Chief Officer (Financial Services)"],
    )
    _session(
        meeting,
        4,
        "To consider the evidence gathered and agree the themes of the Board's statement.",
        posts,
    )


FINANCE_SECTIONS = [
    (
        "Purpose of this report",
        "To inform the Scrutiny Board of the council's projected financial position for the year.",
    ),
    (
        "Main issues",
        "Demand for children's placements and home-to-school transport continues to rise.\n\n"
        "Savings in capital financing and vacancies held open partly offset the pressures.",
    ),
    (
        "Recommendations",
        "The Scrutiny Board is asked to note the projected position and comment on the "
        "actions proposed.",
    ),
]
AGENCY_TERMS_SECTIONS = [
    (
        "Scope of the inquiry",
        "The inquiry will consider:\n\n"
        "- the numbers of agency staff engaged, and the spending on them, by service\n"
        "- the reasons services turn to agency staff\n"
        "- recruitment and retention in the hardest-to-fill posts\n"
        "- the alternatives, such as a council-run staff bank",
    ),
    (
        "Timetable",
        "Evidence will be taken over three sessions, with a statement to follow by the end of "
        "the municipal year.",
    ),
]
AGENCY_SESSION_SECTIONS = [
    (
        "Purpose of this report",
        "To provide the Scrutiny Board with the information it asked for in its terms of "
        "reference.",
    ),
    (
        "Main issues",
        "Agency staff fill about one post in twelve. Most are covering vacancies rather than "
        "short-term absence.",
    ),
]
DATA_CENTRE_SECTIONS = [
    (
        "Background",
        "The council's servers are hosted under a contract that ends next year.",
    ),
    (
        "Options",
        "Three options were considered: renewing the present contract, moving to a public "
        "cloud, and a shared data centre with neighbouring councils.",
    ),
    (
        "Evaluation",
        "Tenders are evaluated on quality (60%) and price (40%). The prices and scores are in "
        "the exempt appendix.",
    ),
]
