"""The public home page (the next meetings, what was published lately, the boards) and the
accessibility statement, which every page links to."""

import datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from boards import formatting
from boards.models import AgendaItem, Council, Paper, Publication
from boards.roles import Role
from tests.conftest import CANARY
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    PaperFactory,
    RecommendationFactory,
    StatementFactory,
    UserFactory,
    sign_in,
)

pytestmark = pytest.mark.django_db


def _publish(meeting, *, kind=Publication.Kind.AGENDA, when=None, by=None) -> Publication:
    """Publish whatever of the meeting's items and papers is not yet published."""
    record = Publication.objects.create(
        meeting=meeting,
        kind=kind,
        published_at=when or timezone.now(),
        published_by=by or UserFactory(),
        deadline=meeting.date,
    )
    meeting.agenda_items.filter(publication__isnull=True).update(publication=record)
    Paper.objects.filter(agenda_item__meeting=meeting, publication__isnull=True).update(
        publication=record
    )
    meeting.agenda_published_at = meeting.agenda_published_at or record.published_at
    meeting.save()
    return record


def _meeting_with_papers(board, *, days: int, items: int = 2) -> None:
    meeting = MeetingFactory(board=board, starts_at=timezone.now() + datetime.timedelta(days=days))
    for number in range(1, items + 1):
        item = AgendaItemFactory(meeting=meeting, number=number)
        report = PaperFactory(agenda_item=item)
        PaperFactory(
            agenda_item=item,
            parent=report,
            kind=Paper.Kind.APPENDIX,
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Prices.",
        )
    _publish(meeting, when=timezone.now() - datetime.timedelta(days=abs(days)))


def _populate(size: int) -> None:
    for _ in range(size):
        board = BoardFactory()
        for days in (-20, 10, 40):
            _meeting_with_papers(board, days=days, items=size)
        statement = StatementFactory(inquiry__board=board)
        RecommendationFactory(statement=statement)
        statement.published_on = timezone.localdate()
        statement.response_due_on = timezone.localdate() + datetime.timedelta(days=61)
        statement.save()


# The home page


def test_home_shows_the_next_meetings_with_their_board_venue_and_agenda(board):
    soon = MeetingFactory(board=board, starts_at=timezone.now() + datetime.timedelta(days=3))
    later = MeetingFactory(board=board, starts_at=timezone.now() + datetime.timedelta(days=9))
    _publish(later)
    past = MeetingFactory(board=board, starts_at=timezone.now() - datetime.timedelta(days=3))
    far = [
        MeetingFactory(board=board, starts_at=timezone.now() + datetime.timedelta(days=20 + n))
        for n in range(8)
    ]

    page = Client().get("/").text

    assert soon.get_absolute_url() in page
    assert later.get_absolute_url() in page
    assert past.get_absolute_url() not in page
    # The next eight only, in date order.
    assert far[5].get_absolute_url() in page
    assert far[6].get_absolute_url() not in page
    assert page.index(soon.get_absolute_url()) < page.index(later.get_absolute_url())
    assert "Civic Hall" in page
    assert "Not yet published</strong> due by" in page  # the soon one's agenda
    assert '<strong class="tag">Published</strong>' in page  # the later one's


def test_home_lists_recently_published_agendas_supplements_and_statements(board, clerk):
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting, number=1, title="Budget")
    PaperFactory(agenda_item=item, title="Budget report")
    _publish(meeting, when=timezone.now() - datetime.timedelta(days=2))
    PaperFactory(agenda_item=item, title="Late budget appendix")
    _publish(meeting, kind=Publication.Kind.SUPPLEMENT)
    statement = StatementFactory(inquiry__board=board, title="Libraries for everyone")
    RecommendationFactory(statement=statement)
    statement.published_on = timezone.localdate() - datetime.timedelta(days=1)
    statement.response_due_on = statement.published_on + datetime.timedelta(days=61)
    statement.save()

    page = Client().get("/").text

    assert "Agenda:</span> " + escape(board.name) in page
    assert "Supplementary papers:</span>" in page
    assert "Budget report" in page
    assert "Late budget appendix" in page
    assert statement.get_absolute_url() in page
    # Newest first: the supplement, the statement, the agenda.
    assert page.index("Supplementary papers:") < page.index("Libraries for everyone")
    assert page.index("Libraries for everyone") < page.index("Agenda:</span>")


def test_a_publication_recorded_afterwards_is_listed_under_its_own_date_not_today(board, clerk):
    from boards import services

    # Both meetings are past, so each is on the page only under "Recently published".
    recent = MeetingFactory(board=board, starts_at=timezone.now() - datetime.timedelta(days=1))
    AgendaItemFactory(meeting=recent, number=1, title="Published here")
    _publish(recent, when=timezone.now() - datetime.timedelta(days=9))
    held = MeetingFactory(board=board, starts_at=timezone.now() - datetime.timedelta(days=30))
    services.agenda_item_add(meeting=held, item=AgendaItem(title="Entered afterwards"))
    went_out = held.date - datetime.timedelta(days=8)
    services.agenda_record_published(meeting=held, published_on=went_out, by=clerk)

    page = Client().get("/").text

    assert held.get_absolute_url() in page
    assert f"Published {formatting.long_date(went_out)}" in page
    assert f"Published {formatting.long_date(timezone.localdate())}" not in page
    # Under its own date it falls behind what was published here since.
    assert page.index(recent.get_absolute_url()) < page.index(held.get_absolute_url())


def test_home_shows_exempt_papers_by_title_with_the_notice_and_never_drafts(
    published_meeting, audiences
):
    from recommendations.models import Statement

    draft_statement = StatementFactory(
        inquiry__board=published_meeting.board, title=f"Draft statement {CANARY}"
    )
    assert not Statement.objects.get(pk=draft_statement.pk).is_published

    for name, client in audiences.items():
        page = client.get("/").text
        assert CANARY not in page, name
        assert "Draft paper" not in page, name
        assert "Draft item not yet published" not in page, name
        assert "Budget report" in page, name
        assert "Appendix A – supplier prices" in page, name
        assert "Restructure report" in page, name

    exempt = Paper.objects.get(title="Appendix A – supplier prices")
    public = audiences["public"].get("/").text
    assert exempt.get_absolute_url() not in public
    assert (
        "Appendix A – supplier prices: <em>Not for publication by virtue of paragraph 3" in public
    )
    # The exempt item's report: its item's paragraph.
    assert "Restructure report: <em>Not for publication by virtue of paragraph 1" in public
    # The board's own councillor and its officer read them.
    for name in ("councillor", "officer", "clerk"):
        assert exempt.get_absolute_url() in audiences[name].get("/").text, name
    assert exempt.get_absolute_url() not in audiences["other councillor"].get("/").text


@pytest.mark.parametrize("size", [1, 6])
# A councillor's audience takes two queries: their boards, and the meetings they substitute at.
# Staff: one for the device that gave the session its second factor.
@pytest.mark.parametrize(("role", "budget"), [(None, 6), (Role.COUNCILLOR, 13), (Role.CLERK, 12)])
def test_home_runs_a_fixed_number_of_queries(
    size, role, budget, make_user, django_assert_max_num_queries
):
    _populate(size)
    client = Client()
    if role:
        sign_in(client, make_user(role))
    with django_assert_max_num_queries(budget):
        response = client.get("/")
    assert response.status_code == 200
    assert response.text.count('class="published"') == min(10, size * 4)


def test_home_links_to_each_boards_meetings_and_recommendation_progress(board):
    page = Client().get("/").text
    assert f"/boards/{board.slug}/" in page
    assert f"/meetings/?board={board.slug}" in page
    assert f"/recommendations/tracking/board/{board.slug}/" in page
    assert "/inquiries/" in page
    assert 'action="/search/"' in page
    assert 'href="webcal://testserver/calendar/meetings.ics"' in page


def test_home_keeps_the_signed_in_users_own_pages(make_user, client_for):
    clerk_page = client_for(make_user(Role.CLERK)).get("/").text
    assert "Your pages" in clerk_page
    assert 'href="/clerk/">Clerk&#x27;s desk</a></li>' in clerk_page
    assert "Your pages" not in Client().get("/").text


# The accessibility statement


def test_accessibility_statement_follows_the_model_with_the_councils_contacts():
    council = Council.objects.create(
        name="Aldermoor City Council",
        email="access@aldermoor.example",
        telephone="0113 496 0000",
        address="Civic Hall\nMarket Street",
    )
    response = Client().get("/accessibility/")
    assert response.status_code == 200
    page = response.text
    for heading in [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Non-accessible content",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ]:
        assert f">{heading}</h" in page, heading
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility" in page
    assert "partially compliant with the" in page
    assert "version 2.2</a> AA standard" in page
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "Equality Advisory and Support Service (EASS)" in page
    assert "Equality Commission for Northern Ireland" in page
    assert 'href="mailto:access@aldermoor.example"' in page
    assert "call 0113 496 0000" in page
    assert "Civic Hall<br>Market Street" in page
    assert "axe-core" in page
    assert "is a tagged PDF only when every paper in it is" in page
    prepared = formatting.long_date(timezone.localdate(council.created))
    assert f"This statement was prepared on {prepared}." in page


def test_accessibility_statement_dates_come_from_the_setting_or_the_council(settings):
    council = Council.objects.create(name="Aldermoor City Council")
    Council.objects.filter(pk=council.pk).update(
        created=datetime.datetime(2025, 4, 1, 12, tzinfo=datetime.UTC),
        modified=datetime.datetime(2026, 2, 3, 12, tzinfo=datetime.UTC),
    )
    page = Client().get("/accessibility/").text
    assert "prepared on Tuesday, 1 April 2025" in page
    assert "last reviewed on Tuesday, 3 February 2026" in page

    settings.ACCESSIBILITY_STATEMENT_REVIEWED_ON = datetime.date(2026, 9, 14)
    page = Client().get("/accessibility/").text
    assert "last reviewed on Monday, 14 September 2026" in page


def test_accessibility_statement_invents_no_dates_before_the_council_is_entered():
    page = Client().get("/accessibility/").text
    assert "prepared on" not in page
    assert "last reviewed on" not in page
    assert "prepared from the details" in page


def test_every_page_links_to_the_accessibility_statement(board, make_user, client_for):
    for client in (Client(), client_for(make_user(Role.OFFICER))):
        for url in ("/", "/boards/", f"/boards/{board.slug}/", "/meetings/", "/no-such-page/"):
            assert 'href="/accessibility/">Accessibility statement</a>' in client.get(url).text


def test_favicon_ico_leads_to_the_icon_among_the_static_files():
    """Browsers ask for /favicon.ico whatever the page links to: no 404 in the log."""
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
    icon = Path(finders.find("img/favicon.ico")).read_bytes()
    assert icon.startswith(b"\x00\x00\x01\x00")  # an ICO file's header
