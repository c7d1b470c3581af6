"""One exempt canary, every channel.

``published_meeting`` holds the canary in an exempt item's purpose and report and in an exempt
appendix PDF; a supplement adds another exempt item; a draft statement's recommendation holds it
too; and an exempt executive decision (below). Whatever way the information leaves the app
(pages' search, calendar and Atom feeds, the OParl API, CSV exports, agenda pack PDFs, e-mail
alerts, a subject's history and its PDF, the desks), it reaches only those entitled to it:
the board's members and staff, and only through the channels that serve them as themselves.
"""

import json

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Paper, ReportSection
from boards.roles import Role
from follow.models import Subscription
from tests.conftest import CANARY
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    PersonFactory,
    RecommendationFactory,
    StatementFactory,
    UserFactory,
    pdf_bytes,
    sign_in,
)
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db

# Served to everyone as the public sees them, whoever asks.
PUBLIC_CHANNELS = (
    "calendar",
    "calendar-board",
    "atom",
    "atom-board",
    "oparl",
    "csv",
    "public-pack",
)


@pytest.fixture
def world(published_meeting, clerk, councillor, officer, django_capture_on_commit_callbacks):
    board = published_meeting.board
    other_councillor = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=BoardFactory(), person=PersonFactory(user=other_councillor))
    reader = UserFactory(roles=[])
    users = {
        "public reader": reader,
        "other councillor": other_councillor,
        "member": councillor,
        "officer": officer,
    }
    for user in users.values():
        Subscription.objects.create(user=user, board=board)
    statement = StatementFactory(inquiry__board=board)
    RecommendationFactory(statement=statement, text=f"Draft recommendation {CANARY}.")

    item = services.agenda_item_add(
        meeting=published_meeting,
        item=AgendaItem(
            title="Exempt supplement item",
            purpose=f"Supplement purpose {CANARY}.",
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Commercial.",
        ),
    )
    paper = services.paper_write(
        paper=Paper(agenda_item=item, title="Supplement report", summary=f"Summary {CANARY}.")
    )
    ReportSection.objects.create(paper=paper, number=1, heading="Detail", body=CANARY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_publish(meeting=published_meeting, by=clerk, late_reason="Supplement.")
    clients = {"public": Client()}
    for name, user in users.items():
        clients[name] = sign_in(Client(), user)
    return {"meeting": published_meeting, "board": board, "clients": clients, "users": users}


def _text(response) -> str:
    assert response.status_code == 200, response
    if response.headers["Content-Type"].startswith("application/pdf"):
        return pdf_text(read_pdf(response))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def _any_text(response) -> str:
    """What any answer carries, refused or not (a refusal must carry nothing either)."""
    if response.status_code == 200:
        return _text(response)
    return response.content.decode()


def _oparl(client: Client) -> str:
    """Every agenda item, paper and file the API lists, and the meetings."""
    texts = []
    for name in ("meeting-list", "agendaitem-list", "paper-list", "file-list"):
        url = reverse(f"oparl:{name}") + "?elementsPerPage=100"
        while url:
            body = json.loads(_text(client.get(url)))
            texts.append(json.dumps(body))
            url = body.get("links", {}).get("next")
    return "\n".join(texts)


def _channels(world, client: Client) -> dict[str, str]:
    meeting, board = world["meeting"], world["board"]
    return {
        # Words next to the canary, not the canary itself, which the page would echo back.
        "search": _text(client.get(reverse("search:search"), {"q": "Supplement purpose"}))
        + _text(client.get(reverse("search:search"), {"q": "Restructure report"})),
        "search-word": _text(client.get(reverse("search:search"), {"q": "Supplement"})),
        "calendar": _text(client.get(reverse("opendata:calendar-all"))),
        "calendar-board": _text(client.get(reverse("opendata:calendar-board", args=[board.slug]))),
        "atom": _text(client.get(reverse("opendata:feed-all"))),
        "atom-board": _text(client.get(reverse("opendata:feed-board", args=[board.slug]))),
        "oparl": _oparl(client),
        "csv": _text(client.get(reverse("opendata:board-tracking-csv", args=[board.slug]))),
        "public-pack": _text(
            client.get(reverse("packs:pack-download", args=[meeting.pk, "public"]))
        ),
    }


@pytest.mark.parametrize("who", ["public", "public reader", "other councillor"])
def test_the_canary_reaches_no_channel_of_those_not_entitled(world, who):
    channels = _channels(world, world["clients"][who])
    leaks = [name for name, text in channels.items() if CANARY in text]
    assert leaks == []
    # The channels did answer, with the open parts of the same meeting.
    assert "Open report on budgets" in channels["atom"]
    assert "Open report on budgets" in channels["oparl"]
    assert "Supplement report" in channels["search-word"]  # found by title, content withheld
    members_pack = reverse("packs:pack-download", args=[world["meeting"].pk, "members"])
    assert world["clients"][who].get(members_pack).status_code == 404


@pytest.mark.parametrize("who", ["member", "officer"])
def test_the_canary_reaches_the_entitled_only_through_their_own_channels(world, who):
    client = world["clients"][who]
    channels = _channels(world, client)
    # Search and the members' pack serve them as themselves...
    assert CANARY in channels["search"]
    members_pack = reverse("packs:pack-download", args=[world["meeting"].pk, "members"])
    assert CANARY in _text(client.get(members_pack))
    # ...feeds, the API, the public pack and (for a member) the CSV serve everyone alike.
    public_only = [*PUBLIC_CHANNELS]
    if who == "officer":
        public_only.remove("csv")  # staff export the tracker with drafts, marked private
    assert [name for name in public_only if CANARY in channels[name]] == []


def _summonses() -> list:
    """The summons' e-mails (to the board's members and officers), which carry no unsubscribe
    link: a summons is the law's, not a subscription."""
    return [message for message in mail.outbox if "List-Unsubscribe" not in message.extra_headers]


def test_alert_emails_carry_the_canary_only_to_those_entitled(world):
    received = {}
    for message in mail.outbox:
        if message in _summonses():
            continue
        (address,) = message.to
        alternatives = getattr(message, "alternatives", [])
        body = message.body + "".join(str(content) for content, _ in alternatives)
        received[address] = body
    users = world["users"]
    assert set(received) == {user.email for user in users.values()}
    for name, user in users.items():
        entitled = name in {"member", "officer"}
        assert (CANARY in received[user.email]) is entitled, name
        assert "Supplement report" in received[user.email]  # the title, for everyone


def test_the_summons_carries_the_canary_to_nobody_entitled_or_not(world):
    summonses = _summonses()
    users = world["users"]
    # The member and the officer are summoned (the supplement is sent to them too)...
    assert {message.to[0] for message in summonses} == {
        users["member"].email,
        users["officer"].email,
    }
    for message in summonses:
        # ...by its title and paragraph, and a link to the pack they sign in to read.
        assert "Exempt supplement item" in message.body
        assert "paragraph 3 of Part 1 of Schedule 12A" in message.body
        assert CANARY not in message.subject + message.body
        assert not message.attachments


# An exempt executive decision ------------------------------------------------------------------
#
# Its decision, reasons and alternatives hold the canary, and so do the reasons of its call-in.
# The executive's own members may read it on its page and find it by search; no other channel
# carries it to anyone, and e-mails carry it to nobody (title and paragraph only). The decision's
# own pages, its feeds and the forward plan are covered with them (see the decisions tests).


@pytest.fixture
def decision_world(clerk, django_capture_on_commit_callbacks):
    from boards.models import Subject
    from decisions.models import CallIn
    from decisions.signals import call_in_changed
    from tests.decisions.exempt import executive_member, exempt_decision
    from tests.factories import CallInFactory, ExecutiveFactory

    executive = ExecutiveFactory(name="Executive Board")
    scrutiny = BoardFactory(name="Scrutiny Board (Resources)")
    subject = Subject.objects.create(title="Depot site", slug="depot-site")
    member = executive_member(executive)
    other_councillor = UserFactory(roles=[Role.COUNCILLOR])
    signatory = PersonFactory(user=other_councillor, email="signatory@council.example")
    MembershipFactory(board=scrutiny, person=signatory)
    reader = UserFactory(roles=[])
    users = {"public reader": reader, "other councillor": other_councillor, "member": member}
    for user in users.values():
        Subscription.objects.create(user=user, board=executive)
        Subscription.objects.create(user=user, board=scrutiny)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = exempt_decision(maker_body=executive, subject=subject, key_decision=True)
    decision.report.save("report.pdf", ContentFile(pdf_bytes(1, text=f"Report {CANARY}")))
    call_in = CallInFactory(decision=decision, board=scrutiny, reasons=f"Sold to {CANARY}.")
    call_in.signatories.add(signatory)
    with django_capture_on_commit_callbacks(execute=True):
        call_in_changed.send(sender=CallIn, call_in=call_in, step="requested")
    clients = {"public": Client()}
    for name, user in users.items():
        clients[name] = sign_in(Client(), user)
    return {
        "decision": decision,
        "call_in": call_in,
        "subject": subject,
        "clients": clients,
        "users": users,
    }


def _oparl_decisions(client: Client) -> str:
    texts = []
    for name in ("paper-list", "consultation-list"):
        url = reverse(f"oparl:{name}") + "?elementsPerPage=100"
        while url:
            body = json.loads(_text(client.get(url)))
            texts.append(json.dumps(body, ensure_ascii=False))
            url = body.get("links", {}).get("next")
    return "\n".join(texts)


def _decision_channels(world, client: Client, who: str) -> dict[str, str]:
    subject = world["subject"]
    pk = world["decision"].pk
    search = reverse("search:search")
    channels = {
        # Words of the exempt text next to the canary (the page echoes the query).
        "search": _text(client.get(search, {"q": "best offer"}))
        + _text(client.get(search, {"q": "sell the depot"})),
        "search-title": _text(client.get(search, {"q": "depot site"})),
        "oparl": _oparl_decisions(client),
        "subject": _text(client.get(reverse("minutes:subject-detail", args=[subject.slug]))),
        "subject-pdf": _text(client.get(reverse("minutes:subject-pdf", args=[subject.slug]))),
        "home": _text(client.get(reverse("home:home"))),
        "decision": _text(client.get(world["decision"].get_absolute_url())),
        "decision-list": _text(client.get(reverse("decisions:decision-list"))),
        "report": _any_text(client.get(reverse("decisions:decision-report", args=[pk]))),
        "call-in": _text(client.get(world["call_in"].get_absolute_url())),
        "call-ins": _text(client.get(reverse("decisions:call-in-list"))),
        # Its section of key decisions taken without proper notice lists the decision.
        "forward-plan": _text(client.get(reverse("decisions:forward-plan"), {"past": "1"})),
        "forward-plan-pdf": _text(client.get(reverse("decisions:forward-plan-pdf"))),
        "forward-plan-atom": _text(client.get(reverse("opendata:feed-forward-plan"))),
        "forward-plan-ics": _text(client.get(reverse("opendata:calendar-forward-plan"))),
        "decisions-atom": _text(client.get(reverse("opendata:feed-decisions"))),
    }
    if who in {"member", "other councillor"}:
        channels["desk"] = _text(client.get(reverse("home:councillor-home")))
        channels["attention"] = _text(client.get(reverse("recommendations:dashboard")))
    return channels


@pytest.mark.parametrize("who", ["public", "public reader", "other councillor"])
def test_an_exempt_decision_reaches_no_channel_of_those_not_entitled(decision_world, who):
    channels = _decision_channels(decision_world, decision_world["clients"][who], who)
    if who == "other councillor":
        # They sit on the scrutiny board that considers the call-in (and signed it): the
        # call-in is an exempt item of their own board, which they read, as they read its
        # exempt papers. Nowhere else.
        assert CANARY in channels.pop("call-in")

    assert [name for name, text in channels.items() if CANARY in text] == []
    # The channels did answer, with the decision's title.
    title = decision_world["decision"].title
    for name in (
        "search-title",
        "oparl",
        "subject",
        "subject-pdf",
        "decision",
        "decision-list",
        "call-ins",
        "forward-plan",
        "decisions-atom",
    ):
        assert title in channels[name], name
    if who == "other councillor":
        assert title in channels["desk"]  # open to call-in


def test_an_exempt_decision_reaches_a_member_of_the_executive_only_through_search(
    decision_world,
):
    channels = _decision_channels(decision_world, decision_world["clients"]["member"], "member")

    assert CANARY in channels["search"]
    # The API serves the public's view; histories, desks and lists give titles only; the
    # decision's own page, its report and its call-in's page are theirs to read.
    assert [name for name, text in channels.items() if CANARY in text] == [
        "search",
        "search-title",
        "decision",
        "report",
        "call-in",
    ]


def test_an_exempt_decisions_emails_carry_it_to_nobody(decision_world):
    told = {message.to[0] for message in mail.outbox}
    users = decision_world["users"]
    # Published (the executive's followers), then called in (signatory and both boards').
    assert told == {*(user.email for user in users.values()), "signatory@council.example"}
    for message in mail.outbox:
        assert CANARY not in message.subject + message.body
        assert decision_world["decision"].title in message.body
