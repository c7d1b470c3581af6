"""Executive decisions and forward plan notices in search: found by their words, linking to
their pages, an exempt decision's text only by those entitled to read it."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.models import Subject
from decisions.models import ExecutiveDecision
from search import index as search
from search.models import SearchEntry
from tests.conftest import CANARY
from tests.decisions.exempt import (
    EXEMPT_TITLE,
    executive_member,
    exempt_decision,
    other_councillor,
)
from tests.factories import ExecutiveDecisionFactory, ForwardPlanEntryFactory, sign_in

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def found(client: Client, q: str, **params) -> list[str]:
    results = client.get(URL, {"q": q, **params}).context["results"]
    return [entry.title for entry in results]


def test_a_published_decision_is_found_by_its_decision_and_reasons_and_links_to_its_page():
    decision = ExecutiveDecisionFactory(
        title="Library opening hours",
        decision="To open the central library on Sundays.",
        reasons="Demand from families at weekends.",
        publish=True,
    )

    response = Client().get(URL, {"q": "Sundays"})

    assert [e.title for e in response.context["results"]] == ["Library opening hours"]
    assert f'href="{decision.get_absolute_url()}"' in response.text
    assert "Executive decision" in response.text
    assert found(Client(), "families weekends") == ["Library opening hours"]
    assert found(Client(), "Sundays", kind="decision") == ["Library opening hours"]
    assert found(Client(), "Sundays", kind="paper") == []


def test_a_draft_decision_is_not_found_by_the_public():
    decision = ExecutiveDecisionFactory(title="Draft decision on parking charges")
    search.refresh(decision)

    assert found(Client(), "parking charges") == []


@pytest.mark.parametrize("who", ["public", "other councillor"])
def test_an_exempt_decisions_text_is_never_found_by_those_not_entitled(who):
    exempt_decision()
    client = Client() if who == "public" else sign_in(Client(), other_councillor())

    for query in ["CANARY", "7f3a9c", "depot CANARY", "sell", "best offer"]:
        response = client.get(URL, {"q": query})
        assert response.context["results"].paginator.count == 0, query
        assert CANARY not in response.text.split('id="results-heading"', 1)[1].split("</h2>", 1)[1]
    # By its title, only the title.
    response = client.get(URL, {"q": "depot site"})
    assert [e.title for e in response.context["results"]] == [EXEMPT_TITLE]
    assert "Only its title can be shown to you." in response.text
    assert CANARY not in response.text


def test_a_member_of_the_executive_and_a_clerk_find_the_exempt_text(clerk):
    decision = exempt_decision()

    for user in (executive_member(decision.maker_body), clerk):
        response = sign_in(Client(), user).get(URL, {"q": "best offer"})
        assert [e.title for e in response.context["results"]] == [EXEMPT_TITLE]
        assert CANARY in response.text
        assert "Only its title" not in response.text


def test_a_decision_made_exempt_by_any_route_shows_only_its_title_at_once():
    decision = ExecutiveDecisionFactory(title="Leisure contract", reasons="Cheaper.", publish=True)
    assert found(Client(), "cheaper") == ["Leisure contract"]

    ExecutiveDecision.objects.filter(pk=decision.pk).update(exempt=True, exempt_paragraph=3)

    assert found(Client(), "cheaper") == []
    assert found(Client(), "leisure") == ["Leisure contract"]


def test_a_forward_plan_notice_is_found_and_links_to_its_entry():
    entry = ForwardPlanEntryFactory(
        title="Future of the leisure centres",
        summary="Options for the **three** centres.",
        reference="FP/2026/014",
        decision_due_on=datetime.date(2026, 3, 2),
    )
    search.refresh(entry)

    response = Client().get(URL, {"q": "FP/2026/014 centres"})

    [result] = response.context["results"]
    assert result.title == "Future of the leisure centres"
    assert result.get_kind_display() == "Forward plan notice"
    assert result.date == datetime.date(2026, 3, 2)
    assert f'href="{entry.get_absolute_url()}"' in response.text
    assert "**" not in response.text  # Markdown read as text


def test_a_draft_notice_is_found_by_staff_only(clerk):
    entry = ForwardPlanEntryFactory(title="Draft notice on waste collection", published_on=None)
    search.refresh(entry)

    assert found(Client(), "waste collection") == []
    assert found(sign_in(Client(), clerk), "waste collection") == [entry.title]


def test_results_link_to_the_subject_a_decision_is_filed_under():
    subject = Subject.objects.create(title="Depot site", slug="depot-site")
    exempt_decision(subject=subject)

    response = Client().get(URL, {"q": "depot"})

    assert f'href="{subject.get_absolute_url()}"' in response.text


def test_reindex_search_indexes_decisions_and_notices_made_without_the_services():
    decision = ExecutiveDecisionFactory(title="Allotment rents", reasons="Costs have risen.")
    ExecutiveDecision.objects.filter(pk=decision.pk).update(
        published_at=datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC),
        call_in_closes_at=datetime.datetime(2026, 1, 12, 17, tzinfo=datetime.UTC),
    )
    entry = ForwardPlanEntryFactory(title="Allotment strategy")
    assert not SearchEntry.objects.filter(kind__in=["decision", "forward_plan"]).exists()

    call_command("reindex_search", verbosity=0)

    assert SearchEntry.objects.filter(kind="decision", object_id=decision.pk).count() == 2
    assert SearchEntry.objects.filter(kind="forward_plan", object_id=entry.pk).count() == 1
    assert sorted(found(Client(), "allotment")) == ["Allotment rents", "Allotment strategy"]


def test_a_page_of_results_takes_no_more_queries_for_20_decisions_than_for_2():
    subject = Subject.objects.create(title="Budget", slug="budget")

    def make(count: int) -> None:
        for _ in range(count):
            ExecutiveDecisionFactory(title="Budget decision", subject=subject, publish=True)
            search.refresh(ForwardPlanEntryFactory(title="Budget notice", subject=subject))

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert Client().get(URL, {"q": "budget"}).status_code == 200
        return len(context)

    make(2)
    small = queries()
    make(18)
    # A page of 20 may hold one kind or both: at most one query for each kind's subjects.
    assert queries() <= small
