import pytest
from playwright.sync_api import expect

from boards.roles import Role
from tests.factories import PASSWORD, UserFactory, authenticator_app, totp_code


@pytest.mark.parametrize(
    ("role", "landing", "heading"),
    [
        (Role.OFFICER, "/officer/", "Boards you support"),
        (Role.CLERK, "/clerk/", "Clerk's desk"),
        (Role.COUNCILLOR, "/councillor/", "Your boards"),
        (Role.ADMINISTRATOR, "/administration/", "Administration"),
    ],
)
def test_each_role_signs_in_with_the_keyboard_and_lands_on_an_accessible_page(
    page, assert_accessible, role, landing, heading
):
    user = UserFactory(roles=[role], is_staff=role == Role.ADMINISTRATOR)
    # Staff must have a second factor: an authenticator app, whose code follows the password.
    app = authenticator_app(user) if role != Role.COUNCILLOR else None
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    if app is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
        assert_accessible(page)
        page.get_by_label("Code").fill(totp_code(app))
        page.get_by_label("Code").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.url.endswith(landing)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert page.console_errors == []


def test_a_wrong_password_shows_an_accessible_error_summary(page, assert_accessible):
    user = UserFactory(roles=[Role.CLERK])
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_public_pages_of_the_demo_council_are_accessible(page, demo, assert_accessible):
    page.goto("/meetings/")
    assert_accessible(page)
    page.get_by_role("link", name="Monday, 21 March 2016 at 10.00 am").click()
    expect(page.get_by_text("Not for publication by virtue of paragraph 3")).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link", name="Scrutiny Inquiry into ICT Capacity – Session 3", exact=True
    ).click()
    expect(page.get_by_role("heading", name="1 Purpose of this report")).to_be_visible()
    assert_accessible(page)
    page.goto("/boards/strategy-and-resources/")
    assert_accessible(page)
