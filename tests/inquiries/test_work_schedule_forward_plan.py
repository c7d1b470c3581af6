"""A scrutiny board picks a key decision from the forward plan into its work schedule: from the
notice's page, into a board whose work schedule the user keeps, in the forward plan's row and
the month of the expected decision unless chosen otherwise; the schedule (page and PDF) links
to the notice."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import services as board_services
from boards.models import MunicipalYear
from decisions import services as decision_services
from inquiries import services
from inquiries.models import WorkScheduleEntry
from tests.factories import (
    BoardFactory,
    ExecutiveFactory,
    ForwardPlanEntryFactory,
    PersonFactory,
    UserFactory,
)
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def notice():
    today = timezone.localdate()
    return ForwardPlanEntryFactory(
        decision_maker=ExecutiveFactory(),
        reference="FP/2026/014",
        title="The future of the leisure centres",
        published_on=today,
        decision_due_on=today + 60 * DAY,
    )


@pytest.fixture
def year(board, notice):
    """The municipal year of the expected decision, with a meeting of the board in it."""
    due = notice.decision_due_on
    starts = datetime.date(due.year if due.month >= 5 else due.year - 1, 5, 20)
    year = MunicipalYear.objects.create(starts_on=starts)
    board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime.combine(starts + 30 * DAY, datetime.time(10), LONDON),
        venue=None,
    )
    return year


def pick_url(notice) -> str:
    return reverse("inquiries:work-schedule-pick", args=[notice.pk])


def month_fields(day: datetime.date) -> dict[str, str]:
    return {"month_month": str(day.month), "month_year": str(day.year)}


def test_an_officer_picks_a_notice_into_their_boards_work_schedule(
    board, officer, client_for, notice, year
):
    client = client_for(officer)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "Add to a work schedule" in page
    assert f'action="{pick_url(notice)}"' in page
    assert 'value="Forward plan"' in page  # the row, by default
    due = notice.decision_due_on
    assert f'name="month_month" value="{due.month}"' in page  # the month of the decision

    response = client.post(
        pick_url(notice),
        {"board": board.pk, "area": "Forward plan", **month_fields(due)},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('inquiries:work-schedule', args=[board.slug])}?year={year.pk}"
    )
    entry = WorkScheduleEntry.objects.get()
    assert (entry.board, entry.forward_plan_entry, entry.month) == (
        board,
        notice,
        due.replace(day=1),
    )
    assert entry.note == "FP/2026/014: The future of the leisure centres"

    # The schedule shows it in its month, linking to the notice; anyone may read it.
    schedule = Client().get(response["Location"])
    rows = {row["area"]: row["cells"] for row in schedule.context["rows"]}
    months = schedule.context["months"]
    [note] = rows["Forward plan"][months.index(due.replace(day=1))]
    assert str(note) == entry.note
    assert (
        f'<a href="{notice.get_absolute_url()}">FP/2026/014: The future of the leisure centres</a>'
        in schedule.content.decode()
    )
    # The notice says which boards are looking at it, to everyone.
    public = Client().get(notice.get_absolute_url()).content.decode()
    assert "In the work schedule of:" in public
    assert reverse("inquiries:work-schedule", args=[board.slug]) in public
    assert "Add to a work schedule" not in public


def test_the_row_and_month_may_be_chosen(board, officer, client_for, notice, year):
    month = year.starts_on.replace(day=1) + 40 * DAY
    client_for(officer).post(
        pick_url(notice), {"board": board.pk, "area": "Budget", **month_fields(month)}
    )
    entry = WorkScheduleEntry.objects.get()
    assert (entry.area, entry.month) == ("Budget", month.replace(day=1))
    rows = {
        row["area"]: row["cells"]
        for row in Client()
        .get(reverse("inquiries:work-schedule", args=[board.slug]), {"year": year.pk})
        .context["rows"]
    }
    [note] = [cell for cell in rows["Budget"] if cell]
    assert "(decision expected" in str(note[0])


def test_a_notice_is_picked_once_per_board(board, officer, client_for, notice, year):
    client = client_for(officer)
    data = {"board": board.pk, "area": "Forward plan", **month_fields(notice.decision_due_on)}
    client.post(pick_url(notice), data)
    again = client.post(pick_url(notice), data)
    assert again.status_code == 422
    assert f"This notice is already in the work schedule of {board.name}." in again.content.decode()
    assert WorkScheduleEntry.objects.count() == 1


def test_an_officer_picks_only_into_a_scrutiny_board_they_keep(
    board, officer, client_for, notice, year
):
    other = BoardFactory()
    response = client_for(officer).post(
        pick_url(notice),
        {"board": other.pk, "area": "Forward plan", **month_fields(notice.decision_due_on)},
    )
    assert response.status_code == 422
    assert "Choose a board whose work schedule you keep" in response.content.decode()
    assert not WorkScheduleEntry.objects.exists()


def test_who_may_pick(board, councillor, client_for, notice, clerk):
    from boards.roles import Role

    url = pick_url(notice)
    data = {"board": board.pk, "area": "Forward plan", **month_fields(notice.decision_due_on)}
    assert Client().post(url, data).status_code == 302  # to sign in
    assert client_for(councillor).post(url, data).status_code == 403
    # The executive's own officer keeps no scrutiny board's work schedule.
    executive_officer = UserFactory(roles=[Role.OFFICER])
    executive = notice.decision_maker
    executive.support_officer = PersonFactory(officer=True, user=executive_officer)
    executive.save()
    assert client_for(executive_officer).get(url).status_code == 403
    assert "Add to a work schedule" not in (
        client_for(executive_officer).get(notice.get_absolute_url()).content.decode()
    )
    # A clerk keeps every board's.
    assert client_for(clerk).post(url, data).status_code == 302
    assert not WorkScheduleEntry.objects.exclude(board=board).exists()


def test_only_a_published_notice_can_be_picked(board, officer, client_for, notice):
    draft = ForwardPlanEntryFactory(published_on=None)
    assert client_for(officer).get(pick_url(draft)).status_code == 404
    decision_services.forward_plan_entry_withdraw(entry=notice, reason="Deferred.")
    assert client_for(officer).get(pick_url(notice)).status_code == 404
    with pytest.raises(ValidationError, match="withdrawn"):
        services.work_schedule_pick(board=board, notice=notice)


def test_a_withdrawn_notice_stays_in_the_schedule_marked_withdrawn(board, notice, year):
    services.work_schedule_pick(board=board, notice=notice)
    decision_services.forward_plan_entry_withdraw(entry=notice, reason="Deferred.")
    page = Client().get(reverse("inquiries:work-schedule", args=[board.slug]), {"year": year.pk})
    assert "FP/2026/014: The future of the leisure centres (notice withdrawn)" in (
        page.content.decode()
    )


def test_only_a_scrutiny_boards_schedule_takes_notices(notice):
    with pytest.raises(ValidationError, match="scrutiny board"):
        services.work_schedule_pick(board=ExecutiveFactory(), notice=notice)


def test_the_printed_work_schedule_shows_the_picked_notice(board, notice, year):
    services.work_schedule_pick(board=board, notice=notice)
    reader = read_pdf(
        Client().get(reverse("inquiries:work-schedule-pdf", args=[board.slug]), {"year": year.pk})
    )
    text = pdf_text(reader)
    assert "Forward plan" in text
    assert "2026/014: The future of the leisure centres" in text
