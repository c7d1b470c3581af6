"""The pages of executive decisions: the public list and each decision's page with its report;
the staff's pages that record, correct, publish, exclude from call-in and withdraw a decision,
and make the drafts of an executive meeting's decisions; the call-in rules. Who may open each,
what an exempt decision shows to whom, and what bad input is told."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import formatting
from boards import services as board_services
from boards.models import AgendaItem, Board, Membership
from boards.roles import Role
from decisions import rules, services
from decisions.models import CallInRules, ExecutiveDecision
from minutes import services as minutes_services
from minutes.models import Declaration
from tests.factories import (
    BoardFactory,
    CallInFactory,
    ExecutiveDecisionFactory,
    ExecutiveFactory,
    ForwardPlanEntryFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    UserFactory,
    WardFactory,
    pdf_bytes,
    sign_in,
)
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
CANARY = "CANARY-d3c1s10n-exempt"
AUDIENCES = ["public", "councillor", "other officer", "officer", "clerk", "administrator"]
EDITORS = ["officer", "clerk", "administrator"]
STAFF = ["other officer", "officer", "clerk", "administrator"]


def text_of(response) -> str:
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def expect(allowed, refused=403) -> dict[str, int]:
    result = {name: 200 if name in allowed else refused for name in AUDIENCES}
    if "public" not in allowed:
        result["public"] = 302
    return result


@pytest.fixture
def executive():
    return ExecutiveFactory(name="Executive Board")


@pytest.fixture
def scrutiny():
    return BoardFactory(name="Scrutiny Board (Resources)")


@pytest.fixture
def users(executive, scrutiny):
    """The executive's officer, a scrutiny board's officer and councillor, a member of the
    executive, a clerk and an administrator."""
    officer = UserFactory(roles=[Role.OFFICER])
    executive.support_officer = PersonFactory(officer=True, user=officer)
    executive.save()
    other_officer = UserFactory(roles=[Role.OFFICER])
    scrutiny.support_officer = PersonFactory(officer=True, user=other_officer)
    scrutiny.save()
    councillor = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=scrutiny, person=PersonFactory(user=councillor))
    cabinet_member = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=executive, person=PersonFactory(user=cabinet_member))
    return {
        "officer": officer,
        "other officer": other_officer,
        "councillor": councillor,
        "cabinet member": cabinet_member,
        "clerk": UserFactory(roles=[Role.CLERK]),
        "administrator": UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True),
    }


@pytest.fixture
def clients(users) -> dict[str, Client]:
    clients = {"public": Client()}
    for name, user in users.items():
        clients[name] = sign_in(Client(), user)
    return clients


@pytest.fixture
def draft(executive):
    return ExecutiveDecisionFactory(maker_body=executive, title="Award of the waste contract")


@pytest.fixture
def decision(executive):
    return ExecutiveDecisionFactory(
        maker_body=executive, title="Closure of the Moor Lane depot", publish=True
    )


@pytest.fixture
def executive_meeting(executive):
    return board_services.meeting_create(
        board=executive,
        starts_at=datetime.datetime.combine(
            timezone.localdate() - datetime.timedelta(days=1), datetime.time(10), LONDON
        ),
        venue=None,
    )


def form_data(executive, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "maker_body": executive.pk,
        "maker": "member",
        "maker_post": PostFactory(title="Executive Member for Environment").pk,
        "decided_on_day": str(today.day),
        "decided_on_month": str(today.month),
        "decided_on_year": str(today.year),
        "reference": "D54321",
        "title": "Charges for garden waste",
        "decision": "To set the charge at £45 a year.",
        "reasons": "To cover the cost of the service.",
        "alternatives": "To keep the service free: rejected as unaffordable.",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# Who may open what ---------------------------------------------------------------------------


STAFF_PAGES = {
    "record a decision": lambda w: reverse("decisions:decision-create"),
    "edit": lambda w: reverse("decisions:decision-edit", args=[w["draft"].pk]),
    "correct": lambda w: reverse("decisions:decision-edit", args=[w["decision"].pk]),
    "publish": lambda w: reverse("decisions:decision-publish", args=[w["draft"].pk]),
    "exclude from call-in": lambda w: reverse("decisions:decision-exclude", args=[w["draft"].pk]),
    "withdraw": lambda w: reverse("decisions:decision-withdraw", args=[w["decision"].pk]),
    "the meeting's decisions": lambda w: reverse(
        "decisions:meeting-decisions", args=[w["meeting"].pk]
    ),
}


@pytest.fixture
def world(draft, decision, executive_meeting):
    return {"draft": draft, "decision": decision, "meeting": executive_meeting}


@pytest.mark.parametrize("page", list(STAFF_PAGES))
def test_only_those_who_run_the_executives_business_open_its_staff_pages(clients, world, page):
    url = STAFF_PAGES[page](world)

    responses = {name: clients[name].get(url) for name in AUDIENCES}

    assert {name: r.status_code for name, r in responses.items()} == expect(EDITORS)
    assert responses["public"]["Location"].startswith(reverse("accounts:sign-in"))


POSTS = {
    "publish": lambda w: (reverse("decisions:decision-publish", args=[w["draft"].pk]), {}),
    "withdraw": lambda w: (
        reverse("decisions:decision-withdraw", args=[w["draft"].pk]),
        {"reason": "Made in error."},
    ),
    "exclude": lambda w: (
        reverse("decisions:decision-exclude", args=[w["draft"].pk]),
        {"exclusion": "constitution", "reason": "Rule 17."},
    ),
    "make the meeting's drafts": lambda w: (
        reverse("decisions:meeting-decisions-make", args=[w["meeting"].pk]),
        {},
    ),
}


@pytest.mark.parametrize("action", list(POSTS))
def test_those_who_may_not_change_the_executives_business_cannot_post_to_it(clients, world, action):
    url, data = POSTS[action](world)

    statuses = {
        name: clients[name].post(url, data).status_code
        for name in ["public", "councillor", "other officer", "cabinet member"]
    }

    assert statuses == {
        "public": 302,
        "councillor": 403,
        "other officer": 403,
        "cabinet member": 403,
    }
    draft = ExecutiveDecision.objects.get(pk=world["draft"].pk)
    assert (draft.published_at, draft.withdrawn_at, draft.exclusion) == (None, None, "")


def test_an_officer_of_a_dissolved_executive_cannot_record_its_decisions(clients, executive):
    executive.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    executive.save()

    assert clients["officer"].get(reverse("decisions:decision-create")).status_code == 403


def test_the_public_pages_open_to_everyone_and_a_draft_only_to_those_who_see_drafts(
    clients, draft, decision
):
    pages = {
        "list": reverse("decisions:decision-list"),
        "decision": decision.get_absolute_url(),
        "how call-in works": reverse("decisions:call-in-explained"),
    }
    for url in pages.values():
        assert {name: clients[name].get(url).status_code for name in AUDIENCES} == dict.fromkeys(
            AUDIENCES, 200
        )
    statuses = {name: clients[name].get(draft.get_absolute_url()).status_code for name in clients}
    assert statuses == {
        "public": 404,
        "councillor": 404,
        "cabinet member": 404,
        "other officer": 404,
        "officer": 200,
        "clerk": 200,
        "administrator": 200,
    }
    listed = {name: draft.title in clients[name].get(pages["list"]).text for name in clients}
    assert listed == {name: name in EDITORS for name in clients}


def test_the_call_in_rules_are_read_by_staff_and_changed_by_administrators(clients):
    url = reverse("decisions:call-in-rules")
    data = {
        "window_days": "8",
        "window_closes_at": "12:00",
        "chair_may_call_in": "on",
        "board_members_needed": "2",
        "non_executive_needed": "3",
        "meeting_within_working_days": "10",
        "publish_within_working_days": "2",
    }

    assert {name: clients[name].get(url).status_code for name in AUDIENCES} == expect(STAFF)
    posted = {name: clients[name].post(url, data).status_code for name in AUDIENCES}

    assert posted == {**expect([]), "administrator": 302}
    saved = CallInRules.load()
    assert (saved.window_days, saved.window_working_days, saved.window_closes_at) == (
        8,
        False,
        datetime.time(12),
    )
    summary = text_of(clients["public"].get(reverse("decisions:call-in-explained")))
    assert "until midday on the eighth day after the day it is published" in summary
    assert "the day of publication is not counted; weekends and bank holidays are" in summary
    assert (
        "by the chair of the scrutiny board, or any 2 members of the scrutiny board, or any 3 "
        "non-executive councillors" in summary
    )
    assert "within 10 working days" in summary
    assert "Change the rules" in clients["administrator"].get(url).text
    assert "Change the rules" not in clients["clerk"].get(url).text


def test_the_rules_refuse_a_window_of_no_days(clients):
    response = clients["administrator"].post(
        reverse("decisions:call-in-rules"),
        {"window_days": "0", "window_closes_at": "17:00", "board_members_needed": "2"},
    )

    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert CallInRules.objects.count() == 0


def test_the_site_links_to_the_decisions_and_the_list_to_how_call_in_works(clients):
    home = clients["public"].get(reverse("home:home")).text
    listing = clients["public"].get(reverse("decisions:decision-list")).text

    assert f'href="{reverse("decisions:decision-list")}"' in home
    assert "Executive decisions" in home
    assert f'href="{reverse("decisions:call-in-explained")}"' in listing
    text = text_of(clients["public"].get(reverse("decisions:call-in-explained")))
    assert "until 5.00 pm on the fifth working day after the day it is published" in text
    assert "nor are Saturdays, Sundays and bank holidays in England and Wales" in text


# The decision's page -----------------------------------------------------------------------------


def test_the_page_says_where_the_decision_stands_and_what_it_means_for_implementing_it(
    clients, decision
):
    decision.refresh_from_db()
    closes = decision.call_in_closes_at
    page = text_of(clients["public"].get(decision.get_absolute_url()))

    headline = f"Open to call-in until {formatting.clock(closes)} on {formatting.long_date(closes)}"
    assert headline in page
    assert (
        "It may not be implemented before "
        f"{formatting.long_date(rules.implementation_from(closes))}" in page
    )
    for part in [
        "Decision maker Executive Member for Resources (a member of the executive)",
        f"Date of the decision {formatting.long_date(decision.decided_on)}",
        "Key decision No",
        "The decision To award the contract.",
        "Reasons for the decision It offers the best value.",
        "Alternative options considered and rejected To extend the current contract",
        "Timeline",
        "Decision made",
        "Decision published",
        "Call-in window closes",
    ]:
        assert part in page, part


def test_a_key_decision_without_notice_is_flagged_and_one_with_notice_names_it(clients, executive):
    without = ExecutiveDecisionFactory(maker_body=executive, key_decision=True, publish=True)
    notice = ForwardPlanEntryFactory(
        decision_maker=executive,
        reference="FP/2026/014",
        published_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    noticed = ExecutiveDecisionFactory(
        maker_body=executive, key_decision=True, notice=notice, publish=True
    )

    flagged = text_of(clients["public"].get(without.get_absolute_url()))
    proper = text_of(clients["public"].get(noticed.get_absolute_url()))

    assert "Taken without proper notice Taken without notice in the forward plan." in flagged
    assert "Taken without proper notice" not in proper
    # The notice's reference is a link to the notice: its words end before the comma.
    assert "Notice in the forward plan (28 clear days), FP/2026/014 , published" in proper


def test_a_called_in_decision_is_suspended(clients, decision, scrutiny):
    CallInFactory(
        decision=decision,
        board=scrutiny,
        checked_on=timezone.localdate(),
        valid=True,
        check_reasons="Three councillors signed in time.",
    )

    page = text_of(clients["public"].get(decision.get_absolute_url()))

    assert "Called in: suspended until the scrutiny board has considered it" in page
    assert "It may not be implemented until the call-in is concluded." in page
    assert "Call-in found valid" in page


def test_a_decision_amended_after_call_in_links_to_the_decision_as_amended(
    clients, decision, scrutiny
):
    today = timezone.localdate()
    call_in = CallInFactory(
        decision=decision,
        board=scrutiny,
        checked_on=today,
        valid=True,
        check_reasons="Three councillors signed in time.",
        outcome="refer_back",
        outcome_on=today,
        outcome_reasons="Consult the ward councillors.",
    )
    services.call_in_conclude(
        call_in=call_in,
        final="amended",
        on=today,
        reasons="The ward councillors were consulted.",
        decision_text="To close the depot in 2028.",
        by=None,
    )
    amended = ExecutiveDecision.objects.get(reconsiders=decision)

    response = clients["public"].get(decision.get_absolute_url())
    page = text_of(response)

    assert "may be implemented as amended from" in page
    assert "The decision as amended after call-in may be implemented from" in page
    assert f"Called in on {formatting.long_date(call_in.requested_at)}: the call-in" in page
    assert "Subject to call-in until" not in page
    assert f'<a href="{amended.get_absolute_url()}">the decision as amended</a>' in (
        response.content.decode()
    )
    back = clients["public"].get(amended.get_absolute_url()).content.decode()
    assert f'It reconsiders <a href="{decision.get_absolute_url()}">' in back


def test_a_decision_made_at_a_meeting_links_its_meeting_and_minute(clients, executive_meeting):
    made = _recorded_decisions(executive_meeting)
    [decision] = services.decisions_from_meeting(meeting=executive_meeting, by=None)
    services.decision_publish(decision=decision, by=None)

    page = clients["public"].get(decision.get_absolute_url()).text

    minute = made["minute"]
    assert f"#minute-{minute.number}" in page
    assert f"{executive_meeting.get_absolute_url()}#item-{minute.agenda_item.number}" in page
    assert "Executive Board, at its meeting" in text_of(
        clients["public"].get(decision.get_absolute_url())
    )


# Exempt decisions -------------------------------------------------------------------------------


@pytest.fixture
def exempt(executive):
    decision = services.decision_create(
        by=None,
        wards=[WardFactory(name=f"Ward {CANARY}")],
        report=SimpleUploadedFile("prices.pdf", pdf_bytes(2, CANARY), "application/pdf"),
        maker_body=executive,
        maker=ExecutiveDecision.Maker.OFFICER,
        maker_post=PostFactory(title="Director of Resources"),
        decided_on=timezone.localdate(),
        title="Sale of the former library",
        decision=f"To sell to the bidder {CANARY}.",
        reasons=f"The best price {CANARY}.",
        alternatives=f"Auction {CANARY}.",
        declarations=f"None {CANARY}.",
        dispensation=f"None {CANARY}.",
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Commercially sensitive.",
    )
    return services.decision_publish(decision=decision, by=None)


@pytest.mark.parametrize("who", ["public", "councillor", "other officer"])
def test_an_exempt_decision_shows_only_its_title_and_paragraph_to_those_not_entitled(
    clients, exempt, who
):
    client = clients[who]
    page = client.get(exempt.get_absolute_url())
    listing = client.get(reverse("decisions:decision-list"))
    report = client.get(reverse("decisions:decision-report", args=[exempt.pk]))

    assert page.status_code == 200
    assert CANARY not in page.text
    assert CANARY not in listing.text
    assert "Sale of the former library" in page.text
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in page.text
    assert "Not for publication by virtue of paragraph 3" in text_of(listing)
    assert "Open to call-in until" in text_of(page)
    assert reverse("decisions:decision-report", args=[exempt.pk]) not in page.text
    assert report.status_code == 404


@pytest.mark.parametrize("who", ["cabinet member", "officer", "clerk", "administrator"])
def test_an_exempt_decision_is_read_in_full_by_the_executive_and_its_officers(clients, exempt, who):
    client = clients[who]
    page = text_of(client.get(exempt.get_absolute_url()))
    report = client.get(reverse("decisions:decision-report", args=[exempt.pk]))

    for part in [
        f"To sell to the bidder {CANARY}.",
        f"The best price {CANARY}.",
        f"Auction {CANARY}.",
        f"Ward {CANARY}",
        f"Declarations of interest None {CANARY}.",
        f"Dispensation None {CANARY}.",
        "Shown to you as a member of the executive or an officer.",
    ]:
        assert part in page, part
    assert CANARY in pdf_text(read_pdf(report))
    assert 'filename="prices.pdf"' in report["Content-Disposition"]


def test_a_withdrawn_decision_stays_listed_without_its_content(clients, decision):
    services.decision_withdraw(decision=decision, by=None, reason="Superseded by D54322.")

    page = text_of(clients["public"].get(decision.get_absolute_url()))

    assert "Withdrawn" in page
    assert "To award the contract." not in page
    assert "Superseded" not in page
    assert "Superseded by D54322." in text_of(clients["clerk"].get(decision.get_absolute_url()))


# The list ------------------------------------------------------------------------------------


def _decisions(executive, scrutiny, count: int) -> None:
    for number in range(count):
        decision = ExecutiveDecisionFactory(
            maker_body=executive,
            maker_person=PersonFactory(),
            key_decision=bool(number % 2),
            publish=True,
        )
        CallInFactory(decision=decision, board=scrutiny)


@pytest.mark.parametrize("who", ["public", "councillor", "officer"])
def test_the_list_takes_the_same_queries_for_3_or_23_decisions(
    clients, executive, scrutiny, who, django_assert_max_num_queries
):
    client = clients[who]
    url = reverse("decisions:decision-list")
    client.get(url)
    _decisions(executive, scrutiny, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _decisions(executive, scrutiny, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count("Called in: the request is being checked") == 23


def test_the_decision_page_takes_the_same_queries_with_more_call_ins(
    clients, decision, scrutiny, django_assert_max_num_queries
):
    client = clients["councillor"]
    client.get(decision.get_absolute_url())
    CallInFactory(decision=decision, board=scrutiny, checked_on=timezone.localdate(), valid=False)
    with CaptureQueriesContext(connection) as few:
        client.get(decision.get_absolute_url())
    for _ in range(5):
        call_in = CallInFactory(
            decision=decision,
            board=scrutiny,
            checked_on=timezone.localdate(),
            valid=False,
        )
        call_in.signatories.add(PersonFactory(), PersonFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(decision.get_absolute_url()).status_code == 200


def test_the_list_is_newest_first_and_filters(clients, executive, scrutiny):
    today = timezone.localdate()
    old = ExecutiveDecisionFactory(
        maker_body=executive,
        title="An old member decision",
        decided_on=today - datetime.timedelta(days=30),
        publish=True,
    )
    ExecutiveDecision.objects.filter(pk=old.pk).update(
        call_in_closes_at=timezone.now() - datetime.timedelta(days=20)
    )
    ExecutiveDecisionFactory(
        maker_body=executive,
        title="A key officer decision",
        maker=ExecutiveDecision.Maker.OFFICER,
        key_decision=True,
        publish=True,
    )
    called_in = ExecutiveDecisionFactory(
        maker_body=executive, title="A decision called in", publish=True
    )
    CallInFactory(decision=called_in, board=scrutiny)
    other = ExecutiveFactory(name="Joint Executive Committee")
    ExecutiveDecisionFactory(maker_body=other, title="A joint decision", publish=True)
    url = reverse("decisions:decision-list")

    def titles(**query):
        page = clients["public"].get(url, query).text
        return re.findall(r'<a href="/decisions/\d+/">([^<]+)</a>', page)

    assert titles() == [
        "A joint decision",
        "A decision called in",
        "A key officer decision",
        "An old member decision",
    ]
    assert titles(key="on") == ["A key officer decision"]
    assert titles(open="on") == ["A joint decision", "A key officer decision"]
    assert titles(maker="officer") == ["A key officer decision"]
    assert titles(body=other.slug) == ["A joint decision"]
    assert titles(body=executive.slug, open="on") == ["A key officer decision"]
    page = clients["public"].get(url, {"body": "no-such-body", "maker": "mayor"})
    assert page.status_code == 200
    assert "Choose an executive body from the list" in page.text
    assert "Choose who made the decisions from the list" in page.text
    assert "Decisions of Joint Executive Committee: key decisions" in (
        clients["public"].get(url, {"body": other.slug, "key": "on"}).text
    )


def test_the_list_is_paginated(clients, executive):
    for _ in range(27):
        ExecutiveDecisionFactory(maker_body=executive, publish=True)

    first = clients["public"].get(reverse("decisions:decision-list"))
    second = clients["public"].get(reverse("decisions:decision-list"), {"page": "2"})

    assert "27 decisions" in text_of(first)
    assert len(re.findall(r'<a href="/decisions/\d+/">', first.text)) == 25
    assert "Page 2 of 2" in text_of(second)
    assert "Executive decisions (page 2)" in second.text


def test_the_list_shows_the_executive_filter_only_where_there_is_more_than_one(clients, executive):
    url = reverse("decisions:decision-list")
    assert 'name="body"' not in clients["public"].get(url).text
    ExecutiveFactory()
    assert 'name="body"' in clients["public"].get(url).text


# Recording, correcting and publishing ------------------------------------------------------------


def test_recording_a_decision_with_its_report_and_wards(clients, users, executive):
    ward = WardFactory(name="Moortown")
    response = clients["officer"].post(
        reverse("decisions:decision-create"),
        {
            **form_data(executive, wards=[ward.pk], key_decision="on"),
            "report": SimpleUploadedFile("Garden waste.pdf", pdf_bytes(1), "application/pdf"),
        },
    )

    decision = ExecutiveDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    assert (decision.title, decision.maker, decision.key_decision, decision.reference) == (
        "Charges for garden waste",
        "member",
        True,
        "D54321",
    )
    assert list(decision.wards.all()) == [ward]
    assert decision.report_filename == "Garden waste.pdf"
    assert decision.report.name.startswith("decisions/")
    assert "Garden" not in decision.report.name
    assert decision.published_at is None
    assert {row.history_user for row in decision.history.all()} == {users["officer"]}
    page = text_of(clients["officer"].get(response["Location"]))
    assert "Charges for garden waste: recorded. Check it, then publish it." in page
    assert "Not yet published" in page
    assert "Taken without proper notice" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "", "reasons": ""}, "Enter the decision's title"),
        ({"title": "", "reasons": ""}, "Enter the reasons for the decision"),
        ({"maker_post": ""}, "Name who made the decision"),
        (
            {"decided_on_day": "31", "decided_on_month": "2"},
            "Date of the decision must be a real date",
        ),
        ({"exempt": "on"}, "Choose the paragraph of Schedule 12A that applies."),
        ({"maker": "mayor"}, "Choose who made the decision from the list"),
    ],
)
def test_bad_input_is_explained(clients, executive, overrides, message):
    response = clients["officer"].post(
        reverse("decisions:decision-create"), form_data(executive, **overrides)
    )

    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert message in html.unescape(response.text)
    assert not ExecutiveDecision.objects.exists()


def test_a_report_must_be_a_pdf(clients, executive):
    response = clients["officer"].post(
        reverse("decisions:decision-create"),
        {
            **form_data(executive),
            "report": SimpleUploadedFile("report.docx", b"PK\x03\x04 not a pdf", "text/plain"),
        },
    )

    assert response.status_code == 422
    assert "The selected file must be a PDF." in response.text
    assert not ExecutiveDecision.objects.exists()


def test_an_officer_cannot_record_a_decision_for_an_executive_they_do_not_support(
    clients, executive
):
    other = ExecutiveFactory()
    response = clients["officer"].post(
        reverse("decisions:decision-create"), form_data(executive, maker_body=other.pk)
    )

    assert response.status_code == 422
    assert not ExecutiveDecision.objects.exists()


def test_publishing_opens_the_window_it_showed_and_publishing_twice_is_refused(clients, draft):
    url = reverse("decisions:decision-publish", args=[draft.pk])
    now = timezone.now()
    closes = CallInRules.load().window_closes(now)

    confirm = text_of(clients["officer"].get(url))
    first = clients["officer"].post(url)
    published = ExecutiveDecision.objects.get(pk=draft.pk)
    again = clients["clerk"].post(url)

    assert (
        f"it may be called in until {formatting.clock(closes)} on {formatting.long_date(closes)}"
        in confirm
    )
    assert first.status_code == 302
    assert published.call_in_closes_at == closes
    assert again.status_code == 422
    assert "This decision is already published." in again.text
    assert ExecutiveDecision.objects.get(pk=draft.pk).published_at == published.published_at
    assert "This decision was published" in clients["officer"].get(url).text


def test_a_published_decision_is_corrected_with_a_reason_kept_in_its_history(
    clients, users, decision, executive
):
    decision.refresh_from_db()
    url = reverse("decisions:decision-edit", args=[decision.pk])
    data = form_data(
        executive,
        title="Closure of the Moor Lane depot (corrected)",
        decided_on_day=str(decision.decided_on.day),
        decided_on_month=str(decision.decided_on.month),
        decided_on_year=str(decision.decided_on.year),
    )

    refused = clients["officer"].post(url, data)
    ward = WardFactory(name="Chapel Allerton")
    corrected = clients["officer"].post(
        url, {**data, "wards": [ward.pk], "reason": "The title was cut short."}
    )

    assert refused.status_code == 422
    assert "Say what was wrong, for the record" in refused.text
    assert corrected.status_code == 302
    after = ExecutiveDecision.objects.get(pk=decision.pk)
    assert after.title == "Closure of the Moor Lane depot (corrected)"
    assert (after.published_at, after.call_in_closes_at) == (
        decision.published_at,
        decision.call_in_closes_at,
    )
    latest = after.history.first()
    assert latest.history_change_reason == "Correction: The title was cut short."
    assert latest.history_user == users["officer"]
    assert list(after.wards.all()) == [ward]
    assert after.history.filter(title="Closure of the Moor Lane depot").exists()


def test_a_decision_cannot_be_said_to_be_made_after_it_was_published(decision):
    decision.refresh_from_db()
    with pytest.raises(Exception, match="published before that day"):
        services.decision_update(
            decision=decision,
            by=None,
            reason="Wrong date.",
            changes={
                "decided_on": timezone.localdate(decision.published_at) + datetime.timedelta(days=1)
            },
        )


# Exclusion from call-in ---------------------------------------------------------------------


def test_an_urgent_decision_needs_the_consent_of_a_chair_of_scrutiny_on_the_day(
    clients, draft, scrutiny
):
    url = reverse("decisions:decision-exclude", args=[draft.pk])
    chair = PersonFactory(given_name="Kathryn", family_name="Greenhalgh")
    today = timezone.localdate()
    MembershipFactory(
        board=scrutiny,
        person=chair,
        role=Membership.Role.CHAIR,
        starts_on=today - datetime.timedelta(days=10),
    )
    member = PersonFactory(given_name="Neil", family_name="Walshaw")
    MembershipFactory(board=scrutiny, person=member)
    urgent = {
        "exclusion": "urgency",
        "reason": "The grant offer expires on Friday.",
        "consent_on_day": str(today.day),
        "consent_on_month": str(today.month),
        "consent_on_year": str(today.year),
    }
    before = today - datetime.timedelta(days=20)

    not_chair = clients["officer"].post(url, {**urgent, "consent_by": member.pk})
    not_yet_chair = clients["officer"].post(
        url,
        {
            **urgent,
            "consent_by": chair.pk,
            "consent_on_day": str(before.day),
            "consent_on_month": str(before.month),
            "consent_on_year": str(before.year),
        },
    )
    nobody = clients["officer"].post(url, {**urgent, "reason": ""})
    agreed = clients["officer"].post(url, {**urgent, "consent_by": chair.pk})

    assert not_chair.status_code == 422
    assert "was not the chair of a scrutiny board on" in not_chair.text
    assert not_yet_chair.status_code == 422
    assert nobody.status_code == 422
    assert "Choose the chair of scrutiny who consented." in nobody.text
    assert "Say why the decision cannot be called in." in nobody.text
    assert agreed.status_code == 302
    draft.refresh_from_db()
    assert (draft.exclusion, draft.urgency_consent_by, draft.urgency_consent_on) == (
        "urgency",
        chair,
        today,
    )
    clients["officer"].post(reverse("decisions:decision-publish", args=[draft.pk]))
    page = text_of(clients["public"].get(draft.get_absolute_url()))
    assert "Not subject to call-in: urgent: the chair of scrutiny consented" in page
    assert f"Consent given by Kathryn Greenhalgh on {formatting.long_date(today)}" in page
    assert f"It may be implemented from {formatting.long_date(today)}." in page


def test_a_chair_of_another_kind_of_body_cannot_consent(draft):
    chair = PersonFactory()
    MembershipFactory(
        board=BoardFactory(kind=Board.Kind.REGULATORY), person=chair, role=Membership.Role.CHAIR
    )

    with pytest.raises(Exception, match="was not the chair of a scrutiny board"):
        services.decision_exclude(
            decision=draft,
            exclusion="urgency",
            reason="Urgent.",
            consent_by=chair,
            consent_on=timezone.localdate(),
            by=None,
        )


def test_a_published_decision_cannot_be_excluded_from_call_in(clients, decision):
    response = clients["officer"].post(
        reverse("decisions:decision-exclude", args=[decision.pk]),
        {"exclusion": "constitution", "reason": "Rule 17."},
    )

    assert response.status_code == 422
    assert "This decision is published" in response.text
    assert ExecutiveDecision.objects.get(pk=decision.pk).exclusion == ""


def test_withdrawing_needs_a_reason_and_happens_once(clients, decision):
    url = reverse("decisions:decision-withdraw", args=[decision.pk])

    empty = clients["officer"].post(url, {"reason": "  "})
    withdrawn = clients["officer"].post(url, {"reason": "Superseded."})
    again = clients["clerk"].post(url, {"reason": "Again."})

    assert empty.status_code == 422
    assert "Say why the decision is being withdrawn" in empty.text
    assert withdrawn.status_code == 302
    assert again.status_code == 422
    assert "already withdrawn" in again.text
    after = ExecutiveDecision.objects.get(pk=decision.pk)
    assert after.withdrawal_reason == "Superseded."
    assert after.withdrawn_by is not None
    assert (
        clients["officer"].get(reverse("decisions:decision-edit", args=[decision.pk])).status_code
        == 302
    )


# The decisions of an executive meeting ---------------------------------------------------------


def _recorded_decisions(meeting) -> dict:
    """An executive meeting's minute with two resolutions recorded as a key decision, on an
    exempt item for two wards with an interest declared; and a minute without a decision."""
    wards = [WardFactory(name="Moortown"), WardFactory(name="Roundhay")]
    item = board_services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            title="Leisure centres: the future of the service",
            purpose="To decide.",
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Bids.",
        ),
    )
    item.wards.set(wards)
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)
    minutes_services.resolution_add(minute=minute, text="That the centres be transferred.")
    minutes_services.resolution_add(minute=minute, text="That the Director consults staff.")
    minutes_services.decision_record(
        minute=minute,
        reasons="The service cannot continue as it is.",
        alternatives="Closure: rejected.",
        key_decision=True,
    )
    member = PersonFactory(given_name="Kay", family_name="Groves")
    Declaration.objects.create(
        meeting=meeting,
        person=member,
        agenda_item=item,
        kind=Declaration.Kind.PECUNIARY,
        nature="Her husband works at a centre.",
        left_room=True,
    )
    plain = board_services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Noted only", purpose="To note.")
    )
    noted = minutes_services.minute_take(meeting=meeting, agenda_item=plain)
    minutes_services.resolution_add(minute=noted, text="That the report be noted.")
    return {"minute": minute, "wards": wards, "item": item}


def test_the_decisions_of_an_executive_meeting_become_drafts_once(clients, executive_meeting):
    made = _recorded_decisions(executive_meeting)
    url = reverse("decisions:meeting-decisions", args=[executive_meeting.pk])

    listed = text_of(clients["officer"].get(url))
    first = clients["officer"].post(
        reverse("decisions:meeting-decisions-make", args=[executive_meeting.pk])
    )
    second = clients["officer"].post(
        reverse("decisions:meeting-decisions-make", args=[executive_meeting.pk])
    )

    assert "Leisure centres: the future of the service Key decision Not yet made" in listed
    assert "Make 1 draft decision" in listed
    assert "Noted only" not in listed
    assert (first.status_code, second.status_code) == (302, 302)
    decision = ExecutiveDecision.objects.get()
    assert decision.recorded.minute == made["minute"]
    assert (decision.maker, decision.maker_body, decision.decided_on) == (
        "meeting",
        executive_meeting.board,
        executive_meeting.date,
    )
    assert decision.title == "Leisure centres: the future of the service"
    assert decision.decision == (
        "(a) That the centres be transferred.\n\n(b) That the Director consults staff."
    )
    assert (decision.reasons, decision.alternatives, decision.key_decision) == (
        "The service cannot continue as it is.",
        "Closure: rejected.",
        True,
    )
    assert decision.agenda_item == made["item"]
    assert set(decision.wards.all()) == set(made["wards"])
    assert (decision.exempt, decision.exempt_paragraph) == (True, 3)
    assert decision.declarations == (
        "Councillor K Groves declared a disclosable pecuniary interest: Her husband works at "
        "a centre. They left the room and took no part in the item."
    )
    assert decision.published_at is None
    after = text_of(clients["officer"].get(url))
    assert "Draft" in after
    assert "Make 1 draft decision" not in after


def test_a_single_resolution_is_the_decision_as_it_stands(executive_meeting):
    item = board_services.agenda_item_add(
        meeting=executive_meeting, item=AgendaItem(title="Budget", purpose="To decide.")
    )
    minute = minutes_services.minute_take(meeting=executive_meeting, agenda_item=item)
    minutes_services.resolution_add(minute=minute, text="That the budget be approved.")
    minutes_services.decision_record(minute=minute, reasons="It balances.")

    [decision] = services.decisions_from_meeting(meeting=executive_meeting, by=None)

    assert decision.decision == "That the budget be approved."
    assert decision.key_decision is False


def test_only_an_executive_meeting_records_executive_decisions(clients, scrutiny, users):
    meeting = board_services.meeting_create(
        board=scrutiny,
        starts_at=datetime.datetime.combine(timezone.localdate(), datetime.time(10), LONDON),
        venue=None,
    )

    response = clients["other officer"].get(
        reverse("decisions:meeting-decisions", args=[meeting.pk])
    )

    assert response.status_code == 404
    with pytest.raises(Exception, match="is not the executive"):
        services.decisions_from_meeting(meeting=meeting, by=None)


def test_the_executive_meeting_page_links_to_its_decisions(clients, executive_meeting):
    page = clients["officer"].get(executive_meeting.get_absolute_url()).text

    assert reverse("decisions:meeting-decisions", args=[executive_meeting.pk]) in page
    assert "Record the decisions of this meeting" in page
    public = clients["public"].get(executive_meeting.get_absolute_url()).text
    assert "Record the decisions of this meeting" not in public


def test_the_decision_page_has_its_own_title_and_description(clients, decision):
    response = clients["public"].get(decision.get_absolute_url())

    assert f"<title>{decision.title}: Executive Board, " in response.text
    assert "Executive decision of " in response.text
