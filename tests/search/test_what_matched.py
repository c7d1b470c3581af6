"""Search looks only at what matched (issue 17, point 2): each entry keeps what the visibility
rule needs, and those columns let every audience see exactly what the records' own
``visible_to`` rules let it see; the rules confirm what a search found; the count stops at the
candidates; and publishing, exempting, withdrawing or a new membership shows in search at once.
Every test here runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Council, Paper
from boards.roles import Role
from boards.visibility import Audience
from decisions import services as decision_services
from inquiries import services as inquiry_services
from inquiries.models import Evidence, Inquiry
from minutes import services as minutes_services
from minutes.models import Attendance, MinutesRecord
from recommendations import services as recommendation_services
from search import index as search
from search.models import SearchEntry
from tests.conftest import CANARY
from tests.factories import (
    BoardFactory,
    ExecutiveDecisionFactory,
    ExecutiveFactory,
    ForwardPlanEntryFactory,
    InquiryFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StatementFactory,
    UserFactory,
    sign_in,
)

URL = reverse("search:search")
WORD = "civic"  # in every record of the mixed council


def get(client: Client, q: str, **params):
    return client.get(URL, {"q": q, **params})


def titles(response) -> list[str]:
    return [entry.title for entry in response.context["results"]]


def count(response) -> int:
    return response.context["results"].paginator.count


def publish(meeting, clerk) -> None:
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")


def exempt(paragraph: int = 3) -> dict:
    return {"exempt": True, "exempt_paragraph": paragraph, "public_interest_reasoning": "Private."}


def item(meeting, title: str, text: str = WORD, **fields) -> AgendaItem:
    return services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title=title, purpose=text, **fields)
    )


def paper(agenda_item, title: str, text: str = WORD, **fields) -> Paper:
    return services.paper_write(
        paper=Paper(agenda_item=agenda_item, title=title, summary=text, **fields)
    )


def minute(meeting, agenda_item, officer, text: str = WORD, summary: str = ""):
    taken = minutes_services.minute_take(meeting=meeting, agenda_item=agenda_item, by=officer)
    return minutes_services.minute_update(
        minute=taken,
        version=taken.version,
        by=officer,
        narrative=f"{text} {WORD}",
        public_summary=summary,
    )


def councillor_of(board):
    user = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=board, person=PersonFactory(user=user))
    return user


def officer_of(board):
    user = UserFactory(roles=[Role.OFFICER])
    board.support_officer = PersonFactory(officer=True, user=user)
    board.save()
    return user


@dataclass
class Mixed:
    users: dict
    exempt_item: AgendaItem
    open_item: AgendaItem
    exempt_appendix: Paper
    open_report: Paper
    meeting: object
    other_board: object


@pytest.fixture
def mixed(board, clerk, officer, councillor) -> Mixed:
    """A council with a record of each kind in each state: published and draft, exempt (the
    canary in its text, other words in its title) and open, withdrawn; minutes released, draft
    and withdrawn; evidence, statements and recommendations published and draft; executive
    decisions published, exempt, draft and withdrawn; forward plan notices published and draft.
    Every record holds ``WORD``. Indexed by the services alone."""
    other = BoardFactory()
    executive = ExecutiveFactory()
    meeting = MeetingFactory(board=board)
    open_item = item(meeting, "Open item on parks")
    open_report = paper(open_item, "Parks report")
    exempt_appendix = paper(
        open_item,
        "Parks appendix",
        f"{CANARY} {WORD}",
        parent=open_report,
        kind=Paper.Kind.APPENDIX,
        **exempt(),
    )
    exempt_item = item(meeting, "Staffing matters", f"{CANARY} {WORD}", **exempt(1))
    paper(exempt_item, "Staffing report", f"{CANARY} {WORD}")
    going = item(meeting, "Item to withdraw")
    paper(going, "Paper of the withdrawn item")
    kept = item(meeting, "Item keeping its agenda")
    lost = paper(kept, "Paper to withdraw")
    publish(meeting, clerk)
    going.refresh_from_db()
    lost.refresh_from_db()
    services.agenda_item_remove(item=going, by=clerk, reason="Taken off the agenda.")
    services.paper_withdraw(paper=lost, by=clerk, reason="Superseded.")
    assert going.is_withdrawn and lost.is_withdrawn
    draft_item = item(meeting, "Draft item")
    paper(draft_item, "Draft paper")
    minute(meeting, open_item, officer)
    minute(meeting, exempt_item, officer, CANARY, summary=f"Considered in private, {WORD}.")
    withdrawn = minute(meeting, kept, officer)
    minutes_services.minute_withdraw(minute=withdrawn, by=officer, reason="Taken in error.")
    minutes_services.minutes_release(minutes=MinutesRecord.objects.get(meeting=meeting), by=officer)
    elsewhere = MeetingFactory(board=other)
    other_exempt = item(elsewhere, "Other board's private item", f"{CANARY} {WORD}", **exempt())
    publish(elsewhere, clerk)
    minute(elsewhere, other_exempt, officer, CANARY, summary=f"Private, {WORD}.")
    inquiry = inquiry_services.inquiry_create(
        board=board, title=f"Inquiry into {WORD} pride", scope=WORD, on=datetime.date(2017, 1, 5)
    )
    for title, fields in [("Open letter", {}), ("Private letter", {"exempt": True})]:
        inquiry_services.evidence_add(
            inquiry=inquiry,
            evidence=Evidence(
                kind=Evidence.Kind.WRITTEN,
                title=title,
                received_on=datetime.date(2017, 2, 1),
                body=f"{CANARY if fields else ''} {WORD}",
                **fields,
            ),
        )
    for number, published in [(1, True), (2, False)]:
        statement = StatementFactory(
            inquiry=inquiry if published else InquiryFactory(board=board),
            title=f"Statement {number} on {WORD} pride",
        )
        recommendation_services.recommendation_add(statement=statement, text=f"That {WORD}.")
        if published:
            recommendation_services.statement_publish(statement=statement, on=datetime.date.today())
        else:
            search.refresh(statement)
    decisions = {
        "open": ExecutiveDecisionFactory(maker_body=executive, reasons=WORD, publish=True),
        "exempt": ExecutiveDecisionFactory(
            maker_body=executive, reasons=f"{CANARY} {WORD}", publish=True, **exempt()
        ),
        "draft": ExecutiveDecisionFactory(maker_body=executive, reasons=WORD),
        "withdrawn": ExecutiveDecisionFactory(maker_body=executive, reasons=WORD, publish=True),
    }
    search.refresh(decisions["draft"])
    decision_services.decision_withdraw(decision=decisions["withdrawn"], by=None, reason="Wrong.")
    for published_on in [datetime.date.today(), None]:
        search.refresh(
            ForwardPlanEntryFactory(
                decision_maker=executive, summary=WORD, published_on=published_on
            )
        )
    substitute = councillor_of(other)
    Attendance.objects.create(
        meeting=meeting,
        person=substitute.person,
        kind=Attendance.Kind.SUBSTITUTE,
        substitute_for=councillor.person,
    )
    users = {
        "councillor": councillor,
        "other councillor": councillor_of(other),
        "substitute": substitute,
        "executive member": councillor_of(executive),
        "officer": officer,
        "other officer": officer_of(other),
        "executive's officer": officer_of(executive),
        "clerk": clerk,
    }
    return Mixed(users, exempt_item, open_item, exempt_appendix, open_report, meeting, other)


def every_audience(mixed: Mixed) -> dict[str, Audience]:
    found = {"public": Audience.public()}
    found |= {name: Audience.of(user) for name, user in mixed.users.items()}
    # Audiences no user has today, so that the columns answer as the rule would for any.
    board = mixed.meeting.board_id
    found |= {
        "drafts only": Audience(draft_board_ids=frozenset({board})),
        "staff alone": Audience(staff=True),
        "substitute alone": Audience(substitute_meeting_ids=frozenset({mixed.meeting.pk})),
        "every board": Audience(sees_drafts=True, staff=True),
    }
    return found


def by_columns(audience: Audience) -> set[tuple[str, int, bool]]:
    entries = SearchEntry.objects.filter(search.kept(audience))
    return set(entries.values_list("kind", "object_id", "listing"))


def by_rule(audience: Audience) -> set[tuple[str, int, bool]]:
    entries = SearchEntry.objects.filter(search.visible(audience))
    return set(entries.values_list("kind", "object_id", "listing"))


def agree(board) -> None:
    """The columns kept on the entries answer as the rule for the public, the board's members,
    its officers and the clerks: they were kept up to date."""
    for audience in [
        Audience.public(),
        Audience(member_board_ids=frozenset({board.pk})),
        Audience(member_board_ids=frozenset({board.pk}), draft_board_ids=frozenset({board.pk})),
        Audience(sees_drafts=True, staff=True),
    ]:
        assert by_columns(audience) == by_rule(audience), audience


# The columns answer as the rule does --------------------------------------------------------------


def test_every_audience_sees_by_the_columns_exactly_what_the_rule_lets_it_see(mixed):
    every = set(SearchEntry.objects.values_list("kind", "object_id", "listing"))
    assert {kind for kind, *_ in every} == set(SearchEntry.Kind.values)
    for name, audience in every_audience(mixed).items():
        assert by_columns(audience) == by_rule(audience), name
    # Not trivially: the audiences see different things, and the public none of the canary.
    public = every_audience(mixed)["public"]
    assert by_rule(public) != by_rule(every_audience(mixed)["clerk"])
    shown = SearchEntry.objects.filter(search.kept(public))
    assert not shown.filter(body__contains=CANARY).exists()
    assert shown.filter(listing=True).exists()


def test_the_columns_answer_as_the_rule_after_a_rebuild_and_after_the_migration(mixed):
    search.rebuild()
    rebuilt = {
        (e.kind, e.object_id, e.listing): (e.meeting_id, e.listed_to, e.readers)
        for e in SearchEntry.objects.all()
    }
    for name, audience in every_audience(mixed).items():
        assert by_columns(audience) == by_rule(audience), name
    # The migration fills the columns of an index written before them as indexing does.
    migration = __import__("search.migrations.0003_entry_visibility", fromlist=["keep_visibility"])
    SearchEntry.objects.update(meeting=None, listed_to="everyone", readers="everyone")
    migration.keep_visibility(apps, None)
    migrated = {
        (e.kind, e.object_id, e.listing): (e.meeting_id, e.listed_to, e.readers)
        for e in SearchEntry.objects.all()
    }
    assert migrated == rebuilt


def test_searching_finds_for_each_audience_what_the_rule_lets_it_see_and_matches(mixed):
    for name, user in [("public", None), *mixed.users.items()]:
        audience = Audience.public() if user is None else Audience.of(user)
        found = search.search(audience, search.Query(text=WORD))
        # Every record holds WORD in its text; a listing entry holds it only in a minute's
        # public summary.
        matching = {
            (kind, object_id, listing)
            for kind, object_id, listing in by_rule(audience)
            if not listing
            or WORD in SearchEntry.objects.get(kind=kind, object_id=object_id, listing=True).body
        }
        assert {(row.kind, row.object_id, row.listing) for row in found.rows} == matching, name
        assert len(matching) > 10, name
        client = Client() if user is None else sign_in(Client(), user)
        assert count(get(client, WORD)) == len(matching), name
    assert count(get(Client(), CANARY)) == 0


# Visibility changes show at once ----------------------------------------------------------------


def test_publishing_an_agenda_lets_the_public_find_its_items_and_papers(board, clerk, audiences):
    meeting = MeetingFactory(board=board)
    paper(item(meeting, "Bandstand repairs", "Cast iron columns."), "Bandstand report", "Ironwork.")
    for audience in ["public", "councillor"]:
        assert count(get(audiences[audience], "bandstand")) == 0
    assert count(get(audiences["officer"], "bandstand")) == 2

    publish(meeting, clerk)

    agree(board)
    for audience in ["public", "councillor", "officer"]:
        assert sorted(titles(get(audiences[audience], "bandstand"))) == [
            "Bandstand repairs",
            "Bandstand report",
        ]
    assert titles(get(Client(), "ironwork")) == ["Bandstand report"]


def test_exempting_an_item_hides_its_text_its_papers_and_its_minute_and_lifting_it_shows_them(
    board, clerk, officer, audiences
):
    meeting = MeetingFactory(board=board)
    agenda_item = item(meeting, "Depot lease", "Terms from Leaseco.")
    paper(agenda_item, "Lease report", "Rent from Leaseco.")
    publish(meeting, clerk)
    minute(meeting, agenda_item, officer, "Leaseco attended.", summary="Lease considered.")
    minutes_services.minutes_release(minutes=MinutesRecord.objects.get(meeting=meeting), by=officer)
    assert count(get(Client(), "leaseco")) == 3

    agenda_item.refresh_from_db()
    for name, value in exempt().items():
        setattr(agenda_item, name, value)
    services.agenda_item_update(item=agenda_item)

    agree(board)
    for audience in ["public", "other councillor"]:
        assert count(get(audiences[audience], "leaseco")) == 0, audience
    assert count(get(audiences["councillor"], "leaseco")) == 3
    titled = get(Client(), "lease")
    assert sorted(titles(titled))[:2] == ["Depot lease", "Lease report"]
    assert re.fullmatch(r"Minute \S+: Depot lease", sorted(titles(titled))[2])
    assert "Leaseco" not in titled.text.split('id="results-heading"', 1)[1]

    agenda_item.exempt, agenda_item.exempt_paragraph = False, None
    agenda_item.public_interest_reasoning = ""
    services.agenda_item_update(item=agenda_item)

    agree(board)
    assert count(get(Client(), "leaseco")) == 3


def test_exempting_a_report_hides_its_appendices_text(board, clerk, audiences):
    meeting = MeetingFactory(board=board)
    agenda_item = item(meeting, "Tenders")
    report = paper(agenda_item, "Tender report", "Open summary.")
    paper(agenda_item, "Tender appendix", "Bids from Tenderco.", parent=report)
    publish(meeting, clerk)
    assert titles(get(Client(), "tenderco")) == ["Tender appendix"]

    report.refresh_from_db()
    for name, value in exempt().items():
        setattr(report, name, value)
    services.paper_update(paper=report)

    agree(board)
    assert count(get(Client(), "tenderco")) == 0
    assert titles(get(audiences["councillor"], "tenderco")) == ["Tender appendix"]


def test_withdrawing_an_item_or_a_minute_leaves_only_its_title(board, clerk, officer, audiences):
    meeting = MeetingFactory(board=board)
    agenda_item = item(meeting, "Ferry timetable", "Sailings by Ferryco.")
    other = item(meeting, "Harbour dues")
    publish(meeting, clerk)
    taken = minute(meeting, other, officer, "Dues agreed with Harbourco.")
    minutes_services.minutes_release(minutes=MinutesRecord.objects.get(meeting=meeting), by=officer)
    assert count(get(Client(), "ferryco")) == 1 and count(get(Client(), "harbourco")) == 1

    agenda_item.refresh_from_db()
    services.agenda_item_remove(item=agenda_item, by=clerk, reason="Postponed.")
    minutes_services.minute_withdraw(minute=taken, by=officer, reason="Taken in error.")

    agree(board)
    for audience in ["public", "councillor", "clerk"]:
        assert count(get(audiences[audience], "harbourco")) == 0, audience
    for audience in ["public", "councillor"]:
        assert count(get(audiences[audience], "ferryco")) == 0, audience
        assert "Ferry timetable" in titles(get(audiences[audience], "ferry timetable"))
    # The board's officer and the clerk still read what was withdrawn from the agenda.
    assert titles(get(audiences["officer"], "ferryco")) == ["Ferry timetable"]


def test_a_new_member_or_substitute_finds_the_exempt_text_at_once(mixed, client_for):
    substitute, member = councillor_of(BoardFactory()), councillor_of(BoardFactory())
    for user in (substitute, member):
        assert count(get(client_for(user), CANARY)) == 0

    Attendance.objects.create(
        meeting=mixed.meeting,
        person=substitute.person,
        kind=Attendance.Kind.SUBSTITUTE,
        substitute_for=mixed.users["councillor"].person,
    )
    MembershipFactory(
        board=mixed.users["other councillor"].person.memberships.get().board, person=member.person
    )

    substituting = titles(get(client_for(substitute), CANARY))
    assert "Staffing report" in substituting
    assert "Other board's private item" not in substituting
    assert titles(get(client_for(member), CANARY)) == ["Other board's private item"]
    other_officer = mixed.users["other officer"]
    assert "Staffing matters" not in titles(get(client_for(other_officer), CANARY))
    Council.objects.update_or_create(
        pk=1, defaults={"name": "Aldermoor", "officers_read_every_board": True}
    )
    assert "Staffing matters" in titles(get(client_for(other_officer), CANARY))


# A stale entry never shows what the rule hides --------------------------------------------------


def test_a_stale_entry_is_corrected_by_the_rule_both_ways(board, clerk):
    """Records changed without their services keep stale columns: the rule still decides,
    showing the other entry where it matches, and never the hidden text."""
    meeting = MeetingFactory(board=board)
    licence = item(meeting, "Quarry licence", "Blasting by Quarryco.")
    report = paper(
        item(meeting, "Quarry reports"), "Quarry report", "Dust from Quarryco.", **exempt()
    )
    publish(meeting, clerk)

    AgendaItem.objects.filter(pk=licence.pk).update(**exempt())
    Paper.objects.filter(pk=report.pk).update(
        exempt=False, exempt_paragraph=None, public_interest_reasoning=""
    )

    # The licence's text is hidden; the report's is found again once it is indexed.
    assert count(get(Client(), "quarryco")) == 0
    response = get(Client(), "quarry")
    listing = {e.title: e.listing for e in response.context["results"]}
    assert listing == {"Quarry licence": True, "Quarry reports": False, "Quarry report": False}
    assert "Blasting" not in response.text.split('id="results-heading"', 1)[1]
    search.refresh(report)
    assert titles(get(Client(), "quarryco")) == ["Quarry report"]


# Counting no further than the candidates --------------------------------------------------------


def inquiries(board, number: int, title: str = "Allotment waiting lists") -> None:
    Inquiry.objects.bulk_create(
        Inquiry(board=board, title=f"{title} {n}", slug=f"{title.lower().replace(' ', '-')}-{n}")
        for n in range(number)
    )
    search.rebuild([SearchEntry.Kind.INQUIRY])


def test_more_than_a_thousand_results_are_counted_as_such_and_paged_to_the_thousandth(board):
    inquiries(board, search.CANDIDATES + 1)

    response = get(Client(), "allotment")

    assert "More than 1,000 results for “allotment”" in response.text
    assert "These are the 1,000 newest, best first." in response.text
    assert count(response) == 1000
    assert response.context["results"].paginator.num_pages == 50
    last = get(Client(), "allotment", page=51)  # past the end: the last page
    assert last.context["results"].number == 50
    assert len(titles(last)) == 20
    assert "Page 50 of 50" in last.text and 'page=51"' not in last.text
    # Past the count, each page is confirmed by the rule as it is read: an inquiry deleted
    # behind search's back is not shown.
    newest = Inquiry.objects.latest("pk")
    Inquiry.objects.filter(pk=newest.pk).delete()
    first = get(Client(), "allotment")
    assert len(titles(first)) == 19 and newest.title not in titles(first)
    assert "More than 1,000 results" in first.text
    # Exactly the cap is counted as it is.
    inquiries(board, 1000, "Cemetery fees")
    exactly = get(Client(), "cemetery")
    assert "1,000 results for “cemetery”" in exactly.text
    assert "More than" not in exactly.text


def test_the_candidates_are_the_newest_matches_ranked(board, clerk, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    for day, title, purpose in [
        (datetime.date(2016, 1, 11), "Harbour dredging", "Silt."),
        (datetime.date(2016, 2, 8), "Ferries", "Harbour crossings."),
        (datetime.date(2016, 3, 7), "Harbour lights", "Lamps."),
        (datetime.date(2016, 4, 4), "Quays", "Harbour walls."),
    ]:
        meeting = MeetingFactory(
            board=board, starts_at=datetime.datetime.combine(day, datetime.time(10), datetime.UTC)
        )
        item(meeting, title, purpose)
        publish(meeting, clerk)

    response = get(Client(), "harbour")

    # The oldest is past the candidates; of the three newest, the title match ranks first.
    assert titles(response) == ["Harbour lights", "Quays", "Ferries"]
    assert "More than 3 results" in response.text
    assert titles(get(Client(), "harbour", date_to="2016-01-31")) == ["Harbour dredging"]


@pytest.mark.parametrize("audience", ["public", "councillor"])
def test_a_search_past_the_candidates_takes_the_same_queries_as_one_with_a_few(
    board, audiences, audience, django_assert_max_num_queries
):
    client = audiences[audience]
    client.get(URL)  # the session and the audience's first look-ups
    inquiries(board, 3)
    with CaptureQueriesContext(connection) as few:
        assert count(get(client, "allotment")) == 3
    inquiries(board, 1200, "Allotment rents")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = get(client, "allotment")
    assert "More than 1,000 results" in response.text


def test_a_snippet_comes_from_the_hit_deep_in_a_long_text(board, clerk):
    meeting = MeetingFactory(board=board)
    filler = "The committee noted the report. " * 2000  # about 64,000 characters
    paper(item(meeting, "Annual report"), "Annual report text", f"{filler}Ospreys nested. {filler}")
    publish(meeting, clerk)

    response = get(Client(), "ospreys")

    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', response.text).group(1)
    assert "<mark>Ospreys</mark>" in snippet
    assert len(snippet) < 1000


def test_what_a_search_found_reads_as_a_sequence_of_entries(mixed):
    found = search.search(Audience.public(), search.Query(text=WORD))

    entries = list(found)

    assert [entry.pk for entry in entries] == [row.pk for row in found.rows]
    assert found[0].pk == entries[0].pk and found[-1].pk == entries[-1].pk
    with pytest.raises(IndexError):
        found[len(found)]
