"""Decisions apart from minutes: where a body takes decisions (the executive, full council), a
minute is recorded as a decision beside it, with its reasons, the alternatives considered and
rejected, and whether it is a key decision; printed after the resolutions, page and PDF; kept
in the history; never for a scrutiny board, nor without what was resolved."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from boards.models import Board
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import Decision, Minute, MinutesRecord
from tests.factories import BoardFactory, UserFactory
from tests.minutes.test_actions import HTMX, D, meeting_on, minute_of, release, text_of
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db

REASONS = "The contract ends in March and the service must continue."
ALTERNATIVES = "To extend the contract for a year: rejected as poor value."


@pytest.fixture
def cabinet():
    return BoardFactory(name="Executive Board", kind=Board.Kind.EXECUTIVE)


@pytest.fixture
def resolved(cabinet):
    meeting = meeting_on(cabinet, D(2016, 2, 17))
    minute = minute_of(meeting, title="ICT supplier contract")
    minutes_services.resolution_add(minute=minute, text="That the contract be awarded to X.")
    return minute


def test_a_cabinet_minute_is_recorded_as_a_decision_and_printed_after_its_resolution(resolved):
    decision = minutes_services.decision_record(
        minute=resolved,
        reasons=f"  {REASONS}  ",
        alternatives=ALTERNATIVES,
        key_decision=True,
        by=UserFactory(),
    )

    assert (decision.reasons, decision.key_decision) == (REASONS, True)
    assert decision.history.count() == 1
    meeting = resolved.meeting
    release(meeting)
    page = text_of(Client().get(reverse("minutes:minutes-detail", args=[meeting.pk])).text)
    pdf = pdf_text(read_pdf(Client().get(reverse("minutes:minutes-pdf", args=[meeting.pk]))))
    for text in (page, pdf):
        at = 0
        for part in [
            "ICT supplier contract",
            "RESOLVED – That the contract be awarded to X.",
            "Decision (a key decision)",
            f"Reasons for the decision: {REASONS}",
            f"Alternative options considered and rejected: {ALTERNATIVES}",
        ]:
            found = text.find(part, at)
            assert found >= 0, (part, text)
            at = found + len(part)


def test_recording_it_again_changes_the_same_decision(resolved):
    minutes_services.decision_record(minute=resolved, reasons=REASONS)
    minutes_services.decision_record(minute=resolved, reasons="Better reasons.", key_decision=True)

    decision = Decision.objects.get()
    assert (decision.reasons, decision.key_decision, decision.alternatives) == (
        "Better reasons.",
        True,
        "",
    )
    assert decision.history.count() == 2


def test_only_a_body_that_decides_records_decisions_and_only_what_was_resolved(board, cabinet):
    scrutiny_minute = minute_of(meeting_on(board, D(2016, 2, 22)))
    minutes_services.resolution_add(minute=scrutiny_minute, text="That the report be noted.")
    unresolved = minute_of(meeting_on(cabinet, D(2016, 3, 16)))

    with pytest.raises(ValidationError, match="does not take decisions"):
        minutes_services.decision_record(minute=scrutiny_minute, reasons=REASONS)
    with pytest.raises(ValidationError, match="add the resolution first"):
        minutes_services.decision_record(minute=unresolved, reasons=REASONS)
    with pytest.raises(ValidationError):
        minutes_services.decision_record(minute=unresolved, reasons="   ")

    assert not Decision.objects.exists()


def test_the_last_resolution_of_a_decision_stays_until_the_decision_goes(resolved):
    decision = minutes_services.decision_record(minute=resolved, reasons=REASONS)
    resolution = resolved.resolutions.get()

    with pytest.raises(ValidationError, match="remove the decision first"):
        minutes_services.resolution_remove(resolution=resolution)
    minutes_services.decision_remove(decision=decision)
    minutes_services.resolution_remove(resolution=resolution)

    assert not resolved.resolutions.exists()


def test_a_decision_on_approved_minutes_is_a_correction_with_its_reason(cabinet, resolved):
    meeting = resolved.meeting
    later = meeting_on(cabinet, D(2016, 3, 16))
    minutes_services.attendance_all_present(meeting=meeting)
    minutes_services.minutes_approve(
        minutes=MinutesRecord.objects.get(meeting=meeting), at=later, by=UserFactory()
    )

    approved = Minute.objects.get(pk=resolved.pk)
    with pytest.raises(ValidationError):
        minutes_services.decision_record(minute=approved, reasons=REASONS)
    decision = minutes_services.decision_record(
        minute=approved, reasons=REASONS, reason="The decision was not recorded at the time."
    )

    assert decision.history.get().history_change_reason == (
        "Correction: The decision was not recorded at the time."
    )


def test_the_console_records_a_decision_for_the_executive_only(resolved, board, client_for):
    officer = UserFactory(roles=[Role.CLERK])  # clerks prepare every body's meetings
    client = client_for(officer)
    url = reverse("minutes:decision-save", args=[resolved.pk])
    prefix = f"decision-{resolved.pk}-"

    console = client.get(reverse("minutes:minutes-console", args=[resolved.meeting_id]))
    missing = client.post(url, {f"{prefix}alternatives": ALTERNATIVES}, headers=HTMX)
    saved = client.post(
        url, {f"{prefix}reasons": REASONS, f"{prefix}key_decision": "on"}, headers=HTMX
    )
    scrutiny = minute_of(meeting_on(board, D(2016, 2, 22)))
    minutes_services.resolution_add(minute=scrutiny, text="That the report be noted.")
    refused = client.post(
        reverse("minutes:decision-save", args=[scrutiny.pk]),
        {f"decision-{scrutiny.pk}-reasons": REASONS},
        headers=HTMX,
    )
    scrutiny_console = client.get(reverse("minutes:minutes-console", args=[scrutiny.meeting_id]))

    assert "Record as a decision" in console.text
    assert missing.status_code == 422
    assert "Give the reasons for the decision." in missing.text
    assert saved.status_code == 200
    assert "Decision (a key decision)" in text_of(saved.text)
    assert refused.status_code == 404
    assert "Record as a decision" not in scrutiny_console.text
    assert list(Decision.objects.values_list("minute_id", "key_decision")) == [(resolved.pk, True)]


def test_the_public_reads_no_decision_of_unreleased_minutes(resolved):
    minutes_services.decision_record(minute=resolved, reasons=REASONS)

    response = Client().get(reverse("minutes:minutes-detail", args=[resolved.meeting_id]))

    assert REASONS not in response.text
