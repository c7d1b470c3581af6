"""Executive decisions in the OParl API, as Papers (paperType "Executive decision") with their
call-ins as Consultations (role "Call-in"): every object validates against OParl's schema and
the extension's schema of its scrutiny: properties; an exempt decision's text never reaches the
API; drafts are not there; a withdrawn decision is a deleted Paper."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import services
from boards.models import AgendaItem
from decisions.models import CallIn, ExecutiveDecision
from opendata import oparl
from tests.conftest import CANARY
from tests.decisions.exempt import EXEMPT_TITLE, executive_member, exempt_decision
from tests.factories import (
    BoardFactory,
    CallInFactory,
    ExecutiveDecisionFactory,
    MeetingFactory,
    PersonFactory,
    sign_in,
)
from tests.opendata.test_oparl import (
    API,
    PROPERTY_SCHEMAS,
    Walker,
    assert_copies_agree,
    validate,
)

pytestmark = pytest.mark.django_db


def decision_url(decision: ExecutiveDecision) -> str:
    return f"{API}paper/decision/{decision.pk}/"


def call_in_url(call_in: CallIn) -> str:
    return f"{API}consultation/call-in/{call_in.pk}/"


@pytest.fixture
def called_in(clerk):
    """A published decision called in by two councillors, found valid, put on the scrutiny
    board's published agenda and referred back by the board."""
    decision = ExecutiveDecisionFactory(
        title="Closure of Eastgate library",
        reference="D54321",
        decision="To close the library.",
        reasons="Falling visits.",
        key_decision=True,
        publish=True,
    )
    board = BoardFactory(name="Scrutiny Board (Communities)")
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Call-in: closure of Eastgate library")
    )
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Call-in.")
    call_in = CallInFactory(decision=decision, board=board, reasons="Consultation was ignored.")
    call_in.signatories.add(
        PersonFactory(given_name="Ann", family_name="Blackmore"),
        PersonFactory(given_name="Neil", family_name="Dawson"),
    )
    today = timezone.localdate()
    CallIn.objects.filter(pk=call_in.pk).update(
        checked_on=today,
        valid=True,
        check_reasons="In time; two members of the board.",
        meeting_due_on=today + datetime.timedelta(days=14),
        agenda_item=item,
        outcome=CallIn.Outcome.REFER_BACK,
        outcome_on=today,
        outcome_reasons="Consult again.",
    )
    return CallIn.objects.get(pk=call_in.pk)


def test_a_decision_is_a_paper_and_its_call_in_a_consultation_each_valid(called_in, client):
    decision = called_in.decision
    walker = Walker(client).walk(reverse("oparl:system"))
    assert_copies_agree(walker)

    paper = walker.fetched[decision_url(decision)]
    assert paper["paperType"] == "Executive decision"
    assert paper["name"] == "Closure of Eastgate library"
    assert paper["reference"] == "D54321"
    assert paper["date"] == decision.decided_on.isoformat()
    assert paper["originatorOrganization"] == [f"{API}organization/{decision.maker_body_id}/"]
    assert paper["scrutiny:decisionMakerType"] == "A member of the executive"
    assert paper["scrutiny:decisionMaker"] == "Executive Member for Resources"
    assert paper["scrutiny:keyDecision"] is True
    assert paper["scrutiny:callIn"] == "Subject to call-in"
    assert paper["scrutiny:callInCloses"].endswith(("T17:00:00+00:00", "T17:00:00+01:00"))
    assert paper["scrutiny:standing"] == "referred_back"
    assert paper["scrutiny:standingText"].startswith("Called in and referred back")
    assert paper["scrutiny:mayBeImplemented"] is False
    assert paper["scrutiny:decision"] == "To close the library."
    assert paper["scrutiny:reasons"] == "Falling visits."
    assert "scrutiny:exemptionNotice" not in paper
    assert paper["web"] == f"http://testserver{decision.get_absolute_url()}"

    consultation = walker.fetched[call_in_url(called_in)]
    assert consultation["role"] == "Call-in"
    assert consultation["paper"] == decision_url(decision)
    assert consultation["organization"] == [f"{API}organization/{called_in.board_id}/"]
    assert consultation["agendaItem"] == f"{API}agendaitem/{called_in.agenda_item_id}/"
    assert consultation["meeting"] == f"{API}meeting/{called_in.agenda_item.meeting_id}/"
    assert consultation["authoritative"] is False
    assert consultation["scrutiny:step"] == "outcome"
    assert consultation["scrutiny:signatory"] == [
        "Councillor Ann Blackmore",
        "Councillor Neil Dawson",
    ]
    assert consultation["scrutiny:valid"] is True
    assert consultation["scrutiny:checkReasons"] == "In time; two members of the board."
    assert consultation["scrutiny:outcome"].startswith("Refer it back")
    assert consultation["scrutiny:outcomeReasons"] == "Consult again."
    # Embedded in the decision, without the reference back to it.
    [embedded] = paper["consultation"]
    assert embedded == {k: v for k, v in consultation.items() if k != "paper"}
    # Both lists hold them after the reports' own.
    papers = client.get(f"{API}paper/").json()["data"]
    assert decision_url(decision) in [p["id"] for p in papers]
    consultations = client.get(f"{API}consultation/").json()["data"]
    assert call_in_url(called_in) in [c["id"] for c in consultations]


def test_a_decision_not_subject_to_call_in_says_why_and_may_be_implemented(client):
    decision = ExecutiveDecisionFactory(
        exclusion=ExecutiveDecision.Exclusion.CONSTITUTION,
        exclusion_reason="Council tax setting is excluded.",
        publish=True,
    )

    paper = client.get(decision_url(decision)).json()
    validate(paper)

    assert paper["scrutiny:callIn"] == "Excluded by the constitution"
    assert paper["scrutiny:exclusionReason"] == "Council tax setting is excluded."
    assert paper["scrutiny:standing"] == "not_subject"
    assert paper["scrutiny:mayBeImplemented"] is True
    assert "scrutiny:callInCloses" not in paper


@pytest.mark.parametrize("who", ["public", "executive member", "clerk"])
def test_an_exempt_decisions_text_never_reaches_the_api(who, clerk):
    decision = exempt_decision()
    call_in = CallInFactory(decision=decision, reasons=f"The price {CANARY} is too low.")
    CallIn.objects.filter(pk=call_in.pk).update(
        checked_on=timezone.localdate(), valid=False, check_reasons=f"Not valid {CANARY}."
    )
    client = {
        "public": Client(),
        "executive member": sign_in(Client(), executive_member(decision.maker_body)),
        "clerk": sign_in(Client(), clerk),
    }[who]

    walker = Walker(client).walk(reverse("oparl:system"))

    assert CANARY not in walker.text
    paper = walker.fetched[decision_url(decision)]
    assert paper["name"] == EXEMPT_TITLE
    assert "paragraph 3 of Part 1 of Schedule 12A" in paper["scrutiny:exemptionNotice"]
    assert paper["scrutiny:standing"] == "window_open"
    for hidden in ("scrutiny:decision", "scrutiny:reasons", "scrutiny:alternatives"):
        assert hidden not in paper
    consultation = walker.fetched[call_in_url(call_in)]
    assert consultation["scrutiny:valid"] is False
    assert "scrutiny:reasons" not in consultation
    assert "scrutiny:checkReasons" not in consultation


def test_a_draft_decision_and_its_call_in_are_not_in_the_api(client):
    draft = ExecutiveDecisionFactory(title="Draft decision")
    # A call-in of a draft cannot happen through the services; made here to prove the rule.
    call_in = CallIn.objects.create(
        decision=draft, board=BoardFactory(), requested_at=timezone.now(), reasons="Early."
    )

    assert client.get(decision_url(draft)).status_code == 404
    assert client.get(call_in_url(call_in)).status_code == 404
    assert "Draft decision" not in client.get(f"{API}paper/").content.decode()
    assert call_in_url(call_in) not in client.get(f"{API}consultation/").content.decode()


def test_a_withdrawn_decision_is_a_deleted_paper(client, clerk):
    decision = ExecutiveDecisionFactory(publish=True)
    ExecutiveDecision.objects.filter(pk=decision.pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=clerk, withdrawal_reason="Made in error."
    )

    paper = client.get(decision_url(decision)).json()

    assert set(paper) == {"id", "type", "created", "modified", "deleted"}
    assert paper["deleted"] is True
    validate(paper)


def test_the_schemas_of_the_scrutiny_properties_are_served_and_documented(client):
    docs = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    for name in oparl.EXTENSION_PROPERTIES:
        assert f"{name}.json" in docs
        served = client.get(f"/api/oparl/extension/1.0/{name}")
        assert served["Content-Type"] == "application/schema+json"
        assert served.json() == PROPERTY_SCHEMAS[name]
        for key in served.json()["properties"]:
            if key.startswith("scrutiny:"):
                assert f"`{key}`" in docs, f"{key} is not documented"


def test_the_schemas_name_every_choice_the_models_have():
    decision = PROPERTY_SCHEMAS["ExecutiveDecision"]["properties"]
    assert decision["scrutiny:callIn"]["enum"] == [
        label for _value, label in ExecutiveDecision.Exclusion.choices
    ]
    assert decision["scrutiny:decisionMakerType"]["enum"] == [
        label for _value, label in ExecutiveDecision.Maker.choices
    ]
    call_in = PROPERTY_SCHEMAS["CallIn"]["properties"]
    for key, choices in [
        ("scrutiny:outcome", CallIn.Outcome),
        ("scrutiny:councilOutcome", CallIn.CouncilOutcome),
        ("scrutiny:finalDecision", CallIn.Final),
    ]:
        assert call_in[key]["enum"] == [label for _value, label in choices.choices]


def test_a_schema_refuses_a_scrutiny_property_it_does_not_name():
    from jsonschema import Draft202012Validator

    schema = PROPERTY_SCHEMAS["CallIn"]
    good = {
        "id": f"{API}consultation/call-in/1/",
        "type": "https://schema.oparl.org/1.1/Consultation",
        "role": "Call-in",
        "organization": [f"{API}organization/1/"],
        "authoritative": False,
        "scrutiny:step": "requested",
        "scrutiny:requested": "2026-11-30T10:00:00+00:00",
    }
    assert not list(Draft202012Validator(schema).iter_errors(good))
    assert list(Draft202012Validator(schema).iter_errors({**good, "scrutiny:secret": "x"}))
    assert json.dumps(schema)  # plain JSON
