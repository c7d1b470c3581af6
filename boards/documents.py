"""The data of the agenda of a meeting, and of what each publication put out, as an audience may
read them. Pages, packs, feeds and e-mails all build from these, so what is printed or sent is
what is shown."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from boards.models import AgendaItem, Meeting, Paper, Publication
from boards.models.exemption import ContentVisible
from boards.visibility import Audience

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.models.meetings import AgendaItemQuerySet, VisibleAgendaItem
    from boards.models.papers import VisiblePaper


class AgendaPaperExtras(ContentVisible):
    visible_appendices: list[VisiblePaper]


class AgendaEntryExtras(ContentVisible):
    visible_papers: list[AgendaPaper]


if TYPE_CHECKING:
    # A report on the agenda, with the appendices the audience may see listed.
    type AgendaPaper = WithAnnotations[Paper, AgendaPaperExtras]
    # An agenda item, with its reports.
    type AgendaEntry = WithAnnotations[AgendaItem, AgendaEntryExtras]


def agenda_for(meeting: Meeting, audience: Audience) -> AgendaItemQuerySet[AgendaEntry]:
    """The meeting's agenda items and papers the audience may see, fetched in a fixed number of
    queries whatever the size of the agenda."""
    papers = (
        Paper.objects.visible_to(audience)
        .filter(parent__isnull=True)
        .select_related("publication", "report_of")
        .prefetch_related(
            Prefetch(
                "appendices",
                queryset=Paper.objects.visible_to(audience).select_related("publication"),
                to_attr="visible_appendices",
            )
        )
    )
    return (
        AgendaItem.objects.visible_to(audience)
        .filter(meeting=meeting)
        .select_related("lead_post", "publication", "minutes_of", "subject")
        .prefetch_related("wards", Prefetch("papers", queryset=papers, to_attr="visible_papers"))
        .order_by("number")
    )


@dataclass(frozen=True)
class PaperLine:
    title: str
    url: str
    notice: str  # why the audience may not read it, or ""


@dataclass(frozen=True)
class ItemLine:
    number: int  # its place on the agenda, which orders the lines
    shown_number: str  # as the agenda prints it: "7", "5a"
    title: str
    purpose: str  # empty unless the audience may read the item's content
    notice: str
    withdrawn: bool
    papers: list[PaperLine]


def publication_items(
    publication: Publication, audience: Audience, url: Callable[[str], str]
) -> list[ItemLine]:
    """What a publication put out, as the audience may see it (two queries). Only rows the
    publication published are read, whoever the audience, so nothing unpublished is sent."""
    items = AgendaItem.objects.visible_to(audience).filter(publication=publication)
    papers = (
        Paper.objects.visible_to(audience)
        .filter(publication=publication)
        .select_related("parent", "agenda_item")
    )
    return publication_lines(items, papers, url)


def publication_lines(
    items: Iterable[VisibleAgendaItem], papers: Iterable[VisiblePaper], url: Callable[[str], str]
) -> list[ItemLine]:
    """The items a publication published (annotated ``content_visible`` by the visibility rule)
    and the papers it published (likewise), grouped under their items. A supplement's paper on
    an item published earlier appears under that item's number and title alone."""
    by_item: dict[int, list[PaperLine]] = {}
    lines: dict[int, ItemLine] = {}
    for paper in sorted(papers, key=_paper_order):
        by_item.setdefault(paper.agenda_item_id, []).append(
            PaperLine(
                title=paper.title,
                url=url(paper.get_absolute_url()),
                notice="" if paper.content_visible else paper_notice(paper),
            )
        )
        item = paper.agenda_item
        lines.setdefault(
            item.pk,
            ItemLine(item.number, item.shown_number, item.title, "", "", item.is_withdrawn, []),
        )
    for item in items:
        lines[item.pk] = ItemLine(
            number=item.number,
            shown_number=item.shown_number,
            title=item.title,
            purpose=item.purpose if item.content_visible else "",
            notice="" if item.content_visible else _withheld(item),
            withdrawn=item.is_withdrawn,
            papers=[],
        )
    for pk, papers_of_item in by_item.items():
        lines[pk].papers.extend(papers_of_item)
    return sorted(lines.values(), key=lambda line: line.number)


def _paper_order(paper: Paper) -> tuple:
    """A report, then its appendices, then the next report."""
    report = paper.parent or paper
    return (report.position, report.pk, paper.parent_id is not None, paper.position, paper.pk)


def _withheld(record: AgendaItem) -> str:
    if record.is_withdrawn:
        return "Withdrawn."
    return record.exemption_notice or "Not for publication."


def paper_notice(paper: Paper) -> str:
    if paper.is_withdrawn or paper.agenda_item.is_withdrawn:
        return "Withdrawn."
    for record in (paper, paper.parent, paper.agenda_item):
        if record is not None and record.exempt:
            return record.exemption_notice
    return "Not for publication."
