"""The forward plan as its page, its PDF and the feeds read it: the published notices of key
decisions still to come (and, when asked, those of the last twelve months), month by month of
the expected decision, each with the earliest day its notice allows; and the key decisions
taken without proper notice.

Notices are public once published (``ForwardPlanEntry.objects.visible_to``); the decisions
taken under them are read through the decisions' own visibility rule. A fixed number of
queries, whatever the plan's size.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict

from boards.dates import add_months
from boards.models import Board, Post, Ward
from boards.visibility import Audience
from decisions import notices
from decisions.forms_forward_plan import ForwardPlanFilterForm
from decisions.models import CallInRules, ExecutiveDecision, ForwardPlanEntry

if TYPE_CHECKING:
    from decisions.models import VisibleExecutiveDecision

#: How far back "also in the last 12 months" reaches.
PAST_MONTHS = 12


@dataclass(frozen=True)
class Line:
    """A notice as the plan shows it."""

    entry: ForwardPlanEntry
    earliest: datetime.date | None  # the first day its notice allows the decision
    decisions: list[Any] = field(default_factory=list)  # taken under it, as the audience sees


@dataclass(frozen=True)
class Month:
    month: datetime.date  # its first day
    lines: list[Line]


@dataclass(frozen=True)
class Flagged:
    """A key decision taken without the notice the regulations require."""

    decision: Any  # an ExecutiveDecision annotated ``content_visible``
    problem: str


@dataclass
class ForwardPlan:
    title: str
    months: list[Month]
    improper: list[Flagged]
    rules: CallInRules
    today: datetime.date
    with_past: bool = False
    ward: Ward | None = None
    maker: Board | Post | None = None
    query: str = ""  # what was asked, for the PDF's link

    @property
    def count(self) -> int:
        return sum(len(month.lines) for month in self.months)


def maker_filter(value: str) -> Q:
    """The notices of the decision maker a filter names: an executive at its meeting (its slug)
    or an individual post (``post-<pk>``)."""
    if value.startswith("post-"):
        return Q(maker_post_id=int(value.removeprefix("post-")))
    return Q(decision_maker__slug=value, maker_post__isnull=True)


def notices_for(
    audience: Audience,
    today: datetime.date,
    *,
    with_past: bool = False,
) -> QuerySet[ForwardPlanEntry]:
    """The published notices the plan lists, with what each line shows fetched up front:
    decisions still to come; with ``with_past``, also those expected in the last 12 months or
    already taken."""
    entries = ForwardPlanEntry.objects.visible_to(audience).published()
    if with_past:
        entries = entries.filter(decision_due_on__gte=add_months(today, -PAST_MONTHS))
    else:
        entries = entries.upcoming(today)
    return entries.select_related(
        "decision_maker", "maker_post", "scrutiny_board", "urgency_agreed_by"
    ).prefetch_related(
        Prefetch("wards", queryset=Ward.objects.only("name")),
        Prefetch(
            "decisions",
            queryset=ExecutiveDecision.objects.visible_to(audience)
            .published()
            .filter(withdrawn_at__isnull=True)
            .only("pk", "title", "decided_on", "notice_id", "exempt", "exempt_paragraph"),
            to_attr="visible_decisions",
        ),
    )


def lines_of(entries: QuerySet[ForwardPlanEntry], rules_: CallInRules) -> list[Line]:
    return [
        Line(
            entry=entry,
            earliest=entry.earliest_decision(rules_),
            decisions=getattr(entry, "visible_decisions", []),
        )
        for entry in entries
    ]


def improper_decisions(
    audience: Audience, today: datetime.date, rules_: CallInRules
) -> list[Flagged]:
    """The published key decisions of the last 12 months (as the audience sees them) taken
    without the notice the regulations require, newest first, each with what was wrong."""
    decisions: QuerySet[VisibleExecutiveDecision] = (
        ExecutiveDecision.objects.visible_to(audience)
        .published()
        .filter(
            key_decision=True,
            withdrawn_at__isnull=True,
            decided_on__gte=add_months(today, -PAST_MONTHS),
        )
        .select_related("notice", "maker_body", "maker_post")
        .order_by("-decided_on", "-pk")
    )
    flagged = []
    for decision in decisions:
        check = notices.notice_check(decision, rules_)
        if check is not None and not check.proper:
            flagged.append(Flagged(decision=decision, problem=check.problem))
    return flagged


def forward_plan_asked(
    query: QueryDict, audience: Audience, today: datetime.date
) -> tuple[ForwardPlanFilterForm, ForwardPlan]:
    """The plan a page or its PDF was asked for (``?ward=&maker=&past=1``). A value that is not
    in the lists is explained by the form; the valid ones still filter."""
    form = ForwardPlanFilterForm(query)
    form.is_valid()
    chosen = form.cleaned_data
    with_past = bool(chosen.get("past"))
    entries = notices_for(audience, today, with_past=with_past)
    ward: Ward | None = chosen.get("ward")
    maker_value: str = chosen.get("maker") or ""
    if ward is not None:
        entries = entries.filter(wards=ward)
    if maker_value:
        entries = entries.filter(maker_filter(maker_value))
    entries = entries.order_by("decision_due_on", "pk")
    rules_ = CallInRules.load()
    lines = lines_of(entries, rules_)
    months = [
        Month(month=month, lines=list(group))
        for month, group in itertools.groupby(
            lines, key=lambda line: line.entry.decision_due_on.replace(day=1)
        )
    ]
    maker = form.chosen_maker()
    parts = [part for part in (ward.name if ward else "", str(maker) if maker else "") if part]
    title = "Forward plan of key decisions"
    if parts:
        title += f": {', '.join(parts)}"
    if with_past:
        title += ", with the last 12 months"
    asked = [
        ("ward", str(ward.pk) if ward else ""),
        ("maker", maker_value),
        ("past", "1" if with_past else ""),
    ]
    return form, ForwardPlan(
        title=title,
        months=months,
        improper=improper_decisions(audience, today, rules_),
        rules=rules_,
        today=today,
        with_past=with_past,
        ward=ward,
        maker=maker,
        query=urlencode([(name, value) for name, value in asked if value]),
    )


__all__ = [
    "Flagged",
    "ForwardPlan",
    "Line",
    "Month",
    "forward_plan_asked",
    "improper_decisions",
    "lines_of",
    "notices_for",
]
