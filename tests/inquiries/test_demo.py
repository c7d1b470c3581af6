"""The demo council's inquiry still gathering evidence, modelled on a real agenda pack."""

from inquiries.models import Inquiry


def test_demo_inquiry_gathers_evidence_over_sessions_on_the_agendas(demo):
    ict = Inquiry.objects.get(title="Inquiry into ICT capacity")
    assert ict.stage == Inquiry.Stage.EVIDENCE
    assert ict.sessions.count() == 3
    assert all(s.agenda_item.subject_id == ict.subject_id for s in ict.sessions.all())


def test_demo_current_inquiry_gathers_evidence_at_this_years_meetings(demo):
    agency = Inquiry.objects.get(title="Inquiry into the use of agency staff")
    assert agency.stage == Inquiry.Stage.EVIDENCE
    assert agency.terms_agreed_at.title.endswith("terms of reference")
    sessions = list(agency.sessions.select_related("agenda_item__meeting").order_by("number"))
    assert [s.number for s in sessions] == [1, 2, 3, 4]
    assert sessions[0].agenda_item.meeting.date > agency.terms_agreed_at.meeting.date
    # The fourth is on the agenda still being prepared.
    assert sessions[-1].agenda_item.meeting.agenda_published_at is None
    assert Inquiry.objects.get(title="Inquiry into customer contact and digital access").stage == (
        Inquiry.Stage.MONITORING
    )
