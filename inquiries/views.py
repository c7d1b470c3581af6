"""Inquiry pages for everyone, and the officer's pages that run an inquiry: its terms of
reference, stages, sessions, evidence and the board's work schedule. Its statement and
recommendations are the recommendations app's (the pages here show them through its template
tags)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards import printing, signals
from boards.access import can_edit_board, require_edit
from boards.formatting import month_year
from boards.models import Board
from boards.uploads import safe_download_name
from boards.views.common import STATUS_INVALID
from boards.visibility import Audience
from inquiries import forms, services
from inquiries import work_schedule as schedule
from inquiries.models import Inquiry, WorkScheduleEntry


def _inquiry(slug: str) -> Inquiry:
    return get_object_or_404(Inquiry.objects.select_related("board__support_officer"), slug=slug)


def _editable(request: HttpRequest, slug: str) -> Inquiry:
    inquiry = _inquiry(slug)
    require_edit(request.user, inquiry.board)
    return inquiry


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
            "evidence": [
                (item, not item.exempt or audience.sees_exempt_of(inquiry.board_id))
                for item in inquiry.evidence.all()
            ],
            "stages": inquiry.stage_changes.select_related("by"),
            "can_edit": can_edit_board(request.user, inquiry.board),
            "stage_form": forms.StageForm(initial={"on": timezone.localdate()}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_create(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_object_or_404(Board.objects.select_related("support_officer"), slug=slug)
    require_edit(request.user, board)
    form = forms.InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        inquiry = services.inquiry_create(
            board=board,
            title=form.cleaned_data["title"],
            scope=form.cleaned_data["scope"],
            lines_of_enquiry=form.cleaned_data["lines_of_enquiry"],
            on=timezone.localdate(),
            by=request.user,
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
    agreed_before = inquiry.terms_agreed_at_id
    form = forms.TermsForm(request.POST or None, instance=inquiry)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            inquiry = form.save()
            if inquiry.terms_agreed_at_id and inquiry.terms_agreed_at_id != agreed_before:
                services.terms_agree(
                    inquiry=inquiry, agenda_item=inquiry.terms_agreed_at, by=request.user
                )
            signals.changed(inquiry)
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
            by=request.user,
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
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
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
    context = schedule.schedule(board, request.GET.get("year"), timezone.localdate())
    year = context["year"]
    can_edit = can_edit_board(request.user, board)
    form = forms.WorkScheduleEntryForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("remove"):
            WorkScheduleEntry.objects.filter(board=board, pk=request.POST["remove"]).delete()
            messages.success(request, "Entry removed.")
            return redirect(f"{request.path}?year={year.pk}")
        if form.is_valid():
            entry = form.save(commit=False)
            entry.board = board
            entry.save()
            messages.success(request, f"{entry.area} added for {month_year(entry.month)}.")
            return redirect(f"{request.path}?year={year.pk}")
    return render(
        request,
        "inquiries/work_schedule.html",
        {**context, "can_edit": can_edit, "form": form},
        status=STATUS_INVALID if form.errors else 200,
    )


@require_GET
def work_schedule_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The work schedule as printed (A4 landscape), from the same grid and table as its page."""
    board = get_object_or_404(Board, slug=slug)
    context = schedule.schedule(board, request.GET.get("year"), timezone.localdate())
    return printing.pdf_response(
        request, "print/work_schedule.html", context, title=context["schedule_title"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _editable(request, slug)
    form = forms.EvidenceForm(
        request.POST or None, request.FILES or None, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        evidence = form.save(commit=False)
        evidence.inquiry = inquiry
        evidence.save()
        signals.changed(evidence)
        messages.success(request, f"{evidence.title} added.")
        return redirect(inquiry)
    return render(
        request,
        "inquiries/evidence_form.html",
        {"form": form, "inquiry": inquiry},
        status=STATUS_INVALID if form.errors else 200,
    )


@require_GET
def evidence_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """Evidence received as a PDF; exempt evidence only for the board's members and officers."""
    inquiry = _inquiry(slug)
    evidence = get_object_or_404(inquiry.evidence.exclude(file=""), pk=pk)
    audience = Audience.of(request.user)
    if evidence.exempt and not audience.sees_exempt_of(inquiry.board_id):
        raise Http404("No such evidence.")
    response = FileResponse(
        evidence.file.open("rb"),
        content_type="application/pdf",
        filename=safe_download_name(evidence.title),
    )
    if request.user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-store"
    return response
