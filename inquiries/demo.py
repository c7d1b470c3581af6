"""Demo inquiries: one that has reached its statement (the statement itself, modelled on the
reference one, is the recommendations app's part of the demo); one gathering evidence, modelled on
the reference pack's ICT inquiry, with three sessions on the board's agendas. In the current year
(``boards.demo_current``), dated from the day the demo is loaded: one completed the year before,
whose statement is being tracked, and one gathering evidence at this year's meetings. Names are
invented; loading twice changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from boards.demo_current import AGENCY_SESSION, AGENCY_TERMS, current_meetings
from boards.models import AgendaItem, Board
from inquiries import services
from inquiries.models import Inquiry, Session

COMMISSIONING = "Inquiry into people's commissioning"
ICT = "Inquiry into ICT capacity"
CUSTOMER_CONTACT = "Inquiry into customer contact and digital access"
AGENCY_STAFF = "Inquiry into the use of agency staff"


@transaction.atomic
def load() -> None:
    board = Board.objects.get(slug="strategy-and-resources")
    if not Inquiry.objects.filter(board=board, title=COMMISSIONING).exists():
        _commissioning(board)
    if not Inquiry.objects.filter(board=board, title=ICT).exists():
        _ict(board)
    if not Inquiry.objects.filter(board=board, title=CUSTOMER_CONTACT).exists():
        _customer_contact(board, timezone.localdate())
    if not Inquiry.objects.filter(board=board, title=AGENCY_STAFF).exists():
        _agency_staff(board)


def _commissioning(board: Board) -> None:
    inquiry = services.inquiry_create(
        board=board,
        title=COMMISSIONING,
        scope="How people's services (adult social care, public health and children's services) are commissioned across the council.",
        lines_of_enquiry="- the principles and practicalities of a commissioning hub\n- consistency across directorates\n- decommissioning and its equality impact\n- the commissioning workforce",
        on=datetime.date(2015, 6, 22),
    )
    services.inquiry_move_stage(
        inquiry=inquiry, stage=Inquiry.Stage.TERMS_AGREED, on=datetime.date(2015, 9, 21)
    )
    services.inquiry_move_stage(
        inquiry=inquiry, stage=Inquiry.Stage.EVIDENCE, on=datetime.date(2015, 10, 19)
    )
    services.inquiry_move_stage(
        inquiry=inquiry, stage=Inquiry.Stage.DRAFTING, on=datetime.date(2016, 4, 25)
    )


def _ict(board: Board) -> None:
    inquiry = services.inquiry_create(
        board=board,
        title=ICT,
        scope="Whether the council's ICT service has the capacity to support its services and their transformation.",
        lines_of_enquiry="- ICT demand and governance\n- recruitment, retention and the ICT workforce\n- hours of service, reliability and availability",
        on=datetime.date(2015, 9, 21),
    )
    sessions = (
        AgendaItem.objects.filter(
            meeting__board=board, title__startswith="Scrutiny Inquiry into ICT Capacity – Session"
        )
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    services.inquiry_move_stage(
        inquiry=inquiry, stage=Inquiry.Stage.TERMS_AGREED, on=datetime.date(2015, 10, 19)
    )
    for number, item in enumerate(sessions, start=1):
        item.subject = inquiry.subject
        item.save(update_fields=["subject", "modified"])
        Session.objects.create(
            inquiry=inquiry,
            number=number,
            agenda_item=item,
            focus=f"- the areas of focus agreed for session {number}",
        )
    if sessions:
        services.inquiry_advance(inquiry, Inquiry.Stage.EVIDENCE, sessions[0].meeting.date)


def _customer_contact(board: Board, today: datetime.date) -> None:
    """Completed last year: the recommendations app publishes its statement and tracks it."""

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    inquiry = services.inquiry_create(
        board=board,
        title=CUSTOMER_CONTACT,
        scope="How residents reach the council by telephone, online and in person, and who is left behind as services move online.",
        lines_of_enquiry="- answering times at the contact centre\n- the online forms that replace telephone calls\n- digital inclusion in libraries and community hubs",
        on=ago(600),
    )
    for stage, days in [
        (Inquiry.Stage.TERMS_AGREED, 540),
        (Inquiry.Stage.EVIDENCE, 500),
        (Inquiry.Stage.DRAFTING, 330),
    ]:
        services.inquiry_move_stage(inquiry=inquiry, stage=stage, on=ago(days))


def _agency_staff(board: Board) -> None:
    """Gathering evidence at this year's meetings: terms agreed at the first, then sessions."""
    meetings = current_meetings(board)
    terms = AgendaItem.objects.filter(meeting__in=meetings, title=AGENCY_TERMS).first()
    sessions = (
        AgendaItem.objects.filter(meeting__in=meetings, title__startswith=AGENCY_SESSION)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    if terms is None:
        return
    inquiry = services.inquiry_create(
        board=board,
        title=AGENCY_STAFF,
        scope="Why the council's spending on agency staff has risen, and what would reduce it.",
        lines_of_enquiry="- agency staff and spending by service\n- recruitment and retention in the hardest-to-fill posts\n- a council-run staff bank",
        on=terms.meeting.date - datetime.timedelta(days=28),
    )
    services.terms_agree(inquiry=inquiry, agenda_item=terms)
    for number, item in enumerate(sessions, start=1):
        item.subject = inquiry.subject
        item.save(update_fields=["subject", "modified"])
        Session.objects.create(
            inquiry=inquiry,
            number=number,
            agenda_item=item,
            focus=f"- the areas of focus agreed for session {number}",
        )
    if sessions:
        services.inquiry_advance(inquiry, Inquiry.Stage.EVIDENCE, sessions[0].meeting.date)
