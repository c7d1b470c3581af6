"""Call-in pages: a councillor's request and an officer's record of one on paper, the public
list and timeline (an exempt decision's withheld from the public), the officer's steps and who
may take them, and the decision page's call-in panel."""

import html

import pytest
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import AnonymousUser
from django.template import Context
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from boards.models import AgendaItem
from boards.roles import Role
from decisions import status
from decisions.models import CallIn, CallInRules, ExecutiveDecision
from tests.conftest import CANARY
from tests.decisions.call_in_helpers import (
    CHECKED_ON,
    MEETING,
    at,
    published_decision,
    referred,
    request,
    scheduled_call_in,
    seat,
    valid_call_in,
)
from tests.factories import (
    AgendaItemFactory,
    ExecutiveDecisionFactory,
    ExecutiveFactory,
    MeetingFactory,
    PersonFactory,
    UserFactory,
    sign_in,
)
from tests.matrix import EDITORS, EVERYONE, expect

pytestmark = pytest.mark.django_db


def open_decision(**kwargs) -> ExecutiveDecision:
    """A decision published now: its window is open."""
    return ExecutiveDecisionFactory(publish=True, **kwargs)


def councillor_client(board=None) -> tuple[Client, object]:
    user = UserFactory(roles=[Role.COUNCILLOR])
    person = PersonFactory(user=user)
    if board is not None:
        seat(board, person=person)
    return sign_in(Client(), user), person


# Calling a decision in -------------------------------------------------------------------------


def test_a_councillor_calls_a_decision_in_with_co_signatories(board):
    decision = open_decision()
    client, person = councillor_client(board)
    other = seat(board)
    page = client.get(reverse("decisions:call-in-request", args=[decision.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "any 2 members of the scrutiny board" in content
    assert "The window closes" in content
    assert person.display_name not in content.split("Councillors signing with you")[1]

    response = client.post(
        reverse("decisions:call-in-request", args=[decision.pk]),
        {"board": board.pk, "reasons": "Consultation ignored.", "signatories": [other.pk]},
    )
    call_in = CallIn.objects.get()
    assert response.status_code == 302
    assert response.url == call_in.get_absolute_url()
    assert set(call_in.signatories.all()) == {person, other}
    assert call_in.requested_by.person == person
    assert call_in.board == board


def test_a_councillor_alone_may_call_in_and_the_officer_checks_eligibility(board):
    decision = open_decision()
    client, person = councillor_client()
    response = client.post(
        reverse("decisions:call-in-request", args=[decision.pk]),
        {"board": board.pk, "reasons": "Consultation ignored."},
    )
    assert response.status_code == 302
    assert list(CallIn.objects.get().signatories.all()) == [person]


def test_the_relevant_scrutiny_board_is_chosen_from_the_forward_plan_notice(board):
    from tests.factories import ForwardPlanEntryFactory

    notice = ForwardPlanEntryFactory(scrutiny_board=board)
    decision = open_decision(notice=notice)
    client, _person = councillor_client()
    page = client.get(reverse("decisions:call-in-request", args=[decision.pk]))
    assert f'<option value="{board.pk}" selected>' in page.content.decode()


def test_a_request_without_reasons_is_shown_again_with_the_error_summary(board):
    decision = open_decision()
    client, _person = councillor_client(board)
    response = client.post(
        reverse("decisions:call-in-request", args=[decision.pk]), {"board": board.pk}
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter the reasons for calling the decision in" in content
    assert not CallIn.objects.exists()


def test_after_the_window_closes_the_page_says_when_and_offers_no_form(board):
    decision = published_decision()  # its window closed on 9 November 2026
    client, _person = councillor_client(board)
    page = client.get(reverse("decisions:call-in-request", args=[decision.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "The call-in window closed at 5.00 pm on Monday, 9 November 2026." in content
    assert "Call in the decision</button>" not in content
    response = client.post(
        reverse("decisions:call-in-request", args=[decision.pk]),
        {"board": board.pk, "reasons": "Too late."},
    )
    assert response.status_code == 422
    assert "The call-in window closed at 5.00 pm" in response.content.decode()
    assert not CallIn.objects.exists()


def test_a_decision_not_subject_to_call_in_says_why(board):
    decision = open_decision(
        exclusion=ExecutiveDecision.Exclusion.CONSTITUTION, exclusion_reason="Budget setting."
    )
    client, _person = councillor_client(board)
    content = client.get(reverse("decisions:call-in-request", args=[decision.pk])).content
    assert b"not subject to call-in: excluded by the constitution. Budget setting." in content


def test_an_officer_records_a_call_in_received_on_paper(board, officer):
    decision = published_decision()
    signatories = [seat(board), seat(board)]
    client = sign_in(Client(), officer)
    response = client.post(
        reverse("decisions:call-in-request", args=[decision.pk]),
        {
            "board": board.pk,
            "signatories": [person.pk for person in signatories],
            "reasons": "Received by e-mail.",
            "received_on_day": "9",
            "received_on_month": "11",
            "received_on_year": "2026",
            "received_time": "16:59",
        },
    )
    assert response.status_code == 302
    call_in = CallIn.objects.get()
    assert call_in.requested_at == at(2026, 11, 9, 16, 59)
    assert set(call_in.signatories.all()) == set(signatories)
    assert call_in.requested_by == officer


def test_a_paper_call_in_received_after_the_window_is_refused_on_its_date(board, officer):
    decision = published_decision()
    client = sign_in(Client(), officer)
    response = client.post(
        reverse("decisions:call-in-request", args=[decision.pk]),
        {
            "board": board.pk,
            "signatories": [seat(board).pk],
            "reasons": "Received by e-mail.",
            "received_on_day": "9",
            "received_on_month": "11",
            "received_on_year": "2026",
            "received_time": "17:01",
        },
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert 'href="#id_received_on_day">The call-in window closed at 5.00 pm' in content


def test_an_officer_records_call_ins_only_for_the_boards_they_support(board, officer):
    from tests.factories import BoardFactory

    other = BoardFactory()
    client = sign_in(Client(), officer)
    response = client.post(
        reverse("decisions:call-in-request", args=[published_decision().pk]),
        {
            "board": other.pk,
            "signatories": [seat(other).pk],
            "reasons": "x",
            "received_on_day": "4",
            "received_on_month": "11",
            "received_on_year": "2026",
            "received_time": "12:00",
        },
    )
    assert response.status_code == 422
    assert not CallIn.objects.exists()


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("public", 302),
        ("councillor", 200),
        ("other councillor", 200),
        ("officer", 200),
        ("other officer", 200),
        ("clerk", 200),
        ("administrator", 200),
    ],
)
def test_who_may_open_the_call_in_request_page(audiences, who, code):
    decision = open_decision()
    response = audiences[who].get(reverse("decisions:call-in-request", args=[decision.pk]))
    assert response.status_code == code


def test_a_councillor_role_without_a_councillors_person_may_not_call_in():
    decision = open_decision()
    for user in [UserFactory(roles=[Role.COUNCILLOR]), UserFactory()]:
        client = sign_in(Client(), user)
        assert (
            client.get(reverse("decisions:call-in-request", args=[decision.pk])).status_code == 403
        )
    officer_person = UserFactory(roles=[Role.COUNCILLOR])
    PersonFactory(officer=True, user=officer_person)
    client = sign_in(Client(), officer_person)
    assert client.get(reverse("decisions:call-in-request", args=[decision.pk])).status_code == 403


def test_a_draft_decision_cannot_be_called_in(board):
    client, _person = councillor_client(board)
    draft = ExecutiveDecisionFactory()
    assert client.get(reverse("decisions:call-in-request", args=[draft.pk])).status_code == 404


# The public pages ------------------------------------------------------------------------------


def test_the_list_shows_current_and_past_call_ins():
    current = valid_call_in()
    past = request()
    from decisions import services

    services.call_in_withdraw(call_in=past, by=UserFactory(), reason="Satisfied.")
    content = Client().get(reverse("decisions:call-in-list")).content.decode()
    current_part, past_part = content.split("Past call-ins</h2>")
    assert current.decision.title in current_part
    assert past.decision.title in past_part
    assert "Called in: to be considered by 19 November 2026" in current_part
    assert "Withdrawn" in past_part


def test_the_call_in_page_shows_every_step_dated_and_the_agenda_item():
    call_in = referred()
    content = Client().get(call_in.get_absolute_url()).content.decode()
    # Called in, the window's close decides nothing more: it is left out.
    assert "Call-in window closes" not in content
    for step in [
        "Decision published",
        "Call-in requested",
        "Call-in found valid",
        f"Considered by {call_in.board}",
        "Referred back to the decision maker with recommendations",
    ]:
        assert step in content
    assert "Thursday, 5 November 2026</strong>: Call-in found valid" in content
    item = call_in.agenda_item
    assert f'{item.meeting.get_absolute_url()}#item-{item.number}"' in content
    assert "The consultation responses were not considered." in content
    assert "The board recommends that the consultation is considered." in content
    for person in call_in.signatories.all():
        assert html.escape(person.display_name) in content  # Faker gives O'Brien too


def test_the_call_in_item_on_the_agenda_leads_to_the_call_in(clerk):
    call_in = referred()
    client = sign_in(Client(), clerk)
    meeting_page = client.get(call_in.agenda_item.meeting.get_absolute_url()).content.decode()
    link = reverse("decisions:call-in-of-item", args=[call_in.agenda_item.pk])

    assert f'href="{link}"' in meeting_page
    assert client.get(link).url == call_in.get_absolute_url()
    other = AgendaItemFactory(meeting=call_in.agenda_item.meeting, number=99)
    assert client.get(reverse("decisions:call-in-of-item", args=[other.pk])).status_code == 404


def test_a_late_meeting_is_flagged_with_its_reason_on_the_call_in_page():
    from decisions import services

    call_in = valid_call_in()
    meeting = MeetingFactory(board=call_in.board, starts_at=at(2026, 11, 24))
    services.call_in_schedule(call_in=call_in, meeting=meeting, by=None, late_reason="Purdah.")
    content = Client().get(call_in.get_absolute_url()).content.decode()
    assert "After the time limit." in content
    assert "The reason: Purdah." in content


def exempt_call_in() -> CallIn:
    decision = published_decision(
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Commercial.",
        decision=f"To pay {CANARY}.",
    )
    call_in = request(decision=decision)
    CallIn.objects.filter(pk=call_in.pk).update(reasons=f"The price {CANARY} is too high.")
    return call_in


def test_an_exempt_decisions_call_in_shows_the_public_only_its_title_and_paragraph():
    call_in = exempt_call_in()
    for url in [call_in.get_absolute_url(), reverse("decisions:call-in-list")]:
        content = Client().get(url).content.decode()
        assert call_in.decision.title in content
        assert CANARY not in content
    detail = Client().get(call_in.get_absolute_url()).content.decode()
    assert "paragraph 3 of Part 1 of Schedule 12A" in detail
    for person in call_in.signatories.all():
        assert person.display_name not in detail


def test_an_exempt_decisions_call_in_is_read_by_the_boards_members_and_clerks(clerk):
    call_in = exempt_call_in()
    member = UserFactory(roles=[Role.COUNCILLOR])
    seat(call_in.board, person=PersonFactory(user=member))
    executive_member = UserFactory(roles=[Role.COUNCILLOR])
    seat(call_in.decision.maker_body, person=PersonFactory(user=executive_member))
    outsider = UserFactory(roles=[Role.COUNCILLOR])
    seat(ExecutiveFactory(kind="scrutiny"), person=PersonFactory(user=outsider))
    for user, reads in [(member, True), (executive_member, True), (clerk, True), (outsider, False)]:
        content = sign_in(Client(), user).get(call_in.get_absolute_url()).content.decode()
        assert (CANARY in content) is reads, user


def test_the_list_and_a_call_in_page_run_a_fixed_number_of_queries(
    board, officer, django_assert_max_num_queries
):
    call_ins = [referred(board=board) for _ in range(4)]
    for client, budget in [(Client(), 0), (sign_in(Client(), officer), 8)]:
        with django_assert_max_num_queries(6 + budget):
            client.get(reverse("decisions:call-in-list"))
        with django_assert_max_num_queries(8 + budget):
            client.get(call_ins[0].get_absolute_url())


def test_the_list_runs_as_many_queries_for_one_call_in_as_for_many():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            Client().get(reverse("decisions:call-in-list"))
        return len(queries)

    referred()
    one = count()
    for _ in range(3):
        referred()
        request()
    assert count() == one


# The officer's steps ---------------------------------------------------------------------------


STEP_URLS = ["check", "schedule", "outcome", "council", "conclude"]


@pytest.mark.parametrize("step", STEP_URLS)
@pytest.mark.parametrize("who", EVERYONE)
def test_permission_matrix_of_the_officers_steps(board, audiences, step, who):
    call_in = request(board=board)
    response = audiences[who].get(reverse(f"decisions:call-in-{step}", args=[call_in.pk]))
    assert response.status_code == expect(EDITORS)[who]
    if who == "public":
        assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("step", STEP_URLS)
def test_the_executives_officer_records_only_the_decision_makers_steps(board, client_for, step):
    call_in = request(board=board)
    executives_officer = UserFactory(roles=[Role.OFFICER])
    executive = call_in.decision.maker_body
    executive.support_officer = PersonFactory(officer=True, user=executives_officer)
    executive.save()

    response = client_for(executives_officer).get(
        reverse(f"decisions:call-in-{step}", args=[call_in.pk])
    )

    assert response.status_code == (200 if step in {"council", "conclude"} else 403)


@pytest.mark.parametrize("step", STEP_URLS)
@pytest.mark.parametrize("who", EVERYONE)
def test_only_editors_may_post_a_step(board, audiences, step, who):
    call_in = request(board=board)
    response = audiences[who].post(reverse(f"decisions:call-in-{step}", args=[call_in.pk]), {})
    expected = expect(EDITORS, public=302)[who]
    assert response.status_code == (422 if expected == 200 else expected)
    call_in.refresh_from_db()
    assert call_in.checked_on is None


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("public", 302),
        ("councillor", 200),  # a signatory
        ("other councillor", 403),
        ("officer", 200),
        ("other officer", 403),
        ("clerk", 200),
        ("administrator", 200),
    ],
)
def test_permission_matrix_of_withdrawing(board, councillor, audiences, who, code):
    call_in = request(board=board, signatories=[councillor.person, seat(board)])
    response = audiences[who].get(reverse("decisions:call-in-withdraw", args=[call_in.pk]))
    assert response.status_code == code


def test_a_signatory_withdraws_the_call_in(board, councillor, client_for):
    call_in = request(board=board, signatories=[councillor.person, seat(board)])
    response = client_for(councillor).post(
        reverse("decisions:call-in-withdraw", args=[call_in.pk]), {"reason": "Satisfied."}
    )
    assert response.status_code == 302
    call_in.refresh_from_db()
    assert call_in.withdrawn_by == councillor
    assert call_in.withdrawal_reason == "Satisfied."


def test_the_check_page_shows_the_automatic_checks(board, editor):
    call_in = request(board=board)
    content = editor.get(reverse("decisions:call-in-check", args=[call_in.pk])).content.decode()
    for label in ["In time", "Not excluded", "Not already called in", "Eligible signatories"]:
        assert f'<th scope="row">{label}</th>' in content
    assert "Eligible: 2 members of the scrutiny board." in content


def check_post(valid="valid", on=CHECKED_ON, reasons="All checks passed.") -> dict:
    return {
        "valid": valid,
        "reasons": reasons,
        "on_day": str(on.day),
        "on_month": str(on.month),
        "on_year": str(on.year),
    }


def test_the_officer_finds_a_call_in_valid_and_the_decision_is_suspended(board, editor):
    call_in = request(board=board)
    response = editor.post(reverse("decisions:call-in-check", args=[call_in.pk]), check_post())
    assert response.status_code == 302
    assert response.url == call_in.get_absolute_url()
    call_in.refresh_from_db()
    assert call_in.valid is True
    page = editor.get(call_in.get_absolute_url()).content.decode()
    assert "Called in: suspended until the scrutiny board has considered it" in page
    assert reverse("decisions:call-in-schedule", args=[call_in.pk]) in page


def test_valid_is_refused_on_the_page_while_a_check_fails(board, editor):
    from tests.decisions.call_in_helpers import executive_member

    call_in = request(board=board, signatories=[executive_member()])
    response = editor.post(reverse("decisions:call-in-check", args=[call_in.pk]), check_post())
    assert response.status_code == 422
    content = response.content.decode()
    assert "There is a problem" in content
    assert "cannot be found valid while a check fails: Eligible signatories" in content


def test_the_schedule_page_shows_the_deadline_and_coming_meetings(board, editor):
    call_in = valid_call_in(board=board)
    coming = MeetingFactory(board=board)
    past = MeetingFactory(board=board, starts_at=MEETING)
    page = editor.get(reverse("decisions:call-in-schedule", args=[call_in.pk])).content.decode()
    assert "Thursday, 19 November 2026" in page
    assert f'value="{coming.pk}"' in page
    assert f'value="{past.pk}"' not in page  # only meetings to come are offered
    response = editor.post(
        reverse("decisions:call-in-schedule", args=[call_in.pk]), {"meeting": coming.pk}
    )
    assert response.status_code == 422  # a month away: after the limit, with no reason
    assert "give the reason" in response.content.decode()
    response = editor.post(
        reverse("decisions:call-in-schedule", args=[call_in.pk]),
        {"meeting": coming.pk, "late_reason": "The first meeting the chair can attend."},
    )
    assert response.status_code == 302
    call_in.refresh_from_db()
    assert call_in.agenda_item.meeting == coming
    assert call_in.agenda_item.kind == AgendaItem.Kind.CALL_IN


def test_the_outcome_conclusion_and_reconsidered_decision_through_the_pages(board, editor):
    call_in = scheduled_call_in(board=board)
    day = MEETING.date()
    response = editor.post(
        reverse("decisions:call-in-outcome", args=[call_in.pk]),
        {
            "outcome": "refer_back",
            "reasons": "Consider the consultation.",
            "on_day": day.day,
            "on_month": day.month,
            "on_year": day.year,
        },
    )
    assert response.status_code == 302
    page = editor.get(call_in.get_absolute_url()).content.decode()
    assert reverse("decisions:call-in-conclude", args=[call_in.pk]) in page
    response = editor.post(
        reverse("decisions:call-in-conclude", args=[call_in.pk]),
        {
            "final": "amended",
            "reasons": "Amended as the board recommended.",
            "decision_text": "To award a two-year contract.",
            "on_day": "20",
            "on_month": "11",
            "on_year": "2026",
        },
    )
    assert response.status_code == 302
    new = ExecutiveDecision.objects.get(reconsiders=call_in.decision)
    page = Client().get(call_in.get_absolute_url()).content.decode()
    assert "Final decision: Amended" in page
    assert "The reconsidered decision" in page
    assert new.exclusion == ExecutiveDecision.Exclusion.CALLED_IN_BEFORE


def test_a_refusal_out_of_turn_is_shown_with_the_error_summary(board, editor):
    call_in = valid_call_in(board=board)
    response = editor.post(
        reverse("decisions:call-in-outcome", args=[call_in.pk]),
        {"outcome": "release", "on_day": "16", "on_month": "11", "on_year": "2026"},
    )
    assert response.status_code == 422
    assert "schedule it first" in response.content.decode()


def test_the_council_outcome_page_records_full_councils_outcome(board, editor):
    call_in = referred(CallIn.Outcome.REFER_TO_COUNCIL, board=board)
    response = editor.post(
        reverse("decisions:call-in-council", args=[call_in.pk]),
        {"outcome": "no_objection", "on_day": "25", "on_month": "11", "on_year": "2026"},
    )
    assert response.status_code == 302
    call_in.refresh_from_db()
    assert call_in.council_outcome == CallIn.CouncilOutcome.NO_OBJECTION


# The decision page's panel ---------------------------------------------------------------------


def panel(decision, user=None) -> str:
    """The panel as the decision page includes it (with the context it passes, and the
    request and permissions every page's context has)."""
    request_ = RequestFactory().get("/")
    request_.user = user or AnonymousUser()
    call_ins = list(decision.call_ins.all())
    template = get_template("decisions/includes/call_in_panel.html")
    context = {
        "decision": decision,
        "standing": status.standing(decision, call_ins, now=timezone.now()),
        "call_ins": call_ins,
        "rules": CallInRules.load(),
        "can_edit": False,
        "request": request_,
        "perms": PermWrapper(request_.user),
    }
    return template.template.render(Context(context))


def test_the_panel_offers_a_councillor_the_button_while_the_window_is_open(board, councillor):
    decision = open_decision()
    url = reverse("decisions:call-in-request", args=[decision.pk])
    assert f'href="{url}">Call in this decision' in panel(decision, councillor)
    public = panel(decision)
    assert "Call in this decision" not in public
    assert "Councillors may call it in until" in public


def test_the_panel_offers_staff_a_paper_record(clerk):
    decision = open_decision()
    assert "Record a call-in received on paper" in panel(decision, clerk)
    assert "Record a call-in received on paper" not in panel(decision)


def test_the_panel_says_when_the_window_closed(councillor):
    content = panel(published_decision(), councillor)
    assert "The call-in window closed at 5.00 pm on Monday, 9 November 2026." in content
    assert "Call in this decision" not in content


def test_the_panel_says_why_a_decision_cannot_be_called_in(councillor):
    decision = open_decision(
        exclusion=ExecutiveDecision.Exclusion.URGENCY,
        exclusion_reason="Contract expires on Friday.",
        urgency_consent_by=PersonFactory(),
        urgency_consent_on=timezone.localdate(),
    )
    content = panel(decision, councillor)
    assert (
        "This decision cannot be called in: urgent: the chair of scrutiny consented. "
        "Contract expires on Friday." in content
    )
    assert "Call in this decision" not in content


def test_the_panel_lists_the_call_ins_and_says_a_decision_is_called_in_once(councillor):
    call_in = valid_call_in()
    content = panel(call_in.decision, councillor)
    assert f'href="{call_in.get_absolute_url()}"' in content
    assert "a decision can be called in only once" in content
    assert "Call in this decision" not in content


def test_the_panel_says_a_request_is_being_checked(board, councillor):
    decision = open_decision()
    request(decision=decision, board=board, at_=timezone.now())
    content = panel(decision, councillor)
    assert "A request to call it in is being checked." in content
    assert "Call in this decision" not in content


def test_a_meeting_date_shows_in_the_timeline_with_its_time():
    call_in = scheduled_call_in(starts_at=at(2026, 11, 16, 14, 30))
    content = Client().get(call_in.get_absolute_url()).content.decode()
    assert "Monday, 16 November 2026 at 2.30 pm</strong>: Considered by" in content


def test_a_request_checked_the_day_it_came_is_shown_before_its_check():
    from decisions import services

    call_in = request(at_=at(2026, 11, 5, 9))
    services.call_in_check(call_in=call_in, valid=True, reasons="Valid.", on=CHECKED_ON, by=None)
    meeting = MeetingFactory(board=call_in.board, starts_at=MEETING)
    services.call_in_schedule(call_in=call_in, meeting=meeting, by=None)
    services.call_in_outcome(
        call_in=call_in, outcome="release", on=MEETING.date(), reasons="", by=None
    )
    content = Client().get(call_in.get_absolute_url()).content.decode()
    order = [
        "Decision published",
        "Call-in requested",
        "Call-in found valid",
        "Considered by",
        "Released by the board for implementation",
    ]
    positions = [content.index(f"</strong>: {title}") for title in order]
    assert positions == sorted(positions)
