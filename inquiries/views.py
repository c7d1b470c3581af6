"""Inquiry pages for everyone, and the officer's pages that run an inquiry: its terms of
reference, stages, sessions, evidence and the board's work schedule. Its statement and
recommendations are the recommendations app's (the pages here show them through its template
tags)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards import downloads, printing
from boards.access import acting_user, can_edit, get_editable
from boards.formatting import month_year
from boards.models import Board, MunicipalYear
from boards.uploads import safe_download_name
from boards.views.common import STATUS_INVALID, apply_error
from boards.visibility import Audience
from decisions.models import ForwardPlanEntry
from inquiries import forms, services
from inquiries import work_schedule as schedule
from inquiries.models import Inquiry


def _inquiry(slug: str) -> Inquiry:
    return get_object_or_404(Inquiry.objects.select_related("board__support_officer"), slug=slug)


def _editable(request: HttpRequest, slug: str) -> Inquiry:
    return get_editable(request.user, Inquiry.objects.all(), "board", slug=slug)


@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    inquiries = Inquiry.objects.select_related("board").order_by("board__name", "title")
    return render(request, "inquiries/inquiry_list.html", {"inquiries": inquiries})


@require_GET
def inquiry_detail(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _inquiry(slug)
    audience = Audience.of(request.user)
    sessions = inquiry.sessions.select_related("agenda_item__meeting").prefetch_related("witnesses")
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "sessions": sessions,
            "evidence": inquiry.evidence.visible_to(audience),
            "stages": inquiry.stage_changes.select_related("by"),
            "can_edit": can_edit(request.user, inquiry.board),
            "stage_form": forms.StageForm(initial={"on": timezone.localdate()}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_create(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_editable(request.user, Board.objects.all(), None, slug=slug)
    form = forms.InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        inquiry = services.inquiry_create(
            board=board,
            title=form.cleaned_data["title"],
            scope=form.cleaned_data["scope"],
            lines_of_enquiry=form.cleaned_data["lines_of_enquiry"],
            on=timezone.localdate(),
            by=acting_user(request),
        )
        messages.success(request, f"{inquiry.title} proposed.")
        return redirect(inquiry)
    return render(
        request,
        "inquiries/inquiry_form.html",
        {"form": form, "board": board},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The terms of reference; naming the item that agreed them moves the inquiry on."""
    inquiry = _editable(request, slug)
    form = forms.TermsForm(request.POST or None, instance=inquiry)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_update(
                inquiry=form.save(commit=False), by=acting_user(request)
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Terms of reference saved.")
            return redirect(inquiry)
    return render(
        request,
        "inquiries/inquiry_form.html",
        {"form": form, "board": inquiry.board, "inquiry": inquiry},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_POST
def inquiry_stage(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _editable(request, slug)
    form = forms.StageForm(request.POST)
    if form.is_valid():
        services.inquiry_move_stage(
            inquiry=inquiry,
            stage=form.cleaned_data["stage"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            by=acting_user(request),
        )
        messages.success(request, f"The inquiry is now: {inquiry.get_stage_display()}.")
    else:
        messages.error(request, "Choose a stage and a date.")
    return redirect(inquiry)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _editable(request, slug)
    form = forms.SessionForm(request.POST or None, inquiry=inquiry)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                inquiry=inquiry,
                meeting=form.cleaned_data["meeting"],
                focus=form.cleaned_data["focus"],
                witnesses=form.cleaned_data["witnesses"],
                by=acting_user(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"Session {session.number} is item {session.agenda_item.number} of the agenda "
                f"of {session.agenda_item.meeting}.",
            )
            return redirect(inquiry)
    return render(
        request,
        "inquiries/session_form.html",
        {"form": form, "inquiry": inquiry},
        status=STATUS_INVALID if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def work_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's work schedule for a municipal year; officers add what nothing else fills."""
    board = get_object_or_404(Board.objects.select_related("support_officer"), slug=slug)
    context = schedule.schedule(
        board, request.GET.get("year"), timezone.localdate(), Audience.of(request.user)
    )
    year = context["year"]
    here = f"{request.path}?year={year.pk}" if year.pk else request.path
    editable = can_edit(request.user, board)
    form = forms.WorkScheduleEntryForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if "remove" in request.POST:
            removal = forms.WorkScheduleRemoveForm(request.POST, board=board)
            if removal.is_valid():
                services.work_schedule_entry_remove(entry=removal.cleaned_data["remove"])
                messages.success(request, "Entry removed.")
            else:
                messages.error(
                    request, " ".join(str(message) for message in removal.errors["remove"])
                )
            return redirect(here)
        if form.is_valid():
            try:
                entry = services.work_schedule_entry_add(board=board, entry=form.save(commit=False))
            except ValidationError as error:
                apply_error(form, error)
            else:
                messages.success(request, f"{entry.area} added for {month_year(entry.month)}.")
                return redirect(here)
    return render(
        request,
        "inquiries/work_schedule.html",
        {**context, "can_edit": editable, "form": form},
        status=STATUS_INVALID if form.errors else 200,
    )


@require_GET
def work_schedule_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The work schedule as printed (A4 landscape), from the same grid and table as its page."""
    board = get_object_or_404(Board, slug=slug)
    context = schedule.schedule(
        board, request.GET.get("year"), timezone.localdate(), Audience.of(request.user)
    )
    return printing.pdf_response(
        request, "print/work_schedule.html", context, title=context["schedule_title"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_schedule_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a notice from the forward plan in the work schedule of a scrutiny board the user
    keeps (the form is on the notice's page too: ``{% pick_into_work_schedule %}``)."""
    notice = get_object_or_404(ForwardPlanEntry.objects.published(), pk=pk)
    boards = schedule.boards_to_pick_into(request.user)
    if not boards.exists():
        raise PermissionDenied
    form = forms.WorkSchedulePickForm(
        request.POST or None, boards=boards, initial=schedule.pick_initial(notice)
    )
    if request.method == "POST" and form.is_valid():
        board = form.cleaned_data["board"]
        try:
            entry = services.work_schedule_pick(
                board=board,
                notice=notice,
                month=form.cleaned_data["month"],
                area=form.cleaned_data["area"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"{notice.title} added to the work schedule of {board.name} for "
                f"{month_year(entry.month)}.",
            )
            year = MunicipalYear.objects.covering(entry.month)
            url = reverse("inquiries:work-schedule", kwargs={"slug": board.slug})
            return redirect(f"{url}?year={year.pk}" if year else url)
    return render(
        request,
        "inquiries/work_schedule_pick.html",
        {"form": form, "notice": notice},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _editable(request, slug)
    form = forms.EvidenceForm(
        request.POST or None, request.FILES or None, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.evidence_add(inquiry=inquiry, evidence=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{evidence.title} added.")
            if form.removed:
                messages.warning(request, form.removed.sentence())
            return redirect(inquiry)
    return render(
        request,
        "inquiries/evidence_form.html",
        {"form": form, "inquiry": inquiry},
        status=STATUS_INVALID if form.errors else 200,
    )


@require_GET
def evidence_download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """Evidence received as a PDF; exempt evidence only for the board's members and officers."""
    inquiry = _inquiry(slug)
    evidence = get_object_or_404(
        inquiry.evidence.visible_to(Audience.of(request.user)).filter(content_visible=True),
        pk=pk,
        file__gt="",
    )
    return downloads.file_response(
        request,
        evidence.file,
        modified=evidence.modified,
        filename=safe_download_name(evidence.title),
    )
