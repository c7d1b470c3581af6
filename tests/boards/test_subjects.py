"""Subjects on their own: making and editing one, the list everyone reads (only the subjects a
visitor may see), filing an agenda item under a subject there is or under a new one made from its
title, and the link from every item on a subject to its history, on every page that lists items.
The history itself (its rows, decisions and PDF) is tested in tests/minutes/test_subjects.py."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Meeting, Subject
from minutes import services as minutes_services
from minutes.models import MinutesRecord
from tests.factories import BoardFactory, VenueFactory
from tests.matrix import EDITORS, EVERYONE, STAFF, expect
from tests.pdfs import pdf_text, read_pdf

LONDON = zoneinfo.ZoneInfo("Europe/London")
LIST = reverse("boards:subject-list")
CREATE = reverse("boards:subject-create")


def text_of(response) -> str:
    """The page's words without markup, whitespace collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def make_meeting(board, day: datetime.date) -> Meeting:
    return services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )


def add_item(meeting: Meeting, title: str, subject: Subject | None = None, **fields) -> AgendaItem:
    return services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title=title, subject=subject, **fields)
    )


def history_link(subject: Subject) -> str:
    return f'<a href="{subject.get_absolute_url()}">History of this subject'


# Making and editing a subject -------------------------------------------------------------------


def test_a_subject_made_on_its_own_has_an_address_from_its_title_fixed_once_made(db):
    subject = services.subject_create(
        title="  Library   closures ", description=" Which libraries close, and when. "
    )
    assert (subject.title, subject.slug) == ("Library closures", "library-closures")
    assert subject.description == "Which libraries close, and when."
    services.subject_update(subject=subject, title="Closure of libraries", description="")
    subject.refresh_from_db()
    assert (subject.title, subject.slug) == ("Closure of libraries", "library-closures")
    assert [record.title for record in subject.history.order_by("history_date")] == [
        "Library closures",
        "Closure of libraries",
    ]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("New", "subject-new"),  # /subjects/new/ makes a subject
        ("Inquiry into parks", "subject-inquiry-into-parks"),  # inquiry-… are the inquiries'
        ("!!!", "subject"),
    ],
)
def test_a_subjects_address_never_takes_one_that_means_something_else(db, title, slug):
    assert services.subject_create(title=title).slug == slug


def test_subjects_with_titles_that_make_the_same_address_get_their_own(db):
    first = services.subject_create(title="Budget 2016/17")
    second = services.subject_create(title="Budget (2016/17)")
    third = services.subject_create(title="Budget: 2016/17")
    assert [first.slug, second.slug, third.slug] == [
        "budget-201617",
        "budget-201617-2",
        "budget-201617-3",
    ]


def test_a_second_subject_of_the_same_title_is_refused_on_its_title(db):
    services.subject_create(title="Library closures")
    with pytest.raises(ValidationError) as refused:
        services.subject_create(title="library CLOSURES")
    assert refused.value.message_dict == {
        "title": ["There is already a subject called “Library closures”: choose it instead."]
    }
    other = services.subject_create(title="Parks")
    with pytest.raises(ValidationError):
        services.subject_update(subject=other, title="Library closures", description="")


def test_filing_an_item_under_a_subject_keeps_it_in_the_items_history(board):
    meeting = make_meeting(board, datetime.date(2016, 3, 21))
    item = add_item(meeting, "Budget proposals", purpose="To consider the budget.")
    subject = services.subject_create(title="Budget 2016/17")
    services.agenda_item_subject_set(item=item, subject=subject)
    item.refresh_from_db()
    assert item.subject == subject
    assert item.purpose == "To consider the budget."
    assert [h.subject_id for h in item.history.order_by("history_date")][-2:] == [None, subject.pk]
    services.agenda_item_subject_set(item=item, subject=None)
    item.refresh_from_db()
    assert item.subject is None


# Who may do what --------------------------------------------------------------------------------


@pytest.fixture
def world(board, clerk):
    """A subject on a published item of the board's meeting."""
    meeting = make_meeting(board, datetime.date(2016, 3, 21))
    subject = services.subject_create(title="Budget 2016/17")
    item = add_item(meeting, "Budget proposals", subject)
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
    return subject, item


PAGES = {
    "subject list": (lambda s, i: LIST, expect(EVERYONE)),
    "subject history": (lambda s, i: s.get_absolute_url(), expect(EVERYONE)),
    "make a subject": (lambda s, i: CREATE, expect(STAFF)),
    "edit a subject": (lambda s, i: reverse("boards:subject-edit", args=[s.slug]), expect(STAFF)),
    "link an item to a subject": (
        lambda s, i: reverse("boards:agenda-item-subject", args=[i.pk]),
        expect(EDITORS),
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(world, audiences, page):
    url_for, expected = PAGES[page]
    url = url_for(*world)
    responses = {name: audiences[name].get(url) for name in EVERYONE}
    assert {name: response.status_code for name, response in responses.items()} == expected
    if expected["public"] == 302:
        assert responses["public"]["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize(
    ("url_for", "data", "other_officer"),
    [
        (lambda s, i: CREATE, {"title": "Parks"}, 302),
        (lambda s, i: reverse("boards:subject-edit", args=[s.slug]), {"title": "Parks"}, 302),
        (
            lambda s, i: reverse("boards:agenda-item-subject", args=[i.pk]),
            {"action": "unlink"},
            403,
        ),
    ],
)
def test_those_refused_a_page_cannot_post_to_it_either(
    world, audiences, url_for, data, other_officer
):
    """A subject is the council's (any officer makes or edits one); an item is its board's."""
    subject, item = world
    url = url_for(subject, item)
    for name in ["public", "councillor", "other councillor"]:
        assert audiences[name].post(url, data).status_code in (302, 403)
        assert not Subject.objects.filter(title="Parks").exists()
        item.refresh_from_db()
        assert item.subject == subject
    assert audiences["other officer"].post(url, data).status_code == other_officer


# Who sees which subject -------------------------------------------------------------------------


def test_a_subject_made_from_a_draft_item_stays_with_staff_until_the_item_is_published(
    board, clerk, audiences
):
    meeting = make_meeting(board, datetime.date(2016, 3, 21))
    subject = services.subject_create(title="Closure of Oakwood Library")
    add_item(meeting, "Closure of Oakwood Library", subject)
    pages = [subject.get_absolute_url(), reverse("minutes:subject-pdf", args=[subject.slug])]
    for name in ["public", "councillor"]:
        assert "Closure of Oakwood Library" not in audiences[name].get(LIST).text
        assert [audiences[name].get(url).status_code for url in pages] == [404, 404]
    assert "Closure of Oakwood Library" in audiences["officer"].get(LIST).text
    assert [audiences["officer"].get(url).status_code for url in pages] == [200, 200]

    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
    assert "Closure of Oakwood Library" in audiences["public"].get(LIST).text
    assert [audiences["public"].get(url).status_code for url in pages] == [200, 200]


def test_an_inquirys_subject_is_public_from_the_day_the_inquiry_is_proposed(inquiry, audiences):
    assert inquiry.subject.title in audiences["public"].get(LIST).text
    assert audiences["public"].get(inquiry.subject.get_absolute_url()).status_code == 200


def test_a_subject_of_an_exempt_item_is_listed_as_the_items_title_is(board, clerk, audiences):
    meeting = make_meeting(board, datetime.date(2016, 3, 21))
    subject = services.subject_create(title="ICT supplier contract")
    add_item(
        meeting,
        "ICT supplier contract",
        subject,
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Commercially sensitive.",
    )
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
    assert "ICT supplier contract" in audiences["public"].get(LIST).text


# The list ---------------------------------------------------------------------------------------


def test_the_list_counts_the_items_each_visitor_may_see_with_the_latest_meeting(
    board, clerk, audiences
):
    subject = services.subject_create(
        title="Budget 2016/17", description="The council's budget for 2016/17."
    )
    january = make_meeting(board, datetime.date(2016, 1, 25))
    add_item(january, "Initial budget proposals", subject)
    services.agenda_publish(meeting=january, by=clerk, late_reason="Tests publish late.")
    march = make_meeting(board, datetime.date(2016, 3, 21))
    add_item(march, "Final budget", subject)  # not yet published
    services.subject_create(title="Waste strategy")  # nothing on it yet

    public = text_of(audiences["public"].get(LIST))
    assert "Budget 2016/17 The council's budget for 2016/17. 1 Monday, 25 January 2016" in public
    assert "Waste strategy" not in public
    officer = text_of(audiences["officer"].get(LIST))
    assert "Budget 2016/17 The council's budget for 2016/17. 2 Monday, 21 March 2016" in officer
    assert "Waste strategy 0 Not yet on an agenda" in officer
    assert 'href="/subjects/new/"' in audiences["officer"].get(LIST).text
    assert 'href="/subjects/new/"' not in audiences["councillor"].get(LIST).text


def _subjects_with_items(board, clerk, count: int, start: int = 0) -> None:
    meeting = make_meeting(board, datetime.date(2016, 3, 21) + datetime.timedelta(days=start))
    for n in range(start, start + count):
        add_item(meeting, f"Item {n}", services.subject_create(title=f"Subject {n:03}"))
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")


@pytest.mark.parametrize("audience", ["public", "councillor", "officer"])
def test_the_list_takes_the_same_queries_for_3_or_60_subjects_a_page_at_a_time(
    board, clerk, audiences, audience, django_assert_max_num_queries
):
    client = audiences[audience]
    client.get(LIST)  # the session and the audience's first look-ups
    _subjects_with_items(board, clerk, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    _subjects_with_items(board, clerk, 57, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.text.count("<tr>") == 1 + 50
    second = text_of(client.get(LIST, {"page": 2}))
    assert "Subject 050" in second and "Subject 059" in second and "Subject 049" not in second
    assert client.get(LIST, {"page": "x"}).status_code == 200  # a bad page number: the first


# Making and editing, through the pages ----------------------------------------------------------


def test_an_officer_makes_a_subject_and_its_history_shows_the_description(editor, audiences):
    response = editor.post(
        CREATE, {"title": "Library closures", "description": "Which libraries close, *when*."}
    )
    subject = Subject.objects.get(title="Library closures")
    assert response.status_code == 302
    assert response["Location"] == subject.get_absolute_url()
    page = editor.get(subject.get_absolute_url())
    assert "<em>when</em>" in page.text
    assert f'href="{reverse("boards:subject-edit", args=[subject.slug])}"' in page.text
    printed = pdf_text(read_pdf(editor.get(reverse("minutes:subject-pdf", args=[subject.slug]))))
    assert printed.startswith(
        "Issue history Library closures Which libraries close, when. Meeting Body Item Decision"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "  "}, "Enter the subject&#x27;s title."),
        ({"title": "x" * 301}, "Ensure this value has at most 300 characters"),
        ({"title": "library closures"}, "There is already a subject called “Library closures”"),
    ],
)
def test_a_subject_with_a_bad_title_is_explained_on_its_title(editor, db, data, message):
    services.subject_create(title="Library closures")
    response = editor.post(CREATE, data)
    assert response.status_code == 422
    assert message in response.text
    assert 'href="#id_title"' in response.text  # the error summary links to the field
    assert Subject.objects.count() == 1


def test_editing_a_subject_keeps_its_address(editor, db):
    subject = services.subject_create(title="Library closures")
    url = reverse("boards:subject-edit", args=[subject.slug])
    assert "Library closures" in editor.get(url).text
    response = editor.post(url, {"title": "Closure of libraries", "description": "Six sites."})
    assert response["Location"] == "/subjects/library-closures/"
    assert "Closure of libraries" in editor.get(response["Location"]).text
    refused = editor.post(url, {"title": "", "description": ""})
    assert refused.status_code == 422
    assert "Enter the subject&#x27;s title." in refused.text
    assert "<h1>Edit the subject</h1>" in refused.text
    assert editor.get(reverse("boards:subject-edit", args=["no-such"])).status_code == 404


# Filing an agenda item under a subject, from its agenda -----------------------------------------


@pytest.fixture
def item(board):
    meeting = make_meeting(board, datetime.date(2016, 3, 21))
    return add_item(meeting, "Closure of Oakwood Library", purpose="To consider the closure.")


def item_subject_url(item) -> str:
    return reverse("boards:agenda-item-subject", args=[item.pk])


def test_the_agenda_editor_offers_each_item_a_subject_and_links_one_to_its_history(item, editor):
    editor_url = reverse("boards:agenda-edit", args=[item.meeting_id])
    page = editor.get(editor_url).text
    assert f'href="{item_subject_url(item)}">Link to a subject' in page
    subject = services.subject_create(title="Libraries")
    services.agenda_item_subject_set(item=item, subject=subject)
    page = editor.get(editor_url).text
    assert f'href="{item_subject_url(item)}">Change the subject' in page
    assert history_link(subject) in page


def test_an_item_is_filed_under_a_subject_there_is(item, editor):
    subject = services.subject_create(title="Libraries")
    page = editor.get(item_subject_url(item))
    assert page.status_code == 200
    assert '<option value="' + str(subject.pk) + '">Libraries</option>' in page.text
    response = editor.post(
        item_subject_url(item), {"action": "choose", "choose-subject": subject.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{item.meeting_id}/agenda/#item-{item.pk}"
    item.refresh_from_db()
    assert item.subject == subject
    assert "is now on the subject “Libraries”" in editor.get(response["Location"]).text


def test_a_new_subject_is_made_from_the_items_title(item, editor):
    page = editor.get(item_subject_url(item)).text
    assert 'value="Closure of Oakwood Library"' in page  # the new subject's title, offered
    response = editor.post(
        item_subject_url(item),
        {"action": "new", "new-title": "Closure of Oakwood Library", "new-description": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.subject is not None
    assert (item.subject.title, item.subject.slug) == (
        "Closure of Oakwood Library",
        "closure-of-oakwood-library",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "choose", "choose-subject": ""}, "Choose a subject for the item."),
        (
            {"action": "choose", "choose-subject": "999999"},
            "Choose one of the subjects in the list.",
        ),
        ({"action": "new", "new-title": ""}, "Enter the subject&#x27;s title."),
        (
            {"action": "new", "new-title": "LIBRARIES"},
            "There is already a subject called “Libraries”",
        ),
    ],
)
def test_a_subject_not_chosen_or_not_new_is_explained_on_its_field(item, editor, data, message):
    services.subject_create(title="Libraries")
    response = editor.post(item_subject_url(item), data)
    assert response.status_code == 422
    assert message in response.text
    field = "id_choose-subject" if data["action"] == "choose" else "id_new-title"
    assert f'href="#{field}"' in response.text
    item.refresh_from_db()
    assert item.subject is None
    assert Subject.objects.count() == 1


def test_an_item_is_taken_off_its_subject_and_an_unknown_action_is_refused(item, editor):
    subject = services.subject_create(title="Libraries")
    services.agenda_item_subject_set(item=item, subject=subject)
    assert "Remove the link to Libraries" in editor.get(item_subject_url(item)).text
    assert editor.post(item_subject_url(item), {"action": "other"}).status_code == 400
    assert editor.post(item_subject_url(item), {"action": "unlink"}).status_code == 302
    item.refresh_from_db()
    assert item.subject is None
    assert Subject.objects.filter(pk=subject.pk).exists()  # the subject stays


def test_an_officer_files_only_the_items_of_the_boards_they_support(
    item, editor, clerk, client_for
):
    meeting = make_meeting(BoardFactory(), datetime.date(2016, 3, 22))
    elsewhere = add_item(meeting, "Parks")
    assert editor.get(item_subject_url(item)).status_code == 200
    assert editor.get(item_subject_url(elsewhere)).status_code == 403
    assert client_for(clerk).get(item_subject_url(elsewhere)).status_code == 200


# Every item on a subject links to its history ---------------------------------------------------


@pytest.fixture
def minuted(board, clerk):
    """An item on a subject, published, minuted with a resolution and the minutes released."""
    meeting = make_meeting(board, datetime.date(2016, 3, 21))
    subject = services.subject_create(title="Libraries")
    item = add_item(meeting, "Closure of Oakwood Library", subject, purpose="Lanterns.")
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)
    minutes_services.resolution_add(minute=minute, text="That the library stays open.")
    record = MinutesRecord.objects.get(meeting=meeting)
    minutes_services.minutes_release(minutes=record, by=clerk)
    return item


@pytest.mark.parametrize("audience", ["public", "councillor", "officer"])
def test_items_on_a_subject_link_to_its_history_wherever_they_are_listed(
    minuted, audiences, audience
):
    client = audiences[audience]
    link = history_link(minuted.subject)
    meeting_page = client.get(minuted.meeting.get_absolute_url()).text
    assert meeting_page.count(link) == 1
    minutes_page = client.get(reverse("minutes:minutes-detail", args=[minuted.meeting_id])).text
    assert minutes_page.count(link) == 1
    results = client.get(reverse("search:search"), {"q": "Oakwood"}).text
    assert results.count(link) == 2  # the item and its minute
    printed = pdf_text(
        read_pdf(client.get(reverse("minutes:minutes-pdf", args=[minuted.meeting_id])))
    )
    assert "History of this subject" not in printed


def test_an_unpublished_items_subject_is_not_linked_for_the_public(board, clerk, audiences):
    meeting = make_meeting(board, datetime.date(2016, 3, 21))
    add_item(meeting, "Published item")
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
    draft = add_item(meeting, "Oakwood draft", services.subject_create(title="Oakwood"))
    assert (
        history_link(draft.subject) not in audiences["public"].get(meeting.get_absolute_url()).text
    )
    assert history_link(draft.subject) in audiences["officer"].get(meeting.get_absolute_url()).text


def test_an_inquirys_sessions_link_to_its_history_from_the_inquiry_page(inquiry, audiences):
    page = audiences["public"].get(inquiry.get_absolute_url()).text
    assert f'href="{inquiry.subject.get_absolute_url()}"' in page


# The history across bodies, printed -------------------------------------------------------------


def test_the_history_prints_every_bodys_items_minutes_and_decisions_in_date_order(
    board, clerk, audiences
):
    """A subject made on its own, considered by scrutiny and decided by the executive: the PDF
    reads back the description, then each meeting's item and its decision, oldest first."""
    from boards.models import Board

    subject = services.subject_create(
        title="Library closures", description="Which libraries close, and when."
    )
    executive = BoardFactory(name="Executive Board", kind=Board.Kind.EXECUTIVE)
    considered = [
        (board, datetime.date(2016, 3, 21), "Call-in of the decision", []),
        (board, datetime.date(2016, 1, 25), "Library service review", ["That it be noted."]),
        (executive, datetime.date(2016, 2, 10), "Library closures", ["That Oakwood closes."]),
    ]
    for body, day, title, resolutions in considered:
        meeting = make_meeting(body, day)
        item = add_item(meeting, title, subject)
        services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
        if resolutions:
            minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)
            for text in resolutions:
                minutes_services.resolution_add(minute=minute, text=text)
            if body.takes_decisions:
                minutes_services.decision_record(
                    minute=minute, reasons="Falling use.", key_decision=True
                )
            record = MinutesRecord.objects.get(meeting=meeting)
            minutes_services.minutes_release(minutes=record, by=clerk)

    printed = pdf_text(
        read_pdf(audiences["public"].get(reverse("minutes:subject-pdf", args=[subject.slug])))
    )
    words = "".join(printed.split())  # a line may break inside a word at a hyphen
    expected = [
        "IssuehistoryLibraryclosuresWhichlibrariesclose,andwhen.MeetingBodyItemDecision",
        f"Monday,25January2016{''.join(board.name.split())}",
        "Libraryservicereview",
        "Minute1:RESOLVED–Thatitbenoted.",
        "Wednesday,10February2016ExecutiveBoard",
        "Libraryclosures",
        "Decision(akeydecision):RESOLVED–ThatOakwoodcloses.",
        "Monday,21March2016",
        "Call-inofthedecisionNominutesyet",
    ]
    at = 0
    for part in expected:  # each after the one before
        found = words.find(part, at)
        assert found != -1, f"{part} not after {words[:at]}"
        at = found + len(part)
