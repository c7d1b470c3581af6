"""Following in a real browser: the calendar and feed links, the subscribe button swapped in
place by htmx, the subscriptions page and the unsubscribe page, each passing axe."""

from playwright.sync_api import expect

from follow import notifications
from follow.models import Subscription


def test_a_resident_follows_a_board_and_stops_from_the_email_link(
    page, live_server, sign_in, assert_accessible, board, make_user
):
    resident = make_user(None)
    page.goto(f"/boards/{board.slug}/")
    expect(page.get_by_role("link", name="Subscribe to the meetings of")).to_have_attribute(
        "href", f"webcal://{live_server.url.split('://', 1)[1]}/calendar/boards/{board.slug}.ics"
    )
    expect(page.get_by_text("to get an e-mail about this board")).to_be_visible()
    assert_accessible(page)

    sign_in(resident)
    page.goto(f"/boards/{board.slug}/")
    page.get_by_role("button", name="Get e-mails about this board").click()
    stop = page.get_by_role("button", name="Stop e-mails about this board")
    expect(stop).to_be_focused()  # swapped in place by htmx, focus kept on the control
    assert Subscription.objects.filter(user=resident, board=board).exists()
    assert_accessible(page)

    # The hint beside the button leads there, as the header does on every page.
    expect(
        page.get_by_role("banner").get_by_role("link", name="Your subscriptions")
    ).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Your subscriptions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your subscriptions")
    expect(page.get_by_role("rowheader", name=board.name)).to_be_visible()
    assert_accessible(page)

    # The link in an e-mail, opened signed out.
    token = notifications.unsubscribe_token(Subscription.objects.get())
    page.context.clear_cookies()
    page.goto(f"/unsubscribe/{token}/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Stop e-mails about {board.name}").click()
    expect(page.get_by_role("status")).to_contain_text("You will no longer get e-mails")
    assert not Subscription.objects.exists()
    assert_accessible(page)
    assert page.console_errors == []
