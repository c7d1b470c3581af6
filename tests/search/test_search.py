"""Search: what it finds, in what order, with what filters and pages; and above all that it
shows each audience only what the pages would (the exempt canary, drafts, unpublished
statements). Every test here runs on SQLite and on PostgreSQL."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import services
from boards.models import AgendaItem, Paper
from inquiries import services as inquiry_services
from inquiries.models import Evidence
from minutes import services as minutes_services
from minutes.models import MinutesRecord
from recommendations import services as recommendation_services
from search import index as search
from search.models import SearchEntry
from tests.conftest import CANARY
from tests.factories import (
    LONDON,
    AgendaItemFactory,
    BoardFactory,
    InquiryFactory,
    MeetingFactory,
    StatementFactory,
    pdf_bytes,
)

URL = reverse("search:search")


def get(client: Client, q: str, **params):
    return client.get(URL, {"q": q, **params})


def titles(response) -> list[str]:
    results = response.context["results"]
    return [entry.title for entry in results] if results is not None else []


def count(response) -> int:
    return response.context["results"].paginator.count


def after_heading(response) -> str:
    """The results part of the page, after the heading that repeats the query."""
    return response.text.split('id="results-heading"', 1)[1].split("</h2>", 1)[1]


def released(meeting, by) -> None:
    """The meeting's draft minutes released to the public, as an officer does."""
    record = MinutesRecord.objects.get(meeting=meeting)
    minutes_services.minutes_release(minutes=record, by=by)


def published(meeting, clerk) -> None:
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")


def on(day: datetime.date, **kwargs):
    starts_at = datetime.datetime.combine(day, datetime.time(10), tzinfo=LONDON)
    return MeetingFactory(starts_at=starts_at, **kwargs)


def upload(text: str, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(2, text), "application/pdf")


# Finding things ---------------------------------------------------------------------------------


def test_finds_a_word_that_appears_only_inside_an_uploaded_pdf(board, clerk):
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Highways"))
    services.paper_upload(
        paper=Paper(agenda_item=item, title="Contractor report"),
        upload=upload("Resurfacing by Tarmacadamco"),
    )
    published(meeting, clerk)

    response = get(Client(), "Tarmacadamco")

    assert response.status_code == 200
    assert titles(response) == ["Contractor report"]
    assert "<mark>Tarmacadamco</mark>" in response.text
    assert 'href="{}"'.format(reverse("boards:paper-detail", args=[item.papers.get().pk])) in (
        response.text
    )


def test_a_title_match_ranks_above_a_body_match(board, clerk):
    meeting = MeetingFactory(board=board)
    # The title match is made first, so that newest-first alone would put it second.
    services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Potholes", purpose="A report on the roads.")
    )
    services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title="Highways maintenance", purpose="The backlog of potholes."),
    )
    published(meeting, clerk)

    assert titles(get(Client(), "potholes")) == ["Potholes", "Highways maintenance"]


def test_postgresql_stems_english_words_and_sqlite_matches_plainly(board, clerk):
    """One test for both databases: PostgreSQL's English stemming finds "restructuring" in
    "restructure" and ranks by weight; SQLite's fallback matches the letters as typed."""
    meeting = MeetingFactory(board=board)
    services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title="Staffing", purpose="A proposal to restructure the service."),
    )
    published(meeting, clerk)

    stemmed = get(Client(), "restructuring")
    as_typed = get(Client(), "restructure")

    assert titles(as_typed) == ["Staffing"]
    assert "<mark>restructure</mark>" in as_typed.text
    if connection.vendor == "postgresql":
        assert titles(stemmed) == ["Staffing"]
        assert "<mark>restructure</mark>" in stemmed.text
        entry = SearchEntry.objects.get(kind="item", listing=False)
        assert entry.vector is not None
    else:
        assert titles(stemmed) == []
        assert "0 results" in stemmed.text


def test_every_word_must_match_and_phrases_keep_their_words_together(board, clerk):
    meeting = MeetingFactory(board=board)
    services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Library opening hours", purpose="Weekends.")
    )
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Library budget"))
    published(meeting, clerk)

    assert titles(get(Client(), "library hours")) == ["Library opening hours"]
    assert sorted(titles(get(Client(), "library"))) == ["Library budget", "Library opening hours"]


@pytest.mark.parametrize(
    "hostile",
    ["----------", "-" * 199, "a " + "-" * 150 + "b", '"""', "& | ! <->", "((((((((((", "-"],
)
def test_operators_alone_or_in_runs_find_nothing_and_never_fail(board, clerk, hostile):
    meeting = MeetingFactory(board=board)
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Library budget"))
    published(meeting, clerk)

    response = get(Client(), hostile)

    assert response.status_code == 200
    assert "Library budget" not in titles(response) or hostile.startswith("a ")


def test_a_minus_before_a_word_leaves_it_out_and_a_hyphen_inside_one_does_not(board, clerk):
    meeting = MeetingFactory(board=board)
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Library budget"))
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Library re-opening hours"))
    published(meeting, clerk)

    assert titles(get(Client(), "re-opening")) == ["Library re-opening hours"]
    if connection.vendor == "postgresql":  # SQLite's plain matching has no "-not"
        assert titles(get(Client(), "library -budget")) == ["Library re-opening hours"]


def test_searches_minutes_resolutions_inquiries_statements_recommendations_and_evidence(
    board, clerk, officer
):
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Parks"))
    published(meeting, clerk)
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)
    minutes_services.minute_autosave(
        minute=minute, narrative="Members discussed wildflower verges.", version=1, by=officer
    )
    minutes_services.resolution_add(minute=minute, text="That the hedgehog survey be funded.")
    released(meeting, officer)
    inquiry = inquiry_services.inquiry_create(
        board=board,
        title="Inquiry into green spaces",
        scope="How the council looks after meadows.",
        on=datetime.date(2017, 1, 5),
    )
    statement = StatementFactory(inquiry=inquiry, title="Green spaces statement")
    section = statement.sections.create(position=1, heading="Introduction")
    recommendation_services.section_save(section=section, body="Volunteers planted an orchard.")
    recommendation_services.recommendation_add(
        statement=statement, text="That the Director plants more beehives."
    )
    recommendation_services.statement_publish(statement=statement, on=datetime.date(2017, 5, 1))
    evidence = Evidence.objects.create(
        inquiry=inquiry,
        kind=Evidence.Kind.WRITTEN,
        title="Friends of the park",
        received_on=datetime.date(2017, 2, 1),
        body="Letter about allotments.",
    )
    search.refresh(evidence)

    client = Client()
    assert titles(get(client, "wildflower")) == [f"Minute {minute.number}: Parks"]
    assert titles(get(client, "hedgehog")) == [f"Minute {minute.number}: Parks"]
    assert titles(get(client, "meadows")) == ["Inquiry into green spaces"]
    assert titles(get(client, "orchard")) == ["Green spaces statement"]
    assert titles(get(client, "beehives")) == ["Recommendation 1: Inquiry into green spaces"]
    assert titles(get(client, "allotments")) == ["Friends of the park"]
    kinds = [entry.kind for entry in get(client, "wildflower").context["results"]]
    assert kinds == [SearchEntry.Kind.MINUTE]


def test_results_link_to_the_page_that_shows_them(board, clerk, officer):
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Waste collection"))
    published(meeting, clerk)
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)
    released(meeting, officer)

    urls = [entry.url for entry in get(Client(), "waste").context["results"]]

    assert sorted(urls) == sorted(
        [
            f"{meeting.get_absolute_url()}#item-{item.number}",
            f"{reverse('minutes:minutes-detail', args=[meeting.pk])}#minute-{minute.number}",
        ]
    )


# The exempt canary ------------------------------------------------------------------------------


@pytest.fixture
def canary_everywhere(published_meeting, officer, clerk, board):
    """The published meeting's exempt item, report and PDF appendix hold the canary; so do an
    exempt minute (with a public summary) and exempt evidence of the board's inquiry."""
    item = published_meeting.agenda_items.get(title="Staffing restructure")
    minute = minutes_services.minute_take(meeting=published_meeting, agenda_item=item, by=officer)
    minutes_services.minute_update(
        minute=minute,
        version=minute.version,
        by=officer,
        narrative=f"The board discussed {CANARY}.",
        public_summary="The board considered the staffing proposals in private.",
    )
    minutes_services.resolution_add(minute=minute, text=f"That {CANARY} be agreed.")
    released(published_meeting, officer)
    inquiry = InquiryFactory(board=board, title="Inquiry into staffing")
    evidence = Evidence.objects.create(
        inquiry=inquiry,
        kind=Evidence.Kind.WRITTEN,
        title="Union submission",
        received_on=datetime.date(2017, 2, 1),
        body=f"Confidential {CANARY}.",
        exempt=True,
    )
    search.refresh(evidence)
    return published_meeting


@pytest.mark.parametrize("audience", ["public", "other councillor"])
def test_exempt_text_never_reaches_a_result_a_snippet_or_a_count(
    canary_everywhere, audiences, audience
):
    client = audiences[audience]
    # Parts of the canary: the page echoes the query, so nothing else may hold the whole.
    for query in ["CANARY", "7f3a9c", "exempt", "CANARY 7f3a9c", '"CANARY-7f3a9c"']:
        response = get(client, query)
        assert response.status_code == 200
        assert CANARY not in response.text, f"{audience} saw the canary searching {query!r}"
        # Not even a count gives it away.
        assert count(response) == 0, f"{audience} counted hidden results for {query!r}"
    # The whole canary: only the echo of the query, no result.
    response = get(client, CANARY)
    assert count(response) == 0
    assert CANARY not in after_heading(response)
    # Each kind alone, too.
    for kind in SearchEntry.Kind.values:
        assert count(get(client, CANARY, kind=kind)) == 0


@pytest.mark.parametrize("audience", ["public", "other councillor"])
def test_exempt_records_are_found_by_their_titles_only(canary_everywhere, audiences, audience):
    client = audiences[audience]

    item = get(client, "staffing restructure")
    assert "Staffing restructure" in titles(item)
    assert "Only its title can be shown to you." in item.text

    minute = get(client, "staffing proposals private")
    assert [t for t in titles(minute) if t.startswith("Minute")] == [
        f"Minute {canary_everywhere.minute_entries.get().number}: Staffing restructure"
    ]
    assert "Only its title and public summary can be shown to you." in minute.text

    assert titles(get(client, "Union submission")) == ["Union submission"]
    assert titles(get(client, "supplier prices")) == ["Appendix A – supplier prices"]
    for response in [item, minute]:
        assert CANARY not in response.text


@pytest.mark.parametrize("audience", ["councillor", "officer", "clerk", "administrator"])
def test_members_of_the_board_and_staff_find_the_exempt_text(
    canary_everywhere, audiences, audience
):
    response = get(audiences[audience], CANARY)

    found = titles(response)
    assert "Appendix A – supplier prices" in found  # from the uploaded PDF
    assert "Restructure report" in found  # the written report
    assert "Staffing restructure" in found  # the item's purpose
    assert any(title.startswith("Minute") for title in found)  # narrative and resolution
    assert "Union submission" in found  # exempt evidence
    assert CANARY in response.text  # in the snippets
    assert "Only its title" not in response.text
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_paper_made_exempt_by_any_route_is_hidden_before_it_is_indexed_again(board, clerk):
    """Marking a paper exempt by any route hides its text at once, before anyone reindexes."""
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Contracts"))
    paper = services.paper_write(
        paper=Paper(agenda_item=item, title="Tender report", summary="Bids from Acmeco.")
    )
    published(meeting, clerk)
    assert titles(get(Client(), "Acmeco")) == ["Tender report"]

    Paper.objects.filter(pk=paper.pk).update(
        exempt=True, exempt_paragraph=3, public_interest_reasoning="Commercial."
    )

    response = get(Client(), "Acmeco")
    assert count(response) == 0
    assert "Acmeco" not in after_heading(response)


# Drafts -----------------------------------------------------------------------------------------


def test_unpublished_items_and_papers_are_found_by_staff_only(published_meeting, audiences):
    for audience in ["public", "councillor", "other councillor"]:
        assert count(get(audiences[audience], "draft-text")) == 0
        assert "Draft item not yet published" not in titles(get(audiences[audience], "draft item"))
    for audience in ["officer", "clerk"]:
        assert titles(get(audiences[audience], "draft-text")) == ["Draft paper"]


def test_draft_minutes_are_found_by_the_public_once_released(board, clerk, officer, audiences):
    meeting = on(datetime.date(2016, 2, 22), board=board)
    later = on(datetime.date(2016, 3, 21), board=board)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Tourism"))
    published(meeting, clerk)
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)
    minutes_services.minute_autosave(
        minute=minute, narrative="Members praised the bandstand.", version=1, by=officer
    )
    for audience in ["public", "councillor"]:
        assert count(get(audiences[audience], "bandstand")) == 0
    assert count(get(audiences["officer"], "bandstand")) == 1

    record = MinutesRecord.objects.get(meeting=meeting)
    minutes_services.minutes_release(minutes=record, by=officer)
    for audience in ["public", "councillor"]:
        assert count(get(audiences[audience], "bandstand")) == 1

    minutes_services.minutes_approve(
        minutes=MinutesRecord.objects.get(meeting=meeting), at=later, by=officer
    )
    assert count(get(audiences["public"], "bandstand")) == 1


def test_draft_statements_and_their_recommendations_are_found_by_staff_only(board, audiences):
    inquiry = InquiryFactory(board=board)
    statement = StatementFactory(inquiry=inquiry, title="Draft findings")
    recommendation_services.recommendation_add(
        statement=statement, text="That the Director installs solar panels."
    )
    search.refresh(statement)

    for audience in ["public", "councillor"]:
        assert count(get(audiences[audience], "solar")) == 0
        assert count(get(audiences[audience], "draft findings")) == 0
    assert count(get(audiences["officer"], "solar")) == 1

    recommendation_services.statement_publish(statement=statement, on=timezone.localdate())

    assert titles(get(audiences["public"], "solar")) == [f"Recommendation 1: {inquiry.title}"]
    assert titles(get(audiences["public"], "draft findings")) == ["Draft findings"]


# Filters and pages ------------------------------------------------------------------------------


@pytest.fixture
def three_meetings(clerk):
    """ "Flooding" on the agendas of two boards, on three dates."""
    first, second = BoardFactory(name="Environment Board"), BoardFactory(name="Housing Board")
    meetings = [
        on(datetime.date(2016, 1, 11), board=first),
        on(datetime.date(2016, 6, 13), board=first),
        on(datetime.date(2016, 9, 12), board=second),
    ]
    for meeting in meetings:
        services.agenda_item_add(
            meeting=meeting,
            item=AgendaItem(title=f"Flooding, {meeting.starts_at:%B}", purpose="Flood plans."),
        )
        published(meeting, clerk)
    return first, second


def test_filters_by_board_dates_and_kind(three_meetings, clerk):
    first, second = three_meetings
    client = Client()

    assert titles(get(client, "flooding")) == [
        "Flooding, September",
        "Flooding, June",
        "Flooding, January",
    ]
    assert titles(get(client, "flooding", board=first.slug)) == [
        "Flooding, June",
        "Flooding, January",
    ]
    assert titles(get(client, "flooding", date_from="2016-06-13", date_to="2016-09-01")) == [
        "Flooding, June"
    ]
    assert titles(get(client, "flooding", date_from="2016-07-01")) == ["Flooding, September"]
    assert titles(get(client, "flooding", date_to="2016-01-11")) == ["Flooding, January"]
    assert titles(get(client, "flooding", kind="paper")) == []
    assert len(titles(get(client, "flooding", kind=["item", "paper"]))) == 3
    selected = get(client, "flooding", board=second.slug).text
    assert f'<option value="{second.slug}" selected>' in selected


def test_results_are_paginated_keeping_the_query(board, clerk):
    meeting = MeetingFactory(board=board)
    AgendaItemFactory.create_batch(25, meeting=meeting, title="Allotments report")
    published(meeting, clerk)
    search.rebuild()

    first = get(Client(), "allotments", board=board.slug)
    second = get(Client(), "allotments", board=board.slug, page=2)

    assert count(first) == 25
    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    assert "Page 1 of 2" in first.text
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', first.text).group(1)
    assert "q=allotments" in next_link and f"board={board.slug}" in next_link
    ids = {e.pk for e in first.context["results"]} | {e.pk for e in second.context["results"]}
    assert len(ids) == 25
    # A page past the end shows the last; nonsense shows the first.
    assert len(titles(get(Client(), "allotments", page=99))) == 5
    assert len(titles(get(Client(), "allotments", page="x"))) == 20


def _matching(board, clerk, number: int) -> None:
    meeting = MeetingFactory(board=board)
    items = AgendaItemFactory.create_batch(number, meeting=meeting, purpose="Street trees.")
    for item in items:
        Paper.objects.create(agenda_item=item, title=f"Trees {item.number}", summary="Trees.")
    published(meeting, clerk)
    search.rebuild()


@pytest.mark.parametrize("audience", ["public", "councillor", "officer"])
def test_a_page_of_results_takes_the_same_queries_for_5_or_50_records(
    board, clerk, audiences, audience, django_assert_max_num_queries
):
    client = audiences[audience]
    client.get(URL)  # the session and the audience's first look-ups
    _matching(board, clerk, 5)
    with CaptureQueriesContext(connection) as few:
        assert count(get(client, "trees")) == 10
    _matching(board, clerk, 45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = get(client, "trees")
    assert count(response) == 100
    assert len(titles(response)) == 20


# Bad input --------------------------------------------------------------------------------------


def test_dates_that_are_not_dates_are_explained_not_a_server_error(db):
    response = Client().get(URL, {"q": "budget", "date_from": "31/02/2016", "date_to": "soon"})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "The ‘from’ date must be a real date, such as 21 3 2016" in response.text
    assert response.text.count("The ‘to’ date must be a real date, such as 21 3 2017") == 2
    assert response.context["results"] is None


def test_a_to_date_before_the_from_date_is_explained(db):
    response = Client().get(
        URL, {"q": "budget", "date_from": "2016-03-02", "date_to": "2016-03-01"}
    )

    assert response.status_code == 200
    assert "The ‘to’ date must be the same as or after the ‘from’ date" in response.text


def test_an_unknown_board_or_kind_is_explained(db):
    response = Client().get(URL, {"q": "budget", "board": "nonsense", "kind": "secret"})

    assert response.status_code == 200
    assert "Choose a board from the list" in response.text
    assert "Choose only from the kinds listed" in response.text


def test_an_over_long_query_is_cut_short(board, clerk):
    meeting = MeetingFactory(board=board)
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Bridges"))
    published(meeting, clerk)

    response = get(Client(), "bridges " + "x" * 5000)

    assert response.status_code == 200
    assert len(response.context["query"].text) == search.MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    "query",
    ["<script>", "' OR 1=1 --", "a & b | !c", "(((", ":*", '"unclosed', "-", "the", "%_", "\\"],
)
def test_odd_queries_answer_without_error(published_meeting, query):
    response = get(Client(), query)

    assert response.status_code == 200
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_snippets_escape_the_text_and_mark_only_the_matches(board, clerk):
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Website"))
    services.paper_write(
        paper=Paper(
            agenda_item=item,
            title="Web report",
            summary="Fees & charges: the <script>alert(1)</script> portal uses "
            "\ue000cookies\ue001 <b>daily</b>.",
        )
    )
    published(meeting, clerk)

    response = get(Client(), "portal")

    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', response.text).group(1)
    assert "<mark>portal</mark>" in snippet
    assert snippet.count("<mark>") == 1
    assert "&amp; charges" in snippet
    assert "<script" not in snippet and "<b>" not in snippet  # escaped, or dropped by PostgreSQL
    assert "\ue000" not in snippet and "\ue001" not in snippet
    assert "cookies" in snippet
    if connection.vendor != "postgresql":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet


def test_no_query_shows_the_form_and_no_results(db):
    response = Client().get(URL)

    assert response.status_code == 200
    assert response.context["results"] is None
    assert "<h1>Search</h1>" in response.text
    assert 'name="q"' in response.text


def test_every_page_has_the_search_box_in_its_header(db):
    page = Client().get(reverse("boards:board-list")).text

    assert f'action="{URL}"' in page
    assert 'role="search"' in page


# Keeping the index up to date -------------------------------------------------------------------


def test_editing_an_item_or_a_written_report_updates_what_search_finds(
    board, clerk, officer, client_for
):
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Buses"))
    paper = services.paper_write(paper=Paper(agenda_item=item, title="Bus report"))
    editor = client_for(officer)

    editor.post(
        reverse("boards:agenda-item-edit", args=[item.pk]),
        {f"item-{item.pk}-title": "Trams", f"item-{item.pk}-kind": "report"},
    )
    editor.post(
        reverse("boards:paper-edit", args=[paper.pk]),
        {
            "title": "Tram report",
            "kind": "report",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "sections-0-heading": "Background",
            "sections-0-body": "Overhead lines in the city centre.",
        },
    )

    assert "Trams" in titles(get(editor, "trams"))
    assert titles(get(editor, "buses")) == []
    assert titles(get(editor, "overhead")) == ["Tram report"]


def test_a_removed_draft_leaves_the_index_and_a_moved_meeting_redates_its_results(
    board, clerk, officer
):
    meeting = on(datetime.date(2016, 3, 21), board=board)
    keep = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Cycling lanes"))
    drop = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Cycling hire"))
    services.paper_upload(paper=Paper(agenda_item=drop, title="Hire"), upload=upload("cycling"))

    services.agenda_item_remove(item=drop, by=clerk)
    services.meeting_move(
        meeting=meeting,
        starts_at=datetime.datetime(2016, 3, 28, 10, tzinfo=LONDON),
        reason="Room double-booked.",
    )

    entries = SearchEntry.objects.filter(listing=False)
    assert [(e.kind, e.object_id) for e in entries] == [("item", keep.pk)]
    assert entries.get().date == datetime.date(2016, 3, 28)


def test_rebuild_indexes_records_made_without_the_services_and_drops_deleted_ones(board, clerk):
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting, title="Recycling centres")
    published(meeting, clerk)
    SearchEntry.objects.create(
        kind="paper", object_id=999_999, board=board, title="Gone", url="/gone/"
    )

    assert search.rebuild() >= 1

    assert titles(get(Client(), "recycling")) == ["Recycling centres"]
    assert not SearchEntry.objects.filter(object_id=999_999).exists()
    assert SearchEntry.objects.filter(kind="item", object_id=item.pk).count() == 2
