"""The demo council's inquiry still gathering evidence, modelled on a real agenda pack."""

from inquiries.models import Inquiry


def test_demo_inquiry_gathers_evidence_over_sessions_on_the_agendas(demo):
    ict = Inquiry.objects.get(title="Inquiry into ICT capacity")
    assert ict.stage == Inquiry.Stage.EVIDENCE
    assert ict.sessions.count() == 3
    assert all(s.agenda_item.subject_id == ict.subject_id for s in ict.sessions.all())
