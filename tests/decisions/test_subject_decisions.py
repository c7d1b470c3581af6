"""A subject's history lists the executive decisions and forward plan notices filed under it
(the decisions room's template tag on the record of meetings' page and PDF): each decision with
where it stands, an exempt one's title and notice only to those not entitled, in a fixed number
of queries."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.models import Subject
from decisions.models import CallIn
from tests.conftest import CANARY
from tests.decisions.exempt import (
    EXEMPT_TITLE,
    executive_member,
    exempt_decision,
    other_councillor,
)
from tests.factories import (
    CallInFactory,
    ExecutiveDecisionFactory,
    ForwardPlanEntryFactory,
    sign_in,
)
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return Subject.objects.create(title="Depot site", slug="depot-site")


def page(client: Client, subject: Subject) -> str:
    response = client.get(reverse("minutes:subject-detail", args=[subject.slug]))
    assert response.status_code == 200
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1]


def test_a_subject_with_only_a_published_decision_is_public_and_lists_it_with_its_standing(
    subject,
):
    decision = ExecutiveDecisionFactory(
        title="Close the depot", reference="D123", subject=subject, publish=True
    )

    response = Client().get(reverse("minutes:subject-detail", args=[subject.slug]))
    text = page(Client(), subject)

    assert "Executive decisions" in text
    decisions = section(text, "Executive decisions")
    assert "Close the depot (D123)" in decisions
    assert "Executive Member for Resources" in decisions  # the decision maker's post
    assert "Open to call-in until 5.00 pm on" in decisions  # where it stands
    assert f'href="{decision.get_absolute_url()}"' in response.text


def test_a_draft_decision_is_listed_to_staff_of_the_executive_only(subject, clerk):
    ExecutiveDecisionFactory(title="Draft depot decision", subject=subject)
    ExecutiveDecisionFactory(title="Published depot decision", subject=subject, publish=True)

    public = page(Client(), subject)
    assert "Published depot decision" in public
    assert "Draft depot decision" not in public
    clerks = page(sign_in(Client(), clerk), subject)
    assert "Draft depot decision" in clerks
    assert "Not yet published" in clerks


def test_a_called_in_decision_says_it_is_suspended(subject):
    decision = ExecutiveDecisionFactory(subject=subject, publish=True)
    CallIn.objects.filter(pk=CallInFactory(decision=decision).pk).update(
        checked_on=timezone.localdate(), valid=True
    )

    assert "Called in: suspended until the scrutiny board has considered it" in page(
        Client(), subject
    )


@pytest.mark.parametrize("who", ["public", "other councillor"])
def test_an_exempt_decision_shows_only_its_title_and_notice_to_those_not_entitled(subject, who):
    exempt_decision(subject=subject)
    client = Client() if who == "public" else sign_in(Client(), other_councillor())

    text = page(client, subject)

    assert EXEMPT_TITLE in text
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in text
    assert CANARY not in text


def test_a_member_of_the_executive_is_not_shown_the_notice(subject):
    decision = exempt_decision(subject=subject)

    text = page(sign_in(Client(), executive_member(decision.maker_body)), subject)

    assert EXEMPT_TITLE in text
    assert "Not for publication" not in text
    assert CANARY not in text  # the history lists decisions; their text is on their pages


def test_forward_plan_notices_are_listed_with_what_became_of_them(subject):
    due = datetime.date(2026, 3, 2)
    ForwardPlanEntryFactory(title="Future of the depot", subject=subject, decision_due_on=due)
    taken = ForwardPlanEntryFactory(title="Depot lease", subject=subject)
    ExecutiveDecisionFactory(title="Lease the depot", notice=taken, subject=subject, publish=True)
    ForwardPlanEntryFactory(title="Draft depot notice", subject=subject, published_on=None)

    text = section(page(Client(), subject), "In the forward plan")

    assert "Future of the depot" in text
    assert "Decision expected on Monday, 2 March 2026" in text
    assert "Depot lease" in text.split("Future of the depot")[1]  # in date order
    assert "Decision taken" in text
    assert "Draft depot notice" not in text


def test_the_pdf_prints_the_same_rows_and_never_the_exempt_text(subject):
    exempt_decision(subject=subject)
    ForwardPlanEntryFactory(title="Future of the depot", subject=subject)

    text = pdf_text(read_pdf(Client().get(reverse("minutes:subject-pdf", args=[subject.slug]))))

    assert "Executive decisions" in text
    assert EXEMPT_TITLE in text
    assert "paragraph 3 of Part 1 of Schedule 12A" in text
    assert "Future of the depot" in text
    assert CANARY not in text


def test_the_page_takes_the_same_queries_for_one_decision_or_many(subject, clerk):
    client = sign_in(Client(), clerk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            page(client, subject)
        return len(context)

    def make(count: int) -> None:
        for _ in range(count):
            decision = ExecutiveDecisionFactory(subject=subject, publish=True)
            CallInFactory(decision=decision)
            ForwardPlanEntryFactory(subject=subject)

    make(1)
    queries()
    small = queries()
    make(6)
    assert queries() == small
