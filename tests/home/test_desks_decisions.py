"""Each role's desk, for executive decisions: a councillor's decisions open to call-in (with a
link to call them in) and the call-ins they signed; an officer's call-ins to check and to
arrange; a clerk's decisions not yet published, published late, or key decisions taken without
proper notice."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import CallIn, CallInRules
from tests.conftest import CANARY
from tests.decisions.exempt import EXEMPT_TITLE, executive_member, exempt_decision
from tests.factories import (
    CallInFactory,
    ExecutiveDecisionFactory,
    ForwardPlanEntryFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def text_of(response) -> str:
    assert response.status_code == 200
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def section(response, heading_id: str) -> str:
    page = response.content.decode()
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_a_councillor_sees_decisions_open_to_call_in_with_a_link_to_call_them_in(
    councillor, client_for
):
    decision = ExecutiveDecisionFactory(title="Library opening hours", publish=True)
    ExecutiveDecisionFactory(
        title="Urgent repairs",
        publish=True,
        exclusion="urgency",
        exclusion_reason="Safety.",
        urgency_consent_by=PersonFactory(),
        urgency_consent_on=timezone.localdate(),
    )
    ExecutiveDecisionFactory(title="Draft decision")
    exempt_decision()

    response = client_for(councillor).get(reverse("home:councillor-home"))

    panel = section(response, "call-in-heading")
    assert "Library opening hours" in panel
    assert reverse("decisions:call-in-request", args=[decision.pk]) in panel
    assert "open to call-in until 5.00 pm on" in panel
    assert EXEMPT_TITLE in panel  # listed by its title
    assert CANARY not in response.text
    assert "Urgent repairs" not in panel  # not subject to call-in
    assert "Draft decision" not in panel


def test_a_councillor_on_the_executive_is_not_offered_to_call_in_its_decisions(client_for):
    decision = ExecutiveDecisionFactory(title="Library opening hours", publish=True)
    member = executive_member(decision.maker_body)

    panel = section(client_for(member).get(reverse("home:councillor-home")), "call-in-heading")

    assert "You sit on the executive that made it." in panel
    assert reverse("decisions:call-in-request", args=[decision.pk]) not in panel


def test_a_councillor_sees_the_call_ins_they_signed_and_where_they_stand(councillor, client_for):
    call_in = CallInFactory(decision__title="Closure of Eastgate library")
    call_in.signatories.add(councillor.person)
    CallIn.objects.filter(pk=call_in.pk).update(checked_on=timezone.localdate(), valid=True)
    CallInFactory(decision__title="Someone else's call-in")

    panel = section(client_for(councillor).get(reverse("home:councillor-home")), "call-in-heading")

    signed = panel.split("Call-ins you signed", 1)[1]
    assert call_in.get_absolute_url() in signed
    assert "Found valid: to be considered by" in html.unescape(signed)
    assert "Someone else" not in signed
    # Another's request being checked: still open to call-in, and said so.
    assert "a call-in has been requested" in panel.split("Call-ins you signed", 1)[0]
    # Called in: no longer open to call-in.
    assert reverse("decisions:call-in-request", args=[call_in.decision_id]) not in panel


def test_an_officer_sees_the_call_ins_of_their_boards_to_check_and_to_arrange(
    board, officer, client_for
):
    to_check = CallInFactory(board=board, decision__title="Leisure centre fees")
    to_arrange = CallInFactory(board=board, decision__title="Library closures")
    CallIn.objects.filter(pk=to_arrange.pk).update(
        checked_on=timezone.localdate(), valid=True, meeting_due_on=timezone.localdate() - DAY
    )
    CallInFactory(decision__title="Another board's call-in")

    response = client_for(officer).get(reverse("home:officer-home"))

    panel = section(response, "call-ins-heading")
    assert "Check the call-in of Leisure centre fees" in panel
    assert to_check.get_absolute_url() in panel
    assert "Arrange the meeting on the call-in of Library closures" in panel
    assert "Overdue" in panel
    assert "Another board" not in panel


def test_a_clerk_sees_decisions_not_yet_published_published_late_or_without_notice(
    clerk, client_for
):
    today = timezone.localdate()
    ExecutiveDecisionFactory(title="Not yet published")
    ExecutiveDecisionFactory(title="Published late", decided_on=today - 10 * DAY, publish=True)
    ExecutiveDecisionFactory(title="Published at once", publish=True)
    ExecutiveDecisionFactory(title="Key without notice", key_decision=True, publish=True)
    notice = ForwardPlanEntryFactory(published_on=today - 40 * DAY)
    ExecutiveDecisionFactory(
        title="Key with notice",
        key_decision=True,
        notice=notice,
        maker_body=notice.decision_maker,
        publish=True,
    )
    short = ForwardPlanEntryFactory(published_on=today - 10 * DAY)
    ExecutiveDecisionFactory(
        title="Key with short notice", key_decision=True, notice=short, publish=True
    )

    text = text_of(client_for(clerk).get(reverse("home:clerk-home")))

    drafts = text.split("Decisions not yet published", 1)[1].split("Decisions published late")[0]
    assert "Not yet published" in drafts
    assert "Published at once" not in drafts
    late = text.split("Decisions published late", 1)[1].split("Key decisions without")[0]
    assert "Published late" in late
    assert "more than 2 working days after it was made" in late
    assert "Published at once" not in late
    unnoticed = text.split("Key decisions without proper notice", 1)[1]
    assert "Key without notice" in unnoticed
    assert "Taken without notice in the forward plan." in unnoticed
    assert "Key with short notice" in unnoticed
    assert "Only 9 clear days after notice in the forward plan; 28 are needed." in unnoticed
    assert "Key with notice " not in unnoticed


def test_the_clerks_desk_reads_the_councils_publication_rule(clerk, client_for):
    CallInRules.objects.create(publish_within_working_days=20)
    today = timezone.localdate()
    ExecutiveDecisionFactory(title="Published late", decided_on=today - 10 * DAY, publish=True)

    text = text_of(client_for(clerk).get(reverse("home:clerk-home")))

    assert "No decision of the last 90 days was published late." in text
