"""Each role's desk on the demo council, as it looks on the day the demo is loaded: signed in
through the sign-in form, the desk passes axe on a desktop (1280 px) and a phone (390 px) without
scrolling sideways, and its main links lead where they say."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import code_now
from boards import formatting
from boards.demo import DEMO_PASSWORD
from boards.models import Meeting

WIDTHS = (1280, 390)


@pytest.fixture
def check_desk(assert_accessible):
    """axe at each width, and at a phone's width no sideways scrolling; back to the desktop."""

    def check(page) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(page)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, f"{page.url} scrolls sideways at {width} px"
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    return check


def _sign_in(page, username: str, heading: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    if username != "councillor":
        # Staff give the second factor: the demo's authenticator app (``manage.py demo_code``).
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
        page.get_by_label("Code").fill(code_now())
        page.get_by_label("Code").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def _meetings():
    """The demo's next meeting (its agenda published) and the one being prepared."""
    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    return upcoming.filter(agenda_published_at__isnull=False).first(), upcoming.filter(
        agenda_published_at__isnull=True
    ).first()


def _nav(page):
    return page.get_by_role("navigation", name="Main")


def test_the_public_home_page_fits_a_phone_and_leads_to_the_meetings(
    page, demo, check_desk, assert_accessible
):
    next_meeting, _preparing = _meetings()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Scrutiny at Aldermoor City Council")
    check_desk(page)

    page.get_by_role(
        "link", name=formatting.long_datetime(next_meeting.starts_at), exact=True
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(next_meeting.board.name)
    assert_accessible(page)

    page.go_back()
    page.get_by_role("link", name="All meetings, past and upcoming").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    assert_accessible(page)

    icon = page.request.get("/favicon.ico")
    assert icon.ok
    assert icon.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert page.console_errors == []


def test_the_councillors_desk_leads_to_the_next_papers_what_needs_attention_and_follows(
    page, demo, check_desk, assert_accessible
):
    _sign_in(page, "councillor", "Your boards")
    check_desk(page)
    meetings = page.get_by_role("region", name="Your next meetings")
    expect(meetings.get_by_text("Not for publication by virtue of paragraph 3")).to_be_visible()

    # A member of the board reads the exempt appendix.
    meetings.get_by_role("link", name="Appendix 1 – Tender evaluation and prices").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Appendix 1 – Tender evaluation and prices"
    )
    expect(page.get_by_text("The bidders' prices, in confidence")).to_be_visible()
    assert_accessible(page)

    _nav(page).get_by_role("link", name="What needs attention").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs attention")
    expect(page.get_by_text("publishes the contact centre's answering times")).to_be_visible()
    check_desk(page)

    page.get_by_role("banner").get_by_role("link", name="Your subscriptions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your subscriptions")
    assert_accessible(page)
    assert page.console_errors == []


def test_the_officers_desk_leads_to_the_agenda_in_preparation_and_what_needs_attention(
    page, demo, check_desk, assert_accessible
):
    _next_meeting, preparing = _meetings()
    _sign_in(page, "officer", "Boards you support")
    check_desk(page)
    expect(page.get_by_text("Due in ").first).to_be_visible()

    page.get_by_role(
        "link", name=f"Edit the agenda for {formatting.long_date(preparing.starts_at)}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the agenda")
    expect(page.get_by_text("Initial budget proposals").first).to_be_visible()
    assert_accessible(page)

    _nav(page).get_by_role("link", name="What needs attention").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs attention")
    overdue = page.get_by_role("table", name="Overdue recommendations")
    expect(overdue.get_by_text("reviews the contact centre's telephone options")).to_be_visible()
    check_desk(page)
    assert page.console_errors == []


def test_the_clerks_desk_leads_to_publishing_and_to_the_papers_and_packs(
    page, demo, check_desk, assert_accessible
):
    next_meeting, preparing = _meetings()
    _sign_in(page, "clerk", "Clerk's desk")
    check_desk(page)

    page.get_by_role(
        "link", name=f"publish it for {formatting.long_date(preparing.starts_at)}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publish")
    assert_accessible(page)

    page.go_back()
    page.get_by_role(
        "link", name=f"Papers and packs for {formatting.long_date(next_meeting.starts_at)}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the agenda")
    expect(page.get_by_text("Procurement of data-centre services").first).to_be_visible()
    assert_accessible(page)

    page.go_back()
    page.get_by_role("link", name="Scrutiny Board (Strategy and Resources)").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Scrutiny Board (Strategy and Resources)"
    )
    assert_accessible(page)
    assert page.console_errors == []


def test_the_administrators_desk_leads_to_accounts(page, demo, check_desk):
    assert get_user_model().objects.filter(username="admin").exists()
    _sign_in(page, "admin", "Administration")
    check_desk(page)
    page.get_by_role("link", name="Accounts").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("user to change")
    assert page.console_errors == []
