"""The OParl API serves rather than builds: each object's JSON is kept in the cache under its
*version*, and a list page is its members' versions.

A version is read from the database with the rows, never remembered by a process: so a change
is seen at once by every process, whether each has its own cache (``locmem://``) or they share
one. An object's version is its own ``modified`` and those of every record its JSON shows or
embeds (a meeting's: its board, venue and minutes, its agenda items, papers, publications,
minutes entries and resolutions), with how many there are and a checksum of their ids and
order (a row taken away, or items renumbered), and the deadlines whose passing changes the JSON
(a decision's call-in window closing, a recommendation falling overdue). Each is a correlated
subquery on a foreign key's index, so reading the versions of a page costs one query whatever
the size of the data.

An answer is then: one query for the list's size and latest change, one for the page's
versions; if the client holds that page (``If-None-Match``, ``If-Modified-Since``), 304; if the
cache holds it, its bytes; else the objects the cache lacks are built (a fixed number of
queries for any number), kept, and the page put together from them.

A process keeps nothing between requests but the cache. Entries expire after
``OPARL_CACHE_SECONDS`` (an hour by default), and their keys carry a digest of this module and
the serialiser's source, so a new release never serves an old release's JSON.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateTimeField,
    F,
    Func,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from boards.models import (
    AgendaItem,
    Meeting,
    Membership,
    Paper,
    Person,
    Post,
    Publication,
)
from decisions.models import CallIn
from inquiries.models import Session, StageChange
from minutes.models import Minute, Resolution
from opendata import oparl
from recommendations.models import (
    Judgement,
    ProgressUpdate,
    Recommendation,
)

DEFAULT_SECONDS = 60 * 60
# What the JSON is made by: a release that changes either never reads its predecessor's entries.
CODE = hashlib.sha256(
    b"".join(Path(module.__file__ or "").read_bytes() for module in (oparl,))
    + Path(__file__).read_bytes()
).hexdigest()[:12]
DUMPS: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}


def json_cache() -> BaseCache:
    """The ``opendata`` cache where the project configures one (``scrutiny/settings.py``: a
    process's own holds more entries than Django's default), else the default cache."""
    return caches["opendata" if "opendata" in settings.CACHES else "default"]


def timeout() -> int:
    return getattr(settings, "OPARL_CACHE_SECONDS", DEFAULT_SECONDS)


# Versions: what each object's JSON shows, read as columns.


class _Over(Func):
    """An aggregate over a correlated subquery's rows, without a GROUP BY: ``MAX(modified)``
    of the rows that reference the outer row."""

    template = "%(function)s(%(expressions)s)"


def _text(expression: Any) -> Cast:
    return Cast(expression, CharField())


def rows(name: str, related: QuerySet, order: str | None = None) -> dict[str, Any]:
    """Two columns for the ``related`` rows of each row (``related`` filtered by an
    ``OuterRef``): the latest time one changed, and their count with a checksum of their ids
    (and of their ``order``, where the JSON shows it), so that a row taken away or a change of
    order changes the version even when no ``modified`` moves."""
    related = related.order_by()
    checksum = F("pk") * F(order) if order else F("pk")
    shape = Concat(
        _text(_Over(F("pk"), function="COUNT")),
        Value(":"),
        _text(_Over(checksum, function="SUM", output_field=BigIntegerField())),
        output_field=CharField(),
    )
    newest = _Over(F("modified"), function="MAX", output_field=DateTimeField())
    return {
        f"v_{name}_at": Subquery(related.annotate(v=newest).values("v")[:1]),
        f"v_{name}": Subquery(related.annotate(v=shape).values("v")[:1]),
    }


def one(name: str, path: str) -> dict[str, Any]:
    """The ``modified`` of the one record at ``path`` (a foreign key's, joined): its id is a
    column of the row already."""
    return {f"v_{name}_at": F(f"{path}__modified")}


def meeting_scope() -> dict[str, Any]:
    """Everything of a meeting's that its OParl objects show, as columns of a query of
    meetings: the meeting's board, venue and minutes, and its publications, agenda items,
    papers, minutes entries and resolutions. A meeting, its agenda items, its papers and its
    files each read this meeting's, so that a change to any of them reaches all."""
    ref = OuterRef("pk")
    return {
        **one("board", "board"),
        **one("venue", "venue"),
        **one("record", "minutes"),
        **rows("publications", Publication.objects.filter(meeting=ref)),
        **rows("items", AgendaItem.objects.filter(meeting=ref), order="number"),
        **rows("papers", Paper.objects.filter(agenda_item__meeting=ref), order="position"),
        **rows("minutes", Minute.objects.filter(meeting=ref)),
        **rows("resolutions", Resolution.objects.filter(minute__meeting=ref), order="position"),
    }


def _paper_version() -> dict[str, Any]:
    return one("report_of", "report_of")


def _decision_version() -> dict[str, Any]:
    ref = OuterRef("pk")
    return {
        **one("body", "maker_body"),
        **one("post", "maker_post"),
        **one("person", "maker_person"),
        **rows("call_ins", CallIn.objects.filter(decision=ref)),
        **rows("signatories", Person.objects.filter(call_ins_signed__decision=ref)),
        **rows("call_in_items", AgendaItem.objects.filter(call_in__decision=ref)),
    }


def _call_in_version() -> dict[str, Any]:
    return {
        **one("decision", "decision"),
        **one("item", "agenda_item"),
        **rows("signatories", Person.objects.filter(call_ins_signed=OuterRef("pk"))),
    }


def _organization_version() -> dict[str, Any]:
    return rows("memberships", Membership.objects.filter(board=OuterRef("pk")))


def _person_version() -> dict[str, Any]:
    return {
        **one("ward", "ward"),
        **one("party", "party"),
        **rows("memberships", Membership.objects.filter(person=OuterRef("pk"))),
    }


def _inquiry_version() -> dict[str, Any]:
    ref = OuterRef("pk")
    return {
        **one("statement", "statement"),
        **rows("stages", StageChange.objects.filter(inquiry=ref)),
        **rows("sessions", Session.objects.filter(inquiry=ref), order="number"),
        **rows("session_items", AgendaItem.objects.filter(inquiry_session__inquiry=ref)),
    }


def _recommendation_version() -> dict[str, Any]:
    ref = OuterRef("pk")
    return {
        **one("statement", "statement"),
        **one("response", "response"),
        **one("actioned_by", "response__actioned_by"),
        **one("category", "current_category"),
        **rows("parts", Recommendation.objects.filter(parent=ref), order="position"),
        **rows("addressees", Post.objects.filter(recommendations=ref)),
        **rows("updates", ProgressUpdate.objects.filter(recommendation=ref)),
        **rows("judgements", Judgement.objects.filter(recommendation=ref)),
    }


def _response_version() -> dict[str, Any]:
    return one("actioned_by", "actioned_by")


def _own() -> dict[str, Any]:
    return {}


SIZE = ("v_count", "v_latest")
MEETING = "v_meeting"  # the meeting whose scope a row reads


@dataclass(frozen=True)
class Kind:
    """One kind of OParl object: its records (``objects``, as ``opendata.oparl`` fetches them
    for serialising), the ``OParl`` method that serialises one, and what its version reads
    besides the row's own ``modified``: ``version``, columns of related records;
    ``columns``, the row's own columns its JSON shows that may change without ``modified``
    moving; ``deadlines``, those among them whose passing changes the JSON; ``meeting``, the
    path from the row to the meeting whose scope (``meeting_scope``) it shows."""

    name: str
    objects: Callable[[], QuerySet]
    method: str
    version: Callable[[], dict[str, Any]] = _own
    columns: tuple[str, ...] = ()
    deadlines: tuple[str, ...] = ()
    meeting: str | None = None

    def read(
        self, queryset: QuerySet, window: slice, *, size_of: QuerySet | None = None
    ) -> list[dict[str, Any]]:
        """The versions of the rows of ``queryset`` (one of ``objects()``, filtered) in
        ``window``, in its order, without building anything: one query, and one more for the
        scopes of their meetings. With ``size_of`` (the records the latest change is read
        from: ``queryset`` itself, or it before a client's filters), each row carries the
        list's size too (``v_count``, ``v_latest``), in the same query."""
        extra = self.version()
        if self.meeting == "pk":
            extra |= meeting_scope()
        elif self.meeting:
            extra[MEETING] = F(self.meeting)
        if size_of is queryset:
            # Its count and latest change in one pass over the list.
            extra["v_size"] = Subquery(_size(queryset))
        elif size_of is not None:
            extra["v_count"] = Subquery(_aggregate(queryset, "COUNT", "pk"))
            extra["v_latest"] = Subquery(_aggregate(size_of, "MAX", "modified"))
        found = list(
            queryset.prefetch_related(None)
            .annotate(**extra)
            .values("pk", "modified", *self.columns, *extra)[window]
        )
        for row in found:
            if "v_size" in row:
                row["v_count"], row["v_latest"] = _parse_size(row.pop("v_size"))
        if self.meeting and self.meeting != "pk" and found:
            scope = meeting_scope() | {"v_meeting_at": F("modified")}
            scopes = {
                row.pop("pk"): row
                for row in Meeting.objects.filter(pk__in={row[MEETING] for row in found})
                .annotate(**scope)
                .values("pk", *scope)
            }
            for row in found:
                row.update(scopes.get(row[MEETING], {}))
        return found


def _size(queryset: QuerySet) -> QuerySet:
    """``queryset``'s count and latest ``modified`` as one value ("12;2026-03-01 10:00:00"), so
    that one pass over the list finds both."""
    size = Concat(
        _text(_Over(F("pk"), function="COUNT")),
        Value(";"),
        _text(_Over(F("modified"), function="MAX", output_field=DateTimeField())),
        output_field=CharField(),
    )
    return queryset.order_by().annotate(v=size).values("v")[:1]


def _parse_size(text: str) -> tuple[int, datetime.datetime | None]:
    """What ``_size`` gave: the latest change as the database writes a time as text (SQLite
    without an offset, in UTC; PostgreSQL with one)."""
    count, _, latest = text.partition(";")
    if not latest:
        return int(count), None
    moment = datetime.datetime.fromisoformat(latest)
    return int(count), moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _aggregate(queryset: QuerySet, function: str, field: str) -> QuerySet:
    """``queryset``'s COUNT or MAX as a subquery of one value, computed once per query."""
    output = DateTimeField() if field == "modified" else BigIntegerField()
    over = _Over(F(field), function=function, output_field=output)
    return queryset.order_by().annotate(v=over).values("v")[:1]


KINDS = {
    kind.name: kind
    for kind in (
        Kind("meeting", oparl.meetings, "meeting", meeting="pk"),
        Kind(
            "agendaitem",
            oparl.agenda_items,
            "agenda_item",
            columns=("number",),
            meeting="meeting_id",
        ),
        Kind("paper", oparl.papers, "paper", _paper_version, meeting="agenda_item__meeting_id"),
        Kind(
            "consultation",
            oparl.papers,
            "consultation",
            _paper_version,
            meeting="agenda_item__meeting_id",
        ),
        Kind(
            "file-paper",
            oparl.paper_files,
            "paper_file",
            _paper_version,
            meeting="agenda_item__meeting_id",
        ),
        Kind("file-minutes", oparl.minutes_files, "minutes_file", meeting="meeting_id"),
        Kind(
            "decision",
            oparl.decisions,
            "decision",
            _decision_version,
            columns=("call_in_closes_at",),
            deadlines=("call_in_closes_at",),
        ),
        Kind("call-in", oparl.call_ins, "call_in", _call_in_version),
        Kind("organization", oparl.organizations, "organization", _organization_version),
        Kind("person", oparl.people, "person", _person_version),
        Kind("membership", oparl.memberships, "membership"),
        Kind(
            "legislativeterm",
            oparl.legislative_terms,
            "legislative_term",
            columns=("next_starts_on",),
        ),
        Kind("location", oparl.locations, "location"),
        Kind("inquiry", oparl.inquiries, "inquiry", _inquiry_version),
        Kind(
            "recommendation",
            oparl.recommendations,
            "recommendation",
            _recommendation_version,
            columns=("deadline_on",),
            deadlines=("deadline_on",),
        ),
        Kind("response", oparl.responses, "response", _response_version),
        Kind("trackingcategory", oparl.tracking_categories, "tracking_category"),
    )
}


@dataclass(frozen=True)
class Version:
    """One row's version: a digest for keys and ETags, and the latest moment its JSON changed
    (for Last-Modified)."""

    pk: int
    digest: str
    changed: datetime.datetime | None


def version(kind: Kind, row: dict[str, Any], now: datetime.datetime) -> Version:
    """A row's version from what ``Kind.read`` gave (its columns always in the same order)."""
    shown: list[Any] = []
    moments: list[datetime.datetime] = []
    today = timezone.localdate(now)
    for name, value in row.items():
        if name in SIZE:
            continue
        if name in kind.deadlines:
            # Only whether it has passed is shown (the deadline itself moves ``modified``).
            passed, moment = _passed(value, now, today)
            shown.append(passed)
            if moment:
                moments.append(moment)
            continue
        shown.append(value)
        if isinstance(value, datetime.datetime):
            moments.append(value)
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:24]
    return Version(row["pk"], digest, max(moments, default=None))


def _passed(
    value: datetime.date | datetime.datetime | None, now: datetime.datetime, today: datetime.date
) -> tuple[bool, datetime.datetime | None]:
    if value is None:
        return False, None
    if isinstance(value, datetime.datetime):
        return (value <= now, value if value <= now else None)
    if value < today:
        # A date is past from the start of the next day.
        midnight = datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time())
        return True, timezone.make_aware(midnight)
    return False, None


# Answers.


@dataclass
class Answer:
    """A list page or an object: its validators, and its JSON (plain and gzipped), from the
    cache or built on first asking."""

    etag: str
    last_modified: datetime.datetime | None
    body: Callable[[], tuple[bytes, bytes]]


@dataclass(frozen=True)
class Source:
    """A kind of object and the records of it a list or an object's URL serves (a list of
    papers is reports, then executive decisions: two sources)."""

    kind: Kind
    objects: QuerySet
    # The records before a client's filters, where it gave any: the latest change to any of
    # them dates a filtered list (a record leaving it changes it too).
    unfiltered: QuerySet | None = None

    @property
    def dated_by(self) -> QuerySet:
        """The records whose latest change dates the list (never tested for truth: that would
        fetch them)."""
        return self.objects if self.unfiltered is None else self.unfiltered

    def size(self) -> tuple[int, datetime.datetime | None]:
        """How many records, and the latest time one changed (one query, or two if filtered),
        for a list whose page does not reach them."""
        if self.unfiltered is None:
            found = self.objects.aggregate(count=Count("pk"), latest=Max("modified"))
            return found["count"], found["latest"]
        latest = self.unfiltered.aggregate(latest=Max("modified"))["latest"]
        return self.objects.count(), latest


def _prefix(serializer: oparl.OParl) -> str:
    base = hashlib.sha256(serializer.base.encode()).hexdigest()[:12]
    return f"oparl:{CODE}:{base}"


def _objects(
    serializer: oparl.OParl, wanted: Iterable[tuple[Kind, Version]]
) -> dict[tuple[str, int], str]:
    """The JSON of each wanted object, from the cache, building (and keeping) what it lacks:
    one cache read, and a fixed number of queries per kind for everything missing."""
    prefix = _prefix(serializer)
    keys = {(kind.name, v.pk): f"{prefix}:{kind.name}:{v.pk}:{v.digest}" for kind, v in wanted}
    cache = json_cache()
    found = cache.get_many(list(keys.values()))
    texts = {ident: found[key] for ident, key in keys.items() if key in found}
    missing: dict[str, list[int]] = {}
    for kind_name, pk in keys:
        if (kind_name, pk) not in texts:
            missing.setdefault(kind_name, []).append(pk)
    built: dict[str, str] = {}
    for kind_name, pks in missing.items():
        kind = KINDS[kind_name]
        serialize = getattr(serializer, kind.method)
        for record in kind.objects().filter(pk__in=pks):
            text = json.dumps(serialize(record), **DUMPS)
            texts[(kind_name, record.pk)] = text
            built[keys[(kind_name, record.pk)]] = text
    if built:
        cache.set_many(built, timeout())
    return texts


def _encode(text: str) -> tuple[bytes, bytes]:
    plain = text.encode()
    return plain, gzip.compress(plain, compresslevel=6, mtime=0)


def _etag(*parts: object) -> str:
    return 'W/"' + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32] + '"'


def detail(serializer: oparl.OParl, source: Source, pk: int) -> Answer | None:
    """One object at its URL, or None if there is none (or the public may not see it)."""
    now = timezone.now()
    found = source.kind.read(source.objects.filter(pk=pk), slice(0, 1))
    if not found:
        return None
    current = version(source.kind, found[0], now)
    etag = _etag(CODE, serializer.base, source.kind.name, pk, current.digest)

    def body() -> tuple[bytes, bytes]:
        texts = _objects(serializer, [(source.kind, current)])
        if (source.kind.name, pk) not in texts:
            raise NotFound(pk)  # gone since its version was read
        return _encode(texts[(source.kind.name, pk)])

    return Answer(etag, current.changed, body)


@dataclass(frozen=True)
class PageWanted:
    """The page asked for: its number, its size, and the list's URL with its filters."""

    number: int
    size: int
    link: Callable[[int], str]


class NotFound(LookupError):
    """A page past the last, or an object gone since its version was read."""


def page(serializer: oparl.OParl, sources: list[Source], window: PageWanted) -> Answer:
    """An OParl list page over ``sources``, one after another, each in the order of its ids."""
    now = timezone.now()
    start, stop = (window.number - 1) * window.size, window.number * window.size
    sizes: list[tuple[int, datetime.datetime | None]] = []
    members: list[tuple[Kind, Version]] = []
    before = 0  # records of the sources before this one
    for source in sources:
        low, high = max(start - before, 0), stop - before
        found = (
            source.kind.read(source.objects, slice(low, high), size_of=source.dated_by)
            if high > 0
            else []
        )
        if found:
            # The list's size came with its rows.
            count, latest = found[0]["v_count"], found[0]["v_latest"]
            members.extend((source.kind, version(source.kind, row, now)) for row in found)
        else:
            count, latest = source.size()
        sizes.append((count, latest))
        before += count
    counts = [count for count, _latest in sizes]
    total = sum(counts)
    pages = max(1, -(-total // window.size))
    if window.number > pages:
        raise NotFound(window.number)
    links = {
        "first": window.link(1),
        "self": window.link(window.number),
        "last": window.link(pages),
    }
    if window.number > 1:
        links["prev"] = window.link(window.number - 1)
    if window.number < pages:
        links["next"] = window.link(window.number + 1)
    pagination = {
        "totalElements": total,
        "elementsPerPage": window.size,
        "currentPage": window.number,
        "totalPages": pages,
    }
    etag = _etag(
        CODE,
        links["self"],
        pagination,
        counts,
        [(kind.name, member.pk, member.digest) for kind, member in members],
    )
    moments = [latest for _count, latest in sizes] + [member.changed for _kind, member in members]
    changed = max((moment for moment in moments if moment), default=None)

    def body() -> tuple[bytes, bytes]:
        key = f"{_prefix(serializer)}:page:{etag}"
        cache = json_cache()
        if (encoded := cache.get(key)) is not None:
            return encoded
        texts = _objects(serializer, members)
        # A record gone since its version was read (hardly ever) is left out.
        data = ",".join(
            texts[ident]
            for ident in ((kind.name, member.pk) for kind, member in members)
            if ident in texts
        )
        encoded = _encode(
            f'{{"data":[{data}],"pagination":{json.dumps(pagination, **DUMPS)},'
            f'"links":{json.dumps(links, **DUMPS)}}}'
        )
        cache.set(key, encoded, timeout())
        return encoded

    return Answer(etag, changed, body)
