"""Lettered resolutions print with a hanging letter: the letter in the margin, every line of the
text after it, on each page a long resolution runs onto. Read from where the PDF draws each
line (the text's matrix through the page's own transformation), as the stamp tests do."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from boards import services as board_services
from boards.models import AgendaItem
from minutes import services as minutes_services
from minutes.models import MinutesRecord
from tests.pdfs import read_pdf

LONDON = zoneinfo.ZoneInfo("Europe/London")


@dataclass
class Line:
    page: int
    x: float  # where the text starts on the page, in points from the left edge
    y: float  # its baseline, in points from the bottom edge
    text: str


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """PDF matrices [a b c d e f], as a row vector times m then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


def lines_of(reader: PdfReader) -> list[Line]:
    """Each piece of text the PDF draws, in drawing order, with where it starts."""
    found: list[Line] = []
    for number, page in enumerate(reader.pages):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                *_, x, y = _multiply(list(tm), list(cm))
                found.append(Line(number, round(x, 1), round(y, 1), text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def test_a_lettered_resolution_keeps_its_hanging_indent_across_a_page_break(board, clerk):
    meeting = board_services.meeting_create(
        board=board, starts_at=datetime.datetime(2016, 2, 22, 10, tzinfo=LONDON), venue=None
    )
    item = board_services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Budget proposals", purpose="To consider them.")
    )
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=item)
    minute.narrative = "\n\n".join(["The Board discussed the budget proposals at length."] * 12)
    minute.save()
    minutes_services.resolution_add(minute=minute, text="That the report be noted.")
    # Longer than a page, so that it breaks across one wherever it starts.
    long_text = " ".join(f"clause{number:03d}" for number in range(420))
    minutes_services.resolution_add(minute=minute, text=f"That {long_text}.")
    minutes_services.resolution_add(minute=minute, text="That the budget be reviewed in March.")
    minutes_services.minutes_release(minutes=MinutesRecord.objects.get(meeting=meeting), by=clerk)

    reader = read_pdf(Client().get(reverse("minutes:minutes-pdf", args=[meeting.pk])))
    lines = lines_of(reader)

    letters = {line.text: line for line in lines if line.text in ("(a)", "(b)", "(c)")}
    assert set(letters) == {"(a)", "(b)", "(c)"}
    resolution = [line for line in lines if "clause" in line.text]
    pages = {line.page for line in resolution}
    assert len(pages) >= 2, "the resolution should break across a page"
    assert resolution[0].text.startswith("That clause000")
    assert resolution[-1].text.endswith("clause419.")
    # Every line of (b), on both pages, starts at the same x: the first after the letter, the
    # lines it wraps onto and those continued on the next page alike.
    starts = {line.x for line in resolution}
    assert len(starts) == 1, sorted((line.page, line.y, line.x) for line in resolution)
    text_x = starts.pop()
    # The letters hang to the left of the text, each on its resolution's first line.
    for letter in letters.values():
        assert letter.x == letters["(b)"].x
        assert letter.x + 15 < text_x
    first = resolution[0]
    assert (letters["(b)"].page, letters["(b)"].y) == (first.page, first.y)
    # The short resolutions' text starts where (b)'s does.
    for text in ("That the report be noted.", "That the budget be reviewed in March."):
        [line] = [line for line in lines if line.text == text]
        assert line.x == text_x
