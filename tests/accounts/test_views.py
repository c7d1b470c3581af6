"""The second factor, page by page: setting up an authenticator app and getting recovery codes,
giving it after the password, wrong codes, recovery codes used once, staff without one made to
set one up, a session without it refused everywhere (the admin and htmx included), councillors
opting in, and the last device of staff kept."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.middleware import ALWAYS, OPEN_AT
from accounts.second_factor import Step
from boards.roles import Role
from tests.factories import PASSWORD, authenticator_app, sign_in, totp_code
from tests.test_url_coverage import all_urls

SIGN_IN = "/account/sign-in/"
VERIFY = "/account/second-factor/"
SET_UP = "/account/second-factor/set-up/"
APP = "/account/second-factor/set-up/app/"
CODES = "/account/second-factor/recovery-codes/"
SECURITY = "/account/security/"
HTMX = {"HX-Request": "true"}
DESKS = {Role.OFFICER: "/officer/", Role.CLERK: "/clerk/", Role.ADMINISTRATOR: "/administration/"}


def password_only(user, **client_kwargs) -> Client:
    """Signed in with the password alone, through the sign-in page."""
    client = Client(**client_kwargs)
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _next_step(time_step: int = 1) -> float:
    """A moment in the next 30-second step: a code of the app may not be used twice."""
    import time

    return time.time() + 30 * time_step


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CLERK, Role.ADMINISTRATOR])
def test_staff_without_a_second_factor_set_up_an_app_and_get_ten_recovery_codes(make_user, role):
    user = make_user(role, is_staff=role == Role.ADMINISTRATOR)
    client = password_only(user)
    desk = DESKS[role]
    # Their desk sends them to set one up first, and so does any other page.
    response = client.get(desk)
    assert response.url == f"{SET_UP}?next={desk.replace('/', '%2F')}"
    assert client.get("/").url.startswith(SET_UP)
    page = client.get(response.url)
    assert "Set up a second factor" in page.text
    assert "Create a passkey" in page.text
    response = client.post(reverse("security:authenticator-app-start"), {"next": desk})
    assert response.url == f"{APP}?next={desk.replace('/', '%2F')}"
    page = client.get(response.url)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    # The QR code is an inline SVG with a name (no script, no style), and the key is typed too.
    svg = re.search(r"<svg [^>]*>", page.text).group(0)
    assert 'role="img"' in svg and "aria-label=" in svg
    assert "style=" not in page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "script-src" in page.headers["Content-Security-Policy"]
    # A wrong code first: it names the field, and nothing is set up.
    wrong = client.post(APP, {"code": "000000", "next": desk})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.text
    assert client.get(desk).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp would make the person wait a second before the next
    response = client.post(APP, {"code": totp_code(device), "next": desk})
    assert response.url == f"{CODES}?next={desk.replace('/', '%2F')}"
    codes_page = client.get(response.url)
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", codes_page.text)
    assert len(codes) == 10
    assert set(codes) == set(
        StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    )
    # Shown once: asked again, the page moves on.
    assert client.get(CODES).status_code == 302
    assert client.get(desk).status_code == 200


def test_the_empty_code_is_asked_for_by_name(make_user):
    user = make_user(Role.CLERK)
    authenticator_app(user)
    client = password_only(user)
    response = client.post(VERIFY, {"code": ""})
    assert response.status_code == 200
    assert "Enter the code from your authenticator app, or one of your recovery codes" in (
        response.text
    )


def test_staff_with_an_app_give_its_code_after_the_password(make_user):
    user = make_user(Role.OFFICER)
    device = authenticator_app(user)
    client = password_only(user)
    response = client.get("/officer/")
    assert response.url == f"{VERIFY}?next=%2Fofficer%2F"
    page = client.get(response.url)
    assert "Confirm it is you" in page.text
    assert "Use a passkey" not in page.text  # no passkey to use
    # Spaces, as people type them, are fine.
    code = totp_code(device)
    response = client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}", "next": "/officer/"})
    assert response.url == "/officer/"
    assert client.get("/officer/").status_code == 200
    # A code is good once: the same one does not verify another session.
    again = password_only(user)
    response = again.post(VERIFY, {"code": code, "next": "/officer/"})
    assert "That code is not right" in response.text


def test_another_site_is_never_the_next_page(make_user):
    user = make_user(Role.OFFICER)
    device = authenticator_app(user)
    client = password_only(user)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response.url == "/"


@pytest.mark.parametrize("next_page", ["\nm\U000b3191", "home:home", "javascript:alert(1)", "x"])
def test_a_next_page_that_is_no_path_here_goes_home_not_to_a_server_error(make_user, next_page):
    """Found by the walk of hostile requests (tests/test_fuzz.py): ``redirect`` read a word
    without a slash as a view's name and failed to find it."""
    client = sign_in(Client(), make_user(Role.OFFICER))  # already past the second factor
    response = client.get(VERIFY, {"next": next_page})
    assert response.status_code == 302
    assert response.url == "/"


def test_a_wrong_code_slows_the_next_and_counts_towards_the_lockout(make_user):
    user = make_user(Role.CLERK)
    device = authenticator_app(user)
    client = password_only(user)
    wrong = client.post(VERIFY, {"code": "000000"})
    assert "That code is not right" in wrong.text
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start == 1
    assert "000000" not in attempt.post_data  # the code is not logged
    # django-otp makes the next try wait, even with the right code.
    waiting = client.post(VERIFY, {"code": totp_code(device)})
    assert "Too many wrong codes. Wait 1 second" in waiting.text
    assert client.get("/clerk/").status_code == 302


def test_ten_wrong_codes_lock_the_account_and_end_the_session(make_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only the lockout, here
    user = make_user(Role.CLERK)
    device = authenticator_app(user)
    client = password_only(user)
    for _ in range(9):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    tenth = client.post(VERIFY, {"code": "000000"})
    assert tenth.status_code == 429
    assert "Too many attempts to sign in" in tenth.text
    assert "_auth_user_id" not in client.session
    # The password too is refused for now, and the right code cannot be tried.
    locked = Client().post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert not TOTPDevice.objects.get(pk=device.pk).last_used_at


def test_a_recovery_code_works_once(make_user, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    user = make_user(Role.OFFICER)
    authenticator_app(user)
    first, second, *_ = services.recovery_codes_issue(user=user)
    client = password_only(user)
    response = client.post(VERIFY, {"code": first.upper(), "next": "/officer/"})
    assert response.url == "/officer/"
    assert client.get("/officer/").status_code == 200
    again = password_only(user)
    assert "That code is not right" in again.post(VERIFY, {"code": first}).text
    assert again.post(VERIFY, {"code": second, "next": "/officer/"}).url == "/officer/"
    assert StaticDevice.objects.get(user=user).token_set.count() == 8


def test_staff_who_lost_their_only_app_sign_in_with_a_recovery_code_then_set_up_another(
    make_user,
):
    user = make_user(Role.OFFICER)
    device = authenticator_app(user)
    code = services.recovery_codes_issue(user=user)[0]
    device.delete()  # an administrator removed the lost phone's app in the admin
    client = password_only(user)
    assert client.get("/officer/").url.startswith(VERIFY)
    response = client.post(VERIFY, {"code": code, "next": "/officer/"})
    assert response.url == f"{SET_UP}?next=%2Fofficer%2F"
    assert client.get("/officer/").url.startswith(SET_UP)
    client.post(reverse("security:authenticator-app-start"))
    new_app = TOTPDevice.objects.get(user=user)
    response = client.post(APP, {"code": totp_code(new_app), "next": "/officer/"})
    # The codes they had still stand (nine left), so none are shown: on to the desk.
    assert response.url == "/officer/"
    assert client.get("/officer/").status_code == 200


def _unverified_clerk(make_user, **client_kwargs) -> Client:
    user = make_user(Role.CLERK, is_staff=True)
    authenticator_app(user)
    return password_only(user, **client_kwargs)


OPEN_TO_UNVERIFIED = ALWAYS | OPEN_AT[Step.VERIFY]


@pytest.mark.parametrize(("name", "url"), all_urls(), ids=lambda value: value)
def test_a_session_without_its_second_factor_reaches_no_page_but_the_second_factors(
    make_user, name, url
):
    """As good as signed out: every view of the site, GET or POST, plain or htmx, sends it to
    give its second factor, except that page itself and signing out."""
    client = _unverified_clerk(make_user)
    if name in OPEN_TO_UNVERIFIED:
        return
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302, name
        assert response.url.startswith(VERIFY), name
    htmx = client.post(url, headers=HTMX)
    assert htmx.status_code == 200
    assert htmx.headers["HX-Redirect"] == VERIFY


def test_the_admin_asks_for_the_second_factor_too(make_user):
    user = make_user(Role.ADMINISTRATOR, is_staff=True)
    authenticator_app(user)
    # Through the admin's own sign-in page: the password, then the second factor.
    client = Client()
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.url == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get("/admin/boards/council/").url.startswith(VERIFY)
    assert sign_in(Client(), user).get("/admin/").status_code == 200


def test_the_admin_refuses_a_session_without_its_second_factor_even_past_the_middleware(
    make_user, rf
):
    from django.contrib import admin  # the project's site (ScrutinyAdminSite)
    from django.contrib.sessions.backends.db import SessionStore

    user = make_user(Role.ADMINISTRATOR, is_staff=True)
    authenticator_app(user)
    request = rf.get("/admin/")
    request.session = SessionStore()
    request.user = user
    user.is_verified = lambda: False
    assert not admin.site.has_permission(request)


def test_staff_may_not_set_up_a_new_app_with_the_password_alone(make_user):
    client = _unverified_clerk(make_user)
    assert client.get(SET_UP).url.startswith(VERIFY)
    assert client.post(reverse("security:authenticator-app-start")).url.startswith(VERIFY)
    assert client.get(SECURITY).url.startswith(VERIFY)
    assert client.post(reverse("otp_webauthn:credential-registration-begin")).url.startswith(VERIFY)
    assert TOTPDevice.objects.count() == 1


def test_sign_out_works_before_the_second_factor(make_user):
    client = _unverified_clerk(make_user)
    assert client.post(reverse("accounts:sign-out")).url == "/"
    assert "_auth_user_id" not in client.session


def test_pages_before_the_second_factor_offer_no_desks(make_user):
    client = _unverified_clerk(make_user)
    page = client.get(VERIFY)
    assert "Clerk&#x27;s desk" not in page.text
    assert "Account security" not in page.text
    assert "Sign out" in page.text


def test_councillors_are_not_asked_unless_they_opt_in(councillor):
    client = password_only(councillor)
    assert client.get("/councillor/").status_code == 200
    page = client.get(SECURITY)
    assert "You may add a second factor" in page.text
    response = client.post(reverse("security:authenticator-app-start"), {"next": SECURITY})
    device = TOTPDevice.objects.get(user=councillor)
    response = client.post(APP, {"code": totp_code(device), "next": SECURITY})
    assert response.url == f"{CODES}?next=%2Faccount%2Fsecurity%2F"
    assert len(re.findall(r"<code>", client.get(response.url).text)) == 10
    assert client.get("/councillor/").status_code == 200
    # From now on, signing in asks for it.
    again = password_only(councillor)
    assert again.get("/councillor/").url.startswith(VERIFY)
    code = totp_code(device, at=_next_step())
    assert again.post(VERIFY, {"code": code, "next": "/councillor/"}).url == "/councillor/"


def test_a_councillor_may_remove_their_only_app_and_is_then_asked_for_nothing(councillor):
    device = authenticator_app(councillor)
    services.recovery_codes_issue(user=councillor)
    client = sign_in(Client(), councillor)
    response = client.post(reverse("security:device-remove", args=["app", device.pk]))
    assert response.url == SECURITY
    assert not TOTPDevice.objects.filter(user=councillor).exists()
    assert not StaticDevice.objects.filter(user=councillor).exists()
    assert password_only(councillor).get("/councillor/").status_code == 200


def test_staff_cannot_remove_their_last_app(officer):
    device = authenticator_app(officer)
    client = sign_in(Client(), officer)
    page = client.get(SECURITY)
    assert "Your only one: add another to remove it" in page.text
    response = client.post(reverse("security:device-remove", args=["app", device.pk]), follow=True)
    assert "you cannot remove your last passkey or authenticator app" in response.text
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    # With a second one, either may go.
    second = authenticator_app(officer)
    client.post(reverse("security:device-remove", args=["app", device.pk]))
    assert list(TOTPDevice.objects.filter(user=officer)) == [second]


def test_nobody_removes_another_persons_device(officer, clerk):
    theirs = authenticator_app(clerk)
    authenticator_app(clerk)
    client = sign_in(Client(), officer)
    response = client.post(reverse("security:device-remove", args=["app", theirs.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_new_recovery_codes_replace_the_old_ones(officer):
    sign_in_client = sign_in(Client(), officer)
    old = set(services.recovery_codes_issue(user=officer))
    response = sign_in_client.post(reverse("security:recovery-codes-new"))
    page = sign_in_client.get(response.url)
    new = set(re.findall(r"<code>([a-z2-7]{8})</code>", page.text))
    assert len(new) == 10
    assert not new & old
    tokens = StaticDevice.objects.get(user=officer).token_set.values_list("token", flat=True)
    assert set(tokens) == new


def test_an_administrator_removes_a_lost_app_in_the_admin(administrator, officer):
    lost = authenticator_app(officer)
    admin = sign_in(Client(), administrator)
    listing = admin.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200
    assert officer.username in listing.text
    response = admin.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    # The officer sets up a new one at their next sign-in.
    assert password_only(officer).get("/officer/").url.startswith(SET_UP)
