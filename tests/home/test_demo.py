"""The demo council ``load_demo`` loads: loading it again changes nothing, and every demo account
signs in to its own desk."""

import io

from django.apps import apps
from django.core.management import call_command
from django.core.serializers import serialize
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_SECRET, code_now
from boards.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from boards.models import Meeting
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


def _signed_in(username: str) -> Client:
    client = Client()
    _sign_in(client, username)
    return client


def test_each_desk_of_the_demo_has_work_on_the_day_it_is_loaded(demo):
    """Whatever the day: the next meeting's papers for the councillor, an agenda to prepare for
    the officer and the clerk, and recommendations due soon and overdue for everyone's list."""
    page = _signed_in("councillor").get("/councillor/").text
    assert "Procurement of data-centre services" in page
    assert "Appendix 1 – Tender evaluation and prices" in page
    assert "Not for publication by virtue of paragraph 3" in page
    assert "Inquiry into the use of agency staff" in page
    assert "reviews the contact centre&#x27;s telephone options" in page
    attention = _signed_in("councillor").get("/recommendations/attention/").text
    assert "publishes the contact centre&#x27;s answering times" in attention  # due soon
    assert "vacancy rates in children&#x27;s social work" in attention  # released minutes

    clerk = _signed_in("clerk").get("/clerk/").text
    assert "Due in " in clerk and " working days" in clerk
    assert "Published" in clerk
    officer = _signed_in("officer").get("/officer/").text
    preparing = Meeting.objects.get(starts_at__gt=timezone.now(), agenda_published_at__isnull=True)
    assert reverse("boards:agenda-edit", args=[preparing.pk]) in officer
    assert "Overdue" in officer  # an action whose date has passed
    assert "circulate to members a breakdown" in officer
