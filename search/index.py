"""Search across agenda items, papers (their text and the text of uploaded PDFs), minutes with
their resolutions, inquiries, evidence, statements and recommendations, executive decisions and
forward plan notices.

The index (``SearchEntry``) holds each record's text: a title, a body, and on PostgreSQL a
weighted ``tsvector`` (title A, body B) under a GIN index. The services that write a record
announce it (``boards.signals.records_changed``), and ``refresh(record)`` indexes it again in
the same transaction (``search.apps`` connects the receivers); ``manage.py reindex_search``
rebuilds it all.

Who may see what is the records' own rule, ``visible_to(audience)``, the one every page uses. A
search must not build every record the audience may see to find the few that match (on a
council of ten years, that cost most of a search), so it looks only at what matched:

1. **Each entry keeps what the rule needs** (``SearchEntry``): its board and meeting, who may see
   the record listed (``listed_to``: everyone once published; the board's officers, those who
   read its drafts, before that; every officer for a draft forward plan notice) and who may
   read it (``readers``: everyone; the board's members and the meeting's substitutes, with or
   without its officers, when it is exempt; its officers alone when it was withdrawn; nobody,
   for a withdrawn minute). They are written with the text: the services that publish, exempt
   or withdraw a record send ``records_changed``, an item's papers and minutes and a paper's
   appendices are indexed again with it (their exemption follows it), and a publication
   (``agenda_published``) and approved or released minutes index what they put out. Who the
   audience is (its boards, the meetings it substitutes at) is read when it searches, so a new
   membership or substitution counts at once.
2. **The candidates**: the matching entries those columns let the audience see (the full entry
   of a record it may read, the listing entry of one it may only see listed), the newest
   ``CANDIDATES`` of them (an index on the date finds those without reading the rest; a rare
   word's few come from the GIN index), each with its rank.
3. **Confirmed by the rule**: a query for each kind found asks the records' own
   ``visible_to`` about those candidates alone (all of them when they are counted exactly;
   past ``CANDIDATES``, those of the page shown), so a stale entry (a record changed without
   its service) can hide a record until it is indexed again, never show or count one (where
   the rule chooses a record's other entry, that is shown if it matches). The page's entries
   are read with their snippets through their columns once more: those are written with the
   text, in one transaction, so a text is never shown by the permission of the text before it.
4. **Ranked and counted**: the candidates in order of rank (then the newest), counted up to
   ``CANDIDATES``; beyond that the page says "More than 1,000 results", and a narrower search
   (a board, dates, more words) reaches older ones.

A record the audience may see listed but not read (an exempt paper for the public, say) is
found by its second, listing-only entry: its title, and for minutes the public summary. An
exempt executive decision is found by its title only, as an exempt agenda item is, except by
those entitled to read it (the executive's members, and staff).

PostgreSQL: English stemming (``websearch`` syntax: "quoted phrases", or, -not), ranking and
highlighted snippets. SQLite: every word must appear in the title or the body, title matches
first, then the newest; a snippet around the first hit.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypedDict, Unpack, overload

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Expression,
    F,
    Func,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest, Left, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boards import text
from boards.models import AgendaItem, Board, Meeting, Paper, Publication, Subject
from boards.visibility import Audience
from decisions.models import ExecutiveDecision, ForwardPlanEntry
from inquiries.models import Evidence, Inquiry
from minutes.models import Minute, MinutesRecord
from recommendations.models import Recommendation, Statement
from search.models import SearchEntry

Kind = SearchEntry.Kind
Listed = SearchEntry.Listed
Readers = SearchEntry.Readers

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
# A snippet is taken from the body's first HEADLINE_CHARS, in a window of HEADLINE_WINDOW
# characters from HEADLINE_BEFORE before the first hit: ts_headline parses all it is given.
HEADLINE_CHARS = 100_000
HEADLINE_WINDOW = 1_200
HEADLINE_BEFORE = 250
SNIPPET_CHARS = 240
BATCH = 100
# A search ranks at most this many of the newest entries that match, and counts no further.
CANDIDATES = 1000

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


@dataclass(frozen=True)
class Rule:
    """What the visibility rule needs to know of a record, kept on its entries: who may see it
    listed, who may read it, and the meeting whose substitutes read its exempt content."""

    listed_to: str = Listed.EVERYONE
    readers: str = Readers.EVERYONE
    meeting_id: int | None = None


PUBLIC = Rule()


def _listed(published: bool, unpublished: str = Listed.DRAFTS) -> str:
    return Listed.EVERYONE if published else unpublished


def _readers(*, withdrawn: bool, exempt: bool, exempt_readers: str, withdrawn_readers: str) -> str:
    if withdrawn:
        return withdrawn_readers
    return exempt_readers if exempt else Readers.EVERYONE


def _agenda_rule(*, published: bool, withdrawn: bool, exempt: bool, meeting_id: int | None) -> Rule:
    """An agenda item's or paper's: the board's officers read drafts, and what was withdrawn;
    its members and the meeting's substitutes read exempt content too."""
    readers = _readers(
        withdrawn=withdrawn,
        exempt=exempt,
        exempt_readers=Readers.MEMBERS_AND_OFFICERS,
        withdrawn_readers=Readers.OFFICERS,
    )
    return Rule(listed_to=_listed(published), readers=readers, meeting_id=meeting_id)


def _entry(
    kind: str,
    pk: int,
    *,
    listing: bool = False,
    title: str,
    body: str = "",
    rule: Rule = PUBLIC,
    **place: Unpack[Place],
) -> SearchEntry:
    return SearchEntry(
        kind=kind,
        object_id=pk,
        listing=listing,
        title=_clean(title)[:400],
        body=_clean(body),
        meeting_id=rule.meeting_id,
        listed_to=rule.listed_to,
        readers=rule.readers,
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
        rule = _agenda_rule(
            published=item.is_published,
            withdrawn=item.is_withdrawn,
            exempt=item.exempt,
            meeting_id=item.meeting_id,
        )
        yield _entry(Kind.ITEM, item.pk, title=item.title, body=body, rule=rule, **common)
        yield _entry(Kind.ITEM, item.pk, listing=True, title=item.title, rule=rule, **common)


def _papers(pks: list[int]) -> Iterator[SearchEntry]:
    papers = (
        Paper.objects.filter(pk__in=pks)
        .select_related("agenda_item__meeting", "parent")
        .prefetch_related("sections")
    )
    for paper in papers:
        item = paper.agenda_item
        meeting = item.meeting
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
        rule = _agenda_rule(
            published=paper.is_published,
            withdrawn=paper.is_withdrawn or item.is_withdrawn,
            exempt=paper.exempt or item.exempt or bool(paper.parent and paper.parent.exempt),
            meeting_id=meeting.pk,
        )
        yield _entry(Kind.PAPER, paper.pk, title=paper.title, body=body, rule=rule, **common)
        yield _entry(Kind.PAPER, paper.pk, listing=True, title=paper.title, rule=rule, **common)


def _minutes(pks: list[int]) -> Iterator[SearchEntry]:
    minutes = (
        Minute.objects.filter(pk__in=pks)
        .numbered()
        .select_related("meeting__minutes")
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
        rule = Rule(
            listed_to=_listed(_minutes_published(minute.meeting)),
            # A withdrawn minute shows everyone its number and title only, as on the page.
            readers=_readers(
                withdrawn=minute.is_withdrawn,
                exempt=minute.agenda_item is not None and minute.agenda_item.exempt,
                exempt_readers=Readers.MEMBERS,
                withdrawn_readers=Readers.NOBODY,
            ),
            meeting_id=minute.meeting_id,
        )
        yield _entry(Kind.MINUTE, minute.pk, title=title, body=body, rule=rule, **common)
        yield _entry(
            Kind.MINUTE,
            minute.pk,
            listing=True,
            title=title,
            body=minute.public_summary,
            rule=rule,
            **common,
        )


def _minutes_published(meeting: Meeting) -> bool:
    """Whether the meeting's minutes are out: approved, or the draft released."""
    try:
        record = meeting.minutes
    except MinutesRecord.DoesNotExist:
        return False
    return record.is_approved or record.is_released


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
        # Always listed; exempt evidence read by the board's members only.
        rule = Rule(readers=Readers.MEMBERS if evidence.exempt else Readers.EVERYONE)
        yield _entry(
            Kind.EVIDENCE, evidence.pk, title=evidence.title, body=body, rule=rule, **common
        )
        yield _entry(
            Kind.EVIDENCE, evidence.pk, listing=True, title=evidence.title, rule=rule, **common
        )


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
            rule=Rule(listed_to=_listed(statement.published_on is not None)),
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
            rule=Rule(listed_to=_listed(statement.published_on is not None)),
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
        # The executive's members read an exempt one (no substitutes: not a meeting's paper).
        rule = _agenda_rule(
            published=decision.published_at is not None,
            withdrawn=decision.is_withdrawn,
            exempt=decision.exempt,
            meeting_id=None,
        )
        yield _entry(
            Kind.DECISION, decision.pk, title=decision.title, body=body, rule=rule, **common
        )
        yield _entry(
            Kind.DECISION, decision.pk, listing=True, title=decision.title, rule=rule, **common
        )


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
            # A draft notice is seen by every officer, not only the executive's.
            rule=Rule(listed_to=_listed(entry.published_on is not None, Listed.STAFF)),
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
    """Index the records' text and visibility as they are now, with the records whose
    visibility follows theirs: an item's papers and minutes (exempt or withdrawn with it), a
    paper's appendices (exempt with it)."""
    pks: dict[str, set[int]] = defaultdict(set)
    for record in records:
        kind, pk = _key(record)
        pks[kind].add(pk)
    if pks[Kind.ITEM]:
        items = sorted(pks[Kind.ITEM])
        pks[Kind.PAPER] |= set(
            Paper.objects.filter(agenda_item__in=items).values_list("pk", flat=True)
        )
        pks[Kind.MINUTE] |= set(
            Minute.objects.filter(agenda_item__in=items).values_list("pk", flat=True)
        )
    if pks[Kind.PAPER]:
        pks[Kind.PAPER] |= set(
            Paper.objects.filter(parent__in=sorted(pks[Kind.PAPER])).values_list("pk", flat=True)
        )
    for kind, ids in pks.items():
        if ids:
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
        update_fields=[
            "board",
            "date",
            "title",
            "body",
            "url",
            "meeting",
            "listed_to",
            "readers",
        ],
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


def _published_minutes(audience: Audience) -> QuerySet:
    """Minutes through their visibility rule, drafts only where the minutes pages show them."""
    records = MinutesRecord.objects.published_to(audience)
    return Minute.objects.filter(meeting__minutes__in=records).visible_to(audience)


@dataclass(frozen=True)
class _Rule:
    """A kind's records the audience may see (their own ``visible_to``), and of those, the ones
    it may read (None: it reads all it sees; the kind has no listing entries)."""

    kind: str
    records: Callable[[Audience], QuerySet]
    readable: Q | None = None


_CONTENT = Q(content_visible=True)
_RULES = [
    _Rule(Kind.ITEM, AgendaItem.objects.visible_to, _CONTENT),
    _Rule(Kind.PAPER, Paper.objects.visible_to, _CONTENT),
    # A withdrawn minute shows everyone its number and title only, as on the page.
    _Rule(Kind.MINUTE, _published_minutes, Q(content_visible=True, withdrawn_at__isnull=True)),
    _Rule(Kind.EVIDENCE, Evidence.objects.visible_to, _CONTENT),
    _Rule(Kind.INQUIRY, lambda audience: Inquiry.objects.all()),
    _Rule(Kind.STATEMENT, Statement.objects.visible_to),
    _Rule(
        Kind.RECOMMENDATION,
        lambda audience: Recommendation.objects.visible_to(audience).filter(parent__isnull=True),
    ),
    # Published decisions; an exempt or withdrawn one's title only, unless the audience may
    # read it (the executive's members, staff). Drafts for staff of the executive only.
    _Rule(Kind.DECISION, ExecutiveDecision.objects.visible_to, _CONTENT),
    _Rule(Kind.FORWARD_PLAN, ForwardPlanEntry.objects.visible_to),
]


type Among = Mapping[str, Collection[int]]  # records: their ids by kind


def _restricted(rule: _Rule, audience: Audience, among: Among | None) -> QuerySet | None:
    """The kind's records the audience may see: all, or only those ``among`` names."""
    if among is None:
        return rule.records(audience)
    ids = among.get(rule.kind)
    return rule.records(audience).filter(_one_of("pk", ids)) if ids else None


class _AnyOf(Func):
    """``field = ANY(array)``: PostgreSQL is given a list of ids as one parameter, not one a
    member (a search asks about up to a thousand)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def _one_of(field: str, ids: Collection[int]) -> Q:
    if _is_postgresql():
        array = Value(sorted(ids), output_field=ArrayField(BigIntegerField()))
        return Q(_AnyOf(F(field), array))
    return Q(**{f"{field}__in": sorted(ids)})


def visible(audience: Audience, among: Among | None = None) -> Q:
    """The entries the audience may see, one condition per kind from the records' own rules
    (of every record, or of the records ``among`` names): the full entry of a record it may
    read, the listing entry of one it may only see listed."""
    shown = Q(pk__in=[])
    for rule in _RULES:
        records = _restricted(rule, audience, among)
        if records is None:
            continue
        if rule.readable is None:
            shown |= Q(kind=rule.kind, listing=False, object_id__in=records.values("pk"))
            continue
        shown |= Q(
            kind=rule.kind,
            listing=False,
            object_id__in=records.filter(rule.readable).values("pk"),
        ) | Q(
            kind=rule.kind, listing=True, object_id__in=records.exclude(rule.readable).values("pk")
        )
    return shown


def _seen(audience: Audience, among: Among) -> dict[tuple[str, int], bool]:
    """Of the records ``among`` names, those the audience may see by their own rules, each
    with whether it may read it (or only see it listed): a query for each kind named, of a few
    rows each. (Not one union of them: PostgreSQL would plan it in parallel, and start workers
    for a few milliseconds' work.)"""
    seen: dict[tuple[str, int], bool] = {}
    for rule in _RULES:
        records = _restricted(rule, audience, among)
        if records is None:
            continue
        if rule.readable is None:
            seen |= {(rule.kind, pk): True for pk in records.values_list("pk", flat=True)}
            continue
        readable = Case(When(rule.readable, then=Value(True)), default=Value(False))
        rows = records.annotate(seen_readable=readable).values_list("pk", "seen_readable")
        seen |= {(rule.kind, pk): bool(readable) for pk, readable in rows.order_by()}
    return seen


def _kept(audience: Audience) -> tuple[Q, Q]:
    """What the columns each entry keeps say of the audience: (the entries of records it may
    see listed, and of those, the entries of records it may read). The same rule as
    ``visible``, read from the entry instead of the records."""
    if audience.sees_drafts:
        return Q(), ~Q(readers=Readers.NOBODY)
    officers = Q(board_id__in=audience.draft_board_ids) if audience.draft_board_ids else None
    members = [
        Q(board_id__in=audience.member_board_ids) if audience.member_board_ids else None,
        Q(meeting_id__in=audience.substitute_meeting_ids)
        if audience.substitute_meeting_ids
        else None,
    ]
    listed = Q(listed_to=Listed.EVERYONE)
    readable = Q(readers=Readers.EVERYONE)
    if officers is not None:
        listed |= Q(listed_to=Listed.DRAFTS) & officers
        readable |= Q(readers__in=[Readers.MEMBERS_AND_OFFICERS, Readers.OFFICERS]) & officers
    if audience.staff:
        listed |= Q(listed_to=Listed.STAFF)
    for member in filter(None, members):
        readable |= Q(readers__in=[Readers.MEMBERS_AND_OFFICERS, Readers.MEMBERS]) & member
    return listed, readable


def kept(audience: Audience) -> Q:
    """The entries the audience may see by the columns they keep (``visible`` by the records):
    of each record it may see, the full entry if it may read it, else the listing entry."""
    listed, readable = _kept(audience)
    reads = Q(
        Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    return listed & ((Q(listing=False) & reads) | (Q(listing=True) & ~reads))


def _matching(query: Query) -> Q | None:
    """The entries holding the query's words (None: the query has none)."""
    if _is_postgresql():
        if not query.websearch:
            return None
        return Q(vector=_terms(query))
    if not query.words:
        return None
    matching = Q()
    for word in query.words:
        matching &= Q(title__icontains=word) | Q(body__icontains=word)
    return matching


def _terms(query: Query) -> SearchQuery:
    return SearchQuery(query.websearch, search_type="websearch", config="english")


def search(audience: Audience, query: Query) -> Found:
    """The entries matching the query that the audience may see, best first: of the newest
    ``CANDIDATES`` matches by the columns each entry keeps, those the records' own rule
    confirms, ranked."""
    matching = _matching(query)
    if matching is None:
        return Found([], more=False, query=query, audience=audience)
    entries = SearchEntry.objects.filter(matching)
    if query.board is not None:
        entries = entries.filter(board=query.board)
    if query.date_from is not None:
        entries = entries.filter(date__gte=query.date_from)
    if query.date_to is not None:
        entries = entries.filter(date__lte=query.date_to)
    if query.kinds:
        entries = entries.filter(kind__in=query.kinds)
    entries = entries.filter(kept(audience))
    # The newest matches (an index on the date finds them without reading the others), each
    # with its score: PostgreSQL's rank, or on SQLite the number of the words in its title.
    if _is_postgresql():
        entries = entries.annotate(score=SearchRank(F("vector"), _terms(query)))
    else:
        entries = entries.annotate(score=_title_hits(query.words))
    newest = list(
        entries.order_by("-date", "-pk").values_list(
            "pk", "kind", "object_id", "listing", "date", "score"
        )[: CANDIDATES + 1]
    )
    more = len(newest) > CANDIDATES
    newest = newest[:CANDIDATES]
    # Best first: the highest score, then the newest.
    newest.sort(key=lambda row: (-row[5], -(row[4] or datetime.date.min).toordinal(), -row[0]))
    candidates = [Row(*row[:4]) for row in newest]
    if more:
        # "More than 1,000" whatever the rule makes of a stale entry or two: each page's
        # entries are confirmed as they are read.
        return Found(candidates, more=True, query=query, audience=audience, matching=matching)
    # Counted exactly: so every candidate is confirmed first, lest a stale entry count.
    found = _confirmed(audience, matching, candidates)
    return Found(found, more=False, query=query, audience=audience)


def _title_hits(words: list[str]) -> Expression:
    return sum(
        (Case(When(title__icontains=word, then=1), default=0) for word in words),
        start=Value(0),
    )


class Row(NamedTuple):
    """An entry found: its id, its record's kind and id, whether it is the listing entry, and
    whether the rule chose it over the entry its stale columns chose."""

    pk: int
    kind: str
    object_id: int
    listing: bool
    astray: bool = False


def _confirmed(audience: Audience, matching: Q, candidates: list[Row]) -> list[Row]:
    """The candidates the records' own rules let the audience see, in the candidates' order:
    the full entry of a record it may read, the listing entry of one it may only see listed.

    A record whose entry was stale (made exempt, or no longer exempt, without being indexed
    again) is shown by its other entry, if that matches the query (one more query, only then);
    a record the audience may not see is left out."""
    among: dict[str, set[int]] = defaultdict(set)
    for row in candidates:
        among[row.kind].add(row.object_id)
    seen = _seen(audience, among) if candidates else {}
    confirmed: list[Row | None] = []
    astray: dict[tuple[str, int, bool], int] = {}  # the entry wanted instead: its place
    for row in candidates:
        readable = seen.get((row.kind, row.object_id))
        if readable is None:
            continue
        if readable != row.listing:
            confirmed.append(row)
        else:
            astray[row.kind, row.object_id, not row.listing] = len(confirmed)
            confirmed.append(None)
    if astray:
        wanted = Q(pk__in=[])
        for kind, object_id, listing in astray:
            wanted |= Q(kind=kind, object_id=object_id, listing=listing)
        others = SearchEntry.objects.filter(matching).filter(wanted)
        for other in others.values_list("pk", "kind", "object_id", "listing"):
            row = Row(*other, astray=True)
            confirmed[astray[row.kind, row.object_id, row.listing]] = row
    return [row for row in confirmed if row is not None]


class Found(Sequence[SearchEntry]):
    """The entries a search found, best first, as a sequence of known length for the
    ``Paginator``: a slice is read from the database (its snippets with it, on PostgreSQL),
    through the visibility rule once more, so that what a page shows is read in the same query
    as what lets it be shown.

    ``more``: more entries matched than ``CANDIDATES``; only those are ranked and shown, and
    each page's are confirmed by the rule as they are read (a page may then show fewer)."""

    def __init__(
        self,
        rows: list[Row],
        *,
        more: bool,
        query: Query,
        audience: Audience,
        matching: Q | None = None,
    ) -> None:
        self.rows = rows
        self.more = more
        self.query = query
        self.audience = audience
        self.matching = matching  # the rows are still to be confirmed by the rule

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[SearchEntry]:
        return iter(self[:])  # in one query, not one an entry

    @overload
    def __getitem__(self, index: int) -> SearchEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[SearchEntry]: ...

    def __getitem__(self, index: int | slice) -> SearchEntry | list[SearchEntry]:
        if isinstance(index, int):
            found = self[index : index + 1 or None]
            if not found:
                raise IndexError(index)
            return found[0]
        rows = self.rows[index]
        if self.matching is not None:
            rows = _confirmed(self.audience, self.matching, rows)
        if not rows:
            return []
        # Read through the rule again, in the query that reads the text: through the columns,
        # written with the text in one transaction (a record given exempt text and made exempt
        # at once is never shown by its old columns); where the columns were stale, through
        # the records' own rules.
        shown = Q(pk__in=[row.pk for row in rows if not row.astray]) & kept(self.audience)
        astray = [row for row in rows if row.astray]
        if astray:
            among: dict[str, set[int]] = defaultdict(set)
            for row in astray:
                among[row.kind].add(row.object_id)
            shown |= Q(pk__in=[row.pk for row in astray]) & visible(self.audience, among)
        entries = SearchEntry.objects.filter(shown).select_related("board").defer("vector")
        if _is_postgresql():
            entries = entries.annotate(headline=_headline(self.query)).defer("body", "vector")
        by_pk = {entry.pk: entry for entry in entries}
        return [by_pk[row.pk] for row in rows if row.pk in by_pk]


class _FirstHit(Func):
    """Where the first of the query's words (as PostgreSQL stems them) starts in the text, or
    1: a lower-case search for each stem, far quicker than parsing the text."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra):
        text, query = (compiler.compile(expression) for expression in self.get_source_expressions())
        sql = (
            f"COALESCE((SELECT min(NULLIF(strpos(lower({text[0]}), lexeme), 0)) "  # noqa: S608
            f"FROM unnest(tsvector_to_array(to_tsvector('english'::regconfig, {query[0]}))) "
            "AS lexeme), 1)"
        )  # Both parts compiled by Django, their values passed as parameters.
        return sql, (*text[1], *query[1])


def _headline(query: Query) -> SearchHeadline:
    """The snippet: PostgreSQL's highlights in a window of the body around the first hit (it
    parses all the text it is given, and a long report's would take it milliseconds)."""
    body = Left("body", HEADLINE_CHARS)
    start = Greatest(_FirstHit(body, Value(query.websearch)) - HEADLINE_BEFORE, Value(1))
    return SearchHeadline(
        Substr(body, start, HEADLINE_WINDOW),
        _terms(query),
        config="english",
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=40,
        min_words=20,
        max_fragments=2,
        fragment_delimiter=" … ",
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


def agenda_published(sender, *, publication: Publication, **kwargs) -> None:
    """What a publication put out is listed to everyone now."""
    refresh(*publication.agenda_items.all(), *publication.papers.all())


def minutes_approved(sender, *, minutes: MinutesRecord, **kwargs) -> None:
    """Approved minutes are published."""
    refresh(*minutes.meeting.minute_entries.all())


def _is_searched(record: Model) -> bool:
    return any(isinstance(record, source.model) for source in SOURCES.values())
