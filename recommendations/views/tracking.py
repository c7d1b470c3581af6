"""Recommendation pages, the forms that track them, and the dashboard of what needs attention."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from boards import printing
from boards.access import Ability, acting_user, can_edit, get_editable, has_ability, is_staff
from boards.models import Board, Paper
from boards.services import recent_years_start
from boards.views.common import STATUS_INVALID, apply_error
from boards.visibility import Audience
from decisions.models import CallIn, ExecutiveDecision
from inquiries.models import Inquiry
from minutes.models import Resolution
from minutes.templatetags.minutes import LIMIT, first_of
from recommendations import forms, services, tracking
from recommendations.models import Judgement, Recommendation, Statement

DUE_SOON_DAYS = 30


RECOMMENDATION_PAGE = (
    "statement__inquiry__board__support_officer",
    "current_category",
    "parent",
    "outcome",
    "report_back_to",
)


def _visible(request: HttpRequest, pk: int) -> Recommendation:
    """The recommendation, if the user may read it (a draft statement's: staff only)."""
    recommendations = Recommendation.objects.visible_to(Audience.of(request.user))
    return get_object_or_404(recommendations.select_related(*RECOMMENDATION_PAGE), pk=pk)


def _editable(request: HttpRequest, pk: int) -> Recommendation:
    """The recommendation, if the user may read it (else 404) and change it (else 403)."""
    recommendations = Recommendation.objects.visible_to(Audience.of(request.user))
    return get_editable(
        request.user,
        recommendations.select_related(*RECOMMENDATION_PAGE),
        "statement__inquiry__board",
        pk=pk,
    )


@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _visible(request, pk)
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "inquiry": recommendation.statement.inquiry,
            "parts": recommendation.parts.select_related("current_category", "response"),
            "response": getattr(recommendation, "response", None),
            "updates": recommendation.updates.select_related(
                "author", "considered_at__meeting"
            ).prefetch_related(
                Prefetch("evidence", queryset=Paper.objects.visible_to(Audience.of(request.user)))
            ),
            "judgements": recommendation.judgements.select_related(
                "category", "considered_at__meeting"
            ),
            "can_edit": can_edit(request.user, recommendation.statement.inquiry.board),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = get_editable(request.user, Inquiry.objects.all(), "board", slug=slug)
    statement = get_object_or_404(Statement, inquiry=inquiry)
    form = forms.RecommendationForm(
        request.POST or None,
        statement=statement,
        boards=Board.objects.all(),
        initial={"report_back_to": inquiry.board},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = services.recommendation_add(
                statement=statement,
                text=data["text"],
                outcome=data["outcome"],
                addressees=data["addressees"],
                deadline_on=data["deadline_on"],
                deadline_precision=data["deadline_precision"],
                deadline_wording=data["deadline_wording"],
                report_back_to=data["report_back_to"],
                parts=data["part_texts"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Recommendation {recommendation.number} added.")
            return redirect("statements:statement-build", slug=inquiry.slug)
    return render(
        request,
        "recommendations/recommendation_form.html",
        {"form": form, "inquiry": inquiry},
        status=STATUS_INVALID if form.errors else 200,
    )


def _tracking_form(request, pk, form_class, save, template_title: str):
    recommendation = _editable(request, pk)
    if recommendation.parts.exists():
        raise PermissionDenied("Track each lettered part.")
    form = form_class(request.POST or None, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            save(recommendation, form.cleaned_data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{template_title} saved.")
            return redirect(recommendation)
    return render(
        request,
        "recommendations/tracking_form.html",
        {"form": form, "recommendation": recommendation, "title": template_title},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(recommendation, data):
        services.update_add(
            recommendation=recommendation,
            on=data["on"],
            text=data["text"],
            author=getattr(request.user, "person", None),
            considered_at=data["considered_at"],
            evidence=data["evidence"],
        )

    return _tracking_form(request, pk, forms.UpdateForm, save, "Progress update")


@login_required
@require_http_methods(["GET", "POST"])
def judgement_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(recommendation, data):
        services.judgement_record(
            recommendation=recommendation,
            category=data["category"],
            on=data["on"],
            considered_at=data["considered_at"],
            note=data["text"],
            by=acting_user(request),
        )

    return _tracking_form(request, pk, forms.JudgementForm, save, "The board's judgement")


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _editable(request, pk)
    if recommendation.parts.exists():
        raise PermissionDenied("Respond to each lettered part.")
    response = getattr(recommendation, "response", None)
    # A new response is dated today unless changed; a recorded one keeps its own date.
    form = forms.ResponseForm(
        request.POST or None,
        instance=response,
        initial={} if response is not None else {"responded_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.response_record(
                recommendation=recommendation,
                decision=data["decision"],
                text=data["text"],
                on=data["responded_on"],
                actioned_by=data["actioned_by"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Response saved.")
            return redirect(recommendation)
    return render(
        request,
        "recommendations/tracking_form.html",
        {"form": form, "recommendation": recommendation, "title": "The executive's response"},
        status=STATUS_INVALID if form.errors else 200,
    )


def attention(boards: list[int], today: datetime.date, audience: Audience) -> dict:
    """What needs attention across some boards, as the audience may read it (a councillor: no
    draft statement's recommendations, no minutes not yet released): the dashboard's lists,
    each one query."""
    recommendations = (
        Recommendation.objects.visible_to(audience)
        .published()
        .filter(statement__inquiry__board__in=boards)
        .select_related("statement__inquiry", "current_category", "parent")
    )
    latest_judgement = Judgement.objects.filter(recommendation=OuterRef("pk")).order_by(
        "-on", "-pk"
    )
    awaiting = (
        recommendations.trackable()
        .open()
        .annotate(
            last_update=Max("updates__on"),
            last_judged=Subquery(latest_judgement.values("on")[:1]),
        )
        .filter(last_update__isnull=False)
        .filter(Q(last_judged__isnull=True) | Q(last_judged__lt=F("last_update")))
    )
    statements = (
        Statement.objects.visible_to(audience)
        .filter(inquiry__board__in=boards, published_on__isnull=False)
        .filter(recommendations__parts__isnull=True, recommendations__response__isnull=True)
        .select_related("inquiry")
        .distinct()
        .order_by("response_due_on")
    )
    actions = (
        Resolution.objects.open_actions().visible_to(audience).filter(minute__board__in=boards)
    )
    return {
        **_decisions_attention(boards, today, audience),
        "overdue": recommendations.overdue(today).order_by("deadline_on"),
        "due_soon": recommendations.due_within(today, DUE_SOON_DAYS).order_by("deadline_on"),
        "responses_awaited": statements,
        "awaiting_judgement": awaiting.order_by("last_update"),
        "actions": actions,
        "today": today,
        "due_soon_days": DUE_SOON_DAYS,
    }


def _decisions_attention(boards: list[int], today: datetime.date, audience: Audience) -> dict:
    """What executive decisions ask of the boards' staff: call-ins to check, and call-ins found
    valid whose meeting is not yet arranged (officers of the call-in's board, clerks); and for
    everyone, decisions whose call-in window closes today. One query each."""
    call_ins = (
        CallIn.objects.filter(board__in=boards, withdrawn_at__isnull=True)
        .select_related("decision", "board")
        .annotate(signatory_count=Count("signatories"))
    )
    staff = audience.staff
    start = datetime.datetime.combine(
        today, datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    closing = (
        ExecutiveDecision.objects.visible_to(audience)
        .published()
        .not_called_in()
        .filter(
            withdrawn_at__isnull=True,
            exclusion="",
            call_in_closes_at__gte=start,
            call_in_closes_at__lt=start + datetime.timedelta(days=1),
        )
        .select_related("maker_body")
        .order_by("call_in_closes_at", "pk")
    )
    return {
        "call_ins_to_check": (
            call_ins.to_validate().order_by("requested_at", "pk")
            if staff
            else CallIn.objects.none()
        ),
        "call_ins_to_schedule": (
            call_ins.open().filter(agenda_item__isnull=True).order_by("meeting_due_on", "pk")
            if staff
            else CallIn.objects.none()
        ),
        "windows_closing": closing,
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """For officers across the boards they support (clerks and administrators: every board),
    and for councillors across the boards they sit on, as they may read them."""
    user = request.user
    audience = Audience.of(user)
    if is_staff(user):
        boards = list(Board.objects.editable_by(user).values_list("pk", flat=True))
    elif has_ability(user, Ability.READ_MEMBER_PAPERS):
        boards = sorted(audience.member_board_ids)
    else:
        raise PermissionDenied
    # The boards' ids, read first: as a subquery PostgreSQL could not tell how few rows they
    # keep, and joined every minute and agenda item to the open actions before filtering them
    # (91 → 28 ms for an officer's at ten years' scale).
    context = attention(boards, timezone.localdate(), audience)
    context["staff"] = is_staff(user)
    # The lists that years of neglect would lengthen: the first few, and a link to the rest.
    context.update(first_of(context.pop("actions"), request))
    overdue = context["overdue"]
    if request.GET.get("overdue") != "all":
        listed = list(overdue[:LIMIT])
        context["overdue"] = listed
        context["overdue_count"] = overdue.count()
    return render(request, "recommendations/dashboard.html", context)


# The tracking report of a board or an inquiry: a page and its PDF from one document. ------------


def _tracking_of(request: HttpRequest, *, board: Board | None = None, inquiry=None) -> dict:
    """A tracking report as asked for. A board's lists its open recommendations and those
    closed in the current and previous municipal years, unless asked for all of them
    (``?show=all``)."""
    today = timezone.localdate()
    every = board is None or request.GET.get("show") == "all"
    context = tracking.report(
        audience=Audience.of(request.user),
        today=today,
        board=board,
        inquiry=inquiry,
        since=None if every else recent_years_start(today),
    )
    if board is not None and every:
        context["report_title"] += " (every recommendation)"
    context["showing_all"] = board is not None and every
    return context


def _tracked_inquiry(request: HttpRequest, slug: str) -> Inquiry:
    """An inquiry whose statement the user may see: drafts only for officers and clerks."""
    statements = Statement.objects.visible_to(Audience.of(request.user))
    statement = get_object_or_404(statements.select_related("inquiry__board"), inquiry__slug=slug)
    return statement.inquiry


@require_GET
def board_tracking(request: HttpRequest, slug: str) -> HttpResponse:
    """Progress on the recommendations of every inquiry of a board, grouped by inquiry."""
    board = get_object_or_404(Board, slug=slug)
    context = _tracking_of(request, board=board)
    pdf = reverse("recommendations:board-tracking-pdf", args=[board.slug])
    context["pdf_url"] = f"{pdf}?show=all" if context["showing_all"] else pdf
    return render(request, "recommendations/tracking_report.html", context)


@require_GET
def board_tracking_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_object_or_404(Board, slug=slug)
    context = _tracking_of(request, board=board)
    return printing.pdf_response(
        request, tracking.DOCUMENT, {**context, "printed": True}, title=context["report_title"]
    )


@require_GET
def inquiry_tracking(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _tracked_inquiry(request, slug)
    context = _tracking_of(request, inquiry=inquiry)
    context["pdf_url"] = reverse("recommendations:inquiry-tracking-pdf", args=[inquiry.slug])
    return render(request, "recommendations/tracking_report.html", context)


@require_GET
def inquiry_tracking_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _tracked_inquiry(request, slug)
    context = _tracking_of(request, inquiry=inquiry)
    return printing.pdf_response(
        request, tracking.DOCUMENT, {**context, "printed": True}, title=context["report_title"]
    )
