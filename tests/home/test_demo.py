"""The demo council ``load_demo`` loads: loading it again changes nothing, and every demo account
signs in to its own desk."""

import io

from django.apps import apps
from django.core.management import call_command
from django.core.serializers import serialize
from django.test import Client

from accounts.demo import DEMO_SECRET, code_now
from boards.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from boards.roles import Role

STAFF = {Role.OFFICER, Role.CLERK, Role.ADMINISTRATOR}


def _sign_in(client: Client, username: str):
    """The password, then for staff the demo authenticator app's code (as ``demo_code`` prints)."""
    response = client.post("/account/sign-in/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    landing = response.url
    if client.get(landing).status_code == 302:
        response = client.post("/account/second-factor/", {"code": code_now(), "next": landing})
        assert response.status_code == 302
    return response


def _snapshot() -> str:
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"auth", "boards", "otp_totp"}
        and model._meta.model_name != "permission"
    ]
    return "".join(serialize("json", model.objects.order_by("pk")) for model in models)


def test_loading_the_demo_twice_changes_nothing(demo):
    first = _snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert _snapshot() == first


def test_every_demo_account_signs_in_to_its_landing_page(demo):
    assert DEMO_SECRET in demo.output
    for account in DEMO_ACCOUNTS:
        assert account.username in demo.output
        client = Client()
        password_only = client.post(
            "/account/sign-in/", {"username": account.username, "password": DEMO_PASSWORD}
        )
        asked = client.get(password_only.url)
        # Staff are asked for the demo app's code, which lets them in; councillors are not.
        assert (asked.status_code == 302) == (account.role in STAFF)
        client = Client()
        response = _sign_in(client, account.username)
        assert client.get(response.url).status_code == 200


def test_the_demo_officer_sees_the_board_they_support(demo):
    client = Client()
    _sign_in(client, "officer")
    page = client.get("/officer/")
    assert "Scrutiny Board (Strategy and Resources)" in page.text
    client = Client()
    _sign_in(client, "councillor")
    page = client.get("/councillor/")
    assert "Chair" in page.text
    assert page.text.count("<tr>") == 12  # header row and eleven members
