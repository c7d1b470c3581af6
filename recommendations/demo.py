"""The demo's statements: the completed inquiry's, modelled on the reference statement (desired
outcomes, four recommendations with lettered parts, month deadlines, a response, progress and
judgements, one overdue); and last year's, dated from the day the demo is loaded, whose tracking
goes on this year (one recommendation due in the coming weeks, one overdue with an update
awaiting the board's judgement, one part achieved). Names are invented; loading twice changes
nothing."""

from __future__ import annotations

import calendar
import datetime

from django.db import transaction
from django.utils import timezone

from boards.demo_current import CUSTOMER_TRACKING
from boards.models import AgendaItem, Board, Membership, Post
from inquiries.demo import COMMISSIONING, CUSTOMER_CONTACT
from inquiries.models import Inquiry
from recommendations import services
from recommendations.models import Recommendation, Section, Statement, TrackingCategory

OUTCOMES = [
    "To enhance the level of member involvement and transparency in relation to people's commissioning.",
    "To enhance the consistency of people's commissioning across the council and the connection between the strategic board and the operational group.",
    "To enhance the council's approach and improve organisational learning in relation to decommissioning.",
    "To ensure the most efficient and effective use of the staffing resource across people's commissioning.",
]
SECTIONS = [
    (
        "Introduction and background",
        "At the beginning of the municipal year 2015/16 the Scrutiny Board considered a piece of work on commissioning, the focus being to look at the principles, benefits and practicalities of a centralised commissioning hub.[^1]\n\n[^1]: Scrutiny Board (Strategy and Resources), 22 June 2015.\n\n"
        "The Board received evidence at its meetings between October 2015 and March 2016, and wishes to thank all those who contributed.",
    ),
    (
        "Conclusions and recommendations",
        "Commissioning of people's services is done consistently in most respects, but members have too little sight of the performance of commissioned services.\n\n"
        "Decommissioning decisions are not reviewed systematically, so the council does not learn from them as well as it should.",
    ),
]


@transaction.atomic
def load() -> None:
    board = Board.objects.get(slug="strategy-and-resources")
    inquiry = Inquiry.objects.get(board=board, title=COMMISSIONING)
    if not Statement.objects.filter(inquiry=inquiry).exists():
        _statement(inquiry)
    customer = Inquiry.objects.filter(board=board, title=CUSTOMER_CONTACT).first()
    if customer is not None and not Statement.objects.filter(inquiry=customer).exists():
        _customer_statement(customer, timezone.localdate())


def _post(title: str) -> Post:
    return Post.objects.get_or_create(title=title)[0]


def _statement(inquiry: Inquiry) -> None:
    board = inquiry.board
    chair = Membership.objects.filter(board=board, role="chair").select_related("person").first()
    statement = Statement.objects.create(
        inquiry=inquiry,
        title="Strategic commissioning of people's services",
        month=datetime.date(2017, 5, 1),
        chair=chair.person if chair else None,
        author=board.support_officer,
    )
    outcomes = [
        statement.outcomes.create(position=n, text=text) for n, text in enumerate(OUTCOMES, start=1)
    ]
    for position, (heading, body) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(statement=statement, position=position, heading=heading)
        services.section_save(section=section, body=body)
    director, hr = _post("Director of Adults and Health"), _post("Chief Officer (Human Resources)")
    month = Recommendation.Precision.MONTH
    r1 = services.recommendation_add(
        statement=statement,
        outcome=outcomes[0],
        addressees=[director],
        text="That the Director of Adults and Health reviews how the performance of commissioned people's services is reported through community committees, and develops proposals for reporting performance and outcomes regularly and consistently.",
        deadline_on=datetime.date(2017, 9, 30),
        deadline_precision=month,
    )
    services.recommendation_add(
        statement=statement,
        outcome=outcomes[1],
        addressees=[director],
        text="Reporting by the people's commissioning operational group.",
        parts=[
            "That the Director of Adults and Health ensures the operational group provides a six-monthly progress report on performance and quality, the commissioning workforce and shared intelligence.",
            "That the report referred to in (a) is made available to the appropriate Scrutiny Board.",
        ],
        deadline_on=datetime.date(2017, 12, 31),
        deadline_precision=month,
    )
    services.recommendation_add(
        statement=statement,
        outcome=outcomes[2],
        addressees=[director],
        text="Equality impact assessments and decommissioning.",
        parts=[
            "That those undertaking equality impact assessments have the right training and stay up to date with recognised best practice.",
            "That where services are decommissioned the equality impact assessment is reviewed and the learning shared through the operational group.",
        ],
        deadline_on=datetime.date(2017, 9, 30),
        deadline_precision=month,
    )
    services.recommendation_add(
        statement=statement,
        outcome=outcomes[3],
        addressees=[director, hr],
        text="The commissioning workforce.",
        parts=[
            "That the Director of Adults and Health and the Chief Officer (Human Resources) continue, at pace, to develop commissioning as a job family during 2017.",
            "That the Director reviews the staff resource for people's commissioning, to ensure it is deployed effectively and to deliver any financial efficiency.",
            "That the outcome of (a) and (b) is reported to the appropriate Scrutiny Board no later than December 2017.",
        ],
        deadline_on=datetime.date(2017, 12, 31),
        deadline_precision=month,
        deadline_wording=Recommendation.Wording.NO_LATER_THAN,
    )
    paragraph = statement.sections.get(position=2).paragraphs.order_by("number")[0]
    paragraph.recommendation = r1
    paragraph.save()
    services.statement_publish(statement=statement, on=datetime.date(2017, 5, 31))
    tracked = list(
        Recommendation.objects.filter(statement=statement)
        .trackable()
        .order_by("number", "position")
    )
    for recommendation in tracked:
        services.response_record(
            recommendation=recommendation,
            decision="partly_agreed" if recommendation.reference == "4(b)" else "agreed",
            text="Agreed. The directorate will take this forward with the operational group.",
            on=datetime.date(2017, 7, 20),
            actioned_by=director,
        )
    categories = {c.name: c for c in TrackingCategory.objects.all()}
    judged = {
        "1": "Achieved",
        "2(a)": "Not fully implemented – progress acceptable, continue monitoring",
        "2(b)": "Achieved",
        "3(a)": "Not fully implemented – obstacle",
        "3(b)": "Not fully implemented – progress not acceptable, continue monitoring",
        "4(a)": "Achieved",
        "4(c)": "Not fully implemented – progress acceptable, continue monitoring",
    }
    for recommendation in tracked:
        services.update_add(
            recommendation=recommendation,
            on=datetime.date(2018, 1, 15),
            text="The Director reported progress to the Board.",
        )
        if recommendation.reference in judged:
            services.judgement_record(
                recommendation=recommendation,
                category=categories[judged[recommendation.reference]],
                on=datetime.date(2018, 1, 22),
            )


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _customer_statement(inquiry: Inquiry, today: datetime.date) -> None:
    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    board = inquiry.board
    chair = Membership.objects.filter(board=board, role="chair").select_related("person").first()
    published_on = ago(240)
    statement = Statement.objects.create(
        inquiry=inquiry,
        title="Customer contact and digital access",
        month=published_on.replace(day=1),
        chair=chair.person if chair else None,
        author=board.support_officer,
    )
    outcome = statement.outcomes.create(
        position=1,
        text="To make sure every resident can reach the council, whichever way they choose.",
    )
    section = Section.objects.create(statement=statement, position=1, heading="Conclusions")
    services.section_save(
        section=section,
        body="Most residents now reach the council online, but those who telephone wait longer "
        "than they did, and the council does not publish how long.\n\n"
        "Libraries and community hubs are where residents without the internet get help.",
    )
    access, digital = _post("Chief Officer (Customer Access)"), _post("Chief Digital Officer")
    soon = services.recommendation_add(
        statement=statement,
        outcome=outcome,
        addressees=[access],
        text="That the Chief Officer (Customer Access) publishes the contact centre's answering "
        "times every quarter, starting with the figures for the current quarter.",
        deadline_on=today + datetime.timedelta(days=12),
        deadline_precision=Recommendation.Precision.DAY,
    )
    late = services.recommendation_add(
        statement=statement,
        outcome=outcome,
        addressees=[access],
        text="That the Chief Officer (Customer Access) reviews the contact centre's telephone "
        "options so that a caller can reach an adviser in no more than two choices.",
        deadline_on=_month_end(ago(60)),
    )
    services.recommendation_add(
        statement=statement,
        outcome=outcome,
        addressees=[access, digital],
        text="Digital inclusion.",
        parts=[
            "That library and community hub staff are trained to help residents use the "
            "council's online forms.",
            "That the Chief Digital Officer tests each new online form with residents who use "
            "assistive technology before it replaces a telephone service.",
        ],
        deadline_on=_month_end(today + datetime.timedelta(days=120)),
    )
    services.statement_publish(statement=statement, on=published_on)
    tracked = list(
        Recommendation.objects.filter(statement=statement)
        .trackable()
        .order_by("number", "position")
    )
    for recommendation in tracked:
        services.response_record(
            recommendation=recommendation,
            decision="agreed",
            text="Agreed. The Customer Access service will take this forward.",
            on=ago(190),
            actioned_by=access,
        )
    categories = {c.name: c for c in TrackingCategory.objects.all()}
    considered = (
        AgendaItem.objects.filter(meeting__board=board, title=CUSTOMER_TRACKING)
        .select_related("meeting")
        .first()
    )
    judged_on = considered.meeting.date if considered else ago(35)
    services.update_add(
        recommendation=soon,
        on=judged_on - datetime.timedelta(days=7),
        text="The first quarter's figures are being checked before they are published.",
        considered_at=considered,
    )
    services.judgement_record(
        recommendation=soon,
        category=categories["Not fully implemented – progress acceptable, continue monitoring"],
        on=judged_on,
        considered_at=considered,
    )
    training = next(r for r in tracked if r.reference == "3(a)")
    services.update_add(
        recommendation=training,
        on=judged_on - datetime.timedelta(days=7),
        text="Every library's staff have been trained.",
        considered_at=considered,
    )
    services.judgement_record(
        recommendation=training,
        category=categories["Achieved"],
        on=judged_on,
        considered_at=considered,
    )
    # Since the board last looked: the review is late, and the board has yet to judge it.
    services.update_add(
        recommendation=late,
        on=ago(8),
        text="The review of the telephone options has begun but will not report until next "
        "quarter, after the deadline.",
    )
