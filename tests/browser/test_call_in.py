"""Call-in in a real browser, as each role: a clerk publishes a cabinet decision from its
meeting's minutes; the chair of a scrutiny board calls it in; the officer supporting the board
finds the call-in valid, puts it on the board's agenda and, after the meeting, records that the
board referred it back; the clerk records the reconsidered decision; and the public read every
step, dated, in order. Every page passes axe; the decision and call-in pages fit a phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards import formatting
from boards import services as board_services
from boards.models import AgendaItem, Board, Membership
from boards.roles import Role
from decisions.models import CallIn, ExecutiveDecision
from minutes import services as minutes_services
from tests.factories import (
    BoardFactory,
    ExecutiveDecisionFactory,
    ForwardPlanEntryFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WardFactory,
)

TITLE = "ICT supplier contract"
PHONE = 390
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _h1(page):
    return page.get_by_role("heading", level=1)


def _fits_a_phone(page, assert_accessible) -> None:
    """axe and no sideways scrolling at a phone's width; back to the desktop."""
    page.set_viewport_size({"width": PHONE, "height": 900})
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways at {PHONE} px"
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 720})


def _sign_in_as(page, sign_in, user) -> None:
    page.context.clear_cookies()
    sign_in(user)


@pytest.fixture
def council():
    """The executive's meeting an hour ago, its minute recorded as a decision; a scrutiny board
    with its chair (who signs in as a councillor), another member and its officer; the board's
    meeting later today; a clerk."""
    now = timezone.now()
    cabinet = BoardFactory(name="Executive Board", slug="executive", kind=Board.Kind.EXECUTIVE)
    meeting = board_services.meeting_create(
        board=cabinet, starts_at=now - datetime.timedelta(hours=1), venue=None
    )
    item = board_services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title=TITLE, purpose="A report.")
    )
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)
    minutes_services.resolution_add(minute=minute, text="That the contract be awarded to X.")
    minutes_services.decision_record(
        minute=minute,
        reasons="The contract ends in March.",
        alternatives="To extend the contract: poor value.",
    )

    scrutiny = BoardFactory(
        name="Scrutiny Board (Resources)", slug="resources", kind=Board.Kind.SCRUTINY
    )
    officer_user = UserFactory(username="officer", roles=[Role.OFFICER])
    scrutiny.support_officer = PersonFactory(
        officer=True, given_name="Sam", family_name="Adviser", user=officer_user
    )
    scrutiny.save()
    councillor_user = UserFactory(username="councillor", roles=[Role.COUNCILLOR])
    chair = PersonFactory(
        given_name="Alex",
        family_name="Chair",
        ward=WardFactory(name="Headingley"),
        user=councillor_user,
    )
    member = PersonFactory(given_name="Bo", family_name="Member", ward=WardFactory(name="Otley"))
    seated = timezone.localdate() - datetime.timedelta(days=90)
    MembershipFactory(board=scrutiny, person=chair, role=Membership.Role.CHAIR, starts_on=seated)
    MembershipFactory(board=scrutiny, person=member, starts_on=seated)
    # Later today: still to come when the officer puts the call-in on its agenda.
    board_meeting = board_services.meeting_create(
        board=scrutiny, starts_at=now + datetime.timedelta(hours=2), venue=None
    )
    return {
        "cabinet_meeting": meeting,
        "scrutiny": scrutiny,
        "board_meeting": board_meeting,
        "clerk": UserFactory(username="clerk", roles=[Role.CLERK]),
        "officer": officer_user,
        "councillor": councillor_user,
        "member": member,
    }


def _clerk_publishes_the_decision(page, assert_accessible, council) -> ExecutiveDecision:
    page.goto(council["cabinet_meeting"].get_absolute_url())
    page.get_by_role("link", name="Record the decisions of this meeting").click()
    expect(_h1(page)).to_have_text("Record the decisions of this meeting")
    assert_accessible(page)
    page.get_by_role("button", name="Make 1 draft decision").click()
    page.get_by_role("link", name=re.compile(f"^Draft\\W+{TITLE}$")).click()
    expect(_h1(page)).to_contain_text(TITLE)
    expect(page.locator(".decision-standing")).to_contain_text("Not yet published")
    assert_accessible(page)

    page.get_by_role("link", name="Publish", exact=True).click()
    expect(_h1(page)).to_have_text("Publish the decision")
    expect(page.locator("main")).to_contain_text("it may be called in until")
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    decision = ExecutiveDecision.objects.get()
    closes = decision.call_in_closes_at
    headline = f"Open to call-in until {formatting.clock(closes)} on {formatting.long_date(closes)}"
    expect(page.locator(".decision-standing")).to_contain_text(headline)
    expect(page.get_by_role("status")).to_contain_text("Decision published.")
    return decision


def _councillor_calls_it_in(page, assert_accessible, decision) -> CallIn:
    page.goto("/decisions/")
    expect(_h1(page)).to_have_text("Executive decisions")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Call in this decision").click()
    expect(_h1(page)).to_contain_text("Call in this decision")
    assert_accessible(page)

    page.get_by_label("Scrutiny board to consider it").select_option(
        label="Scrutiny Board (Resources)"
    )
    page.get_by_label("Reasons for calling the decision in").fill(
        "The consultation responses were not considered."
    )
    page.get_by_label("Bo Member (Otley)").check()
    page.get_by_role("button", name="Call in the decision").click()
    expect(_h1(page)).to_contain_text(f"Call-in {TITLE}")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Call-in requested")
    expect(page.locator("main")).to_contain_text("Being checked")
    assert_accessible(page)

    page.get_by_role("link", name=TITLE).first.click()
    expect(page.locator(".decision-standing")).to_contain_text("may not be implemented")
    return CallIn.objects.get()


def _officer_checks_and_schedules(page, assert_accessible, council, call_in) -> None:
    page.goto(call_in.get_absolute_url())
    page.get_by_role("link", name="Check the call-in").click()
    expect(_h1(page)).to_contain_text("Check the call-in")
    checks = page.get_by_role("table", name="What the app checked")
    expect(checks.get_by_text("Passed")).to_have_count(4)
    expect(checks).not_to_contain_text("Failed")
    assert_accessible(page)
    page.get_by_label("Valid: the decision is called in").check()
    page.get_by_label("Reasons for the finding").fill(
        "Made in time by the chair of the board; the decision is not excluded."
    )
    page.get_by_role("button", name="Record the finding").click()
    expect(page.locator("ol.timeline")).to_contain_text("Call-in found valid")

    page.get_by_role("link", name="Put the call-in on the board's agenda").click()
    expect(_h1(page)).to_contain_text("Put the call-in on the board's agenda")
    assert_accessible(page)
    meeting = council["board_meeting"]
    page.get_by_label("Meeting of the board").select_option(str(meeting.pk))
    page.get_by_role("button", name="Add it to the agenda").click()
    expect(page.locator("ol.timeline")).to_contain_text(
        f"To be considered by {council['scrutiny']}"
    )
    page.get_by_role("link", name=f"{council['scrutiny'].name}, ").click()
    expect(_h1(page)).to_contain_text(council["scrutiny"].name)
    expect(page.locator("main")).to_contain_text(f"Call-in: {TITLE}")
    assert_accessible(page)


def _board_meets(council) -> None:
    """The clerk publishes the agenda, and the meeting is brought forward to now (so that it
    has been held, after the call-in was found valid, whatever the time of day)."""
    meeting = council["board_meeting"]
    meeting.refresh_from_db()
    board_services.agenda_publish(
        meeting=meeting, by=council["clerk"], late_reason="The call-in came in this week."
    )
    meeting.refresh_from_db()
    board_services.meeting_move(
        meeting=meeting,
        starts_at=timezone.now(),
        reason="Brought forward to consider the call-in.",
    )


def _officer_records_the_outcome(page, assert_accessible, call_in) -> None:
    page.goto(call_in.get_absolute_url())
    page.get_by_role("link", name="Record the board's outcome").click()
    expect(_h1(page)).to_contain_text("Record the board's outcome")
    assert_accessible(page)
    page.get_by_label("Refer it back to the decision maker with recommendations").check()
    page.get_by_label("The board's reasons and recommendations").fill(
        "That the decision maker considers the consultation responses."
    )
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("main")).to_contain_text("Referred back to the decision maker")


def _clerk_concludes(page, assert_accessible, call_in) -> ExecutiveDecision:
    page.goto(call_in.get_absolute_url())
    page.get_by_role("link", name="Record the final decision").click()
    expect(_h1(page)).to_contain_text("Record the final decision")
    assert_accessible(page)
    page.get_by_label("Amended", exact=True).check()
    page.get_by_label("Reasons for the final decision").fill(
        "The consultation responses ask for a shorter contract."
    )
    page.get_by_label("The decision as amended (only if amended)").fill(
        "That the contract be awarded to X for two years."
    )
    page.get_by_role("button", name="Record the final decision").click()
    expect(page.locator("main")).to_contain_text("Final decision: amended")
    reconsidered = ExecutiveDecision.objects.get(reconsiders__isnull=False)
    page.get_by_role("link", name=TITLE).last.click()
    expect(page).to_have_url(f"/decisions/{reconsidered.pk}/")
    standing = page.locator(".decision-standing")
    expect(standing).to_contain_text("Not subject to call-in")
    return reconsidered


def _public_reads_it(page, assert_accessible, decision, call_in, reconsidered) -> None:
    page.goto("/decisions/")
    page.get_by_role("link", name="call-ins").click()
    expect(_h1(page)).to_have_text("Call-ins of executive decisions")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).first.click()
    expect(page).to_have_url(call_in.get_absolute_url())
    assert_accessible(page)
    titles = [
        "Decision made",
        "Decision published",
        "Call-in requested",
        "Call-in found valid",
        f"Considered by {call_in.board}",
        "Referred back to the decision maker with recommendations",
        "Final decision: Amended",
    ]
    steps = page.locator("ol.timeline > li")
    texts = steps.all_inner_texts()
    positions = [next(i for i, text in enumerate(texts) if title in text) for title in titles]
    assert positions == sorted(positions), texts
    for text in texts:  # every step dated ("Monday, 30 November 2026[ at 4.19 pm]: …")
        assert re.match(r"\w+day, \d{1,2} \w+ \d{4}( at [\d.]+ [ap]m)?: ", text), text
    today = formatting.long_date(timezone.localdate())
    for position in positions[2:]:  # the call-in's steps, all taken today
        assert texts[position].startswith(today), texts[position]
    main = page.locator("main")
    for control in ("Check the call-in", "Record", "Withdraw"):
        expect(main.get_by_role("link", name=control)).to_have_count(0)
    _fits_a_phone(page, assert_accessible)

    # The board's meeting, its agenda published: the call-in is an item on it.
    page.get_by_role("link", name=re.compile(r"item \d+$")).click()
    expect(_h1(page)).to_contain_text(call_in.board.name)
    expect(page.locator("main")).to_contain_text(f"Call-in: {TITLE}")
    page.go_back()

    page.goto(decision.get_absolute_url())
    standing = page.locator(".decision-standing")
    expect(standing).to_contain_text("Call-in concluded: amended")
    expect(standing).to_contain_text("The decision as amended after call-in may be implemented")
    expect(main).to_contain_text("Called in on")
    expect(main).not_to_contain_text("Subject to call-in until")
    reconsidered_link = main.locator(f'a[href="{reconsidered.get_absolute_url()}"]')
    expect(reconsidered_link.first).to_be_visible()
    for control in ("Correct the record", "Publish", "Withdraw", "Call in this decision"):
        expect(main.get_by_role("link", name=control)).to_have_count(0)
    assert_accessible(page)
    _fits_a_phone(page, assert_accessible)

    reconsidered_link.first.click()
    expect(page.locator(".decision-standing")).to_contain_text("Not subject to call-in")
    expect(page.locator("main")).to_contain_text("That the contract be awarded to X for two years.")
    assert_accessible(page)


def test_a_cabinet_decision_called_in_referred_back_and_reconsidered(
    page, sign_in, assert_accessible, council
):
    _sign_in_as(page, sign_in, council["clerk"])
    decision = _clerk_publishes_the_decision(page, assert_accessible, council)

    _sign_in_as(page, sign_in, council["councillor"])
    call_in = _councillor_calls_it_in(page, assert_accessible, decision)

    _sign_in_as(page, sign_in, council["officer"])
    _officer_checks_and_schedules(page, assert_accessible, council, call_in)
    _board_meets(council)
    _officer_records_the_outcome(page, assert_accessible, call_in)

    _sign_in_as(page, sign_in, council["clerk"])
    reconsidered = _clerk_concludes(page, assert_accessible, call_in)

    page.context.clear_cookies()
    _public_reads_it(page, assert_accessible, decision, call_in, reconsidered)
    assert page.console_errors == []


def test_the_public_read_the_forward_plan_and_a_notice(page, assert_accessible):
    entry = ForwardPlanEntryFactory(
        title="The future of the leisure centres", reference="FP/2026/001"
    )
    page.goto("/decisions/")
    page.get_by_role("link", name="forward plan").click()
    expect(_h1(page)).to_have_text("Forward plan of key decisions")
    assert_accessible(page)
    page.get_by_role("link", name="The future of the leisure centres").click()
    expect(page).to_have_url(entry.get_absolute_url())
    expect(_h1(page)).to_contain_text("The future of the leisure centres")
    expect(page.locator("main")).not_to_contain_text("Manage this notice")
    assert_accessible(page)
    _fits_a_phone(page, assert_accessible)


def test_a_call_in_without_reasons_is_explained(page, sign_in, assert_accessible):
    decision = ExecutiveDecisionFactory(publish=True, title="Library opening hours")
    scrutiny = BoardFactory(name="Scrutiny Board (Communities)", kind=Board.Kind.SCRUTINY)
    user = UserFactory(roles=[Role.COUNCILLOR])
    chair = PersonFactory(user=user)
    MembershipFactory(board=scrutiny, person=chair, role=Membership.Role.CHAIR)
    sign_in(user)
    page.goto(f"/decisions/{decision.pk}/call-in/")
    page.get_by_label("Scrutiny board to consider it").select_option(label=scrutiny.name)
    page.get_by_role("button", name="Call in the decision").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(1)
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Reasons for calling the decision in")).to_be_focused()
    assert not CallIn.objects.exists()
