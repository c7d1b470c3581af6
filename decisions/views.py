"""Pages of executive decisions: the public list and each decision's page (with its report),
the staff's pages that record, publish, exclude from call-in and withdraw a decision, and make
the drafts of an executive meeting's decisions; the council's call-in rules, and the same in
plain words for everyone. The call-in's own pages and the forward plan's are their own."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards import downloads, formatting
from boards.access import (
    Ability,
    AnyUser,
    acting_user,
    can_edit,
    get_editable,
    has_ability,
    staff_required,
)
from boards.models import Board, Meeting
from boards.uploads import safe_download_name
from boards.views.common import STATUS_INVALID, apply_error
from boards.visibility import Audience
from decisions import forms, notices, rules, services, status
from decisions.models import CallIn, CallInRules, ExecutiveDecision
from minutes.models import Decision as RecordedDecision

DECISIONS_PER_PAGE = 25


def _executives(user: AnyUser) -> QuerySet[Board]:
    """The executive bodies whose decisions the user may record."""
    return Board.objects.editable_by(user).filter(kind=Board.Kind.EXECUTIVE).order_by("name")


def _editable(request: HttpRequest, pk: int) -> ExecutiveDecision:
    """The decision, if the user may change the executive's business (404, else 403)."""
    decisions = ExecutiveDecision.objects.select_related("maker_body", "maker_post")
    return get_editable(request.user, decisions, "maker_body", pk=pk)


# What a decision's standing means ---------------------------------------------------------------


def implementation(standing: status.Standing) -> str:
    """What the standing means for implementing the decision, in a sentence."""
    stage, start = standing.stage, standing.implement_from
    if stage == status.Stage.DRAFT:
        return "Not yet published: the call-in window opens when it is."
    if stage in (status.Stage.WITHDRAWN, status.Stage.REVOKED):
        return "It will not be implemented."
    if stage == status.Stage.WINDOW_OPEN and start is not None:
        return (
            f"It may not be implemented before {formatting.long_date(start)}; if it is called "
            "in, not until the call-in is concluded."
        )
    if standing.suspended:
        return "It may not be implemented until the call-in is concluded."
    call_in = standing.call_in
    if call_in is not None and call_in.final == CallIn.Final.AMENDED and start is not None:
        return (
            f"The decision as amended after call-in may be implemented from "
            f"{formatting.long_date(start)}; this one, as first made, will not be."
        )
    if standing.may_implement and start is not None:
        return f"It may be implemented from {formatting.long_date(start)}."
    return ""


@dataclass(frozen=True)
class Row:
    decision: ExecutiveDecision
    standing: status.Standing


def _when(on: datetime.date | datetime.datetime) -> str:
    if isinstance(on, datetime.datetime):
        return f"{formatting.long_date(on)}, {formatting.clock(on)}"
    return formatting.long_date(on)


_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
)


def _ordinal(number: int) -> str:
    """ "fifth", "eighth"; "21st" past twenty."""
    words = _ORDINALS
    if 1 <= number <= len(words):
        return words[number - 1]
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def rules_in_words(rules_: CallInRules) -> list[str]:
    """The council's call-in rules in plain words, a sentence or two each."""
    at = rules_.window_closes_at
    time = "midday" if at == datetime.time(12) else formatting.clock(at)
    day = f"{_ordinal(rules_.window_days)} {'working ' if rules_.window_working_days else ''}day"
    counted = (
        "the day of publication is not counted, nor are Saturdays, Sundays and bank holidays "
        "in England and Wales"
        if rules_.window_working_days
        else "the day of publication is not counted; weekends and bank holidays are"
    )
    return [
        f"An executive decision is published within {rules_.publish_within_working_days} "
        f"working day{'s' if rules_.publish_within_working_days != 1 else ''} of being made.",
        f"It may be called in until {time} on the {day} after the day it is published "
        f"({counted}). It may not be implemented before then.",
        f"It may be called in by {rules_.routes}. Members of the executive cannot call in its "
        "decisions, and a decision can be called in only once.",
        "An officer checks that a call-in is valid: made in time, by councillors who may call "
        "the decision in, of a decision that may be called in and has not been before. A valid "
        "call-in suspends the decision.",
        f"The scrutiny board meets on a valid call-in within "
        f"{rules_.meeting_within_working_days} working days. It may release the decision, refer "
        "it back to the decision maker with its recommendations, or refer it to full council "
        "if it is outside the budget and policy framework.",
        "Some decisions cannot be called in: urgent ones, with the consent of the chair of "
        "scrutiny, and those the constitution excludes. Each decision's page says whether it "
        "may be called in, and until when.",
    ]


# Public pages --------------------------------------------------------------------------------


def _open_to_call_in[D: QuerySet](decisions: D, now: datetime.datetime) -> D:
    """Those whose window is open at ``now`` and not called in or being checked: the
    decisions ``status.standing`` finds at ``Stage.WINDOW_OPEN``."""
    live = CallIn.objects.filter(decision=OuterRef("pk"), withdrawn_at__isnull=True).filter(
        Q(valid=True) | Q(checked_on__isnull=True)
    )
    return decisions.filter(
        published_at__isnull=False,
        withdrawn_at__isnull=True,
        exclusion="",
        call_in_closes_at__gt=now,
    ).exclude(Exists(live))


@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    """Published executive decisions, newest first, each with where it stands (drafts too, for
    the staff who may see them); exempt ones by title and paragraph only."""
    now = timezone.now()
    executives = Board.objects.filter(kind=Board.Kind.EXECUTIVE).count()
    form = forms.DecisionFilterForm(request.GET, executives=executives)
    form.is_valid()  # a mistyped filter is explained; the others still apply
    chosen = form.cleaned_data
    decisions = (
        ExecutiveDecision.objects.visible_to(Audience.of(request.user))
        .select_related("maker_body", "maker_post", "maker_person")
        .prefetch_related(Prefetch("call_ins", queryset=CallIn.objects.order_by("requested_at")))
        .order_by("-decided_on", "-pk")
    )
    if chosen.get("body"):
        decisions = decisions.filter(maker_body=chosen["body"])
    if chosen.get("maker"):
        decisions = decisions.filter(maker=chosen["maker"])
    if chosen.get("key"):
        decisions = decisions.filter(key_decision=True)
    if chosen.get("open"):
        decisions = _open_to_call_in(decisions, now)
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        Row(decision, status.standing(decision, list(decision.call_ins.all()), now=now))
        for decision in page
    ]
    title = "Executive decisions"
    if chosen.get("body"):
        title = f"Decisions of {chosen['body'].name}"
    if chosen.get("key"):
        title += ": key decisions"
    if chosen.get("open"):
        title += ", open to call-in now" if chosen.get("key") else ": open to call-in now"
    if chosen.get("maker"):
        title += f" ({ExecutiveDecision.Maker(chosen['maker']).label.lower()})"
    return render(
        request,
        "decisions/decision_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "title": f"{title} (page {page.number})" if page.number > 1 else title,
            "can_record": _executives(request.user).exists(),
        },
    )


@require_GET
def call_in_explained(request: HttpRequest) -> HttpResponse:
    """How call-in works here: the council's rules in plain words."""
    rules_ = CallInRules.load()
    return render(
        request,
        "decisions/call_in_explained.html",
        {"rules": rules_, "sentences": rules_in_words(rules_)},
    )


def _visible_decision(request: HttpRequest, pk: int):
    audience = Audience.of(request.user)
    decisions = ExecutiveDecision.objects.visible_to(audience).select_related(
        "maker_body__support_officer",
        "maker_post",
        "maker_person",
        "notice",
        "urgency_consent_by",
        "recorded__minute__board",
        "recorded__minute__municipal_year",
        "recorded__minute__agenda_item",
        "recorded__minute__meeting",
        "agenda_item__meeting__board",
        "reconsiders",
        "reconsidered_as",
    )
    return get_object_or_404(decisions, pk=pk)


@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision and its notice: who made it and when, what and why (to those who may read
    it), where it stands on call-in and what that means for implementing it, its timeline."""
    decision = _visible_decision(request, pk)
    now = timezone.now()
    rules_ = CallInRules.load()
    call_ins = list(
        decision.call_ins.select_related("board", "agenda_item__meeting__board")
        .prefetch_related("signatories")
        .order_by("requested_at")
    )
    standing = status.standing(decision, call_ins, now=now)
    steps = [
        {
            "when": _when(step.on),
            "title": step.title,
            # What the steps say (the councillors' reasons, the board's) can quote the decision.
            "detail": step.detail if decision.content_visible else "",
        }
        for step in status.timeline(decision, call_ins, rules_)
    ]
    published_late = decision.published_at is not None and rules.publication_late(
        decision.decided_on,
        timezone.localdate(decision.published_at),
        within=rules_.publish_within_working_days,
    )
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "standing": standing,
            "implementation": implementation(standing),
            "steps": steps,
            "call_ins": call_ins,
            "rules": rules_,
            "notice_check": notices.notice_check(decision, rules_),
            "wards": list(decision.wards.all()) if decision.content_visible else [],
            "published_late": published_late,
            "can_edit": can_edit(request.user, decision.maker_body),
            # Amended after call-in: the decision as amended, published as a decision of its own.
            "reconsidered": getattr(decision, "reconsidered_as", None),
        },
    )


@require_GET
def decision_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The report the decision was made on; for an exempt decision, only to those who may read
    it (404 to the rest, as for a draft)."""
    decision = _visible_decision(request, pk)
    if not decision.content_visible or not decision.report:
        raise Http404("No report to download.")
    name = (decision.report_filename or "").removesuffix(".pdf") or decision.title
    return downloads.file_response(
        request, decision.report, modified=decision.modified, filename=safe_download_name(name)
    )


# Staff pages ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    bodies = _executives(request.user)
    if not bodies.exists():
        raise PermissionDenied
    form = forms.DecisionForm(
        request.POST or None,
        request.FILES or None,
        bodies=bodies,
        initial={"decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(
                by=acting_user(request),
                wards=form.cleaned_data["wards"],
                report=form.cleaned_data["report"] or None,
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{decision.title}: recorded. Check it, then publish it.")
            if form.removed:
                messages.warning(request, form.removed.sentence())
            return redirect(decision)
    return render(
        request,
        "decisions/decision_form.html",
        {"form": form},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    if decision.withdrawn_at is not None:
        messages.error(request, "This decision was withdrawn: its record can no longer be changed.")
        return redirect(decision)
    form = forms.DecisionForm(
        request.POST or None,
        request.FILES or None,
        instance=decision,
        bodies=_executives(request.user),
    )
    if request.method == "POST" and form.is_valid():
        report = form.cleaned_data["report"]
        try:
            decision = services.decision_update(
                decision=decision,
                by=acting_user(request),
                reason=form.cleaned_data.get("reason", ""),
                wards=form.cleaned_data["wards"],
                report=report or None,
                remove_report=report is False,
                changes=form.service_fields(),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                "Correction recorded." if decision.published_at else "Decision saved.",
            )
            if form.removed:
                messages.warning(request, form.removed.sentence())
            return redirect(decision)
    return render(
        request,
        "decisions/decision_form.html",
        {"form": form, "decision": decision},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the decision notice, after a page that shows the window it will open."""
    decision = _editable(request, pk)
    form = forms.PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            decision = services.decision_publish(decision=decision, by=acting_user(request))
        except ValidationError as error:
            apply_error(form, error)
        else:
            standing = status.standing(decision, [], now=timezone.now())
            messages.success(request, f"Decision published. {standing.headline}.")
            return redirect(decision)
    now = timezone.now()
    rules_ = CallInRules.load()
    closes = None if decision.exclusion else rules_.window_closes(now)
    return render(
        request,
        "decisions/decision_publish.html",
        {
            "decision": decision,
            "form": form,
            "closes": closes,
            "implement_from": rules.implementation_from(closes) if closes else now,
            "late": rules.publication_late(
                decision.decided_on,
                timezone.localdate(now),
                within=rules_.publish_within_working_days,
            ),
            "rules": rules_,
        },
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    """Before publication: the decision cannot be called in, as urgent (with the consent of
    the chair of scrutiny) or as the constitution excludes it."""
    decision = _editable(request, pk)
    form = forms.ExclusionForm(
        request.POST or None,
        initial={
            "exclusion": decision.exclusion or ExecutiveDecision.Exclusion.URGENCY,
            "reason": decision.exclusion_reason,
            "consent_by": decision.urgency_consent_by_id,
            "consent_on": decision.urgency_consent_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_exclude(
                decision=decision,
                exclusion=data["exclusion"],
                reason=data["reason"],
                consent_by=data["consent_by"],
                consent_on=data["consent_on"],
                by=acting_user(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"Not subject to call-in: {decision.get_exclusion_display().lower()}."
                if decision.exclusion
                else "The decision may be called in.",
            )
            return redirect(decision)
    return render(
        request,
        "decisions/decision_exclude.html",
        {"form": form, "decision": decision},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_withdraw(
                decision=decision, by=acting_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Decision withdrawn.")
            return redirect(decision)
    return render(
        request,
        "decisions/decision_withdraw.html",
        {"form": form, "decision": decision},
        status=STATUS_INVALID if form.errors else 200,
    )


def _executive_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_editable(request.user, Meeting.objects.select_related("board"), "board", pk=pk)
    if meeting.board.kind != Board.Kind.EXECUTIVE:
        raise Http404("Only the executive's meetings make executive decisions.")
    return meeting


@login_required
@require_GET
def meeting_decisions(request: HttpRequest, pk: int) -> HttpResponse:
    """The decisions recorded beside the minutes of an executive meeting, each with its
    executive decision once made."""
    meeting = _executive_meeting(request, pk)
    recorded = (
        RecordedDecision.objects.filter(minute__meeting=meeting, minute__withdrawn_at__isnull=True)
        .select_related(
            "minute__board",
            "minute__municipal_year",
            "minute__agenda_item",
            "executive_decision",
        )
        .order_by("minute__order", "minute__number")
    )
    return render(
        request,
        "decisions/meeting_decisions.html",
        {
            "meeting": meeting,
            "recorded": recorded,
            "to_make": sum(1 for record in recorded if not hasattr(record, "executive_decision")),
        },
    )


@login_required
@require_POST
def meeting_decisions_make(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _executive_meeting(request, pk)
    try:
        made = services.decisions_from_meeting(meeting=meeting, by=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if made:
            messages.success(
                request,
                f"{len(made)} draft decision{'s' if len(made) != 1 else ''} made: check and "
                "publish each.",
            )
        else:
            messages.info(request, "Every decision recorded in the minutes has its record.")
    return redirect("decisions:meeting-decisions", pk=meeting.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def call_in_rules(request: HttpRequest) -> HttpResponse:
    """The council's call-in rules: administrators change them, other staff read them."""
    rules_ = CallInRules.load()
    may_change = has_ability(request.user, Ability.ADMINISTER)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = forms.CallInRulesForm(request.POST or None, instance=rules_) if may_change else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.call_in_rules_update(rules=form.save(commit=False), by=acting_user(request))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                "Call-in rules saved. Decisions already published keep the window they were given.",
            )
            return redirect("decisions:call-in-rules")
    return render(
        request,
        "decisions/call_in_rules.html",
        {"form": form, "rules": rules_, "sentences": rules_in_words(rules_)},
        status=STATUS_INVALID if form is not None and form.errors else 200,
    )
