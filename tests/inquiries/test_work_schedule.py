import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from boards import services as board_services
from boards.models import MunicipalYear
from inquiries import services
from inquiries.models import WorkScheduleEntry
from recommendations import services as recommendation_services

LONDON = zoneinfo.ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return MunicipalYear.objects.create(starts_on=datetime.date(2015, 5, 21))


def _meeting(board, day):
    return board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime.combine(day, datetime.time(10), LONDON),
        venue=None,
    )


def _grid(client, board, year):
    response = client.get(reverse("inquiries:work-schedule", args=[board.slug]), {"year": year.pk})
    assert response.status_code == 200
    return response.context


def test_sessions_and_tracking_fill_the_grid_in_their_months(board, year):
    inquiry = services.inquiry_create(
        board=board, title="Inquiry into ICT capacity", on=datetime.date(2015, 6, 1)
    )
    services.session_create(inquiry=inquiry, meeting=_meeting(board, datetime.date(2016, 1, 25)))
    services.session_create(inquiry=inquiry, meeting=_meeting(board, datetime.date(2016, 2, 22)))
    recommendation_services.tracking_to_agenda(
        inquiry=inquiry, meeting=_meeting(board, datetime.date(2016, 3, 21))
    )
    context = _grid(Client(), board, year)
    months = context["months"]
    assert months[0] == datetime.date(2015, 5, 1)
    assert len(months) == 12
    rows = {row["area"]: row["cells"] for row in context["rows"]}
    ict = rows["Inquiry into ICT capacity"]
    assert ict[months.index(datetime.date(2016, 1, 1))] == ["Session 1"]
    assert ict[months.index(datetime.date(2016, 2, 1))] == ["Session 2"]
    tracking = rows["Recommendation tracking"]
    assert tracking[months.index(datetime.date(2016, 3, 1))] == ["Inquiry into ICT capacity"]
    assert list(rows)[-1] == "Recommendation tracking"


def test_officers_add_what_no_agenda_item_fills(board, year, officer, client_for):
    _meeting(board, datetime.date(2015, 9, 21))
    client = client_for(officer)
    url = reverse("inquiries:work-schedule", args=[board.slug])
    response = client.post(
        f"{url}?year={year.pk}", {"area": "Budget", "month": "2015-12", "note": "Initial proposals"}
    )
    assert response.status_code == 302
    entry = WorkScheduleEntry.objects.get()
    assert entry.month == datetime.date(2015, 12, 1)
    rows = {row["area"]: row["cells"] for row in _grid(Client(), board, year)["rows"]}
    assert rows["Budget"][7] == ["Initial proposals"]
    client.post(f"{url}?year={year.pk}", {"remove": entry.pk})
    assert not WorkScheduleEntry.objects.exists()


def test_only_the_boards_officers_change_the_schedule(board, year, councillor, client_for):
    _meeting(board, datetime.date(2015, 9, 21))
    url = reverse("inquiries:work-schedule", args=[board.slug])
    data = {"area": "Budget", "month": "2015-12", "note": "x"}
    assert client_for(councillor).post(url, data).status_code == 403
    assert Client().post(url, data).status_code == 403
    assert not WorkScheduleEntry.objects.exists()
    assert "Add to the schedule" not in Client().get(url).text


def test_a_bad_month_is_refused_clearly(board, year, officer, client_for):
    _meeting(board, datetime.date(2015, 9, 21))
    response = client_for(officer).post(
        reverse("inquiries:work-schedule", args=[board.slug]),
        {"area": "Budget", "month": "December", "note": "x"},
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert not WorkScheduleEntry.objects.exists()


def test_exempt_evidence_is_read_only_by_the_board_and_officers(
    board, officer, councillor, client_for
):
    from tests.factories import BoardFactory, MembershipFactory, PersonFactory, UserFactory

    inquiry = services.inquiry_create(
        board=board, title="Inquiry into contracts", on=datetime.date(2026, 1, 5)
    )
    client_for(officer).post(
        reverse("inquiries:evidence-add", args=[inquiry.slug]),
        {
            "kind": "written",
            "title": "Supplier's submission",
            "received_on": "2026-01-10",
            "body": "EVIDENCE-CANARY prices",
            "exempt": "on",
        },
    )
    outsider = UserFactory(roles=["Councillor"])
    MembershipFactory(board=BoardFactory(), person=PersonFactory(user=outsider))
    for client in (Client(), client_for(outsider)):
        page = client.get(inquiry.get_absolute_url()).text
        assert "Supplier&#x27;s submission" in page
        assert "EVIDENCE-CANARY" not in page
    assert "EVIDENCE-CANARY" in client_for(councillor).get(inquiry.get_absolute_url()).text
    assert "EVIDENCE-CANARY" in client_for(officer).get(inquiry.get_absolute_url()).text
