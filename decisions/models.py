"""Executive decisions, the forward plan that gives notice of key decisions, and call-in.

A decision is made by the executive at a meeting (recorded beside its minute, ``minutes.Decision``,
and linked here), by a member of the executive, or by an officer under delegation. Its decision
notice is published; from then the call-in window runs (``rules.call_in_closes``). A call-in is
one record from the councillors' request through the officer's check, the scrutiny board's
consideration (an item on its agenda, the same record, as evidence sessions are) and outcome, to
the decision maker's reconsideration and the final decision.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from simple_history.models import HistoricalRecords

from boards import text
from boards.models import (
    AgendaItem,
    Board,
    Person,
    Post,
    Subject,
    TimeStampedModel,
    Ward,
)
from boards.models.exemption import ContentVisible, Exemptible, Withdrawable
from decisions import rules
from minutes.models import Decision as RecordedDecision

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.visibility import Audience


def report_upload_to(decision: ExecutiveDecision, filename: str) -> str:
    """Uploaded files are stored under generated names, never the uploader's."""
    return f"decisions/{uuid.uuid4().hex}.pdf"


class CallInRules(TimeStampedModel):
    """The council's constitution on call-in and key decisions (always the row with pk 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    window_days = models.PositiveSmallIntegerField(
        default=5,
        verbose_name="days to call a decision in",
        help_text="Counted from the day after the decision is published.",
    )
    window_working_days = models.BooleanField(
        default=True,
        verbose_name="count working days only",
        help_text="Leave out weekends and bank holidays in England and Wales. Off: calendar "
        'days ("midday on the eighth day").',
    )
    window_closes_at = models.TimeField(
        default=datetime.time(17, 0), verbose_name="the window closes at"
    )
    chair_may_call_in = models.BooleanField(
        default=True, verbose_name="the chair of the relevant scrutiny board may call in"
    )
    board_members_needed = models.PositiveSmallIntegerField(
        default=2,
        verbose_name="members of the relevant scrutiny board needed",
        help_text="0: members of the board cannot call in as such.",
    )
    non_executive_needed = models.PositiveSmallIntegerField(
        default=3,
        verbose_name="non-executive councillors needed",
        help_text="0: other councillors cannot call in as such.",
    )
    ward_councillor_may_call_in = models.BooleanField(
        default=False,
        verbose_name="a councillor for a ward the decision affects may call in",
    )
    meeting_within_working_days = models.PositiveSmallIntegerField(
        default=10,
        verbose_name="working days to hold the call-in meeting",
        help_text="After the call-in is found valid.",
    )
    publish_within_working_days = models.PositiveSmallIntegerField(
        default=2,
        verbose_name="working days to publish a decision",
        help_text="Decisions published later are flagged.",
    )
    notice_working_days = models.BooleanField(
        default=False,
        verbose_name="count the forward plan's 28 clear days in working days",
        help_text="Off (usual): calendar days.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "call-in rules"
        verbose_name_plural = "call-in rules"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="callinrules_is_a_single_row"),
            models.CheckConstraint(condition=Q(window_days__gte=1), name="callinrules_window"),
        ]

    def __str__(self) -> str:
        return "Call-in rules"

    @classmethod
    def load(cls) -> CallInRules:
        """The council's rules; the defaults until an administrator sets them."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def routes(self) -> str:
        return rules.routes_text(
            chair_may=self.chair_may_call_in,
            board_members_needed=self.board_members_needed,
            non_executive_needed=self.non_executive_needed,
            ward_councillor_may=self.ward_councillor_may_call_in,
        )

    def window_closes(self, published_at: datetime.datetime) -> datetime.datetime:
        return rules.call_in_closes(
            published_at,
            days=self.window_days,
            working=self.window_working_days,
            closes_at=self.window_closes_at,
            tz=timezone.get_default_timezone(),
        )


class ForwardPlanEntryQuerySet(models.QuerySet["ForwardPlanEntry"]):
    def published(self) -> ForwardPlanEntryQuerySet:
        return self.filter(published_on__isnull=False, withdrawn_at__isnull=True)

    def visible_to(self, audience: Audience) -> ForwardPlanEntryQuerySet:
        """Notices are public once published (a private decision's notice says so, with its
        paragraph: the notice itself is never exempt); staff see drafts too."""
        if audience.staff or audience.sees_drafts:
            return self
        return self.filter(published_on__isnull=False)

    def upcoming(self, today: datetime.date) -> ForwardPlanEntryQuerySet:
        return self.published().filter(decision_due_on__gte=today, decisions__isnull=True)


class ForwardPlanEntry(Withdrawable, TimeStampedModel):
    """A notice in the forward plan that a key decision is to be made (regulation 9), or a
    general exception (regulation 10) or special urgency (regulation 11) notice."""

    class Notice(models.TextChoices):
        FORWARD_PLAN = "forward_plan", "Notice in the forward plan (28 clear days)"
        GENERAL_EXCEPTION = "general_exception", "General exception (5 clear days)"
        SPECIAL_URGENCY = "special_urgency", "Special urgency"

    reference = models.CharField(max_length=30, blank=True, help_text="For example FP/2026/014.")
    title = models.CharField(max_length=300, help_text="The matter to be decided.")
    summary = models.TextField(blank=True, help_text="Markdown.")
    decision_maker = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="forward_plan",
        limit_choices_to={"kind": Board.Kind.EXECUTIVE},
        help_text="The executive.",
    )
    maker_post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="individual decision maker",
        help_text="Empty when the executive decides at a meeting.",
    )
    decision_due_on = models.DateField(verbose_name="decision expected on")
    key_decision = models.BooleanField(default=True)
    notice = models.CharField(max_length=20, choices=Notice.choices, default=Notice.FORWARD_PLAN)
    published_on = models.DateField(
        null=True, blank=True, verbose_name="notice published on", help_text="Empty: a draft."
    )
    chair_informed_on = models.DateField(
        null=True,
        blank=True,
        verbose_name="scrutiny chair informed on",
        help_text="General exception: the day the chair of the relevant scrutiny board was told.",
    )
    urgency_agreed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="urgency agreed by",
        help_text="Special urgency: the scrutiny chair (or the council's chair) who agreed.",
    )
    urgency_agreed_on = models.DateField(null=True, blank=True)
    urgency_reasons = models.TextField(blank=True, help_text="Why the decision cannot wait.")
    scrutiny_board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forward_plan_watch",
        verbose_name="relevant scrutiny board",
    )
    private = models.BooleanField(
        default=False, help_text="To be decided in private: the notice gives the paragraph."
    )
    private_paragraph = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=Exemptible._meta.get_field("exempt_paragraph").choices
    )
    private_reasons = models.TextField(blank=True)
    wards = models.ManyToManyField(Ward, blank=True, related_name="+")
    documents = models.TextField(
        blank=True, help_text="The documents to be considered, one a line."
    )
    consultation = models.TextField(blank=True)
    contact = models.CharField(max_length=300, blank=True, help_text="Who to ask, and how.")
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.PROTECT, related_name="forward_plan"
    )

    objects = ForwardPlanEntryQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[wards])

    class Meta:
        ordering = ["decision_due_on", "pk"]
        verbose_name = "forward plan notice"
        verbose_name_plural = "forward plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(notice__in=["forward_plan", "general_exception", "special_urgency"]),
                name="forwardplanentry_notice_valid",
            ),
            models.CheckConstraint(
                condition=Q(private=False, private_paragraph__isnull=True)
                | Q(
                    private=True,
                    private_paragraph__isnull=False,
                    private_paragraph__gte=1,
                    private_paragraph__lte=7,
                ),
                name="forwardplanentry_private_has_paragraph",
            ),
            *Withdrawable.Meta.constraints,
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:forward-plan-entry", kwargs={"pk": self.pk})

    @property
    def summary_html(self) -> SafeString:
        return text.render_markdown(self.summary)

    def earliest_decision(self, rules_: CallInRules) -> datetime.date | None:
        """The first day the decision may properly be taken under this notice."""
        if self.notice == self.Notice.SPECIAL_URGENCY:
            return self.urgency_agreed_on
        if self.notice == self.Notice.GENERAL_EXCEPTION:
            # Both the chair and the public must have had the notice: the later of the two.
            if self.published_on is None or self.chair_informed_on is None:
                return None
            start = max(self.published_on, self.chair_informed_on)
            return rules.earliest_decision_after_general_exception(start)
        if self.published_on is None:
            return None
        return rules.earliest_decision_after_notice(
            self.published_on, working=rules_.notice_working_days
        )

    def notice_check(self, decided_on: datetime.date, rules_: CallInRules) -> rules.NoticeCheck:
        """Whether a decision on ``decided_on`` had the notice this entry gives."""
        general = None
        if self.notice == self.Notice.GENERAL_EXCEPTION and self.published_on:
            # Both the chair and the public must have had the notice: the later of the two.
            general = max(filter(None, [self.published_on, self.chair_informed_on]))
            if self.chair_informed_on is None:
                return rules.NoticeCheck(
                    False, "The general exception needs the scrutiny chair to be informed."
                )
        return rules.check_notice(
            decided_on=decided_on,
            notice_on=self.published_on if self.notice == self.Notice.FORWARD_PLAN else None,
            general_exception_on=general,
            special_urgency_agreed_on=(
                self.urgency_agreed_on if self.notice == self.Notice.SPECIAL_URGENCY else None
            ),
            working=rules_.notice_working_days,
        )


class ExecutiveDecisionQuerySet[D: ExecutiveDecision](models.QuerySet[D]):
    def published(self) -> ExecutiveDecisionQuerySet[D]:
        return self.filter(published_at__isnull=False)

    def visible_to(self, audience: Audience) -> ExecutiveDecisionQuerySet[VisibleExecutiveDecision]:
        """The decisions the audience may see listed, each annotated ``content_visible``. The
        public sees a published exempt decision's title, maker and date and the paragraph of
        Schedule 12A that keeps the rest back; the executive's members, clerks and
        administrators read it (and officers supporting the executive); staff see drafts."""
        if audience.sees_drafts:
            return self.annotate(content_visible=Value(True))
        drafts = Q(maker_body_id__in=audience.draft_board_ids)
        return self.filter(Q(published_at__isnull=False) | drafts).annotate(
            content_visible=Case(
                When(drafts, then=Value(True)),
                When(withdrawn_at__isnull=False, then=Value(False)),
                When(exempt=False, then=Value(True)),
                When(maker_body_id__in=audience.member_board_ids, then=Value(True)),
                default=Value(False),
            )
        )

    def not_called_in(self) -> ExecutiveDecisionQuerySet[D]:
        return self.exclude(call_ins__valid=True)


class ExecutiveDecision(Exemptible, Withdrawable, TimeStampedModel):
    """An executive decision and its decision notice."""

    class Maker(models.TextChoices):
        MEETING = "meeting", "The executive at a meeting"
        MEMBER = "member", "A member of the executive"
        OFFICER = "officer", "An officer under delegated powers"

    class Exclusion(models.TextChoices):
        NONE = "", "Subject to call-in"
        URGENCY = "urgency", "Urgent: the chair of scrutiny consented"
        CONSTITUTION = "constitution", "Excluded by the constitution"
        CALLED_IN_BEFORE = "reconsidered", "A reconsidered decision after call-in"

    reference = models.CharField(max_length=30, blank=True, help_text="For example D54321.")
    maker = models.CharField(max_length=10, choices=Maker.choices, default=Maker.MEETING)
    maker_body = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="executive_decisions",
        limit_choices_to={"kind": Board.Kind.EXECUTIVE},
        verbose_name="the executive",
    )
    maker_post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="decision maker's post",
        help_text="The executive member's portfolio or the officer's post.",
    )
    maker_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="decision maker",
    )
    recorded = models.OneToOneField(
        RecordedDecision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="executive_decision",
        help_text="The decision as recorded beside the meeting's minute.",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="executive_decisions",
        help_text="The item of the executive's meeting, with its report.",
    )
    decided_on = models.DateField()
    title = models.CharField(max_length=300)
    decision = models.TextField(help_text="What was decided (Markdown).")
    reasons = models.TextField(verbose_name="reasons for the decision")
    alternatives = models.TextField(
        blank=True, verbose_name="alternative options considered and rejected"
    )
    key_decision = models.BooleanField(default=False)
    notice = models.ForeignKey(
        ForwardPlanEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="notice given",
        help_text="The forward plan, general exception or special urgency notice.",
    )
    wards = models.ManyToManyField(
        Ward, blank=True, related_name="+", verbose_name="wards affected"
    )
    declarations = models.TextField(
        blank=True, help_text="Interests declared by the decision maker or anyone consulted."
    )
    dispensation = models.TextField(blank=True, help_text="Any dispensation granted.")
    report = models.FileField(upload_to=report_upload_to, blank=True)
    report_filename = models.CharField(max_length=255, blank=True)
    subject = models.ForeignKey(
        Subject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="executive_decisions",
    )
    exclusion = models.CharField(
        max_length=15,
        choices=Exclusion.choices,
        default=Exclusion.NONE,
        blank=True,
        verbose_name="call-in",
    )
    exclusion_reason = models.TextField(blank=True, verbose_name="why it cannot be called in")
    urgency_consent_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="consent given by",
        help_text="The chair of scrutiny who agreed the decision is urgent.",
    )
    urgency_consent_on = models.DateField(null=True, blank=True, verbose_name="consent given on")
    reconsiders = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reconsidered_as",
        help_text="The called-in decision this one reconsiders.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    call_in_closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Worked out on publication by the council's rules, and kept: a later change "
        "of rules does not move a window already running.",
    )

    objects = ExecutiveDecisionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[wards])

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = "executive decision"
        constraints = [
            *Exemptible.Meta.constraints,
            *Withdrawable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(maker__in=["meeting", "member", "officer"]),
                name="executivedecision_maker_valid",
            ),
            models.CheckConstraint(
                condition=Q(exclusion__in=["", "urgency", "constitution", "reconsidered"]),
                name="executivedecision_exclusion_valid",
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="executivedecision_has_reasons"),
            models.CheckConstraint(
                condition=~Q(exclusion="urgency")
                | Q(urgency_consent_by__isnull=False, urgency_consent_on__isnull=False),
                name="executivedecision_urgency_has_consent",
            ),
            models.CheckConstraint(
                condition=Q(exclusion="") | ~Q(exclusion_reason=""),
                name="executivedecision_exclusion_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(exclusion__in=["urgency", "constitution", "reconsidered"])
                | Q(call_in_closes_at__isnull=False),
                name="executivedecision_published_has_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:decision-detail", kwargs={"pk": self.pk})

    @property
    def decision_html(self) -> SafeString:
        return text.render_markdown(self.decision)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def subject_to_call_in(self) -> bool:
        return not self.exclusion


type VisibleExecutiveDecision = WithAnnotations[ExecutiveDecision, ContentVisible]


class CallInQuerySet(models.QuerySet["CallIn"]):
    def to_validate(self) -> CallInQuerySet:
        return self.filter(checked_on__isnull=True, withdrawn_at__isnull=True)

    def open(self) -> CallInQuerySet:
        """Valid call-ins whose decision is not yet final."""
        return self.filter(valid=True, concluded_on__isnull=True)


class CallIn(Withdrawable, TimeStampedModel):
    """A call-in: requested by councillors, checked by an officer, considered by the scrutiny
    board (an item on its agenda), and concluded by the decision maker's final decision."""

    class Outcome(models.TextChoices):
        RELEASE = "release", "Release the decision for implementation"
        REFER_BACK = "refer_back", "Refer it back to the decision maker with recommendations"
        REFER_TO_COUNCIL = "refer_to_council", "Refer it to full council"

    class CouncilOutcome(models.TextChoices):
        NO_OBJECTION = "no_objection", "No objection: the decision takes effect"
        REFER_BACK = "refer_back", "Refer it back to the decision maker"
        AMEND = "amend", "Amend the decision (outside the budget and policy framework)"

    class Final(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed unchanged"
        AMENDED = "amended", "Amended"
        REVOKED = "revoked", "Revoked"

    decision = models.ForeignKey(
        ExecutiveDecision, on_delete=models.PROTECT, related_name="call_ins"
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="call_ins",
        verbose_name="relevant scrutiny board",
    )
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signatories = models.ManyToManyField(Person, related_name="call_ins_signed")
    reasons = models.TextField(help_text="Why the decision should be reviewed.")
    # The officer's check.
    checked_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid = models.BooleanField(null=True, blank=True)
    check_reasons = models.TextField(blank=True, verbose_name="reasons for the finding")
    meeting_due_on = models.DateField(
        null=True, blank=True, help_text="The last day the board may meet on it."
    )
    agenda_item = models.OneToOneField(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_in",
        help_text="The item on the scrutiny board's agenda: the same record, not a copy.",
    )
    # The scrutiny board's outcome.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_reasons = models.TextField(
        blank=True, verbose_name="the board's reasons and recommendations"
    )
    # Full council, when the board referred it there.
    council_outcome = models.CharField(max_length=20, choices=CouncilOutcome.choices, blank=True)
    council_outcome_on = models.DateField(null=True, blank=True)
    council_outcome_reasons = models.TextField(blank=True)
    # The decision maker's reconsideration and the final decision.
    final = models.CharField(max_length=10, choices=Final.choices, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    final_reasons = models.TextField(blank=True, verbose_name="the final decision and reasons")

    objects = CallInQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[signatories])

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "call-in"
        constraints = [
            *Withdrawable.Meta.constraints,
            models.UniqueConstraint(
                fields=["decision"], condition=Q(valid=True), name="callin_once_per_decision"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "release", "refer_back", "refer_to_council"]),
                name="callin_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(council_outcome__in=["", "no_objection", "refer_back", "amend"]),
                name="callin_council_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(final__in=["", "confirmed", "amended", "revoked"]),
                name="callin_final_valid",
            ),
            models.CheckConstraint(
                condition=Q(checked_on__isnull=True, valid__isnull=True)
                | Q(checked_on__isnull=False, valid__isnull=False),
                name="callin_check_has_finding",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(valid=True), name="callin_outcome_only_if_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True)
                | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="callin_outcome_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Call-in of {self.decision}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:call-in-detail", kwargs={"pk": self.pk})
