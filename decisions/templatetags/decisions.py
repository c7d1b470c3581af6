"""What the pages of lower rooms show of executive decisions.

A subject's history belongs to the record of meetings (``minutes``), which never imports this
room; its page and PDF load this tag instead::

    {% load decisions %}
    {% subject_decisions subject as executive %}
    {{ executive.decisions }}  each with its ``standing`` (``decisions.status``)
    {{ executive.notices }}    forward plan notices, each with what became of it

It asks the visibility rule with the visitor's own audience, in three queries however many
decisions and notices there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from boards import formatting
from boards.models import Subject
from boards.visibility import Audience
from decisions import status
from decisions.models import CallIn, ExecutiveDecision, ForwardPlanEntry

register = template.Library()


@dataclass(frozen=True)
class DecisionRow:
    decision: ExecutiveDecision
    maker: str
    standing: status.Standing

    @property
    def content_visible(self) -> bool:
        return bool(getattr(self.decision, "content_visible", False))


@dataclass(frozen=True)
class NoticeRow:
    notice: ForwardPlanEntry
    maker: str
    standing: str


@dataclass(frozen=True)
class SubjectDecisions:
    decisions: list[DecisionRow] = field(default_factory=list)
    notices: list[NoticeRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.decisions or self.notices)


def _notice_standing(notice: ForwardPlanEntry, decided: bool) -> str:
    if notice.is_withdrawn:
        return "Withdrawn"
    if notice.published_on is None:
        return "Draft: not yet published"
    if decided:
        return "Decision taken"
    return f"Decision expected on {formatting.long_date(notice.decision_due_on)}"


def subject_decisions_for(subject: Subject, audience: Audience) -> SubjectDecisions:
    """The subject's executive decisions and forward plan notices the audience may see, oldest
    first, each decision with where it stands now (three queries)."""
    decisions = (
        ExecutiveDecision.objects.visible_to(audience)
        .filter(subject=subject)
        .select_related("maker_body", "maker_post", "maker_person")
        .prefetch_related(
            Prefetch("call_ins", queryset=CallIn.objects.order_by("requested_at", "pk"))
        )
        .order_by("decided_on", "pk")
    )
    now = timezone.now()
    decision_rows = [
        DecisionRow(
            decision=decision,
            maker=status.decision_maker(decision),
            standing=status.standing(decision, list(decision.call_ins.all()), now=now),
        )
        for decision in decisions
    ]
    notices = (
        ForwardPlanEntry.objects.visible_to(audience)
        .filter(subject=subject)
        .select_related("decision_maker", "maker_post")
        .annotate(decided=Exists(ExecutiveDecision.objects.filter(notice=OuterRef("pk"))))
        .order_by("decision_due_on", "pk")
    )
    notice_rows = [
        NoticeRow(
            notice=notice,
            maker=str(notice.maker_post or notice.decision_maker),
            standing=_notice_standing(notice, notice.decided),
        )
        for notice in notices
    ]
    return SubjectDecisions(decisions=decision_rows, notices=notice_rows)


@register.simple_tag(takes_context=True)
def subject_decisions(context, subject: Subject) -> SubjectDecisions:
    """The subject's executive decisions and forward plan notices, as the visitor may see them."""
    request = context.get("request")
    audience = Audience.of(request.user) if request is not None else Audience.public()
    return subject_decisions_for(subject, audience)
