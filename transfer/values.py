"""Reading values as councils write them: dates day first (or ISO), times as "10.30 am",
yes and no, people's names with their titles, HTML agenda text as plain paragraphs, and the
kind of a body or an agenda item from its title.

Each reader returns the value or raises ``ValueError`` with a message that says what to write
instead; the importers turn that into a problem of the row and column.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

from boards import dates
from boards.formatting import long_date
from boards.models import AgendaItem, Board

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](.+))?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?: (.+))?$")
_WORDS = re.compile(
    r"^(?:[a-z]+day,? )?(\d{1,2})(?:st|nd|rd|th)? ([a-z]+),? (\d{4})(?:,? (?:at )?(.+))?$"
)
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2}))?\s*([ap])?\.?\s*(m\.?)?$")
DATE_HINT = "write it as 21/03/2016 or 2016-03-21"


def parse_date(value: object, *, today: datetime.date | None = None) -> datetime.date:
    """A date from a cell: a spreadsheet's own date, ISO (2016-03-21), day first (21/03/2016,
    21-3-2016, 21.03.2016) or in words (21 March 2016, Monday 21st March 2016). The year is
    written in full, and must be plausible (``boards.dates``)."""
    day = _date_and_time(value)[0]
    _check_plausible(day, today)
    return day


def parse_datetime_parts(value: object) -> tuple[datetime.date, datetime.time | None]:
    """A date that may carry its time ("2016-03-21 10:00", a spreadsheet's date and time)."""
    day, time = _date_and_time(value)
    _check_plausible(day, None)
    return day, time


def _check_plausible(day: datetime.date, today: datetime.date | None) -> None:
    today = today or datetime.date.today()
    earliest, latest = dates.plausible_bounds(today)
    if not earliest <= day <= latest:
        raise ValueError(
            f"{long_date(day)} is not between {long_date(earliest)} and {long_date(latest)}: "
            "check the year"
        )


def _date_and_time(value: object) -> tuple[datetime.date, datetime.time | None]:
    if isinstance(value, datetime.datetime):
        time = value.time() if value.time() != datetime.time.min else None
        return value.date(), time
    if isinstance(value, datetime.date):
        return value, None
    text = " ".join(str(value).strip().lower().split())
    if not text:
        raise ValueError(f"Give the date: {DATE_HINT}")
    if match := _ISO.match(text):
        year, month, day, rest = match.groups()
    elif match := _DAY_FIRST.match(text):
        day, month, year, rest = match.groups()
        if len(year) != 4:
            raise ValueError(f"Write the year in full: {DATE_HINT}")
    elif match := _WORDS.match(text):
        day, month_name, year, rest = match.groups()
        if month_name not in _MONTHS:
            raise ValueError(f"“{value}” is not a date: {DATE_HINT}")
        month = str(_MONTHS[month_name])
    else:
        raise ValueError(f"“{value}” is not a date: {DATE_HINT}")
    try:
        day_value = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(
            f"“{value}” is not a date (dates are read day first): {DATE_HINT}"
        ) from None
    return day_value, parse_time(rest) if rest else None


def parse_time(value: object) -> datetime.time:
    """A time from a cell: a spreadsheet's own time, 14:30, 10.00, 10am, 2.30 pm, noon."""
    if isinstance(value, datetime.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(microsecond=0)
    text = " ".join(str(value).strip().lower().split())
    if text in {"noon", "midday", "12 noon"}:
        return datetime.time(12)
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"“{value}” is not a time: write it as 10:00, 14:30 or 2.30 pm")
    hour, minute, second, half, _m = match.groups()
    hour_value, minute_value = int(hour), int(minute or 0)
    if half:
        if not 1 <= hour_value <= 12:
            raise ValueError(f"“{value}” is not a time: write it as 10:00, 14:30 or 2.30 pm")
        hour_value = hour_value % 12 + (12 if half == "p" else 0)
    elif minute is None:
        raise ValueError(f"“{value}” is not a time: write it as 10:00, 14:30 or 2.30 pm")
    if hour_value > 23 or minute_value > 59:
        raise ValueError(f"“{value}” is not a time: write it as 10:00, 14:30 or 2.30 pm")
    return datetime.time(hour_value, minute_value, int(second or 0))


YES = {"yes", "y", "true", "1", "x", "exempt"}
NO = {"no", "n", "false", "0", ""}


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"“{value}” is neither yes nor no")


def parse_choice(value: object, choices: list[tuple[str, str]], *, what: str) -> str:
    """One of ``choices`` (value, label), given as its value or its label in any case, with
    spaces, hyphens and underscores alike: "Vice-chair", "vice chair", "vice_chair"."""
    wanted = _choice_key(str(value))
    for choice, label in choices:
        if wanted in (_choice_key(choice), _choice_key(label)):
            return choice
    listed = ", ".join(choice for choice, _label in choices)
    raise ValueError(f"“{value}” is not a {what}: give one of {listed}")


def _choice_key(text: str) -> str:
    return re.sub(r"[\s_\-–]+", " ", text.strip().lower())


# Names ------------------------------------------------------------------------------------------

_TITLES = {
    "councillor",
    "cllr",
    "cllr.",
    "alderman",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "revd",
    "the",
    "county",
}
_HONOURS = {"mbe", "obe", "cbe", "kbe", "dbe", "jp", "dl", "bem", "mp", "qc", "kc", "ma", "phd"}


def split_name(full: str) -> tuple[str, str, str]:
    """(title, given names, family name) from a name as ModernGov gives it: "Councillor Basil
    Curley" → ("", "Basil", "Curley"); "Dr Jane Smith OBE" → ("Dr", "Jane", "Smith"). Titles
    other than "Councillor" are kept (a councillor's own is what the app adds)."""
    words = [word.strip(",") for word in full.split() if word.strip(",")]
    title: list[str] = []
    while len(words) > 2 and words[0].lower().rstrip(".") in _TITLES:
        word = words.pop(0)
        if word.lower().rstrip(".") not in {"councillor", "cllr", "county", "the"}:
            title.append(word)
    while len(words) > 2 and words[-1].lower().replace(".", "") in _HONOURS:
        words.pop()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return " ".join(title), "", words[0]
    return " ".join(title)[:20], " ".join(words[:-1])[:100], words[-1][:100]


# HTML agenda text ---------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(source: str, *, limit: int = 20_000) -> str:
    """The paragraphs of an HTML fragment (ModernGov's agenda text) as plain text, blank lines
    between them, whitespace inside them collapsed; Markdown's own characters escaped so that
    the text is shown as it was written."""
    parser = _Text()
    parser.feed(source)
    parser.close()
    paragraphs = [" ".join(block.split()) for block in "".join(parser.parts).split("\n\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    return re.sub(r"([\\`*_#|<>\[\]])", r"\\\1", text)[:limit]


# Kinds from titles ------------------------------------------------------------------------------

_ITEM_KINDS = [
    (r"appeals? against refusal", AgendaItem.Kind.APPEALS),
    (r"exempt information|exclusion of (the )?(press|public)", AgendaItem.Kind.EXEMPT_INFORMATION),
    (r"^late items?", AgendaItem.Kind.LATE_ITEMS),
    (
        r"declarations? of (disclosable |pecuniary |members'? )?interests?",
        AgendaItem.Kind.DECLARATIONS,
    ),
    (r"apologies", AgendaItem.Kind.APOLOGIES),
    (r"^minutes\b|minutes of the (last|previous) meeting", AgendaItem.Kind.MINUTES),
    (r"work (programme|schedule|plan)", AgendaItem.Kind.WORK_SCHEDULE),
    (r"date (and time )?of (the )?next meeting", AgendaItem.Kind.NEXT_MEETING),
    (r"call.in", AgendaItem.Kind.CALL_IN),
]


def guess_item_kind(title: str) -> str:
    """The kind of an agenda item from its title: the standard items by their usual words, a
    report otherwise."""
    lowered = title.lower()
    for pattern, kind in _ITEM_KINDS:
        if re.search(pattern, lowered):
            return kind
    return AgendaItem.Kind.REPORT


def guess_board_kind(title: str) -> str:
    """The kind of a body from its name: scrutiny, the executive, full council, regulatory
    committees (planning, licensing), working groups; another committee otherwise."""
    lowered = title.lower()
    if "overview and scrutiny" in lowered or "overview & scrutiny" in lowered:
        return Board.Kind.OVERVIEW
    if "scrutiny" in lowered:
        return Board.Kind.SCRUTINY
    if re.search(r"\b(cabinet|executive)\b", lowered) and "sub" not in lowered:
        return Board.Kind.EXECUTIVE
    if re.fullmatch(r"(full |county |city |borough |district )?council( meeting)?", lowered):
        return Board.Kind.COUNCIL
    if re.search(r"\b(planning|licensing|regulatory)\b", lowered):
        return Board.Kind.REGULATORY
    if re.search(r"\b(working group|task group|task and finish)\b", lowered):
        return Board.Kind.WORKING_GROUP
    return Board.Kind.OTHER
