"""The desks each role lands on (the officer's, the clerk's, the councillor's) and the navigation
that follows the role, with their query budgets."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from boards import formatting, publication, services
from boards.models import AgendaItem, Paper
from boards.roles import Role
from follow.services import subscription_add
from recommendations.services import statement_publish as publish_statement
from tests.conftest import CANARY
from tests.factories import (
    BoardFactory,
    InquiryFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    RecommendationFactory,
    StatementFactory,
    sign_in,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _populate(boards: int, members: int, officer_person=None, councillor_person=None):
    for _ in range(boards):
        board = BoardFactory(support_officer=officer_person)
        MembershipFactory.create_batch(members, board=board)
        if councillor_person:
            MembershipFactory(board=board, person=councillor_person)


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize(
    ("role", "url", "budget"),
    [
        # Staff: +1, the device that gave the session its second factor. Executive decisions:
        # an officer's call-ins to check and to schedule (+2); a clerk's call-in rules, draft
        # decisions and recent decisions (+3); a councillor's decisions open to call-in and
        # the call-ins they signed (+2).
        (Role.OFFICER, "/officer/", 12),
        (Role.CLERK, "/clerk/", 12),
        (Role.COUNCILLOR, "/councillor/", 17),
        (None, "/", 5),
    ],
)
def test_pages_run_a_bounded_number_of_queries(
    make_user, django_assert_max_num_queries, size, role, url, budget
):
    user = make_user(role) if role else None
    person = PersonFactory(user=user) if user else None
    _populate(
        size,
        size * 2,
        officer_person=person if role == Role.OFFICER else None,
        councillor_person=person if role == Role.COUNCILLOR else None,
    )
    client = Client()
    if user:
        sign_in(client, user)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200


def test_officer_sees_only_the_boards_they_support(officer, client_for):
    other = BoardFactory(name="Scrutiny Board (Somewhere Else)")
    page = client_for(officer).get("/officer/")
    assert officer.person.supported_boards.get().name in page.text
    assert other.name not in page.text


def test_councillor_sees_their_boards_and_fellow_members(councillor, client_for):
    membership = councillor.person.memberships.get()
    fellow = MembershipFactory(board=membership.board)
    page = client_for(councillor).get("/councillor/")
    assert membership.board.name in page.text
    # Names may hold apostrophes (O'Neill), which the page escapes.
    assert escape(fellow.person.short_name) in page.text


def test_navigation_follows_the_role(officer, clerk, client_for):
    officer_page = client_for(officer).get("/")
    assert "Boards you support" in officer_page.text
    assert "Clerk&#x27;s desk" not in officer_page.text
    public_page = Client().get("/")
    assert "Sign in" in public_page.text
    assert "Boards you support" not in public_page.text


def _at_ten(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=LONDON)


def _rows(page: str) -> list[str]:
    """The words of each row of the upcoming meetings' table."""
    table = re.search(r"<table.*?Upcoming meetings.*?</table>", page, flags=re.S).group(0)
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    ]


def test_the_clerks_desk_flags_agendas_due_and_late_before_they_are_published(
    board, clerk, client_for
):
    today = timezone.localdate()
    late = services.meeting_create(
        board=board, starts_at=_at_ten(today + datetime.timedelta(days=2)), venue=None
    )
    # Five clear working days from today: today is the last day to publish on time.
    due_today = services.meeting_create(
        board=board, starts_at=_at_ten(publication.working_days_after(today, 6)), venue=None
    )
    later = services.meeting_create(
        board=board, starts_at=_at_ten(publication.working_days_after(today, 16)), venue=None
    )
    page = client_for(clerk).get(reverse("home:clerk-home")).text
    late_row, today_row, later_row = _rows(page)
    assert (
        "Late should have been published by " + formatting.long_date(late.publication_deadline)
        in late_row
    )
    assert "Due today" in today_row
    assert "Due in 10 working days by " + formatting.long_date(later.publication_deadline) in (
        later_row
    )
    for meeting in (late, due_today, later):
        assert reverse("boards:agenda-edit", args=[meeting.pk]) in page
        assert reverse("boards:agenda-publish", args=[meeting.pk]) in page
        assert meeting.get_absolute_url() in page
    assert reverse("boards:board-detail", args=[board.slug]) in page
    assert reverse("boards:meeting-create", args=[board.slug]) in page


def test_the_agenda_page_says_when_an_unpublished_agenda_is_late(board, clerk, client_for):
    today = timezone.localdate()
    late = services.meeting_create(
        board=board, starts_at=_at_ten(today + datetime.timedelta(days=2)), venue=None
    )
    page = client_for(clerk).get(reverse("boards:agenda-edit", args=[late.pk])).text
    assert "should have been published by " + formatting.long_date(late.publication_deadline) in (
        page
    )


def test_a_published_agenda_leads_the_clerk_to_its_papers_and_packs(
    published_meeting, clerk, client_for
):
    page = client_for(clerk).get(reverse("home:clerk-home")).text
    [row] = _rows(page)
    assert row.startswith(formatting.long_datetime(published_meeting.starts_at))
    assert "Published" in row and "Papers and packs" in row
    assert reverse("boards:agenda-publish", args=[published_meeting.pk]) not in page


# The councillor's desk ---------------------------------------------------------------------------


def _published_papers_meeting(board, clerk, papers: int = 1):
    """A meeting of the board next month with ``papers`` open reports published, then a draft
    report added after publication."""
    meeting = MeetingFactory(board=board)
    for n in range(papers):
        item = services.agenda_item_add(
            meeting=meeting, item=AgendaItem(title=f"Report item {n}", purpose="To note.")
        )
        services.paper_write(paper=Paper(agenda_item=item, title=f"Open report {n}"))
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
    return meeting


def test_the_councillors_desk_lists_their_next_meetings_with_papers_exempt_ones_marked(
    board, councillor, clerk, published_meeting, client_for
):
    other = _published_papers_meeting(BoardFactory(name="Scrutiny Board (Elsewhere)"), clerk)
    page = client_for(councillor).get(reverse("home:councillor-home")).text
    assert published_meeting.get_absolute_url() in page
    appendix = Paper.objects.get(title="Appendix A – supplier prices")
    exempt_report = Paper.objects.get(title="Restructure report")
    open_report = Paper.objects.get(title="Budget report")
    for paper in (appendix, exempt_report, open_report):
        # A member of the board reads exempt papers: each is linked.
        assert f'<a href="{paper.get_absolute_url()}">{escape(paper.title)}</a>' in page
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    assert (
        "Appendix A – supplier prices Exempt Not for publication by virtue of paragraph 3" in words
    )
    assert "Restructure report Exempt Not for publication by virtue of paragraph 1" in words
    assert "Budget report Exempt" not in words
    # Not yet published, and not their board.
    assert "Draft paper" not in page
    assert other.get_absolute_url() not in page
    assert CANARY not in page


def test_the_councillors_desk_lists_their_boards_inquiries_and_overdue_recommendations(
    board, councillor, client_for
):
    today = timezone.localdate()
    ours = StatementFactory(inquiry=InquiryFactory(board=board, title="Inquiry into parks"))
    overdue = RecommendationFactory(
        statement=ours,
        deadline_on=today - datetime.timedelta(days=1),
        text="That the parks are **weeded**.",
    )
    on_time = RecommendationFactory(statement=ours, deadline_on=today + datetime.timedelta(days=10))
    publish_statement(statement=ours, on=today - datetime.timedelta(days=60))
    draft = StatementFactory(inquiry=InquiryFactory(board=board, title="Inquiry into bins"))
    drafted = RecommendationFactory(statement=draft, deadline_on=today - datetime.timedelta(days=1))
    theirs = StatementFactory(inquiry=InquiryFactory(title="Inquiry into roads"))
    elsewhere = RecommendationFactory(
        statement=theirs, deadline_on=today - datetime.timedelta(days=1)
    )
    publish_statement(statement=theirs, on=today - datetime.timedelta(days=60))
    page = client_for(councillor).get(reverse("home:councillor-home")).text
    assert ours.inquiry.get_absolute_url() in page
    assert "Inquiry into bins" in page  # the inquiry is public; its draft statement is not
    assert "Inquiry into roads" not in page
    assert overdue.get_absolute_url() in page
    assert "That the parks are weeded." in page
    for hidden in (on_time, drafted, elsewhere):
        assert hidden.get_absolute_url() not in page
    assert reverse("recommendations:dashboard") in page


def test_the_councillors_desk_lists_their_subscriptions(board, councillor, client_for):
    subscription_add(user=councillor, thing=board)
    page = client_for(councillor).get(reverse("home:councillor-home")).text
    section = re.search(r"<section[^>]*your-subscriptions-heading.*?</section>", page, re.S)
    assert section is not None
    assert reverse("boards:board-detail", args=[board.slug]) in section.group(0)
    assert reverse("follow:subscription-list") in section.group(0)


def test_the_header_links_signed_in_users_to_their_subscriptions(councillor, client_for):
    link = f'<a href="{reverse("follow:subscription-list")}">Your subscriptions</a>'
    assert link in client_for(councillor).get("/").text
    assert link not in Client().get("/").text


def test_a_councillor_finds_what_needs_attention_in_the_navigation(councillor, client_for):
    nav = re.search(
        r'<nav class="site-nav".*?</nav>', client_for(councillor).get("/").text, re.S
    ).group(0)
    assert nav.index("Your boards") < nav.index("What needs attention")


@pytest.mark.parametrize("size", [1, 6])
def test_the_councillors_desk_runs_the_same_queries_however_much_it_lists(
    board, councillor, clerk, client_for, django_assert_max_num_queries, size
):
    today = timezone.localdate()
    for n in range(size):
        meeting = _published_papers_meeting(board, clerk, papers=size)
        MeetingFactory(board=board, starts_at=meeting.starts_at + datetime.timedelta(days=n + 1))
        statement = StatementFactory(inquiry=InquiryFactory(board=board))
        RecommendationFactory(statement=statement, deadline_on=today - datetime.timedelta(days=1))
        publish_statement(statement=statement, on=today - datetime.timedelta(days=60))
        subscription_add(user=councillor, thing=statement.inquiry)
    client = client_for(councillor)
    with django_assert_max_num_queries(17):  # 15, and +2 for executive decisions
        page = client.get(reverse("home:councillor-home")).text
    assert page.count("Open report") >= size
