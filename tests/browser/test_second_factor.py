"""The second factor in the browser: an officer sets up an authenticator app from its QR code's
key, a clerk a passkey (Chromium's virtual authenticator), and each signs in with it again;
every page on the way is accessible."""

import re
import time
from base64 import b32encode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from boards.roles import Role
from tests.factories import PASSWORD, UserFactory, totp_code


def _password(page, user) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_an_officer_sets_up_an_authenticator_app_and_signs_in_with_it(page, assert_accessible):
    officer = UserFactory(roles=[Role.OFFICER])
    _password(page, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    assert_accessible(page)
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert_accessible(page)
    # Type the key into "the app": the code it then shows.
    key = page.locator("code.secret").inner_text()
    device = TOTPDevice.objects.get(user=officer)
    assert re.sub(r"\s", "", key) == b32encode(device.bin_key).decode()
    page.get_by_label("Code from the app").fill(totp_code(device))
    page.get_by_role("button", name="Add the app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert page.locator(".recovery-codes code").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have kept my recovery codes, continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boards you support")
    _sign_out(page)

    _password(page, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    assert_accessible(page)
    page.get_by_label("Code").fill("123 456")
    page.get_by_label("Code").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    assert_accessible(page)
    device.refresh_from_db()
    device.throttle_reset()
    # The next step's code: the one used to set the app up is spent.
    page.get_by_label("Code").fill(totp_code(device, at=time.time() + 30))
    page.get_by_label("Code").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Boards you support")
    assert page.url.endswith("/officer/")
    assert page.console_errors == []


@pytest.fixture
def authenticator(page):
    """Chromium's virtual authenticator: a platform passkey store that says yes at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield cdp, added["authenticatorId"]
    cdp.send("WebAuthn.disable")


def test_a_clerk_makes_a_passkey_and_signs_in_with_it(page, assert_accessible, authenticator):
    cdp, authenticator_id = authenticator
    clerk = UserFactory(roles=[Role.CLERK])
    _password(page, clerk)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    page.get_by_role("button", name="Create a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert (
        len(
            cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})[
                "credentials"
            ]
        )
        == 1
    )
    page.get_by_role("link", name="I have kept my recovery codes, continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clerk's desk")
    page.get_by_role("link", name="Account security").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account security")
    expect(page.get_by_role("table", name="Your passkeys")).to_contain_text("Passkey")
    assert_accessible(page)
    _sign_out(page)

    _password(page, clerk)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clerk's desk")
    assert page.url.endswith("/clerk/")
    assert page.console_errors == []
