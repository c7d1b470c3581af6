"""The forward plan of key decisions: its public page and PDF (one document, the same code path),
each notice's page, and the pages on which those who may change the executive's business (its
officers and clerks: ``boards.access.can_edit``) give, change, publish and withdraw notices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from boards import formatting, printing
from boards.access import acting_user, can_edit, get_editable
from boards.models import Board
from boards.views.common import STATUS_INVALID, apply_error
from boards.visibility import Audience
from decisions import notices, services
from decisions.forms_forward_plan import ForwardPlanEntryForm, PublishForm, WithdrawForm
from decisions.forward_plan import forward_plan_asked
from decisions.models import CallInRules, ExecutiveDecision, ForwardPlanEntry


def _plan(request: HttpRequest):
    return forward_plan_asked(request.GET, Audience.of(request.user), timezone.localdate())


@require_GET
def forward_plan(request: HttpRequest) -> HttpResponse:
    """The published notices of decisions still to come, month by month; for those who give
    notices, the drafts too."""
    form, plan = _plan(request)
    editable = Board.objects.editable_by(request.user).filter(kind=Board.Kind.EXECUTIVE)
    may_give_notice = editable.exists()
    drafts: Any = []
    if may_give_notice:
        drafts = (
            ForwardPlanEntry.objects.filter(
                decision_maker__in=editable, published_on__isnull=True, withdrawn_at__isnull=True
            )
            .select_related("decision_maker", "maker_post")
            .order_by("decision_due_on", "pk")
        )
    return render(
        request,
        "decisions/forward_plan.html",
        {"form": form, "plan": plan, "may_give_notice": may_give_notice, "drafts": drafts},
    )


@require_GET
def forward_plan_pdf(request: HttpRequest) -> HttpResponse:
    """The forward plan as printed: the same plan as the page, asked the same way."""
    _form, plan = _plan(request)
    return printing.pdf_response(
        request, "print/forward_plan.html", {"plan": plan}, title=plan.title
    )


def _date_changes(entry: ForwardPlanEntry) -> list[dict[str, Any]]:
    """Each move of the expected date since the notice was published, from its history (one
    query)."""
    rows = list(
        entry.history.filter(published_on__isnull=False)
        .order_by("history_date", "history_id")
        .values("decision_due_on", "history_date")
    )
    changes = []
    for before, after in zip(rows, rows[1:], strict=False):
        if before["decision_due_on"] != after["decision_due_on"]:
            changes.append(
                {
                    "was": before["decision_due_on"],
                    "now": after["decision_due_on"],
                    "on": after["history_date"],
                }
            )
    return changes


@require_GET
def forward_plan_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice, as the public reads it once published; with the decisions taken under it and
    whether each had the notice the regulations require."""
    audience = Audience.of(request.user)
    entry = get_object_or_404(
        ForwardPlanEntry.objects.visible_to(audience).select_related(
            "decision_maker__support_officer",
            "maker_post",
            "scrutiny_board",
            "urgency_agreed_by",
            "withdrawn_by",
        ),
        pk=pk,
    )
    rules_ = CallInRules.load()
    decisions = list(
        ExecutiveDecision.objects.visible_to(audience).published().filter(notice=entry)
    )
    for decision in decisions:
        decision.notice = entry  # the same notice: its check needs no further query
    checked = [(decision, notices.notice_check(decision, rules_)) for decision in decisions]
    return render(
        request,
        "decisions/forward_plan_entry.html",
        {
            "entry": entry,
            "wards": list(entry.wards.only("name")),
            "earliest": entry.earliest_decision(rules_),
            "rules": rules_,
            "decisions": checked,
            "date_changes": _date_changes(entry) if entry.published_on else [],
            "can_edit": can_edit(request.user, entry.decision_maker),
        },
    )


# Giving notice (the executive's officers and clerks) --------------------------------------------


def _editable(request: HttpRequest, pk: int) -> ForwardPlanEntry:
    return get_editable(request.user, ForwardPlanEntry.objects.all(), "decision_maker", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def forward_plan_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not Board.objects.editable_by(user).filter(kind=Board.Kind.EXECUTIVE).exists():
        raise PermissionDenied
    form = ForwardPlanEntryForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.forward_plan_entry_create(
                entry=form.save(commit=False), wards=form.cleaned_data["wards"], by=user
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"Notice {entry.reference} saved as a draft: the public will see it once it is "
                "published.",
            )
            return redirect(entry)
    return render(
        request,
        "decisions/forward_plan_form.html",
        {"form": form},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable(request, pk)
    if entry.is_withdrawn:
        messages.error(request, "This notice has been withdrawn: it can no longer be changed.")
        return redirect(entry)
    user = acting_user(request)
    form = ForwardPlanEntryForm(request.POST or None, instance=entry, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.forward_plan_entry_update(
                entry=form.save(commit=False), wards=form.cleaned_data["wards"], by=user
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Notice {entry.reference} saved.")
            return redirect(entry)
    return render(
        request,
        "decisions/forward_plan_form.html",
        {"form": form, "entry": entry},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward_plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable(request, pk)
    if entry.is_withdrawn:
        messages.error(request, "This notice has been withdrawn.")
        return redirect(entry)
    if entry.published_on is not None:
        messages.error(
            request, f"This notice was published on {formatting.short_date(entry.published_on)}."
        )
        return redirect(entry)
    form = PublishForm(request.POST or None, initial={"published_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.forward_plan_entry_publish(
                entry=entry, on=form.cleaned_data["published_on"], by=acting_user(request)
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            earliest = entry.earliest_decision(CallInRules.load())
            messages.success(
                request,
                f"Notice {entry.reference} published"
                + (
                    f": the decision may be taken on {formatting.long_date(earliest)} or later."
                    if earliest
                    else "."
                ),
            )
            return redirect(entry)
    return render(
        request,
        "decisions/forward_plan_publish.html",
        {"form": form, "entry": entry},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward_plan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable(request, pk)
    if entry.is_withdrawn:
        messages.error(request, "This notice has already been withdrawn.")
        return redirect(entry)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.forward_plan_entry_withdraw(
                entry=entry,
                reason=form.cleaned_data["withdrawal_reason"],
                by=acting_user(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Notice {entry.reference} withdrawn.")
            return redirect(entry)
    return render(
        request,
        "decisions/forward_plan_withdraw.html",
        {"form": form, "entry": entry},
        status=STATUS_INVALID if form.errors else 200,
    )
