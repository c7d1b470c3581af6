"""A clerk records a cabinet minute as a decision in the console; the minutes print it beside
the minute."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem, Board
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import Decision
from tests.browser.waits import htmx_settled
from tests.factories import BoardFactory, UserFactory


@pytest.fixture
def cabinet_minute():
    cabinet = BoardFactory(name="Executive Board", kind=Board.Kind.EXECUTIVE)
    meeting = services.meeting_create(
        board=cabinet, starts_at=timezone.now() - datetime.timedelta(hours=1), venue=None
    )
    item = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="ICT supplier contract", purpose="A report.")
    )
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)
    minutes_services.resolution_add(minute=minute, text="That the contract be awarded to X.")
    return minute


def test_a_clerk_records_a_cabinet_minute_as_a_decision(
    page, sign_in, assert_accessible, cabinet_minute
):
    sign_in(UserFactory(roles=[Role.CLERK]))
    page.goto(f"/meetings/{cabinet_minute.meeting_id}/console/")
    block = page.locator(f"#minute-item-{cabinet_minute.agenda_item_id}")
    block.get_by_text("Record as a decision").click()
    block.get_by_role("button", name="Save the decision").click()
    expect(block.get_by_text("Error: Give the reasons for the decision.")).to_be_visible()
    htmx_settled(page)

    block.get_by_label("Reasons for the decision").fill("The contract ends in March.")
    block.get_by_label("Alternative options considered and rejected").fill(
        "To extend the contract: poor value."
    )
    block.get_by_label("This is a key decision").check()
    block.get_by_role("button", name="Save the decision").click()
    expect(block.locator(".decision-record")).to_contain_text("Decision (a key decision)")
    htmx_settled(page)
    assert_accessible(page)
    assert Decision.objects.get().reasons == "The contract ends in March."

    page.goto(f"/meetings/{cabinet_minute.meeting_id}/minutes/")
    record = page.locator("main .decision-record")
    expect(record).to_contain_text("Reasons for the decision: The contract ends in March.")
    expect(record).to_contain_text(
        "Alternative options considered and rejected: To extend the contract: poor value."
    )
    assert_accessible(page)
