import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.serializers import serialize
from django.test import Client

from boards.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from boards.models import Board, Council, Membership

pytestmark = pytest.mark.django_db


def _snapshot() -> str:
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"auth", "boards"} and model._meta.model_name != "permission"
    ]
    return "".join(serialize("json", model.objects.order_by("pk")) for model in models)


def test_loading_the_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


def test_demo_board_is_modelled_on_the_reference_pack():
    call_command("load_demo")
    assert Council.load().name == "Aldermoor City Council"
    board = Board.objects.get(slug="strategy-and-resources")
    members = list(board.current_memberships().select_related("person__ward"))
    assert len(members) == 11
    assert all(m.person.ward for m in members)
    assert len({m.person.ward_id for m in members}) == 11
    assert [m.role for m in members].count(Membership.Role.CHAIR) == 1
    assert board.support_officer.team == "Scrutiny Support Unit"
    assert board.head_of_scrutiny.job_title == "Head of Scrutiny and Member Development"


def test_every_demo_account_signs_in_to_its_landing_page(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account.username in output
        client = Client()
        response = client.post(
            "/account/sign-in/", {"username": account.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert client.get(response.url).status_code == 200


def test_the_demo_officer_sees_the_board_they_support():
    call_command("load_demo")
    client = Client()
    client.post("/account/sign-in/", {"username": "officer", "password": DEMO_PASSWORD})
    page = client.get("/officer/")
    assert "Scrutiny Board (Strategy and Resources)" in page.text
    client = Client()
    client.post("/account/sign-in/", {"username": "councillor", "password": DEMO_PASSWORD})
    page = client.get("/councillor/")
    assert "Chair" in page.text
    assert page.text.count("<tr>") == 12  # header row and eleven members


def test_demo_year_of_meetings_is_modelled_on_the_reference_pack():
    from boards.models import Meeting, Paper

    call_command("load_demo")
    meetings = Meeting.objects.filter(board__slug="strategy-and-resources")
    assert meetings.count() == 10
    assert {m.municipal_year.label for m in meetings} == {"2015/16"}
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


def test_demo_minutes_are_modelled_on_the_reference_minutes():
    from boards.models import Meeting
    from minutes.models import Minute, Resolution

    call_command("load_demo")
    january = Meeting.objects.get(starts_at__date="2016-01-25")
    february = Meeting.objects.get(starts_at__date="2016-02-22")
    assert january.minutes.is_approved
    assert january.minutes.approved_at_meeting == february
    assert not february.minutes.is_approved
    numbers = list(Minute.objects.filter(meeting=february).values_list("number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert numbers[0] > 1  # the year's sequence runs on from earlier meetings
    assert january.declarations.count() == 1
    session = Minute.objects.get(meeting=february, title__startswith="Scrutiny Inquiry")
    assert [r.letter for r in session.resolutions.all()] == ["a", "b", "c", "d"]
    assert Resolution.objects.open_actions().filter(minute=session).count() == 3
    page = Client().get(f"/meetings/{february.pk}/minutes/").text
    assert "Councillor B Ackroyd was to substitute for Councillor R Woodhouse" in page
    assert "Draft minutes to be approved at the meeting to be held on Monday, 21 March 2016" in page
    assert "The meeting concluded at 11.35 am." in page


def test_demo_inquiries_are_modelled_on_the_reference_statement_and_pack():
    import datetime

    from inquiries.models import Inquiry
    from recommendations.models import Recommendation

    call_command("load_demo")
    commissioning = Inquiry.objects.get(title="Inquiry into people's commissioning")
    statement = commissioning.statement
    assert statement.outcomes.count() == 4
    tops = Recommendation.objects.filter(statement=statement, parent__isnull=True)
    assert [r.number for r in tops] == [1, 2, 3, 4]
    assert [p.letter for p in tops.get(number=4).parts.all()] == ["a", "b", "c"]
    assert tops.get(number=1).deadline_text == "by September 2017"
    assert tops.get(number=4).deadline_text == "no later than December 2017"
    assert statement.response_due_on == datetime.date(2017, 7, 31)
    tracked = Recommendation.objects.filter(statement=statement).trackable()
    assert all(hasattr(r, "response") for r in tracked)
    assert tracked.overdue(datetime.date(2026, 11, 23)).exists()
    ict = Inquiry.objects.get(title="Inquiry into ICT capacity")
    assert ict.stage == Inquiry.Stage.EVIDENCE
    assert ict.sessions.count() == 3
    assert all(s.agenda_item.subject_id == ict.subject_id for s in ict.sessions.all())
    page = Client().get(commissioning.get_absolute_url()).text
    assert "Achieved" in page and "Overdue" in page
