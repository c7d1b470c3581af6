"""Demo minutes for the board's meetings, modelled on the reference minutes of 22 February 2016
(minutes 59–65): present and in the chair, apologies with a substitute, declarations, an inquiry
session with officers in attendance and lettered resolutions, one of them an action. Each
meeting's minutes are approved at the next. The current year's held meetings
(``boards.demo_current``) have minutes too: the first two approved, the last released as a
draft, with actions due soon and one overdue. Every name is invented. Loading twice changes
nothing: a meeting that has minutes is left as it is."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from boards.demo_current import current_meetings
from boards.demo_meetings import POSTS, REFERENCE_MEETING
from boards.models import AgendaItem, Board, Meeting, Person, Post
from minutes import services
from minutes.models import Attendance, MinutesRecord

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MINUTES_OF_FULL_MEETINGS = (datetime.date(2016, 1, 25), datetime.date(2016, 2, 22))
# Items with no business are not minuted, as in the reference minutes (which open with late items).
NOT_MINUTED = (AgendaItem.Kind.APPEALS, AgendaItem.Kind.EXEMPT_INFORMATION)
ICT_NARRATIVE = """The Head of Service Delivery ICT submitted a report which addressed the areas of focus for the second session of the ICT inquiry, namely:

- a review of current market salaries and the pressures in the IT sector locally
- a review of the progress made on the ICT workforce and sourcing strategy
- whether the use of supplements, retention bonuses or other incentives would improve recruitment and retention

Opening the discussion, the Chair invited the Chief Digital Officer to make a presentation outlining the challenges and opportunities facing ICT services. The presentation was followed by a question and answer session.

In summary the main areas of discussion were:

- the cost of ICT services, particularly budgets controlled outside ICT
- recruitment and retention, including pay scales and the wider ICT labour market
- the need for a strong graduate scheme

Concluding the discussion, the Board asked the Chair to raise the matters discussed with the Deputy Chief Executive."""


def _person(given: str, family: str, job_title: str) -> Person:
    person, _ = Person.objects.get_or_create(
        given_name=given,
        family_name=family,
        kind=Person.Kind.OFFICER,
        defaults={"job_title": job_title, "team": "Digital and Information Service"},
    )
    return person


@transaction.atomic
def load() -> None:
    """Minutes for each of the demo board's meetings held before the reference pack's, and for
    this year's held so far, in date order (each approves the one before)."""
    board = Board.objects.select_related("support_officer__user").get(slug="strategy-and-resources")
    posts = {post.title: post for post in Post.objects.filter(title__in=POSTS)}
    held = board.meetings.filter(
        starts_at__date__lt=REFERENCE_MEETING, minutes__isnull=True
    ).order_by("starts_at")
    officer = board.support_officer.user if board.support_officer else None
    if officer is None:
        raise ValueError("The demo board's support officer signs in: load the boards first.")
    for meeting in held:
        take(meeting=meeting, officer=officer, posts=posts)
    # This year's meetings held so far, their agendas published.
    now = timezone.now()
    this_year = current_meetings(board).filter(
        starts_at__lt=now, agenda_published_at__isnull=False, minutes__isnull=True
    )
    for meeting in this_year:
        take(meeting=meeting, officer=officer, posts=posts, write=_write_this_year)
    # The last meeting's minutes await approval at the next: the officer released the draft a
    # week after the meeting, as many councils do.
    drafts = MinutesRecord.objects.filter(
        meeting__board=board, status=MinutesRecord.Status.DRAFT, released_at__isnull=True
    ).select_related("meeting")
    for record in drafts:
        services.minutes_release(
            minutes=record,
            by=officer,
            at=min(record.meeting.starts_at + datetime.timedelta(days=7), now),
        )


def take(*, meeting: Meeting, officer: User, posts: dict[str, Post], write=None) -> None:
    """Minutes for a held meeting: full ones for the two meetings before the reference pack,
    brief ones for the rest, so the minute numbers run on through the year as they do there.
    ``write`` writes each minute (the 2015/16 year's by default)."""
    full = meeting.date in MINUTES_OF_FULL_MEETINGS
    record = services.minutes_for(meeting)
    services.minutes_set_times(
        record=record,
        chair=record.chair,
        started_at=datetime.time(10, 0),
        ended_at=datetime.time(11, 35) if full else datetime.time(11, 10),
    )
    services.attendance_prefill(meeting)
    if full:
        _attendance(meeting)
    services.attendance_all_present(meeting=meeting)
    for item in meeting.agenda_items.order_by("number"):
        if item.kind in NOT_MINUTED:
            continue
        if item.kind == AgendaItem.Kind.MINUTES and item.minutes_of is not None:
            services.minutes_approve(minutes=item.minutes_of.minutes, at=meeting, by=officer)
            continue
        minute = services.minute_take(meeting=meeting, agenda_item=item, by=officer)
        (write or _write)(minute, item, officer, posts, full)


def _attendance(meeting: Meeting) -> None:
    members = {
        a.person.family_name: a.person
        for a in meeting.attendances.select_related("person")
        if a.person is not None
    }
    substitute = Person.objects.get(family_name="Ackroyd")
    services.attendance_set(meeting=meeting, person=members["Brierley"], status="apologies")
    services.attendance_set(
        meeting=meeting, person=members["Woodhouse"], status="apologies", substitute=substitute
    )
    if meeting.date == datetime.date(2016, 1, 25):
        services.declaration_add(
            meeting=meeting,
            person=members["Naylor"],
            agenda_item=meeting.agenda_items.get(title="Financial health monitoring"),
            kind="registrable",
            nature="A trustee of Rothby Community Leisure Trust, which receives a council grant.",
            left_room=False,
        )
        return
    session = meeting.agenda_items.get(title__startswith="Scrutiny Inquiry into ICT Capacity")
    for given, family, job_title in [
        ("Rhodri", "Pennington", "Chief Digital Officer"),
        ("Beverley", "Fairclough", "Head of Service Delivery"),
        ("Roger", "Greenwood", "Portfolio Manager"),
    ]:
        services.attendee_add(
            meeting=meeting,
            person=_person(given, family, job_title),
            kind=Attendance.Kind.OFFICER,
            capacity=job_title,
            items=[session],
        )


def _write(minute, item: AgendaItem, officer, posts: dict[str, Post], full: bool) -> None:
    narrative = ""
    if item.kind == AgendaItem.Kind.NEXT_MEETING:
        narrative = item.purpose
    elif item.kind == AgendaItem.Kind.WORK_SCHEDULE:
        narrative = (
            "The Head of Scrutiny and Member Development submitted a report which provided "
            "information regarding the Board's work schedule."
        )
        services.resolution_add(minute=minute, text="That the Board's work schedule be noted.")
    elif item.title.endswith("Session 2"):
        narrative = ICT_NARRATIVE
        chair = minute.meeting.minutes.chair
        for text, owner_post, owner_person, due in [
            (
                "To receive and note the information provided to address session two of the inquiry.",
                None,
                None,
                None,
            ),
            (
                "That the Chair relay to the Deputy Chief Executive the discussions held by the Board.",
                None,
                chair,
                datetime.date(2016, 3, 21),
            ),
            (
                "That the Chief Officer (Human Resources) be advised of the observations made by the "
                "Board in relation to recruitment and retention.",
                posts["Chief Officer (Human Resources)"],
                None,
                datetime.date(2016, 3, 31),
            ),
            (
                "That ICT undertake an exercise on the cost benefits of introducing higher grades and "
                "the savings this might bring if fewer agency staff were used.",
                posts["Head of Service Delivery ICT"],
                None,
                datetime.date(2016, 6, 30),
            ),
        ]:
            services.resolution_add(
                minute=minute,
                text=text,
                is_action=bool(owner_post or owner_person),
                owner_post=owner_post,
                owner_person=owner_person,
                due_on=due,
            )
    elif item.kind == AgendaItem.Kind.REPORT:
        narrative = (
            f"The {item.lead_post or 'officer'} submitted a report. Members asked about the "
            "pressures in children's services and waste collection."
        )
        services.resolution_add(minute=minute, text="That the report be noted.")
    if narrative:
        services.minute_autosave(
            minute=minute, narrative=narrative, version=minute.version, by=officer
        )


def _write_this_year(minute, item: AgendaItem, officer, posts: dict[str, Post], full: bool) -> None:
    """A minute of the current year: brief, as most are, with the actions the desks follow up
    (one due by the next meeting, one whose date has passed)."""
    narrative = ""
    if item.kind == AgendaItem.Kind.NEXT_MEETING:
        narrative = item.purpose
    elif item.kind == AgendaItem.Kind.WORK_SCHEDULE:
        narrative = (
            "The Head of Scrutiny and Member Development submitted a report which provided "
            "information regarding the Board's work schedule."
        )
        services.resolution_add(minute=minute, text="That the Board's work schedule be noted.")
    elif item.kind in (AgendaItem.Kind.REPORT, AgendaItem.Kind.INQUIRY_SESSION):
        narrative = (
            f"The {item.lead_post or 'officer'} submitted a report.\n\n"
            "Members discussed the report and asked questions of the officers present."
        )
        services.resolution_add(minute=minute, text="That the report be noted.")
        if item.title.endswith("Session 1"):
            services.resolution_add(
                minute=minute,
                text="That the Chief Officer (Financial Services) circulate to members a "
                "breakdown of the spending on agency staff by directorate.",
                is_action=True,
                owner_post=Post.objects.get(title="Chief Officer (Financial Services)"),
                due_on=minute.meeting.date + datetime.timedelta(days=21),
            )
        elif item.title.endswith("Session 2"):
            services.resolution_add(
                minute=minute,
                text="That the Chief Officer (Human Resources) report to the next meeting on the "
                "vacancy rates in children's social work.",
                is_action=True,
                owner_post=Post.objects.get(title="Chief Officer (Human Resources)"),
                due_next_meeting=True,
            )
    if narrative:
        services.minute_autosave(
            minute=minute, narrative=narrative, version=minute.version, by=officer
        )
