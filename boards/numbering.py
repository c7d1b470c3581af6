"""How a body numbers its minutes and their resolutions, as its council writes them.

A minute's number is kept as an integer in the board's sequence for the municipal year (it
orders the minutes and anchors links); these functions print it as the council does: "59",
"21/16", "EX 21/16", or the agenda item's own number; and a resolution's place as "(a)",
"1." or "(ii)", with its reference from elsewhere: "Minute 59(a)", "Minute 59.1".
"""

from __future__ import annotations

import string

from django.db import models


class MinuteNumbering(models.TextChoices):
    SEQUENCE = "sequence", "One sequence per municipal year: 59, 60, 61"
    SEQUENCE_YEAR = "sequence_year", "One sequence per municipal year, with the year: 59/16"
    AGENDA = "agenda", "The agenda item's number: minute 7 is item 7"


class ResolutionStyle(models.TextChoices):
    LETTERS = "letters", "Letters: (a), (b), (c)"
    NUMBERS = "numbers", "Numbers: 1. 2. 3."
    ROMAN = "roman", "Roman numerals: (i), (ii), (iii)"


def minute_label(
    *, scheme: str, prefix: str, number: int, year_starts: int, agenda_number: str | None
) -> str:
    """The minute's number as printed. Under the agenda's numbering, business taken off the
    agenda (an adjournment) has no number of its own: it prints without one."""
    if scheme == MinuteNumbering.AGENDA:
        body = agenda_number or ""
    elif scheme == MinuteNumbering.SEQUENCE_YEAR:
        body = f"{number}/{year_starts % 100:02d}"
    else:
        body = str(number)
    return f"{prefix} {body}" if prefix and body else body


def letters(position: int) -> str:
    """a … z, then aa, ab …"""
    lower = string.ascii_lowercase
    index = position - 1
    return lower[index] if index < len(lower) else f"{lower[index // 26 - 1]}{lower[index % 26]}"


_ROMAN = [
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
]  # fmt: skip


def roman(position: int) -> str:
    """i, ii, iii, iv …"""
    numeral = ""
    for value, symbol in _ROMAN:
        count, position = divmod(position, value)
        numeral += symbol * count
    return numeral


def resolution_marker(style: str, position: int) -> str:
    """A resolution's place as printed before it: "(a)", "1.", "(ii)"."""
    if style == ResolutionStyle.NUMBERS:
        return f"{position}."
    if style == ResolutionStyle.ROMAN:
        return f"({roman(position)})"
    return f"({letters(position)})"


def resolution_reference(style: str, minute: str, position: int) -> str:
    """A resolution as cited from elsewhere: "59(a)", "59.1", "59(ii)"."""
    if style == ResolutionStyle.NUMBERS:
        return f"{minute}.{position}"
    return f"{minute}{resolution_marker(style, position)}"
