"""The demo council's board, its year of meetings modelled on a real agenda pack, and a current
year dated from the day the demo is loaded."""

import datetime

from django.utils import timezone

from boards import publication
from boards.models import Board, Council, Meeting, Membership, MunicipalYear, Paper


def test_demo_board_is_modelled_on_the_reference_pack(demo):
    assert Council.load().name == "Aldermoor City Council"
    board = Board.objects.get(slug="strategy-and-resources")
    members = list(board.current_memberships().select_related("person__ward"))
    assert len(members) == 11
    assert all(m.person.ward for m in members)
    assert len({m.person.ward_id for m in members}) == 11
    assert [m.role for m in members].count(Membership.Role.CHAIR) == 1
    assert board.support_officer.team == "Scrutiny Support Unit"
    assert board.head_of_scrutiny.job_title == "Head of Scrutiny and Member Development"


def test_demo_year_of_meetings_is_modelled_on_the_reference_pack(demo):
    meetings = Meeting.objects.filter(
        board__slug="strategy-and-resources", starts_at__date__lt="2016-05-19"
    )
    assert meetings.count() == 10
    assert {m.municipal_year.label for m in meetings} == {"2015/16"}
    assert MunicipalYear.objects.get(starts_on="2015-05-21").meetings.count() == 10
    march = meetings.get(starts_at__date="2016-03-21")
    items = list(march.agenda_items.order_by("number"))
    assert len(items) == 10
    assert items[5].title == "Minutes – 22 February 2016"
    assert items[5].minutes_of.starts_at.date().isoformat() == "2016-02-22"
    assert items[6].title == "Scrutiny Inquiry into ICT Capacity – Session 3"
    assert items[8].kind == "work_schedule"
    assert items[9].purpose.startswith("Monday, 25 April 2016 at 10.00 am")
    papers = Paper.objects.filter(agenda_item__meeting=march)
    assert [p.title for p in papers.filter(exempt=True)] == [
        "Appendix D – Data centre and ICT services resilience"
    ]
    pages = {p.title: p.page_count for p in papers.filter(file__gt="")}
    assert pages["Strategic commissioning of “people” services"] == 22
    assert pages["Work schedule 2015/16"] == 6
    assert all(p.publication_id for p in papers)


def test_demo_current_year_looks_alive_on_the_day_it_is_loaded(demo):
    """Three meetings held (their agendas published on time), the next with its agenda out and
    an exempt appendix, and the one after still being prepared."""
    today = timezone.localdate()
    meetings = list(
        Meeting.objects.filter(
            board__slug="strategy-and-resources", starts_at__date__gt="2016-05-19"
        ).order_by("starts_at")
    )
    assert len(meetings) == 5
    held, upcoming = meetings[:3], meetings[3:]
    assert all(m.date < today for m in held)
    assert all(m.date > today for m in upcoming)
    assert all(publication.is_working_day(m.date) for m in meetings)
    assert meetings[-1].municipal_year == MunicipalYear.objects.covering(meetings[-1].date)
    assert today - held[0].date < datetime.timedelta(days=100)
    for meeting in held + upcoming[:1]:
        record = meeting.agenda_publication
        assert record is not None and not record.late
        assert timezone.localdate(record.published_at) < today
    next_meeting, preparing = upcoming
    assert [
        p.title for p in Paper.objects.filter(agenda_item__meeting=next_meeting, exempt=True)
    ] == ["Appendix 1 – Tender evaluation and prices"]
    assert preparing.agenda_published_at is None
    assert preparing.agenda_items.filter(kind="report").exists()
    assert not publication.is_late(today, preparing.date)
