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


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_guessing_from_elsewhere_does_not_lock_the_officer_out(make_user):
    """Issue 15, finding 7: anyone could lock out any named officer with ten wrong passwords."""
    officer = make_user(Role.OFFICER)
    attacker = _from("203.0.113.9")
    for _ in range(12):
        sign_in(attacker, officer.username, "wrong-password-guess")
    assert sign_in(attacker, officer.username).status_code == 429
    # The officer, at the office, signs in as usual.
    assert sign_in(_from("198.51.100.20"), officer.username).status_code == 302


def test_an_address_guessing_across_many_accounts_is_locked(make_user, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 30
    victims = [make_user(Role.COUNCILLOR) for _ in range(6)]
    spraying = _from("203.0.113.50")
    for victim in victims:
        for _ in range(5):  # under the ten an account allows, for every account
            assert sign_in(spraying, victim.username, "wrong-password-guess").status_code in (
                200,
                429,
            )
    # Thirty failures from the address: it is locked for every account, right passwords too.
    assert sign_in(spraying, victims[0].username).status_code == 429
    assert sign_in(_from("203.0.113.51"), victims[0].username).status_code == 302


def test_an_office_mistyping_passwords_is_not_locked_out(make_user):
    office = "198.51.100.7"
    staff = [make_user(Role.OFFICER) for _ in range(8)]
    for member in staff:
        for _ in range(2):
            sign_in(_from(office), member.username, "mistyped-password")
    assert all(sign_in(_from(office), member.username).status_code == 302 for member in staff)


def test_behind_a_proxy_the_forwarded_client_address_is_counted(make_user, settings):
    settings.TRUSTED_PROXIES = 1
    officer = make_user(Role.OFFICER)
    proxy = "10.0.0.2"  # every request reaches the app from the load balancer

    def through_proxy(client_address: str, claimed: str = "") -> Client:
        forwarded = f"{claimed}, {client_address}" if claimed else client_address
        return Client(REMOTE_ADDR=proxy, headers={"X-Forwarded-For": forwarded})

    for _ in range(10):
        # The attacker's own claim (left of the proxy's entry) is ignored.
        sign_in(through_proxy("203.0.113.9", claimed="198.51.100.20"), officer.username, "bad")
    assert sign_in(through_proxy("203.0.113.9"), officer.username).status_code == 429
    assert sign_in(through_proxy("198.51.100.20"), officer.username).status_code == 302


@pytest.mark.parametrize("breached", ["password1234", "qwertyuiopasdfgh", "iloveyou123456"])
def test_a_password_published_in_a_breach_is_refused(make_user, client_for, breached):
    user = make_user(Role.CLERK)
    response = client_for(user).post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": breached, "new_password2": breached},
    )
    assert response.status_code == 200
    assert "published in a data breach" in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


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
