"""Demo meetings: the fictional board's 2015/16 municipal year, modelled on the reference
agenda pack (its 21 March 2016 meeting has the pack's ten items, page-ranged reports, an exempt
appendix and the work schedule). Every name and figure is invented.

A meeting that already exists (same board, same start) is left as it is, so loading twice
changes nothing.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from boards import formatting, services
from boards.models import (
    AgendaItem,
    Board,
    Meeting,
    MunicipalYear,
    Paper,
    Post,
    ReportSection,
    Venue,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
YEAR_STARTS = datetime.date(2015, 5, 21)
MEETING_DAYS = [
    datetime.date(2015, 6, 22),
    datetime.date(2015, 7, 20),
    datetime.date(2015, 9, 21),
    datetime.date(2015, 10, 19),
    datetime.date(2015, 11, 16),
    datetime.date(2015, 12, 14),
    datetime.date(2016, 1, 25),
    datetime.date(2016, 2, 22),
    datetime.date(2016, 3, 21),
    datetime.date(2016, 4, 25),
]
# The meeting of the reference pack: the meetings before it have minutes (``minutes.demo``).
REFERENCE_MEETING = datetime.date(2016, 3, 21)
POSTS = [
    "Head of Service Delivery ICT",
    "Director of Adult Social Services",
    "Director of Adults and Health",
    "Chief Digital Officer",
    "Chief Officer (Human Resources)",
    "Head of Scrutiny and Member Development",
]


def demo_pdf(title: str, pages: int, paragraphs: list[str]) -> SimpleUploadedFile:
    """A demo PDF of ``pages`` A4 pages, rendered by WeasyPrint from invented text."""
    name = title.lower().replace(" ", "-")[:40] + ".pdf"
    content = _render_pdf(title, pages, tuple(paragraphs))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@functools.cache
def _render_pdf(title: str, pages: int, paragraphs: tuple[str, ...]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "print/demo_paper.html", {"title": title, "pages": range(pages), "paragraphs": paragraphs}
    )
    return HTML(string=html).write_pdf()


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def load(*, board: Board, clerk: User) -> None:
    MunicipalYear.objects.get_or_create(starts_on=YEAR_STARTS)
    venue, _ = Venue.objects.get_or_create(
        name="Civic Hall", defaults={"address": "Market Street\nAldermoor AM1 1AA"}
    )
    posts = {title: Post.objects.get_or_create(title=title)[0] for title in POSTS}
    for day in MEETING_DAYS:
        starts_at = _at(day)
        if board.meetings.filter(starts_at=starts_at).exists():
            continue
        meeting = services.meeting_create(
            board=board,
            starts_at=starts_at,
            ends_at=_at(day, 12),
            venue=venue,
            pre_meeting_at=datetime.time(9, 30),
        )
        _fill_next_meeting(meeting)
        if day == REFERENCE_MEETING:
            _march_meeting(meeting, posts)
        elif day == datetime.date(2016, 2, 22):
            _ict_session(meeting, posts, 2)
        elif day == datetime.date(2016, 1, 25):
            _ict_session(meeting, posts, 1)
            _ordinary_meeting(meeting, posts)
        else:
            _ordinary_meeting(meeting, posts)
        published = _at(day - datetime.timedelta(days=10), 16)
        services.agenda_publish(meeting=meeting, by=clerk, now=published)


def _fill_next_meeting(meeting: Meeting) -> None:
    later = [day for day in MEETING_DAYS if _at(day) > meeting.starts_at]
    item = meeting.agenda_items.get(kind=AgendaItem.Kind.NEXT_MEETING)
    if later:
        item.purpose = (
            f"{formatting.long_date(later[0])} at 10.00 am "
            "(pre-meeting for all board members at 9.30 am)"
        )
    else:
        item.purpose = "To be confirmed at the annual meeting."
    item.save()


def _item(meeting: Meeting, title: str, purpose: str, post: Post, **fields) -> AgendaItem:
    fields.setdefault("kind", AgendaItem.Kind.REPORT)
    return services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title=title, purpose=purpose, lead_post=post, **fields),
    )


def _ordinary_meeting(meeting: Meeting, posts: dict[str, Post]) -> None:
    item = _item(
        meeting,
        "Financial health monitoring",
        "To receive a report from the Chief Officer (Financial Services) on the council's "
        "projected financial position for the year.",
        posts["Chief Officer (Human Resources)"],
    )
    services.paper_upload(
        paper=Paper(agenda_item=item, title="Financial health monitoring"),
        upload=demo_pdf("Financial health monitoring", 4, FINANCE_TEXT),
    )
    _work_schedule(meeting, posts, pages=4)


def _ict_session(meeting: Meeting, posts: dict[str, Post], number: int) -> None:
    _item(
        meeting,
        f"Scrutiny Inquiry into ICT Capacity – Session {number}",
        "To receive a report from the Head of Service Delivery ICT addressing the areas of focus "
        f"for session {number} of the Board's inquiry into ICT capacity.",
        posts["Head of Service Delivery ICT"],
        kind=AgendaItem.Kind.INQUIRY_SESSION,
    )
    if number == 2:
        _work_schedule(meeting, posts, pages=4)


def _work_schedule(meeting: Meeting, posts: dict[str, Post], pages: int) -> None:
    item = meeting.agenda_items.get(kind=AgendaItem.Kind.WORK_SCHEDULE)
    item.purpose = "To consider the Scrutiny Board's work schedule for the 2015/16 municipal year."
    item.lead_post = posts["Head of Scrutiny and Member Development"]
    item.save()
    services.paper_upload(
        paper=Paper(agenda_item=item, title="Work schedule 2015/16"),
        upload=demo_pdf("Work schedule 2015/16", pages, WORK_SCHEDULE_TEXT),
    )


def _march_meeting(meeting: Meeting, posts: dict[str, Post]) -> None:
    """The reference pack's 21 March 2016 meeting: ten items, reports of 14, 22 and 6 pages."""
    ict = _item(
        meeting,
        "Scrutiny Inquiry into ICT Capacity – Session 3",
        "To receive a report from the Head of Service Delivery ICT providing the information "
        "required to undertake session three of the Board's inquiry into ICT capacity.",
        posts["Head of Service Delivery ICT"],
        kind=AgendaItem.Kind.INQUIRY_SESSION,
    )
    report = services.paper_write(
        paper=Paper(
            agenda_item=ict,
            title="Scrutiny Inquiry into ICT Capacity – Session 3",
            report_of=posts["Head of Service Delivery ICT"],
            report_date=datetime.date(2016, 3, 9),
            summary=(
                "To provide the Scrutiny Board with the information required to undertake the "
                "third session of its inquiry into ICT capacity.\n\n"
                "This report explores what the council expects of ICT's hours of service, "
                "reliability and availability."
            ),
            recommendations=(
                "Scrutiny Board is requested to:\n\n- a) note the contents of this report\n"
                "- b) make recommendations as deemed appropriate"
            ),
        )
    )
    for number, (heading, body) in enumerate(ICT_SECTIONS, start=1):
        ReportSection.objects.create(paper=report, number=number, heading=heading, body=body)
    for letter, title, pages, exempt in ICT_APPENDICES:
        services.paper_upload(
            paper=Paper(
                agenda_item=ict,
                parent=report,
                kind=Paper.Kind.APPENDIX,
                title=f"Appendix {letter} – {title}",
                exempt=exempt,
                exempt_paragraph=3 if exempt else None,
                public_interest_reasoning=(
                    "The appendix sets out the costs quoted by suppliers for data-centre "
                    "failover. Publishing them would prejudice the council's position in the "
                    "procurement now under way, so the public interest in keeping it exempt "
                    "outweighs the interest in disclosing it."
                    if exempt
                    else ""
                ),
            ),
            upload=demo_pdf(f"Appendix {letter} – {title}", pages, ICT_APPENDIX_TEXT),
        )
    commissioning = _item(
        meeting,
        "Strategic commissioning of “people” services",
        "To receive a report from the Director of Adult Social Services informing the Scrutiny "
        "Board of an internal review of the strategic commissioning function that covers adult "
        "social care, public health and children's services.",
        posts["Director of Adult Social Services"],
        equality_implications=True,
    )
    services.paper_upload(
        paper=Paper(
            agenda_item=commissioning, title="Strategic commissioning of “people” services"
        ),
        upload=demo_pdf("Strategic commissioning of people services", 22, COMMISSIONING_TEXT),
    )
    _work_schedule(meeting, posts, pages=6)


ICT_SECTIONS = [
    (
        "Purpose of this report",
        "To provide the Scrutiny Board with the information required to undertake the third "
        "session of the inquiry into ICT capacity.\n\nThe report explores what the council "
        "expects of ICT's hours of service, reliability and availability.",
    ),
    (
        "Background information",
        "The Scrutiny Board agreed the terms of reference in October 2015. Three sessions were "
        "planned, this being the third.\n\nThe third session covers:\n\n"
        "- the current ICT service level agreement and whether it is still appropriate\n"
        "- past investment in the resilience of systems\n"
        "- systems that are shut down overnight and the effect of that\n"
        "- business continuity arrangements in services",
    ),
    (
        "Main issues",
        "The service level agreement is measured around the clock but excludes agreed planned "
        "downtime. Details of service levels are in Appendix A.\n\n"
        "Standard support hours are Monday to Friday, 8.00 am to 5.30 pm. A small shift team "
        "manages overnight processing.\n\n"
        "Several systems must be taken down for batch processing or back-ups; they are listed "
        "in Appendix B.",
    ),
    (
        "Equality and diversity, cohesion and integration",
        "An equality impact assessment has not been completed at this stage of the inquiry. "
        "Due regard will be given to equality throughout it.",
    ),
    (
        "Recommendations",
        "The Scrutiny Board is asked to note the ICT service levels, hours of cover and on-call "
        "arrangements and give a view on whether they meet the council's needs.",
    ),
]
ICT_APPENDICES = [
    ("A", "Service level achievement", 3, False),
    ("B", "System downtime for batch processing and back-ups", 2, False),
    ("C", "System-level resilience techniques", 2, False),
    ("D", "Data centre and ICT services resilience", 3, True),
]
FINANCE_TEXT = [
    "This report sets out the council's projected financial position at the end of the period.",
    "Pressures in children's services and waste collection are partly offset by savings in "
    "capital financing.",
]
WORK_SCHEDULE_TEXT = [
    "The work schedule lists the inquiries, reports and recommendation tracking planned for "
    "each meeting of the municipal year.",
    "Members are asked to consider the schedule and agree any changes.",
]
ICT_APPENDIX_TEXT = [
    "Figures are for the five months from October to February.",
    "Targets and achievement are shown for each service level measure.",
]
COMMISSIONING_TEXT = [
    "An internal review considered whether commissioning for adult social care, public health "
    "and children's services could be brought together in a single hub.",
    "The review found that commissioning is done consistently in most respects, and sets out "
    "where practice differs between directorates.",
]
