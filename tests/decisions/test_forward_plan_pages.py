"""The forward plan's pages: the public plan month by month with what each notice says, its
filters and the last 12 months, the key decisions taken without proper notice, the same plan as a
PDF, a notice's page, and the pages on which the executive's officers and clerks give, publish,
change and withdraw notices; who may open which, and the queries the plan costs."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.models import ForwardPlanEntry
from tests.factories import (
    ExecutiveDecisionFactory,
    ExecutiveFactory,
    ForwardPlanEntryFactory,
    PostFactory,
    WardFactory,
)
from tests.matrix import EDITORS, EVERYONE, STAFF, expect
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db

PLAN = reverse("decisions:forward-plan")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def board(db):
    """The executive: its supporting officer (the ``officer`` fixture) gives its notices."""
    return ExecutiveFactory(name="Executive Board")


@pytest.fixture
def today():
    return timezone.localdate()


def text_of(response) -> str:
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def long(day: datetime.date) -> str:
    from boards.formatting import long_date

    return long_date(day)


def month(day: datetime.date) -> str:
    from boards.formatting import month_year

    return month_year(day)


# The public plan ------------------------------------------------------------------------------


@pytest.fixture
def plan(board, today):
    """Published notices of the executive: one of a cabinet member's, private, for a ward; one
    under the general exception; one under special urgency; a draft, a withdrawn one, and one
    whose decision was expected last month."""
    weetwood = WardFactory(name="Weetwood")
    leisure = ForwardPlanEntryFactory(
        decision_maker=board,
        reference="FP/2026/014",
        title="The future of the leisure centres",
        maker_post=PostFactory(title="Executive Member for Leisure"),
        decision_due_on=today + 40 * DAY,
        published_on=today - DAY,
        private=True,
        private_paragraph=3,
        documents="Report of the Director of Communities",
        contact="Sam Kerr, Leisure Services, 0113 222 3333",
    )
    leisure.wards.add(weetwood)
    grant = ForwardPlanEntryFactory(
        decision_maker=board,
        reference="FP/2026/015",
        title="Accepting the bus grant",
        notice=ForwardPlanEntry.Notice.GENERAL_EXCEPTION,
        urgency_reasons="The grant must be accepted this month.",
        chair_informed_on=today - DAY,
        decision_due_on=today + 60 * DAY,
    )
    urgent = ForwardPlanEntryFactory(
        decision_maker=board,
        reference="FP/2026/016",
        title="Emergency repairs to the bridge",
        notice=ForwardPlanEntry.Notice.SPECIAL_URGENCY,
        urgency_agreed_on=today,
        urgency_reasons="The bridge is unsafe.",
        decision_due_on=today + 2 * DAY,
    )
    draft = ForwardPlanEntryFactory(decision_maker=board, title="Draft notice", published_on=None)
    withdrawn = ForwardPlanEntryFactory(
        decision_maker=board,
        title="Withdrawn notice",
        withdrawn_at=timezone.now(),
        withdrawal_reason="Deferred.",
    )
    past = ForwardPlanEntryFactory(
        decision_maker=board,
        title="Library opening hours",
        published_on=today - 70 * DAY,
        decision_due_on=today - 30 * DAY,
    )
    return {
        "leisure": leisure,
        "grant": grant,
        "urgent": urgent,
        "draft": draft,
        "withdrawn": withdrawn,
        "past": past,
        "weetwood": weetwood,
    }


def test_the_plan_lists_published_notices_still_to_come_month_by_month(plan, today):
    page = text_of(Client().get(PLAN))
    # Soonest first, under the month of the expected decision.
    first, second, third = (plan[n].decision_due_on for n in ("urgent", "leisure", "grant"))
    assert page.index(plan["urgent"].title) < page.index(plan["leisure"].title)
    assert page.index(plan["leisure"].title) < page.index(plan["grant"].title)
    for day in (first, second, third):
        assert month(day) in page
    for left_out in ("draft", "withdrawn", "past"):
        assert plan[left_out].title not in page


def test_each_notice_says_who_decides_when_and_how_and_why_in_private(plan, today):
    page = text_of(Client().get(PLAN))
    leisure = plan["leisure"]
    assert "FP/2026/014 The future of the leisure centres" in page
    assert "Decision maker Executive Member for Leisure (Executive Board)" in page
    assert f"Decision expected {long(leisure.decision_due_on)}" in page
    assert "Key decision Yes" in page
    assert (
        f"Notice Notice in the forward plan (28 clear days), published {(today - DAY).day} " in page
    )
    assert f"Earliest date of the decision {long(today + 28 * DAY)}" in page
    assert (
        "To be decided in private, by virtue of paragraph 3 of Part 1 of Schedule 12A to the "
        "Local Government Act 1972: information relating to the financial or business affairs"
    ) in page
    assert "Wards affected Weetwood" in page
    assert "Documents to be considered Report of the Director of Communities" in page
    assert "Contact Sam Kerr, Leisure Services, 0113 222 3333" in page
    # The general exception and special urgency are marked, with why and who agreed.
    assert "General exception" in page
    assert "Why: The grant must be accepted this month." in page
    assert "Special urgency" in page
    assert "Decision maker Executive Board, at its meeting" in page


def test_the_plan_filters_by_ward_and_decision_maker_and_says_so_in_its_title(plan):
    leisure = plan["leisure"]
    response = Client().get(PLAN, {"ward": plan["weetwood"].pk})
    page = text_of(response)
    assert "<title>Forward plan of key decisions: Weetwood" in response.content.decode()
    assert leisure.title in page
    assert plan["grant"].title not in page
    by_post = text_of(Client().get(PLAN, {"maker": f"post-{leisure.maker_post_id}"}))
    assert leisure.title in by_post
    assert plan["urgent"].title not in by_post
    at_meeting = text_of(Client().get(PLAN, {"maker": leisure.decision_maker.slug}))
    assert leisure.title not in at_meeting
    assert plan["urgent"].title in at_meeting


def test_a_filter_that_is_not_in_the_lists_is_explained_and_the_plan_still_shown(plan):
    response = Client().get(PLAN, {"ward": "999999", "maker": "nobody"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Choose a ward from the list" in page
    assert "Choose a decision maker from the list" in page
    assert plan["grant"].title in page


def test_also_the_last_12_months_shows_past_notices_with_the_decision_taken(plan, board, today):
    past = plan["past"]
    ExecutiveDecisionFactory(
        maker_body=board,
        notice=past,
        key_decision=True,
        decided_on=past.decision_due_on,
        title="Library hours decided",
        publish=True,
    )
    ForwardPlanEntryFactory(
        decision_maker=board,
        title="Too long ago",
        published_on=today - 500 * DAY,
        decision_due_on=today - 400 * DAY,
    )
    page = Client().get(PLAN)
    assert 'href="/forward-plan/?past=1"' in page.content.decode()
    with_past = text_of(Client().get(PLAN, {"past": "1"}))
    assert past.title in with_past
    assert "Decision taken: Library hours decided" in with_past
    assert plan["leisure"].title in with_past
    assert "Too long ago" not in with_past


def test_key_decisions_taken_without_proper_notice_are_listed(board, today):
    late_notice = ForwardPlanEntryFactory(
        decision_maker=board, published_on=today - 10 * DAY, decision_due_on=today
    )
    good_notice = ForwardPlanEntryFactory(
        decision_maker=board, published_on=today - 40 * DAY, decision_due_on=today
    )

    def decision(title, **kwargs):
        kwargs.setdefault("publish", True)
        return ExecutiveDecisionFactory(maker_body=board, title=title, **kwargs)

    decision("Without any notice", key_decision=True)
    decision("With late notice", key_decision=True, notice=late_notice)
    decision("With proper notice", key_decision=True, notice=good_notice)
    decision("Not a key decision", key_decision=False)
    decision("Not yet published", key_decision=True, publish=False)
    decision(
        "Exempt but listed",
        key_decision=True,
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Commercial.",
    )
    old = today - 400 * DAY
    decision(
        "Over a year ago",
        key_decision=True,
        decided_on=old,
        publish=timezone.make_aware(datetime.datetime(old.year, old.month, old.day, 12)),
    )
    page = text_of(Client().get(PLAN))
    section = page[page.index("Key decisions taken without proper notice") :]
    assert "Without any notice Executive Member for Resources" in section
    assert "Taken without notice in the forward plan." in section
    assert "With late notice" in section
    assert "Only 9 clear days after notice in the forward plan; 28 are needed." in section
    assert "Exempt but listed" in section
    for proper in ("With proper notice", "Not a key decision", "Not yet published", "Over a year"):
        assert proper not in section


# The PDF ----------------------------------------------------------------------------------


def test_the_pdf_prints_the_same_plan(plan, today):
    reader = read_pdf(Client().get(reverse("decisions:forward-plan-pdf")))
    text = pdf_text(reader)
    assert reader.metadata.title == "Forward plan of key decisions"
    assert "FP/2026/014" in text
    assert "The future of the leisure centres" in text
    assert "To be decided in private, by virtue of paragraph 3 of Part 1 of Schedule 12A" in text
    assert "Key decisions taken without proper notice" in text
    assert plan["draft"].title not in text
    filtered = read_pdf(
        Client().get(reverse("decisions:forward-plan-pdf"), {"ward": plan["weetwood"].pk})
    )
    assert filtered.metadata.title == "Forward plan of key decisions: Weetwood"
    assert "Accepting the bus grant" not in pdf_text(filtered)


def test_the_page_links_to_the_pdf_feed_and_calendar_of_what_it_shows(plan):
    page = Client().get(PLAN, {"ward": plan["weetwood"].pk}).content.decode()
    assert f'href="/forward-plan.pdf?ward={plan["weetwood"].pk}"' in page
    assert 'href="/feeds/forward-plan.atom"' in page
    assert 'href="/calendar/forward-plan.ics"' in page


# A notice's page ----------------------------------------------------------------------------


def test_a_notices_page_says_everything_the_plan_does(plan):
    response = Client().get(plan["leisure"].get_absolute_url())
    page = text_of(response)
    assert "<title>FP/2026/014: The future of the leisure centres" in response.content.decode()
    assert "Wards affected Weetwood" in page
    assert "Earliest date of the decision" in page
    assert "Manage this notice" not in page


def test_a_withdrawn_notice_stays_readable_marked_withdrawn(plan):
    page = text_of(Client().get(plan["withdrawn"].get_absolute_url()))
    assert "Withdrawn This notice was withdrawn on" in page
    assert "Deferred." in page


# Who may open what ------------------------------------------------------------------------


def _draft(w):
    return w["draft"].pk


PAGES = {
    "the plan": (lambda w: PLAN, expect(EVERYONE)),
    "a published notice": (
        lambda w: reverse("decisions:forward-plan-entry", args=[w["leisure"].pk]),
        expect(EVERYONE),
    ),
    "a draft notice": (
        lambda w: reverse("decisions:forward-plan-entry", args=[_draft(w)]),
        expect(STAFF, refused=404, public=404),
    ),
    "give notice": (lambda w: reverse("decisions:forward-plan-create"), expect(EDITORS)),
    "change a notice": (
        lambda w: reverse("decisions:forward-plan-edit", args=[_draft(w)]),
        expect(EDITORS),
    ),
    "publish a notice": (
        lambda w: reverse("decisions:forward-plan-publish", args=[_draft(w)]),
        expect(EDITORS),
    ),
    "withdraw a notice": (
        lambda w: reverse("decisions:forward-plan-withdraw", args=[_draft(w)]),
        expect(EDITORS),
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(plan, audiences, page):
    url_for, expected = PAGES[page]
    url = url_for(plan)
    responses = {name: audiences[name].get(url) for name in EVERYONE}
    assert {name: response.status_code for name, response in responses.items()} == expected
    if expected["public"] == 302:
        assert responses["public"]["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("action", ["forward-plan-publish", "forward-plan-withdraw"])
def test_those_who_may_not_give_notice_cannot_post_either(plan, audiences, action):
    url = reverse(f"decisions:{action}", args=[plan["draft"].pk])
    for name in ("councillor", "other officer"):
        assert audiences[name].post(url, {"withdrawal_reason": "x"}).status_code == 403
    plan["draft"].refresh_from_db()
    assert plan["draft"].published_on is None
    assert plan["draft"].withdrawn_at is None


def test_the_executives_editors_see_the_drafts_and_the_way_to_give_notice(plan, audiences):
    for name in ("officer", "clerk"):
        page = text_of(audiences[name].get(PLAN))
        assert "Give notice of a key decision" in page
        assert "Drafts not yet published" in page
        assert plan["draft"].title in page
    for name in ("public", "councillor", "other officer"):
        page = text_of(audiences[name].get(PLAN))
        assert "Give notice of a key decision" not in page
        assert plan["draft"].title not in page


# Giving notice ----------------------------------------------------------------------------


def test_an_officer_gives_notice_publishes_it_moves_its_date_and_withdraws_it(board, editor, today):
    ward = WardFactory(name="Headingley")
    response = editor.post(
        reverse("decisions:forward-plan-create"),
        {
            "title": "Closing the museum on Mondays",
            "decision_maker": board.pk,
            "notice": "forward_plan",
            "key_decision": "on",
            "wards": [ward.pk],
            "contact": "Jo Bloggs",
            **date_fields("decision_due_on", today + 20 * DAY),
        },
    )
    entry = ForwardPlanEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert entry.published_on is None
    assert list(entry.wards.all()) == [ward]
    page = text_of(editor.get(response["Location"]))
    assert f"Notice {entry.reference} saved as a draft" in page
    assert "Draft Not yet published" in page

    # Too late for 28 clear days: refused, saying when it could be taken and what else to do.
    publish = reverse("decisions:forward-plan-publish", args=[entry.pk])
    refused = editor.post(publish, date_fields("published_on", today))
    assert refused.status_code == 422
    refusal = text_of(refused)
    assert "There is a problem" in refusal
    assert f"allows the decision on {long(today + 29 * DAY)} at the earliest" in refusal
    assert "general exception" in refusal and "special urgency" in refusal
    entry.refresh_from_db()
    assert entry.published_on is None

    edit = reverse("decisions:forward-plan-edit", args=[entry.pk])
    form = {
        "title": entry.title,
        "decision_maker": board.pk,
        "notice": "forward_plan",
        "key_decision": "on",
        "wards": [ward.pk],
    }
    moved = editor.post(edit, {**form, **date_fields("decision_due_on", today + 35 * DAY)})
    assert moved.status_code == 302
    published = editor.post(publish, date_fields("published_on", today))
    assert published.status_code == 302
    page = text_of(editor.get(published["Location"]))
    assert f"may be taken on {long(today + 29 * DAY)} or later" in page

    # Moved after publication: the page says from when to when; too early is refused.
    editor.post(edit, {**form, **date_fields("decision_due_on", today + 50 * DAY)})
    page = text_of(editor.get(entry.get_absolute_url()))
    assert "Changes to the expected date" in page
    assert "moved from" in page
    too_early = editor.post(edit, {**form, **date_fields("decision_due_on", today + 10 * DAY)})
    assert too_early.status_code == 422
    assert "at the earliest" in text_of(too_early)

    withdraw = reverse("decisions:forward-plan-withdraw", args=[entry.pk])
    assert editor.post(withdraw, {"withdrawal_reason": ""}).status_code == 422
    assert editor.post(withdraw, {"withdrawal_reason": "Plans dropped."}).status_code == 302
    page = text_of(editor.get(entry.get_absolute_url()))
    assert "Withdrawn This notice was withdrawn on" in page
    assert "Manage this notice" not in page


def test_a_date_that_is_no_date_is_explained_not_a_server_error(board, editor):
    response = editor.post(
        reverse("decisions:forward-plan-create"),
        {
            "title": "A matter",
            "decision_maker": board.pk,
            "notice": "forward_plan",
            "decision_due_on_day": "31",
            "decision_due_on_month": "2",
            "decision_due_on_year": "2027",
        },
    )
    assert response.status_code == 422
    assert "Decision expected on must be a real date" in text_of(response)
    assert not ForwardPlanEntry.objects.exists()


def test_a_private_notice_needs_its_paragraph(board, editor, today):
    response = editor.post(
        reverse("decisions:forward-plan-create"),
        {
            "title": "Selling the depot",
            "decision_maker": board.pk,
            "notice": "forward_plan",
            "private": "on",
            **date_fields("decision_due_on", today + 60 * DAY),
        },
    )
    assert response.status_code == 422
    assert "Choose the paragraph of Schedule 12A that makes the matter private." in text_of(
        response
    )


def test_an_editor_may_give_notice_only_for_an_executive_they_keep(editor, today):
    other = ExecutiveFactory(name="Another Executive")
    response = editor.post(
        reverse("decisions:forward-plan-create"),
        {
            "title": "A matter",
            "decision_maker": other.pk,
            "notice": "forward_plan",
            **date_fields("decision_due_on", today + 60 * DAY),
        },
    )
    assert response.status_code == 422
    assert not ForwardPlanEntry.objects.exists()


# What the plan costs ------------------------------------------------------------------------


def _notices(board, count, today):
    for n in range(count):
        entry = ForwardPlanEntryFactory(
            decision_maker=board,
            maker_post=PostFactory(title=f"Executive Member {n}"),
            decision_due_on=today + (30 + 20 * n) * DAY,
        )
        entry.wards.add(WardFactory(name=f"Ward {n}"))
        ExecutiveDecisionFactory(maker_body=board, key_decision=True, publish=True)


@pytest.mark.parametrize("who", ["public", "clerk"])
def test_the_plan_takes_the_same_number_of_queries_however_many_notices(
    board, audiences, today, who, django_assert_max_num_queries
):
    client = audiences[who]
    _notices(board, 2, today)
    client.get(PLAN)  # the session and the audience settle
    with CaptureQueriesContext(connection) as few:
        client.get(PLAN)
    _notices(board, 8, today)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(PLAN)
    assert text_of(response).count("Decision maker Executive Member") == 10


@pytest.mark.parametrize(
    "value", ["99999999999999999999999", "-1", "2016-02-30", "\x00", "<script>", "a" * 5000]
)
def test_hostile_values_are_refused_in_words_never_a_server_error(plan, audiences, value):
    draft = plan["draft"].pk
    fields = [
        *("ward", "maker", "past", "title", "decision_maker", "notice", "wards", "private"),
        *("private_paragraph", "urgency_agreed_by", "scrutiny_board", "maker_post"),
        *("decision_due_on_day", "decision_due_on_month", "decision_due_on_year"),
        *("published_on_day", "published_on_month", "published_on_year", "withdrawal_reason"),
    ]
    posted = [
        reverse("decisions:forward-plan-create"),
        reverse("decisions:forward-plan-edit", args=[draft]),
        reverse("decisions:forward-plan-publish", args=[draft]),
        reverse("decisions:forward-plan-withdraw", args=[draft]),
    ]
    for client in (audiences["public"], audiences["clerk"]):
        assert client.get(PLAN, {"ward": value, "maker": value, "past": value}).status_code == 200
        for url in posted:
            assert client.post(url, dict.fromkeys(fields, value)).status_code < 500, url
