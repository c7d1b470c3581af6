"""Numbering as the council writes it: items numbered as published ("5a", a full council's 14),
each body's minute numbering (a sequence per municipal year, with the year, with a prefix, or
the agenda's numbers) and resolution style ((a), 1., (i)); minutes released or approved keep
the numbers they were published with."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from boards import numbering
from boards import services as board_services
from boards.models import AgendaItem, MunicipalYear
from minutes import services as minutes_services
from minutes.models import Minute
from tests.minutes.test_actions import D, meeting_on, release, text_of
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db


# The printed forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "prefix", "agenda_number", "printed"),
    [
        ("sequence", "", "7", "59"),
        ("sequence_year", "", "7", "59/16"),
        ("sequence_year", "EX", "7", "EX 59/16"),
        ("agenda", "", "5a", "5a"),
        ("agenda", "CAB", None, ""),  # business off the agenda has no agenda number
    ],
)
def test_a_minutes_number_is_printed_by_its_bodys_scheme(scheme, prefix, agenda_number, printed):
    label = numbering.minute_label(
        scheme=scheme, prefix=prefix, number=59, year_starts=2016, agenda_number=agenda_number
    )
    assert label == printed


@pytest.mark.parametrize(
    ("style", "markers", "reference"),
    [
        ("letters", ["(a)", "(b)", "(z)", "(aa)"], "59(b)"),
        ("numbers", ["1.", "2.", "26.", "27."], "59.2"),
        ("roman", ["(i)", "(ii)", "(xxvi)", "(xxvii)"], "59(ii)"),
    ],
)
def test_resolutions_are_marked_in_the_bodys_style(style, markers, reference):
    assert [numbering.resolution_marker(style, n) for n in (1, 2, 26, 27)] == markers
    assert numbering.resolution_reference(style, "59", 2) == reference


# Items numbered as published ------------------------------------------------------------------


@pytest.fixture
def meeting(board):
    MunicipalYear.objects.create(starts_on=D(2015, 5, 21))
    return meeting_on(board, D(2016, 2, 22))


def _item(meeting, title, **fields):
    return board_services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title=title, purpose="A report.", **fields)
    )


def test_an_item_keeps_the_number_it_was_published_with(meeting):
    budget = _item(meeting, "Budget")
    late = _item(meeting, "Budget: the late appendix", published_number="5a")

    assert budget.shown_number == str(budget.number)
    assert late.shown_number == "5a"
    assert str(late) == "5a. Budget: the late appendix"
    with pytest.raises(ValidationError) as taken:
        _item(meeting, "Another", published_number="5A")
    with pytest.raises(ValidationError) as by_place:
        _item(meeting, "Clashes with an item's own number", published_number=str(budget.number))
    with pytest.raises(ValidationError) as unreadable:
        _item(meeting, "Not a number", published_number="5 & 6")

    assert "Another item of this meeting is numbered 5A." in taken.value.messages
    assert "published_number" in by_place.value.message_dict
    assert "published_number" in unreadable.value.message_dict
    assert not meeting.agenda_items.filter(title__in=["Another", "Not a number"]).exists()


# Minutes numbered by the body's scheme ---------------------------------------------------------


@pytest.fixture
def minuted(board, meeting):
    """Two minutes of the meeting (one for item "5a"), the second with three resolutions."""
    _item(meeting, "Budget")
    appendix = _item(meeting, "Budget appendix", published_number="5a")
    budget = meeting.agenda_items.get(title="Budget")
    first = minutes_services.minute_take(meeting=meeting, agenda_item=budget)
    second = minutes_services.minute_take(meeting=meeting, agenda_item=appendix)
    for text in ("That the report be noted.", "That costs be reported.", "That HR be advised."):
        minutes_services.resolution_add(minute=second, text=text)
    return first, second


def _printed(meeting, client=None) -> tuple[str, str]:
    client = client or Client()
    page = text_of(client.get(reverse("minutes:minutes-detail", args=[meeting.pk])).text)
    pdf = pdf_text(read_pdf(client.get(reverse("minutes:minutes-pdf", args=[meeting.pk]))))
    return page, pdf


@pytest.mark.parametrize(
    ("settings_", "headings", "resolutions"),
    [
        (
            {
                "minute_numbering": "sequence_year",
                "minute_prefix": "EX",
                "resolution_style": "roman",
            },
            ["EX {n}/15 Budget", "EX {m}/15 Budget appendix"],
            ["(i) That the report be noted.", "(ii) That costs be reported.", "(iii) That HR"],
        ),
        (
            {"minute_numbering": "agenda", "minute_prefix": "", "resolution_style": "numbers"},
            ["{item} Budget", "5a Budget appendix"],
            ["1. That the report be noted.", "2. That costs be reported.", "3. That HR"],
        ),
    ],
)
def test_the_minutes_page_and_pdf_number_as_the_body_does(
    board, meeting, minuted, editor, settings_, headings, resolutions
):
    first, second = minuted
    board_services.board_numbering_set(board=board, **settings_)
    values = {"n": first.number, "m": second.number, "item": first.agenda_item.shown_number}
    expected = [heading.format(**values) for heading in headings]

    page, pdf = _printed(meeting, editor)
    markers = [resolution.split(" ", 1)[0] for resolution in resolutions]
    texts = [resolution.split(" ", 1)[1] for resolution in resolutions]
    _in_order(page, [*expected, "RESOLVED –", *resolutions])
    # The PDF draws the markers hanging in their margin (floats) before the text: read the
    # markers, then the headings and the resolutions in order.
    _in_order(pdf, [" ".join(markers), *expected, "RESOLVED –", *texts])


def _in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, (part, text)
        at = found + len(part)


def test_released_minutes_keep_the_numbers_they_were_published_with(board, meeting, minuted):
    first, second = minuted
    release(meeting)
    page_before, pdf_before = _printed(meeting)

    board_services.board_numbering_set(
        board=board, minute_numbering="agenda", minute_prefix="CAB", resolution_style="numbers"
    )

    assert _printed(meeting) == (page_before, pdf_before)
    assert f"{second.number} Budget appendix" in page_before
    assert "(c) That HR be advised." in page_before
    fixed = Minute.objects.get(pk=second.pk)
    assert (fixed.printed_number, fixed.resolution_style) == (str(second.number), "letters")
    # A meeting minuted later takes the new numbering.
    later = meeting_on(board, D(2016, 3, 21))
    item = _item(later, "Work schedule")
    minute = minutes_services.minute_take(meeting=later, agenda_item=item)
    assert Minute.objects.numbered().get(pk=minute.pk).label == f"CAB {item.shown_number}"


def test_the_numbering_page_is_for_those_who_edit_the_board(board, editor, client_for, councillor):
    url = reverse("boards:board-numbering", args=[board.slug])

    assert client_for(councillor).get(url).status_code in (403, 404)
    refused = editor.post(url, {"minute_numbering": "binary", "resolution_style": "letters"})
    saved = editor.post(
        url,
        {"minute_numbering": "sequence_year", "minute_prefix": " SB ", "resolution_style": "roman"},
    )

    assert refused.status_code == 422
    assert refused.text.count("There is a problem") == 1  # one summary, naming the field
    assert '<a href="#id_minute_numbering_0">Choose the minute numbers from the list</a>' in (
        refused.text
    )
    assert saved.status_code == 302
    board.refresh_from_db()
    assert (board.minute_numbering, board.minute_prefix, board.resolution_style) == (
        "sequence_year",
        "SB",
        "roman",
    )


def test_the_migration_fixes_minutes_already_published_as_they_printed(board, meeting, minuted):
    """Minutes released or approved before numbering was chosen keep printing "59", "(a)";
    drafts are left to follow the body's numbering."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("minutes.migrations.0005_numbers_as_printed")
    first, second = minuted
    release(meeting)
    draft = minutes_services.minute_take(
        meeting=meeting_on(board, D(2016, 3, 21)), agenda_item=None, title="Any other business"
    )
    Minute.objects.update(printed_number="", resolution_style="")  # as before the migration

    migration.fix_published_numbers(apps, None)

    assert sorted(Minute.objects.values_list("pk", "printed_number", "resolution_style")) == [
        (first.pk, str(first.number), "letters"),
        (second.pk, str(second.number), "letters"),
        (draft.pk, "", ""),
    ]
