"""Executive decisions as an Atom feed: each published decision an entry with where it stands
(its call-in deadline), read as the public reads them, whoever asks: drafts never appear, and an
exempt decision gives its title and the paragraph that keeps the rest back."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.roles import Role
from decisions import services
from tests.conftest import CANARY
from tests.factories import (
    CallInFactory,
    ExecutiveDecisionFactory,
    ExecutiveFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    sign_in,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("opendata:feed-decisions")


def entries(client=None) -> list[ET.Element]:
    response = (client or Client()).get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 - our own feed


def text_of(entry: ET.Element) -> str:
    return "".join(entry.itertext())


def test_each_published_decision_is_an_entry_with_its_call_in_deadline():
    executive = ExecutiveFactory()
    older = ExecutiveDecisionFactory(
        maker_body=executive,
        title="Residents' parking in Kirkgate",
        publish=datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC),
        decided_on=datetime.date(2026, 11, 2),
    )
    newer = ExecutiveDecisionFactory(maker_body=executive, title="Cleaning contract", publish=True)
    ExecutiveDecisionFactory(maker_body=executive, title="A draft nobody sees")

    feed = entries()

    assert [entry.findtext(f"{ATOM}title") for entry in feed] == [newer.title, older.title]
    assert feed[0].find(f"{ATOM}link").get("href").endswith(newer.get_absolute_url())
    assert "To award the contract." in text_of(feed[0])
    assert "Open to call-in until 5.00 pm on" in text_of(feed[0])
    assert "Not called in: may be implemented from Tuesday, 10 November 2026" in text_of(feed[1])


def test_a_called_in_decision_says_so():
    call_in = CallInFactory(valid=True, checked_on=datetime.date.today())
    assert "Called in: suspended" in text_of(entries()[0])
    assert call_in.decision.title == entries()[0].findtext(f"{ATOM}title")


def test_an_exempt_decision_gives_its_title_and_paragraph_only_whoever_asks():
    executive = ExecutiveFactory()
    decision = ExecutiveDecisionFactory(
        maker_body=executive,
        title="Sale of the depot",
        decision=f"To sell to {CANARY}.",
        exempt=True,
        exempt_paragraph=3,
        publish=True,
    )
    member = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=executive, person=PersonFactory(user=member))
    clerk = UserFactory(roles=[Role.CLERK])

    for client in (Client(), sign_in(Client(), member), sign_in(Client(), clerk)):
        (entry,) = entries(client)
        assert entry.findtext(f"{ATOM}title") == decision.title
        assert CANARY not in text_of(entry)
        assert "paragraph 3 of Part 1 of Schedule 12A" in text_of(entry)


def test_a_withdrawn_decision_says_so(clerk):
    decision = ExecutiveDecisionFactory(publish=True)
    services.decision_withdraw(decision=decision, by=clerk, reason="Made in error.")
    assert entries()[0].findtext(f"{ATOM}title") == f"Withdrawn: {decision.title}"


def test_the_feed_runs_a_fixed_number_of_queries():
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            entries()
        return len(queries)

    ExecutiveDecisionFactory(publish=True)
    one = count()
    for _ in range(3):
        CallInFactory()
        ExecutiveDecisionFactory(publish=True)
    assert count() == one
