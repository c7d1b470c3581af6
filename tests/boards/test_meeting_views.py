"""Meeting, agenda and paper pages: who may open what, the exempt canary, query budgets, and
the agenda editor's htmx and plain-form flows."""

import datetime
import itertools
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone

from boards import services
from boards.models import AgendaItem, Meeting, Paper, Publication
from tests.conftest import CANARY
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    UserFactory,
    pdf_bytes,
    sign_in,
)
from tests.matrix import DRAFT_READERS, EVERYONE, expect

HTMX = {"HX-Request": "true"}


def _papers(meeting):
    return {paper.title: paper for paper in Paper.objects.filter(agenda_item__meeting=meeting)}


# Who may open each page: (url builder, {audience: expected status}).


PAGES = {
    "meeting page": (lambda m, p: reverse("boards:meeting-detail", args=[m.pk]), expect(EVERYONE)),
    "agenda editor": (
        lambda m, p: reverse("boards:agenda-edit", args=[m.pk]),
        expect(["officer", "clerk", "administrator"]),
    ),
    "publish page": (
        lambda m, p: reverse("boards:agenda-publish", args=[m.pk]),
        expect(["clerk", "administrator"]),
    ),
    "new meeting": (
        lambda m, p: reverse("boards:meeting-create", args=[m.board.slug]),
        expect(["officer", "clerk", "administrator"]),
    ),
    "move meeting": (
        lambda m, p: reverse("boards:meeting-move", args=[m.pk]),
        expect(["officer", "clerk", "administrator"]),
    ),
    "edit item": (
        lambda m, p: reverse("boards:agenda-item-edit", args=[m.agenda_items.first().pk]),
        expect(["officer", "clerk", "administrator"]),
    ),
    "attach a PDF": (
        lambda m, p: reverse("boards:paper-upload", args=[m.agenda_items.first().pk]),
        expect(["officer", "clerk", "administrator"]),
    ),
    "open paper": (
        lambda m, p: reverse("boards:paper-detail", args=[p["Budget report"].pk]),
        expect(EVERYONE),
    ),
    "open PDF": (
        lambda m, p: reverse("boards:paper-download", args=[p["Open appendix"].pk]),
        expect(EVERYONE),
    ),
    "exempt PDF": (
        lambda m, p: reverse("boards:paper-download", args=[p["Appendix A – supplier prices"].pk]),
        expect([*DRAFT_READERS, "councillor"], refused=404, public=404),
    ),
    "draft PDF": (
        lambda m, p: reverse("boards:paper-download", args=[p["Draft paper"].pk]),
        expect(DRAFT_READERS, refused=404, public=404),
    ),
    "draft paper page": (
        lambda m, p: reverse("boards:paper-detail", args=[p["Draft paper"].pk]),
        expect(DRAFT_READERS, refused=404, public=404),
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(published_meeting, audiences, page):
    url_for, expected = PAGES[page]
    url = url_for(published_meeting, _papers(published_meeting))
    seen = {name: audiences[name].get(url).status_code for name in EVERYONE}
    assert seen == expected


def _boards_urls_for(meeting):
    """Every URL of the boards app, with every object of the meeting in each parameter."""
    values = {
        "pk": [
            meeting.pk,
            *meeting.agenda_items.values_list("pk", flat=True),
            *Paper.objects.filter(agenda_item__meeting=meeting).values_list("pk", flat=True),
        ],
        "item_pk": list(meeting.agenda_items.values_list("pk", flat=True)),
        "slug": [meeting.board.slug],
    }
    urls = set()
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", [pattern]):
            if not isinstance(inner, URLPattern) or not inner.name:
                continue
            namespace = getattr(pattern, "namespace", None)
            name = f"{namespace}:{inner.name}" if namespace else inner.name
            keys = sorted(inner.pattern.regex.groupindex)
            for combination in itertools.product(*(values.get(key, []) for key in keys)):
                try:
                    urls.add(reverse(name, kwargs=dict(zip(keys, combination, strict=True))))
                except NoReverseMatch:
                    continue
    return sorted(urls)


@pytest.mark.parametrize("audience", ["public", "other councillor"])
def test_exempt_canary_never_reaches_those_not_entitled(published_meeting, audiences, audience):
    urls = _boards_urls_for(published_meeting)
    assert len(urls) > 30
    client = audiences[audience]
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert CANARY.encode() not in body, f"{audience} saw the canary at {url}"
    # …while they still see that the exempt items exist, and why they are held back.
    page = client.get(published_meeting.get_absolute_url()).text
    assert "Staffing restructure" in page
    assert "Not for publication by virtue of paragraph 1 of Part 1 of Schedule 12A" in page
    assert "Appendix A – supplier prices" in page


@pytest.mark.parametrize("audience", ["councillor", "officer", "clerk"])
def test_members_and_staff_read_the_exempt_papers(published_meeting, audiences, audience):
    client = audiences[audience]
    assert CANARY in client.get(published_meeting.get_absolute_url()).text
    papers = _papers(published_meeting)
    download = client.get(
        reverse("boards:paper-download", args=[papers["Appendix A – supplier prices"].pk])
    )
    assert CANARY.encode() in b"".join(download.streaming_content)
    assert download.headers["Cache-Control"] == "private, no-store"
    report = client.get(reverse("boards:paper-detail", args=[papers["Restructure report"].pk]))
    assert CANARY in report.text


def test_downloads_are_served_inline_as_pdf_under_a_safe_name(published_meeting):
    paper = _papers(published_meeting)["Open appendix"]
    response = Client().get(reverse("boards:paper-download", args=[paper.pk]))
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="open-appendix.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_public_sees_no_agenda_before_it_is_published(db, clerk):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, title="Secret draft title")
    page = Client().get(meeting.get_absolute_url()).text
    assert "Secret draft title" not in page
    assert "The agenda will be published by" in page
    clerk_client = sign_in(Client(), clerk)
    assert "Secret draft title" in clerk_client.get(meeting.get_absolute_url()).text


def _big_agenda(board, items: int, papers: int) -> Meeting:
    meeting = MeetingFactory(board=board)
    for number in range(1, items + 1):
        item = AgendaItemFactory(meeting=meeting, number=number)
        for _ in range(papers):
            report = PaperFactory(agenda_item=item)
            PaperFactory(agenda_item=item, parent=report, kind=Paper.Kind.APPENDIX, upload=True)
    record = Publication.objects.create(
        meeting=meeting,
        kind="agenda",
        published_at=timezone.now(),
        published_by=UserFactory(),
        deadline=meeting.date,
    )
    meeting.agenda_items.update(publication=record)
    Paper.objects.filter(agenda_item__meeting=meeting).update(publication=record)
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    return meeting


@pytest.mark.parametrize("size", [(1, 1), (15, 3)], ids=["small", "large"])
@pytest.mark.parametrize(
    ("audience", "page", "budget"),
    [
        ("public", "boards:meeting-detail", 8),
        ("councillor", "boards:meeting-detail", 15),  # +1: when the agenda was published
        # Staff: +1, the device that gave the session its second factor.
        ("clerk", "boards:meeting-detail", 15),  # +1: the agenda packs; +1: the summons sent
        ("clerk", "boards:agenda-edit", 18),  # +1: papers the pack awaits the conversion of
        ("public", "boards:meeting-list", 6),
    ],
)
def test_pages_run_a_bounded_number_of_queries(
    board, audiences, django_assert_max_num_queries, size, audience, page, budget
):
    meeting = _big_agenda(board, *size)
    for _ in range(size[0]):
        MeetingFactory(board=board)
    url = reverse(page, args=[meeting.pk]) if page != "boards:meeting-list" else reverse(page)
    with django_assert_max_num_queries(budget):
        response = audiences[audience].get(url)
    assert response.status_code == 200


def test_board_page_runs_a_bounded_number_of_queries(board, django_assert_max_num_queries):
    for _ in range(20):
        MembershipFactory(board=board)
        MeetingFactory(board=board)
    # Two of them say which years it shows: the municipal years recorded near today, and those
    # of the board's meetings (for its links to earlier years); one counts its open actions.
    with django_assert_max_num_queries(11):
        response = Client().get(reverse("boards:board-detail", args=[board.slug]))
    assert response.status_code == 200
    assert response.text.count('<tr><th scope="row">') == 20


# The agenda editor.


@pytest.fixture
def meeting(board):
    return services.meeting_create(
        board=board, starts_at=timezone.now() + datetime.timedelta(days=40), venue=None
    )


def _numbers(meeting):
    return list(meeting.agenda_items.order_by("number").values_list("title", flat=True))


def test_new_meeting_form_creates_the_standard_agenda(board, editor):
    response = editor.post(
        reverse("boards:meeting-create", args=[board.slug]),
        {
            "date": "2027-04-01",
            "start_time": "10:00",
            "pre_meeting_at": "09:30",
            "recording_allowed": "on",
        },
    )
    meeting = Meeting.objects.get(board=board)
    assert response.url == reverse("boards:agenda-edit", args=[meeting.pk])
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2027-04-01 10:00"
    assert meeting.agenda_items.count() == 8
    assert meeting.publication_deadline == datetime.date(2027, 3, 22)


def test_new_meeting_form_explains_bad_input_and_keeps_it(board, editor):
    response = editor.post(
        reverse("boards:meeting-create", args=[board.slug]),
        {
            "date_day": "1",
            "date_month": "4",
            "date_year": "2027",
            "start_time": "10:00",
            "end_time": "09:00",
            "pre_meeting_at": "11:00",
        },
    )
    assert response.status_code == 422
    assert "The meeting must end after it starts." in response.text
    assert "The pre-meeting must start before the meeting." in response.text
    for part, value in (("day", "1"), ("month", "4"), ("year", "2027")):
        assert f'name="date_{part}" value="{value}"' in response.text
    assert not Meeting.objects.exists()


def test_adding_an_item_with_htmx_returns_the_renumbered_agenda(meeting, editor):
    response = editor.post(
        reverse("boards:agenda-item-add", args=[meeting.pk]),
        {"new-kind": "report", "new-title": "Budget proposals", "new-purpose": "To consider."},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert 'id="agenda-items"' in response.text
    assert "<html" not in response.text
    assert "Item 7 added." in response.text
    assert _numbers(meeting)[6:] == [
        "Budget proposals",
        "Work schedule",
        "Date and time of next meeting",
    ]


def test_an_invalid_item_is_refused_with_its_errors_in_place(meeting, editor):
    response = editor.post(
        reverse("boards:agenda-item-add", args=[meeting.pk]),
        {"new-kind": "report", "new-title": "Secret", "new-exempt": "on"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#add-item"
    assert "Choose the paragraph of Schedule 12A that applies." in response.text
    assert "Explain why the public interest" in response.text
    assert 'value="Secret"' in response.text
    assert meeting.agenda_items.count() == 8


def test_a_late_item_needs_its_special_circumstances(meeting, editor):
    response = editor.post(
        reverse("boards:agenda-item-add", args=[meeting.pk]),
        {"new-kind": "report", "new-title": "Urgent", "new-late": "on"},
    )
    assert response.status_code == 422
    assert "Give the special circumstances" in response.text


def test_moving_an_item_keeps_focus_and_announces_the_move(meeting, editor):
    item = meeting.agenda_items.get(number=3)
    response = editor.post(
        reverse("boards:agenda-item-move", args=[item.pk]), {"direction": "up"}, headers=HTMX
    )
    item.refresh_from_db()
    assert item.number == 2
    assert f"{item.title} is now item 2." in response.text
    trigger = json.loads(response.headers["HX-Trigger-After-Settle"])
    assert trigger == {"scrutiny:focus": {"id": f"move-up-{item.pk}"}}


def test_moving_without_javascript_redirects_back_to_the_editor(meeting, editor):
    item = meeting.agenda_items.get(number=1)
    response = editor.post(
        reverse("boards:agenda-item-move", args=[item.pk]), {"direction": "down"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.number == 2


def test_dragging_posts_the_new_order(meeting, editor):
    ids = list(meeting.agenda_items.order_by("number").values_list("pk", flat=True))
    new_order = [ids[-1], *ids[:-1]]
    response = editor.post(
        reverse("boards:agenda-reorder", args=[meeting.pk]), {"item": new_order}, headers=HTMX
    )
    assert response.status_code == 200
    assert list(meeting.agenda_items.order_by("number").values_list("pk", flat=True)) == new_order


def test_a_stale_order_changes_nothing_and_says_so(meeting, editor):
    before = _numbers(meeting)
    editor.post(reverse("boards:agenda-reorder", args=[meeting.pk]), {"item": ["1", "x"]})
    assert _numbers(meeting) == before


def test_editing_an_item_inline(meeting, editor):
    item = meeting.agenda_items.get(number=1)
    form = editor.get(reverse("boards:agenda-item-edit", args=[item.pk]), headers=HTMX)
    assert "<form" in form.text and "<html" not in form.text
    response = editor.post(
        reverse("boards:agenda-item-edit", args=[item.pk]),
        {
            f"item-{item.pk}-kind": "appeals",
            f"item-{item.pk}-title": "Appeals (renamed)",
            f"item-{item.pk}-purpose": "New purpose",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Appeals (renamed)"


def test_a_pdf_that_is_not_a_pdf_is_refused_clearly(meeting, editor):
    item = meeting.agenda_items.get(number=1)
    fake = SimpleUploadedFile("report.pdf", b"\x89PNG\r\n\x1a\nnot a pdf", "application/pdf")
    response = editor.post(
        reverse("boards:paper-upload", args=[item.pk]),
        {"kind": "report", "title": "Report", "file": fake},
    )
    assert response.status_code == 422
    assert (
        "The selected file must be a PDF, a Word document (.docx) or an OpenDocument text (.odt)."
        in response.text
    )
    assert not Paper.objects.exists()


def test_attaching_a_pdf(meeting, editor):
    item = meeting.agenda_items.get(number=1)
    upload = SimpleUploadedFile("My Report (final).pdf", pdf_bytes(4), "application/pdf")
    response = editor.post(
        reverse("boards:paper-upload", args=[item.pk]),
        {"kind": "report", "title": "Report", "file": upload},
    )
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert paper.page_count == 4
    assert paper.original_filename == "My Report (final).pdf"
    assert "My Report" not in paper.file.name


def test_writing_a_report_with_numbered_sections(meeting, editor):
    item = meeting.agenda_items.get(number=1)
    response = editor.post(
        reverse("boards:paper-write", args=[item.pk]),
        {
            "title": "ICT capacity",
            "summary": "Summary.",
            "recommendations": "- a) note",
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-0-heading": "Purpose",
            "sections-0-body": "First.\n\nSecond.",
            "sections-1-heading": "Background",
            "sections-1-body": "Third.",
        },
    )
    paper = Paper.objects.get()
    assert response.url == paper.get_absolute_url()
    assert [(s.number, s.heading) for s in paper.sections.all()] == [
        (1, "Purpose"),
        (2, "Background"),
    ]
    page = editor.get(paper.get_absolute_url()).text
    assert "1.2" in page and "Second." in page


def test_publishing_late_needs_a_reason_and_records_who(board, clerk):
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() + datetime.timedelta(days=2), venue=None
    )
    client = sign_in(Client(), clerk)
    url = reverse("boards:agenda-publish", args=[meeting.pk])
    assert "This is late." in client.get(url).text
    refused = client.post(url, {"late_reason": ""})
    assert refused.status_code == 422
    assert "Record why it is being published late." in refused.text
    assert not Publication.objects.exists()
    client.post(url, {"late_reason": "The report was delayed by the audit."})
    record = Publication.objects.get()
    assert record.late and record.published_by == clerk
    page = client.get(meeting.get_absolute_url()).text
    assert "The report was delayed by the audit." in page


def test_withdrawing_a_published_item_needs_a_reason(published_meeting, officer):
    client = sign_in(Client(), officer)
    item = published_meeting.agenda_items.get(title="Open report on budgets")
    url = reverse("boards:agenda-item-remove", args=[item.pk])
    assert client.post(url, {"reason": ""}).status_code == 422
    client.post(url, {"reason": "Deferred to April."})
    item.refresh_from_db()
    assert item.is_withdrawn
    public_page = Client().get(published_meeting.get_absolute_url()).text
    assert "Deferred to April." in public_page
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_supplement_shows_its_publication_date(published_meeting, clerk):
    services.agenda_publish(meeting=published_meeting, by=clerk, late_reason="Late paper.")
    page = Client().get(published_meeting.get_absolute_url()).text
    assert "Draft item not yet published" in page
    assert "Supplement" in page


def test_the_standard_agenda_can_be_edited_and_new_meetings_use_it(board, editor):
    url = reverse("boards:agenda-template-edit", args=[board.slug])
    page = editor.get(url)
    assert "Appeals against refusal of inspection of documents" in page.text
    data = {"items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "2"}
    rows = [
        ("minutes", "Minutes of the last meeting", "2"),
        ("apologies", "Apologies", "1"),
        ("report", "Chair's update", "3"),
    ]
    for index, (kind, title, order) in enumerate(rows):
        data |= {
            f"items-{index}-kind": kind,
            f"items-{index}-title": title,
            f"items-{index}-ORDER": order,
        }
    response = editor.post(url, data)
    assert response.url == reverse("boards:board-detail", args=[board.slug])
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() + datetime.timedelta(days=30), venue=None
    )
    assert _numbers(meeting) == ["Apologies", "Minutes of the last meeting", "Chair's update"]


def test_an_uploaded_papers_exemption_can_be_changed_after_it_is_attached(meeting, editor):
    item = meeting.agenda_items.get(number=1)
    paper = PaperFactory(agenda_item=item, upload=True, title="Tender report")
    url = reverse("boards:paper-edit", args=[paper.pk])
    refused = editor.post(url, {"kind": "report", "title": "Tender report", "exempt": "on"})
    assert refused.status_code == 422
    assert "Choose the paragraph of Schedule 12A that applies." in refused.text
    editor.post(
        url,
        {
            "kind": "report",
            "title": "Tender report",
            "exempt": "on",
            "exempt_paragraph": "3",
            "public_interest_reasoning": "Live tender.",
        },
    )
    paper.refresh_from_db()
    assert paper.exempt and paper.exempt_paragraph == 3


def test_postponing_and_cancelling_a_meeting_need_a_reason_the_public_sees(meeting, editor):
    url = reverse("boards:meeting-postpone", args=[meeting.pk])
    assert editor.post(url, {"reason": ""}).status_code == 422
    editor.post(url, {"reason": "The chair is unwell."})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POSTPONED
    page = Client().get(meeting.get_absolute_url()).text
    assert "Postponed" in page and "The chair is unwell." in page
    editor.post(reverse("boards:meeting-cancel", args=[meeting.pk]), {"reason": "Not needed."})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.sequence == 2


def test_moving_a_meeting_from_its_page(meeting, editor):
    old_start = meeting.starts_at
    new_day = (timezone.localdate() + datetime.timedelta(days=50)).isoformat()
    editor.post(
        reverse("boards:meeting-move", args=[meeting.pk]),
        {"date": new_day, "start_time": "14:00", "reason": "Clash with budget council."},
    )
    meeting.refresh_from_db()
    assert meeting.moved_from == old_start
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == f"{new_day} 14:00"
    assert "moved from" in Client().get(meeting.get_absolute_url()).text


def test_changing_when_a_municipal_year_starts_moves_its_meetings(administrator, board):
    meeting = services.meeting_create(
        board=board,
        starts_at=datetime.datetime(2016, 5, 12, 10, tzinfo=datetime.UTC),
        venue=None,
    )
    assert meeting.municipal_year.label == "2016/17"
    year = meeting.municipal_year
    client = sign_in(Client(), administrator)
    client.post(
        reverse("admin:boards_municipalyear_change", args=[year.pk]), {"starts_on": "2016-05-19"}
    )
    meeting.refresh_from_db()
    assert meeting.municipal_year.label == "2015/16"


# Recording when a meeting held before the council used the app had its papers published.

HELD_AT = datetime.datetime(2016, 3, 21, 10, tzinfo=datetime.UTC)  # Monday 21 March 2016


@pytest.fixture
def held_meeting(board):
    """A meeting held in 2016, entered now with its standard agenda and a report."""
    meeting = services.meeting_create(board=board, starts_at=HELD_AT, venue=None)
    services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Budget proposals 2016/17"))
    return meeting


def _publish_url(meeting, when=""):
    url = reverse("boards:agenda-publish", args=[meeting.pk])
    return f"{url}?when={when}" if when else url


@pytest.mark.parametrize("audience", ["officer", "councillor", "other officer", "public"])
def test_only_clerks_may_record_when_a_past_agenda_was_published(held_meeting, audiences, audience):
    response = audiences[audience].post(_publish_url(held_meeting), {"published_on": "2016-03-14"})

    assert response.status_code == (302 if audience == "public" else 403)
    assert not Publication.objects.exists()
    if audience == "public":
        assert response.url.startswith(reverse("accounts:sign-in"))


def test_a_clerk_records_when_a_past_agenda_was_published(held_meeting, clerk, client_for):
    clerk.first_name, clerk.last_name = "Jane", "Clerk"
    clerk.save()
    client = client_for(clerk)

    page = client.get(_publish_url(held_meeting))
    assert page.status_code == 200
    assert "Record when the agenda was published" in page.text
    assert 'name="published_on_day"' in page.text
    assert "On or before the day of the meeting, and not before 21 March 2015." in page.text
    assert 'name="late_reason"' not in page.text
    assert "This is late." not in page.text

    response = client.post(_publish_url(held_meeting), {"published_on": "2016-03-14"})

    assert response.status_code == 302
    record = Publication.objects.get()
    assert record.is_recorded_afterwards and record.recorded_by == clerk
    assert record.late and record.late_reason == ""
    assert not held_meeting.agenda_items.filter(publication__isnull=True).exists()
    staff_page = client.get(held_meeting.get_absolute_url()).text
    assert "Agenda recorded as published on Monday, 14 March 2016." in staff_page
    assert "Published on Monday, 14 March 2016" in staff_page
    assert "Recorded afterwards</strong> by Jane Clerk on " in staff_page
    assert "late</strong> (deadline Friday, 11 March 2016)" in staff_page
    public_page = Client().get(held_meeting.get_absolute_url()).text
    assert "Published on Monday, 14 March 2016" in public_page
    assert "Budget proposals 2016/17" in public_page
    assert "Recorded afterwards" not in public_page


def test_a_recorded_time_is_shown_with_the_date(held_meeting, clerk, client_for):
    client = client_for(clerk)
    client.post(
        _publish_url(held_meeting), {"published_on": "2016-03-11", "published_time": "16:30"}
    )

    page = Client().get(held_meeting.get_absolute_url()).text
    assert "Published Friday, 11 March 2016 at 4.30 pm" in page
    editor = client.get(reverse("boards:agenda-edit", args=[held_meeting.pk])).text
    assert "The agenda was published Friday, 11 March 2016 at 4.30 pm" in editor


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"published_on": ""}, "Enter the date it was published"),
        (
            {"published_on_day": "30", "published_on_month": "2", "published_on_year": "2016"},
            "Date it was published must be a real date",
        ),
        (
            {"published_on_day": "14", "published_on_month": "", "published_on_year": "2016"},
            "Date it was published must include a month",
        ),
        ({"published_on": "2016-03-22"}, "That is after the meeting: papers are published on"),
        ({"published_on": "2061-03-14"}, "That date is still to come"),
        ({"published_on": "2015-03-14"}, "That is more than a year before the meeting"),
        (
            {"published_on": "2016-03-21", "published_time": "11:00"},
            "That is after the meeting began, at 10.00 am",
        ),
        (
            {"published_on": "2016-03-14", "published_time": "25:00"},
            "Enter a time such as 09:30, or leave it empty.",
        ),
    ],
    ids=[
        "missing",
        "no-such-day",
        "no-month",
        "after-the-meeting",
        "future",
        "years-before",
        "late-time",
        "bad-time",
    ],
)
def test_a_bad_publication_date_is_refused_with_a_clear_message(
    held_meeting, clerk, client_for, data, message
):
    response = client_for(clerk).post(_publish_url(held_meeting), data)

    assert response.status_code == 422
    assert message in response.text
    assert "There is a problem" in response.text
    assert not Publication.objects.exists()


def test_a_held_meeting_can_still_have_its_papers_published_now(held_meeting, clerk, client_for):
    client = client_for(clerk)
    page = client.get(_publish_url(held_meeting, "now"))
    assert "Publish the agenda" in page.text
    assert 'name="late_reason"' in page.text
    assert "Record when they were published" in page.text

    refused = client.post(_publish_url(held_meeting, "now"), {"late_reason": ""})
    assert refused.status_code == 422
    client.post(_publish_url(held_meeting, "now"), {"late_reason": "Found in the archive."})

    record = Publication.objects.get()
    assert not record.is_recorded_afterwards
    assert record.published_by == clerk and record.late_reason == "Found in the archive."


def test_after_a_publication_here_a_held_meeting_publishes_now_unless_asked(
    held_meeting, clerk, client_for
):
    services.agenda_publish(meeting=held_meeting, by=clerk, late_reason="Late.")
    services.agenda_item_add(meeting=held_meeting, item=AgendaItem(title="Presentation"))
    client = client_for(clerk)

    assert "Publish a supplement" in client.get(_publish_url(held_meeting)).text
    asked = client.get(_publish_url(held_meeting, "earlier")).text
    assert "Record when a supplement was published" in asked


def test_a_meeting_to_come_is_published_now_whatever_is_asked(meeting, clerk, client_for):
    page = client_for(clerk).get(_publish_url(meeting, "earlier")).text

    assert "Publish the agenda" in page
    assert 'name="published_on"' not in page
    assert "Record when" not in page


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_meeting_moved_to_an_impossible_year_is_refused_naming_the_field(meeting, editor, day):
    """Issue 15, findings 2 and 10: once a meeting was given the year 9999 the calendars and
    the work schedule answered 500 for everyone and the meeting could not be put right."""
    response = editor.post(
        reverse("boards:meeting-move", args=[meeting.pk]),
        {"date": day, "start_time": "10:00", "reason": "Typing."},
    )
    assert response.status_code == 422
    from boards.dates import plausible_bounds
    from boards.formatting import long_date

    earliest, latest = plausible_bounds(datetime.date.today())
    assert response.context["form"].errors["date"] == [
        f"The new date must be between {long_date(earliest)} and {long_date(latest)}: "
        "check the year."
    ]
    assert Client().get(reverse("opendata:calendar-all")).status_code == 200


def test_a_wrong_date_is_corrected_without_announcing_a_move(meeting, editor):
    wrong = meeting.starts_at
    right = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = editor.post(
        reverse("boards:meeting-move", args=[meeting.pk]),
        {
            "date": right,
            "start_time": "18:30",
            "correction": "on",
            "reason": "Typed 2061 for 2016.",
        },
        follow=True,
    )
    assert "The date has been corrected." in response.text
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == f"{right} 18:30"
    assert meeting.moved_from is None
    assert meeting.status_reason == ""
    assert meeting.sequence == 1  # calendars that hold it follow the correction
    page = Client().get(meeting.get_absolute_url()).text
    assert "moved from" not in page and "Moved:" not in page
    last = meeting.history.first()
    assert last.history_change_reason == "Date corrected: Typed 2061 for 2016."
    assert last.history_user == response.wsgi_request.user
    assert meeting.history.last().starts_at == wrong


def test_a_cancelled_meeting_can_have_its_date_corrected(meeting, editor):
    services.meeting_cancel(meeting=meeting, reason="Not quorate.")
    right = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    editor.post(
        reverse("boards:meeting-move", args=[meeting.pk]),
        {"date": right, "start_time": "10:00", "correction": "on", "reason": "Wrong day."},
    )
    meeting.refresh_from_db()
    assert timezone.localdate(meeting.starts_at).isoformat() == right
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.status_reason == "Not quorate."


def test_an_officer_reads_other_boards_drafts_only_when_the_council_says_so(
    published_meeting, audiences
):
    """Issue 15, finding 8: least privilege by default (an officer reads the drafts and exempt
    papers of the boards they support), every board's as a council setting."""
    from boards.models import Council

    papers = _papers(published_meeting)
    draft = reverse("boards:paper-detail", args=[papers["Draft paper"].pk])
    exempt = reverse("boards:paper-download", args=[papers["Appendix A – supplier prices"].pk])
    assert audiences["other officer"].get(draft).status_code == 404
    assert audiences["other officer"].get(exempt).status_code == 404
    assert audiences["officer"].get(draft).status_code == 200

    Council.objects.update_or_create(
        pk=1, defaults={"name": "Aldermoor", "officers_read_every_board": True}
    )

    assert audiences["other officer"].get(draft).status_code == 200
    assert audiences["other officer"].get(exempt).status_code == 200
