"""Search across agenda items, papers (their text and the text of uploaded PDFs), minutes with
their resolutions, inquiries, evidence, statements and recommendations, executive decisions and
forward plan notices.

The index (``SearchEntry``) holds each record's text: a title, a body, and on PostgreSQL a
weighted ``tsvector`` (title A, body B) under a GIN index. The services that write a record
announce it (``boards.signals.records_changed``), and ``refresh(record)`` indexes it again in
the same transaction (``search.apps`` connects the receivers); ``manage.py reindex_search``
rebuilds it all.

The index holds no permission. Which entries a search may return is decided when searching, by
the records' own ``visible_to(audience)`` querysets — the rule every page uses — as subqueries
of the one search query, so the results, their snippets and their count can only ever contain
what the audience may read. A record the audience may see listed but not read (an exempt paper
for the public, say) is found by its second, listing-only entry: its title, and for minutes the
public summary. An exempt executive decision is found by its title only, as an exempt agenda
item is, except by those entitled to read it (the executive's members, and staff).

PostgreSQL: English stemming (``websearch`` syntax: "quoted phrases", or, -not), ranking and
highlighted snippets. SQLite: every word must appear in the title or the body, title matches
first, then the newest; a snippet around the first hit.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypedDict, Unpack

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import Case, F, Model, Q, QuerySet, Value, When
from django.db.models.functions import Left
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boards import text
from boards.models import AgendaItem, Board, Meeting, Paper, Subject
from boards.visibility import Audience
from decisions.models import ExecutiveDecision, ForwardPlanEntry
from inquiries.models import Evidence, Inquiry
from minutes.models import Minute, MinutesRecord
from recommendations.models import Recommendation, Statement
from search.models import SearchEntry

Kind = SearchEntry.Kind

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# Highlights come back between these private-use characters, which are removed from all
# indexed text; the snippet is then escaped piece by piece and only the marks become HTML.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_MARKERS = re.compile(f"[{MARK_START}{MARK_STOP}]")
_WORD = re.compile(r"\w[\w'’-]*")
# What PostgreSQL's websearch syntax is given: a "quoted phrase", a word (or, too), and a
# word after a minus that starts a term (-not); stray operators, which in a run overflow its
# parser ("tsquery stack too small"), are left out.
_TERM = re.compile(r'"[^"]{1,200}"|(?<!\S)-(?=\w)\w[\w\'’-]{0,99}|\w[\w\'’-]{0,99}')
# ts_headline reads the body from the start: a bounded prefix keeps big PDFs quick to quote.
HEADLINE_CHARS = 100_000
SNIPPET_CHARS = 240
BATCH = 100

VECTOR = SearchVector("title", weight="A", config="english") + SearchVector(
    "body", weight="B", config="english"
)


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# Building entries from records. Each builder loads its records in a fixed number of queries.


def _clean(*parts: str) -> str:
    return _MARKERS.sub(" ", "\n\n".join(part for part in parts if part and part.strip()))


def _reference(reference: str) -> str:
    """A reference as written and in its parts ("FP/2026/014 FP 2026 014"): PostgreSQL reads
    "FP/2026/014" as one token, while a search for it is read word by word."""
    parts = " ".join(_WORD.findall(reference))
    return f"{reference} {parts}" if parts != reference else reference


def _markdown(source: str) -> str:
    return text.plain_text(source) if source else ""


class Place(TypedDict):
    """Where a search entry leads: the record's board, date and page."""

    board_id: int
    date: datetime.date | None
    url: str


def _entry(
    kind: str,
    pk: int,
    *,
    listing: bool = False,
    title: str,
    body: str = "",
    **place: Unpack[Place],
) -> SearchEntry:
    return SearchEntry(
        kind=kind,
        object_id=pk,
        listing=listing,
        title=_clean(title)[:400],
        body=_clean(body),
        **place,
    )


def _items(pks: list[int]) -> Iterator[SearchEntry]:
    for item in AgendaItem.objects.filter(pk__in=pks).select_related("meeting"):
        common: Place = {
            "board_id": item.meeting.board_id,
            "date": item.meeting.date,
            "url": f"{item.meeting.get_absolute_url()}#item-{item.number}",
        }
        body = _clean(_markdown(item.purpose), item.special_circumstances)
        yield _entry(Kind.ITEM, item.pk, title=item.title, body=body, **common)
        yield _entry(Kind.ITEM, item.pk, listing=True, title=item.title, **common)


def _papers(pks: list[int]) -> Iterator[SearchEntry]:
    papers = (
        Paper.objects.filter(pk__in=pks)
        .select_related("agenda_item__meeting")
        .prefetch_related("sections")
    )
    for paper in papers:
        meeting = paper.agenda_item.meeting
        common: Place = {
            "board_id": meeting.board_id,
            "date": meeting.date,
            "url": paper.get_absolute_url(),
        }
        body = _clean(
            _markdown(paper.summary),
            _markdown(paper.recommendations),
            *(f"{s.heading}\n{_markdown(s.body)}" for s in paper.sections.all()),
            paper.text,
        )
        yield _entry(Kind.PAPER, paper.pk, title=paper.title, body=body, **common)
        yield _entry(Kind.PAPER, paper.pk, listing=True, title=paper.title, **common)


def _minutes(pks: list[int]) -> Iterator[SearchEntry]:
    minutes = (
        Minute.objects.filter(pk__in=pks)
        .numbered()
        .select_related("meeting")
        .prefetch_related("resolutions")
    )
    for minute in minutes:
        common: Place = {
            "board_id": minute.board_id,
            "date": minute.meeting.date,
            "url": reverse("minutes:minutes-detail", args=[minute.meeting_id])
            + f"#minute-{minute.number}",
        }
        title = f"Minute {minute.label}: {minute.title}"
        resolutions = " ".join(f"{r.marker} {r.text}" for r in minute.resolutions.all())
        body = _clean(
            _markdown(minute.narrative),
            f"RESOLVED – {resolutions}" if resolutions else "",
            _markdown(minute.notes_after),
        )
        yield _entry(Kind.MINUTE, minute.pk, title=title, body=body, **common)
        yield _entry(
            Kind.MINUTE,
            minute.pk,
            listing=True,
            title=title,
            body=minute.public_summary,
            **common,
        )


def _inquiries(pks: list[int]) -> Iterator[SearchEntry]:
    for inquiry in Inquiry.objects.filter(pk__in=pks).prefetch_related("sessions"):
        body = _clean(
            inquiry.scope,
            _markdown(inquiry.lines_of_enquiry),
            *(_markdown(session.focus) for session in inquiry.sessions.all()),
        )
        yield _entry(
            Kind.INQUIRY,
            inquiry.pk,
            title=inquiry.title,
            body=body,
            board_id=inquiry.board_id,
            date=timezone.localdate(inquiry.created),
            url=inquiry.get_absolute_url(),
        )


def _evidence(pks: list[int]) -> Iterator[SearchEntry]:
    for evidence in Evidence.objects.filter(pk__in=pks).select_related("inquiry"):
        common: Place = {
            "board_id": evidence.inquiry.board_id,
            "date": evidence.received_on,
            "url": f"{evidence.inquiry.get_absolute_url()}#evidence-{evidence.pk}",
        }
        body = _clean(evidence.source, _markdown(evidence.body), evidence.text)
        yield _entry(Kind.EVIDENCE, evidence.pk, title=evidence.title, body=body, **common)
        yield _entry(Kind.EVIDENCE, evidence.pk, listing=True, title=evidence.title, **common)


def _statements(pks: list[int]) -> Iterator[SearchEntry]:
    statements = (
        Statement.objects.filter(pk__in=pks)
        .select_related("inquiry")
        .prefetch_related("outcomes", "sections__paragraphs__footnotes", "appendices")
    )
    for statement in statements:
        parts = [outcome.text for outcome in statement.outcomes.all()]
        for section in statement.sections.all():
            parts.append(section.heading)
            for paragraph in section.paragraphs.all():
                parts.append(_markdown(paragraph.text))
                parts.extend(footnote.text for footnote in paragraph.footnotes.all())
        for appendix in statement.appendices.all():
            parts.extend([appendix.title, _markdown(appendix.body)])
        yield _entry(
            Kind.STATEMENT,
            statement.pk,
            title=statement.title,
            body=_clean(*parts),
            board_id=statement.inquiry.board_id,
            date=statement.published_on or statement.month,
            url=statement.get_absolute_url(),
        )


def _recommendations(pks: list[int]) -> Iterator[SearchEntry]:
    recommendations = (
        Recommendation.objects.filter(pk__in=pks, parent__isnull=True)
        .select_related("statement__inquiry", "response")
        .prefetch_related("parts__response")
    )
    for recommendation in recommendations:
        statement = recommendation.statement
        parts = [_markdown(recommendation.text)]
        for part in [recommendation, *recommendation.parts.all()]:
            if part.parent_id:
                parts.append(f"({part.letter}) {_markdown(part.text)}")
            response = getattr(part, "response", None)
            if response is not None:
                parts.append(_markdown(response.text))
        yield _entry(
            Kind.RECOMMENDATION,
            recommendation.pk,
            title=f"Recommendation {recommendation.number}: {statement.inquiry.title}",
            body=_clean(*parts),
            board_id=statement.inquiry.board_id,
            date=statement.published_on or statement.month,
            url=recommendation.get_absolute_url(),
        )


def _decisions(pks: list[int]) -> Iterator[SearchEntry]:
    """An executive decision: its title, the decision, the reasons and the alternatives
    rejected; and a listing entry of its title alone, for those who may not read an exempt one."""
    for decision in ExecutiveDecision.objects.filter(pk__in=pks):
        common: Place = {
            "board_id": decision.maker_body_id,
            "date": decision.decided_on,
            "url": decision.get_absolute_url(),
        }
        body = _clean(
            _reference(decision.reference),
            _markdown(decision.decision),
            decision.reasons,
            decision.alternatives,
        )
        yield _entry(Kind.DECISION, decision.pk, title=decision.title, body=body, **common)
        yield _entry(Kind.DECISION, decision.pk, listing=True, title=decision.title, **common)


def _forward_plan(pks: list[int]) -> Iterator[SearchEntry]:
    """A forward plan notice (never exempt itself: a private decision's notice says so)."""
    for entry in ForwardPlanEntry.objects.filter(pk__in=pks):
        body = _clean(
            _reference(entry.reference),
            _markdown(entry.summary),
            entry.documents,
            entry.consultation,
        )
        yield _entry(
            Kind.FORWARD_PLAN,
            entry.pk,
            title=entry.title,
            body=body,
            board_id=entry.decision_maker_id,
            date=entry.decision_due_on,
            url=entry.get_absolute_url(),
        )


type Searched = (
    AgendaItem
    | Paper
    | Minute
    | Inquiry
    | Evidence
    | Statement
    | Recommendation
    | ExecutiveDecision
    | ForwardPlanEntry
)


@dataclass(frozen=True)
class _Source:
    kind: str
    model: type[Searched]
    build: Callable[[list[int]], Iterator[SearchEntry]]


SOURCES = {
    source.kind: source
    for source in [
        _Source(Kind.ITEM, AgendaItem, _items),
        _Source(Kind.PAPER, Paper, _papers),
        _Source(Kind.MINUTE, Minute, _minutes),
        _Source(Kind.INQUIRY, Inquiry, _inquiries),
        _Source(Kind.EVIDENCE, Evidence, _evidence),
        _Source(Kind.STATEMENT, Statement, _statements),
        _Source(Kind.RECOMMENDATION, Recommendation, _recommendations),
        _Source(Kind.DECISION, ExecutiveDecision, _decisions),
        _Source(Kind.FORWARD_PLAN, ForwardPlanEntry, _forward_plan),
    ]
}


def _key(record: Model) -> tuple[str, int]:
    for kind, source in SOURCES.items():
        if isinstance(record, source.model):
            if isinstance(record, Recommendation) and record.parent_id:
                return kind, record.parent_id  # a lettered part is searched with its recommendation
            return kind, record.pk
    raise TypeError(f"{type(record).__name__} is not searched.")


# Keeping the index up to date: the receivers of the domain's signals call these.


def refresh(*records: Model) -> None:
    """Index the records' text as it is now."""
    pks: dict[str, set[int]] = defaultdict(set)
    for record in records:
        kind, pk = _key(record)
        pks[kind].add(pk)
    for kind, ids in pks.items():
        _reindex(kind, sorted(ids))


def forget(*records: Model) -> None:
    """Take records about to be deleted out of the index (a lettered part of a recommendation
    is not a record of its own: refresh its recommendation once the part is gone)."""
    for record in records:
        kind, pk = _key(record)
        if pk != record.pk:
            raise ValueError(f"{record} is indexed with its parent: refresh that instead.")
        SearchEntry.objects.filter(kind=kind, object_id=pk).delete()


@transaction.atomic
def _reindex(kind: str, pks: list[int]) -> None:
    """Write the records' entries in place (rows keep their ids) and drop those of records
    that are gone."""
    entries = list(SOURCES[kind].build(pks))
    keys = {(entry.object_id, entry.listing) for entry in entries}
    stale = [
        pk
        for pk, object_id, listing in SearchEntry.objects.filter(
            kind=kind, object_id__in=pks
        ).values_list("pk", "object_id", "listing")
        if (object_id, listing) not in keys
    ]
    if stale:
        SearchEntry.objects.filter(pk__in=stale).delete()
    if not entries:
        return
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["kind", "object_id", "listing"],
        update_fields=["board", "date", "title", "body", "url"],
    )
    if _is_postgresql():
        SearchEntry.objects.filter(kind=kind, object_id__in=pks).update(vector=VECTOR)


def redate_meeting(meeting: Meeting) -> None:
    """A moved meeting's items, papers and minutes carry its new date."""
    day = meeting.date
    for kind, ids in [
        (Kind.ITEM, AgendaItem.objects.filter(meeting=meeting)),
        (Kind.PAPER, Paper.objects.filter(agenda_item__meeting=meeting)),
        (Kind.MINUTE, Minute.objects.filter(meeting=meeting)),
    ]:
        SearchEntry.objects.filter(kind=kind, object_id__in=ids.values("pk")).update(date=day)


def rebuild(kinds: Iterable[str] | None = None) -> int:
    """Index every record again (and drop entries of records that no longer exist), in
    batches; the number of records indexed."""
    count = 0
    for kind in kinds or SOURCES:
        existing = set(SOURCES[kind].model.objects.values_list("pk", flat=True))
        indexed = set(SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True))
        ids = sorted(existing | indexed)
        for start in range(0, len(ids), BATCH):
            _reindex(kind, ids[start : start + BATCH])
        count += len(existing)
    return count


# Searching.


@dataclass(frozen=True)
class Query:
    text: str
    board: Board | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kinds: tuple[str, ...] = field(default_factory=tuple)

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)[:MAX_WORDS]

    @property
    def websearch(self) -> str:
        return " ".join(_TERM.findall(self.text)[:MAX_WORDS])


def _split(kind: str, records: QuerySet, readable: Q | None = None) -> Q:
    """Entries of ``kind`` the audience may see: the full entry of a record they may read, the
    listing entry of one they may only see listed. ``records`` is the record's own
    ``visible_to(audience)``, annotated ``content_visible``."""
    readable = readable if readable is not None else Q(content_visible=True)
    return Q(kind=kind, listing=False, object_id__in=records.filter(readable).values("pk")) | Q(
        kind=kind, listing=True, object_id__in=records.exclude(readable).values("pk")
    )


def _published_minutes(audience: Audience) -> QuerySet:
    """Minutes through their visibility rule, drafts only where the minutes pages show them."""
    records = MinutesRecord.objects.published_to(audience)
    return Minute.objects.filter(meeting__minutes__in=records).visible_to(audience)


def visible(audience: Audience) -> Q:
    """The entries the audience may see, one condition per kind from the records' own rules."""
    statements = Statement.objects.visible_to(audience)
    recommendations = Recommendation.objects.visible_to(audience).filter(parent__isnull=True)
    return (
        _split(Kind.ITEM, AgendaItem.objects.visible_to(audience))
        | _split(Kind.PAPER, Paper.objects.visible_to(audience))
        # A withdrawn minute shows everyone its number and title only, as on the page.
        | _split(
            Kind.MINUTE,
            _published_minutes(audience),
            Q(content_visible=True, withdrawn_at__isnull=True),
        )
        | _split(Kind.EVIDENCE, Evidence.objects.visible_to(audience))
        | Q(kind=Kind.INQUIRY, listing=False, object_id__in=Inquiry.objects.values("pk"))
        | Q(kind=Kind.STATEMENT, listing=False, object_id__in=statements.values("pk"))
        | Q(
            kind=Kind.RECOMMENDATION,
            listing=False,
            object_id__in=recommendations.values("pk"),
        )
        # Published decisions; an exempt or withdrawn one's title only, unless the audience may
        # read it (the executive's members, staff). Drafts for staff of the executive only.
        | _split(Kind.DECISION, ExecutiveDecision.objects.visible_to(audience))
        | Q(
            kind=Kind.FORWARD_PLAN,
            listing=False,
            object_id__in=ForwardPlanEntry.objects.visible_to(audience).values("pk"),
        )
    )


def search(audience: Audience, query: Query) -> QuerySet[SearchEntry]:
    """The entries matching the query that the audience may see, best first."""
    entries = SearchEntry.objects.filter(visible(audience)).select_related("board")
    if query.board is not None:
        entries = entries.filter(board=query.board)
    if query.date_from is not None:
        entries = entries.filter(date__gte=query.date_from)
    if query.date_to is not None:
        entries = entries.filter(date__lte=query.date_to)
    if query.kinds:
        entries = entries.filter(kind__in=query.kinds)
    if _is_postgresql():
        return _postgresql(entries, query)
    return _plain(entries, query)


def _postgresql(entries: QuerySet, query: Query) -> QuerySet:
    terms = SearchQuery(query.websearch, search_type="websearch", config="english")
    return (
        entries.filter(vector=terms)
        .annotate(
            rank=SearchRank(F("vector"), terms),
            headline=SearchHeadline(
                Left("body", HEADLINE_CHARS),
                terms,
                config="english",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .defer("body", "vector")
        .order_by("-rank", F("date").desc(nulls_last=True), "-pk")
    )


def _plain(entries: QuerySet, query: Query) -> QuerySet:
    words = query.words
    if not words:
        return entries.none()
    for word in words:
        entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
    in_title = sum(
        (Case(When(title__icontains=word, then=1), default=0) for word in words),
        start=Value(0),
    )
    return (
        entries.annotate(title_hits=in_title)
        .defer("vector")
        .order_by("-title_hits", F("date").desc(nulls_last=True), "-pk")
    )


def add_snippets(entries: Iterable[SearchEntry], query: Query) -> None:
    """Give each entry of a page of results ``snippet``: safe HTML, its text escaped and the
    matches in ``<mark>``."""
    for entry in entries:
        if hasattr(entry, "headline"):
            entry.snippet = _marked(entry.headline)
        else:
            entry.snippet = _marked(_plain_snippet(entry.body, query.words))


def add_subjects(entries: Iterable[SearchEntry], audience: Audience) -> None:
    """Give each entry of a page of results ``subject``: the subject its item is filed under
    (an agenda item, or the item of a paper or a minute; an inquiry's own), for a link to its
    history, or None. One query per kind on the page, whatever its size."""
    entries = list(entries)
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        entry.subject = None
        wanted[entry.kind].add(entry.object_id)
    items: dict[tuple[str, int], AgendaItem] = {}
    if wanted[Kind.ITEM]:
        filed = AgendaItem.objects.filter(pk__in=wanted[Kind.ITEM], subject__isnull=False)
        items |= {(Kind.ITEM, item.pk): item for item in filed.select_related("subject")}
    if wanted[Kind.PAPER]:
        papers = Paper.objects.filter(pk__in=wanted[Kind.PAPER], agenda_item__subject__isnull=False)
        for paper in papers.select_related("agenda_item__subject"):
            items[Kind.PAPER, paper.pk] = paper.agenda_item
    if wanted[Kind.MINUTE]:
        minutes = Minute.objects.filter(
            pk__in=wanted[Kind.MINUTE], agenda_item__subject__isnull=False
        )
        for minute in minutes.select_related("agenda_item__subject"):
            if minute.agenda_item is not None:
                items[Kind.MINUTE, minute.pk] = minute.agenda_item
    # Inquiries, decisions and notices name their subject themselves; a result of theirs is
    # one the audience may see, and so is its subject (``decisions.receivers``).
    subjects: dict[tuple[str, int], Subject | None] = {}
    records: list[tuple[str, QuerySet]] = [
        (Kind.INQUIRY, Inquiry.objects.all()),
        (Kind.DECISION, ExecutiveDecision.objects.all()),
        (Kind.FORWARD_PLAN, ForwardPlanEntry.objects.all()),
    ]
    for kind, records_of_kind in records:
        if wanted[kind]:
            named = records_of_kind.filter(pk__in=wanted[kind], subject__isnull=False)
            subjects |= {
                (kind, record.pk): record.subject for record in named.select_related("subject")
            }
    for entry in entries:
        item = items.get((entry.kind, entry.object_id))
        if item is not None and item.is_listed_to(audience):
            entry.subject = item.subject
        elif item is None:
            entry.subject = subjects.get((entry.kind, entry.object_id))


def _marked(marked_text: str) -> SafeString:
    """Text with highlights between the private-use markers, as HTML: every piece escaped,
    only the marks added."""
    html = []
    for index, piece in enumerate(re.split(f"({MARK_START}.*?{MARK_STOP})", marked_text or "")):
        if index % 2:
            html.append(f"<mark>{escape(_MARKERS.sub('', piece))}</mark>")
        else:
            html.append(escape(_MARKERS.sub("", piece)))
    return mark_safe("".join(html))  # noqa: S308 - each piece escaped just above


def _plain_snippet(body: str, words: list[str]) -> str:
    """A window of the body around the first hit, the hits between the markers."""
    if not body:
        return ""
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(body) if words else None
    start = 0
    if first is not None and first.start() > SNIPPET_CHARS // 3:
        start = body.rfind(" ", 0, first.start() - SNIPPET_CHARS // 3) + 1
    end = start + SNIPPET_CHARS
    if end < len(body):
        end = body.rfind(" ", start, end) if " " in body[start:end] else end
    window = body[start:end]
    if words:
        window = pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_STOP}", window)
    return f"{'… ' if start else ''}{window}{' …' if end < len(body) else ''}"


# Receivers of the domain's signals (connected in ``search.apps``).


def records_changed(sender, *, records, **kwargs) -> None:
    """Index again the changed records that search holds (others are not its business)."""
    refresh(*(r for r in records if _is_searched(r)))


def records_removed(sender, *, records, **kwargs) -> None:
    forget(*(r for r in records if _is_searched(r)))


def meeting_moved(sender, *, meeting: Meeting, **kwargs) -> None:
    redate_meeting(meeting)


def _is_searched(record: Model) -> bool:
    return any(isinstance(record, source.model) for source in SOURCES.values())
