"""Demo inquiries: one that has reached its statement (the statement itself, modelled on the
reference one, is the recommendations app's part of the demo); one gathering evidence, modelled on
the reference pack's ICT inquiry, with three sessions on the board's agendas. Names are invented;
loading twice changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction

from boards.models import AgendaItem, Board
from inquiries import services
from inquiries.models import Inquiry, Session

COMMISSIONING = "Inquiry into people's commissioning"
ICT = "Inquiry into ICT capacity"


@transaction.atomic
def load() -> None:
    board = Board.objects.get(slug="strategy-and-resources")
    if not Inquiry.objects.filter(board=board, title=COMMISSIONING).exists():
        _commissioning(board)
    if not Inquiry.objects.filter(board=board, title=ICT).exists():
        _ict(board)


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
