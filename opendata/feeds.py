"""Atom feeds of what is newly published: agendas and their supplements, approved minutes and
inquiry statements; for the whole council, one board, or one inquiry. And the forward plan of
key decisions, each notice an entry.

Feeds are public and shared (feed readers and caches fetch them without signing in), so every
feed reads as the public, whoever asks: ``Audience.public()`` and the ``visible_to`` rule. An
exempt item appears as its title and the paragraph of Schedule 12A that keeps it back; its
purpose and papers never do. Minutes appear once approved (the published record of a meeting;
drafts change while they are typed).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from boards import formatting
from boards.documents import ItemLine, publication_lines
from boards.models import AgendaItem, Board, Council, Paper, Publication
from boards.visibility import Audience
from decisions import status
from decisions.models import CallInRules, ExecutiveDecision, ForwardPlanEntry
from inquiries.models import Inquiry
from minutes.models import MinutesRecord
from recommendations.models import Statement

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.models.meetings import AgendaItemQuerySet, VisibleAgendaItem
    from boards.models.papers import VisiblePaper

LIMIT = 30


class PublishedPapers(TypedDict):
    """What a publication put out, as the public may see it (prefetched for its entry)."""

    feed_items: list[VisibleAgendaItem]
    feed_papers: list[VisiblePaper]


if TYPE_CHECKING:
    type FeedPublication = WithAnnotations[Publication, PublishedPapers]


@dataclass(frozen=True)
class Entry:
    guid: str  # a path with a fragment: unique for the entry, stable for ever
    title: str
    path: str
    published: datetime.datetime
    html: str
    updated: datetime.datetime | None = None  # when it changed since, if it can


def entries(
    *,
    url: Callable[[str], str],
    board: Board | None = None,
    inquiry: Inquiry | None = None,
    limit: int = LIMIT,
) -> list[Entry]:
    """The newest published agendas, supplements, minutes and statements, newest first, as the
    public may see them; in a fixed number of queries whatever their size. ``url`` makes the
    links inside an entry absolute."""
    audience = Audience.public()
    # One Prefetch a call: given two at once, django-stubs types both lists as their models'
    # common base class.
    # Only what was published here: a publication recorded afterwards went out long ago, and
    # a feed reader marks every entry it has not seen as new, whatever its date.
    publications = (
        Publication.objects.announced()
        .select_related("meeting__board", "meeting__venue")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.visible_to(audience),
                to_attr="feed_items",
            )
        )
        .prefetch_related(
            Prefetch(
                "papers",
                queryset=Paper.objects.visible_to(audience).select_related("parent", "agenda_item"),
                to_attr="feed_papers",
            )
        )
        .order_by("-published_at", "-pk")
    )
    minutes = (
        MinutesRecord.objects.filter(status=MinutesRecord.Status.APPROVED)
        .select_related("meeting__board", "approved_at_meeting")
        .order_by("-approved_on", "-pk")
    )
    statements = (
        Statement.objects.filter(published_on__isnull=False)
        .select_related("inquiry__board")
        .order_by("-published_on", "-pk")
    )
    if board is not None:
        publications = publications.filter(meeting__board=board)
        minutes = minutes.filter(meeting__board=board)
        statements = statements.filter(inquiry__board=board)
    if inquiry is not None:
        about = _items_about(inquiry)
        publications = publications.filter(
            Exists(about.filter(publication=OuterRef("pk")))
            | Exists(Paper.objects.filter(publication=OuterRef("pk"), agenda_item__in=about))
        )
        minutes = minutes.filter(Exists(about.filter(meeting=OuterRef("meeting"))))
        statements = statements.filter(inquiry=inquiry)
    found = [
        *(_publication_entry(p, url) for p in publications[:limit]),
        *(_minutes_entry(m) for m in minutes[:limit]),
        *(_statement_entry(s) for s in statements[:limit]),
    ]
    found.sort(key=lambda entry: entry.published, reverse=True)
    return found[:limit]


def _items_about(inquiry: Inquiry) -> AgendaItemQuerySet[AgendaItem]:
    """The agenda items about an inquiry: its sessions and anything filed under its subject."""
    about = Q(inquiry_session__inquiry=inquiry)
    if inquiry.subject_id is not None:
        about |= Q(subject_id=inquiry.subject_id)
    return AgendaItem.objects.filter(about)


def _publication_entry(publication: FeedPublication, url: Callable[[str], str]) -> Entry:
    meeting = publication.meeting
    when = formatting.long_datetime(meeting.starts_at)
    if publication.kind == Publication.Kind.AGENDA:
        title = f"Agenda: {meeting.board.name}, {formatting.long_date(meeting.starts_at)}"
        lead = f"The agenda for the meeting of {meeting.board.name} on {when}"
    else:
        title = (
            f"Supplementary papers: {meeting.board.name}, {formatting.long_date(meeting.starts_at)}"
        )
        lead = f"Supplementary papers for the meeting of {meeting.board.name} on {when}"
    if meeting.venue:
        lead += f" at {meeting.venue.one_line}"
    lines = publication_lines(publication.feed_items, publication.feed_papers, url)
    html = format_html("<p>{}.</p>", lead)
    if meeting.is_cancelled:
        html += format_html("<p>This meeting has been cancelled. {}</p>", meeting.status_reason)
    html += format_html(
        "<ol>{}</ol>", format_html_join("", "{}", ((_item_html(line),) for line in lines))
    )
    return Entry(
        guid=f"{meeting.get_absolute_url()}#publication-{publication.pk}",
        title=title,
        path=meeting.get_absolute_url(),
        published=publication.published_at,
        html=html,
    )


def _item_html(line: ItemLine) -> SafeString:
    parts: list[str] = [format_html("<li><strong>{}. {}</strong>", line.number, line.title)]
    if line.withdrawn:
        parts.append(mark_safe(" (withdrawn)"))  # noqa: S308 - a constant
    if line.notice:
        parts.append(format_html("<p><em>{}</em></p>", line.notice))
    if line.purpose:
        parts.append(linebreaks(line.purpose, autoescape=True))
    if line.papers:
        papers = (
            format_html("{}: <em>{}</em>", paper.title, paper.notice)
            if paper.notice
            else format_html('<a href="{}">{}</a>', paper.url, paper.title)
            for paper in line.papers
        )
        parts.append(
            format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in papers)))
        )
    parts.append(mark_safe("</li>"))  # noqa: S308 - a constant
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def _minutes_entry(record: MinutesRecord) -> Entry:
    meeting = record.meeting
    approved_at = record.approved_at_meeting
    path = reverse("minutes:minutes-detail", kwargs={"pk": meeting.pk})
    html = format_html(
        "<p>The minutes of the meeting of {} held on {}, approved as a correct record{}.</p>",
        meeting.board.name,
        formatting.long_date(meeting.starts_at),
        format_html(" at the meeting of {}", formatting.long_date(approved_at.starts_at))
        if approved_at
        else "",
    )
    return Entry(
        guid=f"{path}#approved",
        title=f"Minutes: {meeting.board.name}, {formatting.long_date(meeting.starts_at)}",
        path=path,
        # Approved minutes have their date (minutesrecord_approval_is_recorded).
        published=cast(datetime.datetime, record.approved_on),
        html=html,
    )


def _statement_entry(statement) -> Entry:
    inquiry = statement.inquiry
    path = statement.get_absolute_url()
    html = format_html(
        "<p>The statement of {} on its {}, published {}. "
        "The executive's response is due by {}.</p>",
        inquiry.board.name,
        inquiry.title,
        formatting.long_date(statement.published_on),
        formatting.long_date(statement.response_due_on),
    )
    published = timezone.make_aware(
        datetime.datetime.combine(statement.published_on, datetime.time())
    )
    return Entry(
        guid=f"{path}#published",
        title=statement.title
        if "statement" in statement.title.lower()
        else f"Statement: {statement.title}",
        path=path,
        published=published,
        html=html,
    )


class PublishedFeed(Feed):
    """Everything newly published, council-wide."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.council = Council.load()
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj) -> str:
        return f"Newly published – {self.council.name}"

    def subtitle(self, obj) -> str:
        return "Agendas, supplementary papers, approved minutes and inquiry statements."

    def link(self, obj) -> str:
        return reverse("boards:meeting-list")

    def feed_url(self, obj) -> str:
        return reverse("opendata:feed-all")

    def feed_guid(self, obj) -> str:
        return self.request.build_absolute_uri(self.feed_url(obj))

    def author_name(self, obj) -> str:
        return self.council.name

    def items(self, obj) -> list[Entry]:
        return entries(url=self.request.build_absolute_uri)

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.path

    def item_guid(self, item: Entry) -> str:
        return self.request.build_absolute_uri(item.guid)

    def item_description(self, item: Entry) -> str:
        return item.html

    def item_pubdate(self, item: Entry) -> datetime.datetime:
        return item.published

    def item_updateddate(self, item: Entry) -> datetime.datetime:
        return item.published


class BoardPublishedFeed(PublishedFeed):
    """What one board has newly published."""

    def get_object(self, request, slug: str) -> Board:
        return get_object_or_404(Board, slug=slug)

    def title(self, obj: Board) -> str:
        return f"{obj.name}: newly published – {self.council.name}"

    def link(self, obj: Board) -> str:
        return reverse("boards:board-detail", kwargs={"slug": obj.slug})

    def feed_url(self, obj: Board) -> str:
        return reverse("opendata:feed-board", kwargs={"slug": obj.slug})

    def items(self, obj: Board) -> list[Entry]:
        return entries(url=self.request.build_absolute_uri, board=obj)


class InquiryPublishedFeed(PublishedFeed):
    """An inquiry's statement, and the agendas and minutes of the meetings that took it."""

    def get_object(self, request, slug: str):
        return get_object_or_404(Inquiry, slug=slug)

    def title(self, obj) -> str:
        return f"{obj.title}: newly published – {self.council.name}"

    def subtitle(self, obj) -> str:
        return "The statement, and the agendas and minutes of the meetings that took the inquiry."

    def link(self, obj) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj) -> str:
        return reverse("opendata:feed-inquiry", kwargs={"slug": obj.slug})

    def items(self, obj) -> list[Entry]:
        return entries(url=self.request.build_absolute_uri, inquiry=obj)


class ForwardPlanFeed(PublishedFeed):
    """The forward plan: each published notice of a key decision an entry, newest first;
    updated when the notice changes (its expected date moves) or is withdrawn. Notices are
    public once published, a private matter's with the paragraph that makes it private."""

    def items(self, obj) -> list[Entry]:
        return forward_plan_entries()

    def title(self, obj) -> str:
        return f"Forward plan of key decisions – {self.council.name}"

    def subtitle(self, obj) -> str:
        return (
            "Notices of the key decisions the executive expects to take, general exception "
            "and special urgency notices."
        )

    def link(self, obj) -> str:
        return reverse("decisions:forward-plan")

    def feed_url(self, obj) -> str:
        return reverse("opendata:feed-forward-plan")

    def item_updateddate(self, item: Entry) -> datetime.datetime:
        return item.updated or item.published


FORWARD_PLAN_LIMIT = 100


def forward_plan_entries(limit: int = FORWARD_PLAN_LIMIT) -> list[Entry]:
    """The newest published notices of the forward plan as the public sees them, in a fixed
    number of queries."""
    notices = (
        ForwardPlanEntry.objects.visible_to(Audience.public())
        .filter(published_on__isnull=False)
        .select_related("decision_maker", "maker_post", "scrutiny_board", "urgency_agreed_by")
        .prefetch_related("wards")
        .order_by("-published_on", "-pk")[:limit]
    )
    rules_ = CallInRules.load()
    return [_notice_entry(notice, rules_) for notice in notices]


def _notice_entry(notice: ForwardPlanEntry, rules_: CallInRules) -> Entry:
    path = notice.get_absolute_url()
    maker = (
        f"{notice.maker_post.title} ({notice.decision_maker.name})"
        if notice.maker_post
        else f"{notice.decision_maker.name}, at its meeting"
    )
    facts: list[tuple[str, str]] = [
        ("Decision maker", maker),
        ("Decision expected", formatting.long_date(notice.decision_due_on)),
        ("Key decision", "Yes" if notice.key_decision else "No"),
        ("Notice", notice.get_notice_display()),
    ]
    earliest = notice.earliest_decision(rules_)
    if earliest is not None:
        facts.append(("Earliest date of the decision", formatting.long_date(earliest)))
    if notice.private:
        facts.append(
            (
                "In private",
                f"By virtue of paragraph {notice.private_paragraph} of Part 1 of Schedule 12A "
                "to the Local Government Act 1972",
            )
        )
    wards = ", ".join(ward.name for ward in notice.wards.all())
    facts.append(("Wards affected", wards or "None named"))
    if notice.contact:
        facts.append(("Contact", notice.contact))
    html = SafeString()
    if notice.withdrawn_at is not None:
        html += format_html("<p><strong>Withdrawn:</strong> {}</p>", notice.withdrawal_reason)
    if notice.summary:
        html += notice.summary_html
    html += format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts))
    title = f"{notice.reference}: {notice.title}" if notice.reference else notice.title
    published = timezone.make_aware(
        datetime.datetime.combine(cast(datetime.date, notice.published_on), datetime.time())
    )
    return Entry(
        guid=f"{path}#notice",
        title=f"Withdrawn: {title}" if notice.withdrawn_at else title,
        path=path,
        published=published,
        html=html,
        updated=max(notice.modified, published),
    )


class DecisionsFeed(PublishedFeed):
    """Executive decisions as they are published, newest first, each with where it stands
    when the feed is read (open to call-in until when, or why not): what a councillor needs to
    call one in in time. Read as the public reads them: an exempt decision gives its title,
    its maker and date and the paragraph that keeps the rest back."""

    def items(self, obj) -> list[Entry]:
        return decision_entries()

    def title(self, obj) -> str:
        return f"Executive decisions – {self.council.name}"

    def subtitle(self, obj) -> str:
        return "Decisions of the executive, its members and officers, as they are published."

    def link(self, obj) -> str:
        return reverse("decisions:decision-list")

    def feed_url(self, obj) -> str:
        return reverse("opendata:feed-decisions")

    def item_updateddate(self, item: Entry) -> datetime.datetime:
        return item.updated or item.published


DECISIONS_LIMIT = 100


def decision_entries(limit: int = DECISIONS_LIMIT) -> list[Entry]:
    """The newest published decisions as the public sees them, in a fixed number of queries."""
    decisions = (
        ExecutiveDecision.objects.visible_to(Audience.public())
        .select_related("maker_body", "maker_post", "maker_person")
        .prefetch_related("call_ins")
        .order_by("-published_at", "-pk")[:limit]
    )
    now = timezone.now()
    return [_decision_entry(decision, now) for decision in decisions]


def _decision_entry(decision, now: datetime.datetime) -> Entry:
    path = decision.get_absolute_url()
    standing = status.standing(decision, list(decision.call_ins.all()), now=now)
    facts = [
        ("Decision maker", status.decision_maker(decision)),
        ("Made on", formatting.long_date(decision.decided_on)),
        ("Key decision", "Yes" if decision.key_decision else "No"),
        ("Call-in", standing.headline),
    ]
    html = format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts))
    if decision.content_visible:
        html = decision.decision_html + html
    elif decision.withdrawn_at is None:
        html = format_html("<p>{}.</p>", decision.exemption_notice) + html
    title = f"{decision.reference}: {decision.title}" if decision.reference else decision.title
    published = cast(datetime.datetime, decision.published_at)
    return Entry(
        guid=f"{path}#decision",
        title=f"Withdrawn: {title}" if decision.withdrawn_at else title,
        path=path,
        published=published,
        html=html,
        updated=max(decision.modified, published),
    )


# Views. Each request gets its own feed object: the feed keeps the request and the council on
# itself while it renders, which a single shared instance must not do under threads.


@require_GET
def feed_all(request: HttpRequest) -> HttpResponse:
    return PublishedFeed()(request)


@require_GET
def feed_board(request: HttpRequest, slug: str) -> HttpResponse:
    return BoardPublishedFeed()(request, slug=slug)


@require_GET
def feed_inquiry(request: HttpRequest, slug: str) -> HttpResponse:
    return InquiryPublishedFeed()(request, slug=slug)


@require_GET
def feed_forward_plan(request: HttpRequest) -> HttpResponse:
    return ForwardPlanFeed()(request)


@require_GET
def feed_decisions(request: HttpRequest) -> HttpResponse:
    return DecisionsFeed()(request)
