"""Signing in and out, where each role lands, the lockout after wrong passwords, passwords,
the admin site for administrators only, and who may open each landing page."""

import pytest
from django.test import Client
from django.urls import reverse

from boards.roles import Role
from home.desks import landing_url
from tests.factories import PASSWORD, UserFactory

SIGN_IN = "/account/sign-in/"


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(SIGN_IN, {"username": username, "password": password})


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.OFFICER, "/officer/"),
        (Role.CLERK, "/clerk/"),
        (Role.COUNCILLOR, "/councillor/"),
        (Role.ADMINISTRATOR, "/administration/"),
    ],
)
def test_each_role_lands_on_its_own_page(make_user, role, landing):
    user = make_user(role)
    response = sign_in(Client(), user.username)
    assert response.status_code == 302
    assert response.url == landing


def test_someone_with_two_roles_lands_on_the_first_in_precedence(db):
    user = UserFactory(roles=[Role.COUNCILLOR, Role.CLERK])
    assert landing_url(user) == "/clerk/"


def test_a_user_without_a_role_lands_on_the_public_home_page(make_user):
    user = make_user(None)
    assert sign_in(Client(), user.username).url == "/"


def test_sign_in_honours_a_safe_next_and_ignores_another_site(make_user):
    user = make_user(Role.CLERK)
    client = Client()
    response = client.post(
        SIGN_IN, {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == "/clerk/"


def test_wrong_password_shows_a_clear_message_and_keeps_the_username(make_user):
    user = make_user(Role.CLERK)
    response = sign_in(Client(), user.username, "not-the-password")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a correct username and password" in response.text
    assert f'value="{user.username}"' in response.text


def test_ten_wrong_passwords_in_five_minutes_lock_the_account(make_user):
    user = make_user(Role.CLERK)
    other = make_user(Role.CLERK)
    client = Client()
    for _ in range(9):
        assert sign_in(client, user.username, "wrong-password-guess").status_code == 200
    tenth = sign_in(client, user.username, "wrong-password-guess")
    assert tenth.status_code == 429
    # Locked: even the right password is refused, with a page that says why.
    locked = sign_in(client, user.username)
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.text
    assert "_auth_user_id" not in client.session
    # Another account, from the same address, is not affected.
    assert sign_in(Client(), other.username).status_code == 302


def test_lockout_ends_after_five_minutes(make_user, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    user = make_user(Role.CLERK)
    for _ in range(10):
        sign_in(Client(), user.username, "wrong-password-guess")
    assert sign_in(Client(), user.username).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=5, seconds=1))
    assert sign_in(Client(), user.username).status_code == 302


def test_admin_sign_in_is_throttled_too(make_user):
    user = make_user(Role.ADMINISTRATOR, is_staff=True)
    client = Client()
    for _ in range(10):
        client.post("/admin/login/", {"username": user.username, "password": "wrong-guess-pw"})
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429


def test_sign_out_is_a_post_and_ends_the_session(make_user, client_for):
    client = client_for(make_user(Role.CLERK))
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response.url == "/"
    assert client.get("/clerk/").status_code == 302


def test_passwords_need_twelve_characters(make_user, client_for):
    user = make_user(Role.CLERK)
    client = client_for(user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "Short-pw-11", "new_password2": "Short-pw-11"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )
    assert response.url == reverse("accounts:password-changed")
    user.refresh_from_db()
    assert user.check_password("a-much-longer-passphrase")


def test_admin_is_for_administrators_only(make_user, client_for):
    staff_clerk = make_user(Role.CLERK, is_staff=True)
    response = client_for(staff_clerk).get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    administrator = make_user(Role.ADMINISTRATOR, is_staff=True)
    assert client_for(administrator).get("/admin/").status_code == 200
    assert client_for(administrator).get("/admin/boards/council/").status_code == 200


# The permission matrix for the landing pages: who may open which.
LANDING_PAGES = ["/officer/", "/clerk/", "/councillor/", "/administration/"]
ALLOWED = {
    Role.OFFICER: {"/officer/"},
    Role.CLERK: {"/clerk/"},
    Role.COUNCILLOR: {"/councillor/"},
    Role.ADMINISTRATOR: {"/officer/", "/clerk/", "/councillor/", "/administration/"},
    None: set(),
}


@pytest.mark.parametrize("role", list(ALLOWED), ids=str)
@pytest.mark.parametrize("page", LANDING_PAGES)
def test_landing_page_permission_matrix(make_user, client_for, role, page):
    response = client_for(make_user(role)).get(page)
    expected = 200 if page in ALLOWED[role] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("page", LANDING_PAGES)
def test_the_public_is_sent_to_sign_in(db, page):
    response = Client().get(page)
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?next={page}"
