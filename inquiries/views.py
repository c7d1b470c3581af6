"""Inquiry pages for everyone, and the officer's pages that build an inquiry and its statement."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards import printing, search
from boards import services as board_services
from boards.formatting import month_year
from boards.models import Board, Meeting
from boards.uploads import safe_download_name
from boards.views.common import STATUS_INVALID
from boards.visibility import Audience
from inquiries import forms, services
from inquiries import work_schedule as schedule
from inquiries.models import Inquiry, Paragraph, Section, Statement, WorkScheduleEntry
from recommendations.models import Recommendation, TrackingCategory


def _inquiry(slug: str) -> Inquiry:
    return get_object_or_404(Inquiry.objects.select_related("board__support_officer"), slug=slug)


def _editable(request: HttpRequest, slug: str) -> Inquiry:
    inquiry = _inquiry(slug)
    board_services.require_edit(request.user, inquiry.board)
    return inquiry


def tracked(statement: Statement | None, audience: Audience):
    """The statement's tracked recommendations (parts, or whole ones without parts) that the
    audience may see, with their response, current category and latest update."""
    if statement is None or not (statement.is_published or audience.sees_drafts):
        return []
    return list(
        Recommendation.objects.filter(statement=statement)
        .trackable()
        .with_tracking()
        .select_related("outcome")
        .order_by("number", "position")
    )


def progress(recommendations, categories=None) -> list[dict]:
    """Counts per tracking category, in the council's order, for the progress bar."""
    counts = Counter(r.current_category_id for r in recommendations)
    total = len(recommendations) or 1
    rows, offset = [], 0.0
    for category in categories if categories is not None else TrackingCategory.objects.all():
        if counts[category.pk]:
            share = 100 * counts[category.pk] / total
            rows.append(
                {
                    "category": category,
                    "count": counts[category.pk],
                    "share": share,
                    "offset": offset,
                }
            )
            offset += share
    if counts[None]:
        share = 100 * counts[None] / total
        rows.append({"category": None, "count": counts[None], "share": share, "offset": offset})
    return rows


def inquiries_progress(inquiries, audience: Audience) -> list[Inquiry]:
    """Inquiries, each with ``progress``: counts per tracking category of its recommendations
    (for a statement the audience may see), in two queries whatever the number."""
    inquiries = list(inquiries)
    statements = [i.statement for i in inquiries if hasattr(i, "statement")]
    by_statement: dict[int, list] = {}
    recommendations = (
        Recommendation.objects.filter(statement__in=statements)
        .trackable()
        .only("statement_id", "current_category_id")
    )
    for recommendation in recommendations:
        by_statement.setdefault(recommendation.statement_id, []).append(recommendation)
    categories = list(TrackingCategory.objects.all())
    for inquiry in inquiries:
        statement = getattr(inquiry, "statement", None)
        visible = statement is not None and (statement.is_published or audience.sees_drafts)
        inquiry.progress = (
            progress(by_statement.get(statement.pk, []), categories) if visible else []
        )
    return inquiries


@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    inquiries = inquiries_progress(
        Inquiry.objects.select_related("board", "statement").order_by("board__name", "title"),
        Audience.of(request.user),
    )
    return render(request, "inquiries/inquiry_list.html", {"inquiries": inquiries})


@require_GET
def inquiry_detail(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _inquiry(slug)
    audience = Audience.of(request.user)
    statement = Statement.objects.filter(inquiry=inquiry).first()
    recommendations = tracked(statement, audience)
    sessions = inquiry.sessions.select_related("agenda_item__meeting").prefetch_related("witnesses")
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "statement": statement,
            "show_statement": statement is not None
            and (statement.is_published or audience.sees_drafts),
            "recommendations": recommendations,
            "progress": progress(recommendations),
            "sessions": sessions,
            "evidence": [
                (item, not item.exempt or audience.sees_exempt_of(inquiry.board_id))
                for item in inquiry.evidence.all()
            ],
            "stages": inquiry.stage_changes.select_related("by"),
            "can_edit": board_services.can_edit_board(request.user, inquiry.board),
            "stage_form": forms.StageForm(initial={"on": timezone.localdate()}),
            "upcoming": inquiry.board.meetings.upcoming(timezone.now()).exclude(
                status=Meeting.Status.CANCELLED
            )[:12],
            "today": timezone.localdate(),
        },
    )


@require_GET
def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _inquiry(slug)
    statement = get_object_or_404(
        Statement.objects.select_related("chair", "author"), inquiry=inquiry
    )
    if not (statement.is_published or Audience.of(request.user).sees_drafts):
        raise Http404("This statement has not been published.")
    return render(request, "inquiries/statement_detail.html", statement_document(statement))


@require_GET
def statement_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The statement as printed, from the same document as its page."""
    inquiry = _inquiry(slug)
    statement = get_object_or_404(
        Statement.objects.select_related("chair", "author"), inquiry=inquiry
    )
    if not (statement.is_published or Audience.of(request.user).sees_drafts):
        raise Http404("This statement has not been published.")
    return printing.pdf_response(
        request, "print/statement.html", statement_document(statement), title=statement.title
    )


def statement_document(statement: Statement) -> dict:
    """Everything the statement shows, for its page and (later) its printed form."""
    recommendations = list(
        statement.recommendations.filter(parent__isnull=True)
        .prefetch_related("parts", "addressees")
        .select_related("report_back_to")
    )
    by_outcome: dict[int | None, list] = {}
    for recommendation in recommendations:
        by_outcome.setdefault(recommendation.outcome_id, []).append(recommendation)
    outcomes = list(statement.outcomes.all())
    for outcome in outcomes:
        outcome.own_recommendations = by_outcome.get(outcome.pk, [])
    sections = list(
        statement.sections.prefetch_related(
            Prefetch(
                "paragraphs",
                queryset=Paragraph.objects.select_related(
                    "recommendation__report_back_to"
                ).prefetch_related(
                    "footnotes", "recommendation__parts", "recommendation__addressees"
                ),
            )
        )
    )
    return {
        "statement": statement,
        "inquiry": statement.inquiry,
        "outcomes": outcomes,
        "unassigned": by_outcome.get(None, []),
        "sections": sections,
        "appendices": statement.appendices.all(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_create(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_object_or_404(Board.objects.select_related("support_officer"), slug=slug)
    board_services.require_edit(request.user, board)
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
            search.refresh(inquiry)
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


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The statement's cover details and desired outcomes."""
    inquiry = _editable(request, slug)
    statement = Statement.objects.filter(inquiry=inquiry).first() or Statement(
        inquiry=inquiry,
        title=f"{inquiry.title}",
        month=timezone.localdate(),
        chair=next(
            (m.person for m in inquiry.board.current_memberships() if m.role == "chair"), None
        ),
        author=inquiry.board.support_officer,
    )
    form = forms.StatementForm(request.POST or None, instance=statement)
    outcomes = forms.OutcomeFormSet(request.POST or None, instance=statement, prefix="outcomes")
    appendices = forms.AppendixFormSet(
        request.POST or None, instance=statement, prefix="appendices"
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and outcomes.is_valid()
        and appendices.is_valid()
    ):
        with transaction.atomic():
            statement = form.save()
            for position, outcome_form in enumerate(outcomes.forms, start=1):
                if outcome_form in outcomes.deleted_forms:
                    if outcome_form.instance.pk:
                        outcome_form.instance.delete()
                    continue
                if not outcome_form.has_changed() and not outcome_form.instance.pk:
                    continue
                outcome = outcome_form.save(commit=False)
                outcome.statement = statement
                outcome.position = position + 1000
                outcome.save()
            for position, outcome in enumerate(statement.outcomes.order_by("position"), start=1):
                outcome.position = position
                outcome.save(update_fields=["position"])
            appendices.instance = statement
            numbered = statement.appendices.aggregate(last=Max("position"))["last"] or 0
            for appendix in appendices.save(commit=False):
                if appendix.pk is None:
                    numbered += 1
                    appendix.position = numbered
                appendix.save()
            for appendix in appendices.deleted_objects:
                appendix.delete()
            search.refresh(statement)
        messages.success(request, "Statement saved.")
        return redirect("inquiries:statement-build", slug=inquiry.slug)
    return render(
        request,
        "inquiries/statement_form.html",
        {"form": form, "outcomes": outcomes, "appendices": appendices, "inquiry": inquiry},
        status=STATUS_INVALID
        if form.errors or outcomes.total_error_count() or appendices.total_error_count()
        else 200,
    )


@login_required
@require_GET
def statement_build(request: HttpRequest, slug: str) -> HttpResponse:
    """The officer's view of the statement being built: sections and recommendations."""
    inquiry = _editable(request, slug)
    statement = get_object_or_404(Statement, inquiry=inquiry)
    context = statement_document(statement)
    context["publish_form"] = forms.PublishStatementForm(initial={"on": timezone.localdate()})
    return render(request, "inquiries/statement_build.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, slug: str, position: int | None = None) -> HttpResponse:
    inquiry = _editable(request, slug)
    statement = get_object_or_404(Statement, inquiry=inquiry)
    section = None
    if position is not None:
        section = get_object_or_404(Section, statement=statement, position=position)
    initial = {}
    if section is not None:
        initial = {"heading": section.heading, "body": _section_source(section)}
    form = forms.SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if section is None:
                last = statement.sections.aggregate(last=Max("position"))["last"] or 0
                section = Section.objects.create(
                    statement=statement, position=last + 1, heading=form.cleaned_data["heading"]
                )
            else:
                section.heading = form.cleaned_data["heading"]
                section.save()
            services.section_save(section=section, body=form.cleaned_data["body"])
        messages.success(request, f"Section “{section.heading}” saved.")
        return redirect("inquiries:statement-build", slug=inquiry.slug)
    return render(
        request,
        "inquiries/section_form.html",
        {"form": form, "inquiry": inquiry, "section": section},
        status=STATUS_INVALID if form.errors else 200,
    )


def _section_source(section: Section) -> str:
    """The section's paragraphs and footnotes as the officer typed them."""
    blocks = []
    for paragraph in section.paragraphs.prefetch_related("footnotes").order_by("number"):
        notes = "".join(f"\n[^{n.number}]: {n.text}" for n in paragraph.footnotes.all())
        blocks.append(paragraph.text + notes)
    return "\n\n".join(blocks)


@login_required
@require_POST
def statement_publish(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _editable(request, slug)
    statement = get_object_or_404(Statement, inquiry=inquiry)
    form = forms.PublishStatementForm(request.POST)
    if form.is_valid():
        try:
            services.statement_publish(
                statement=statement,
                on=form.cleaned_data["on"],
                response_due_on=form.cleaned_data["response_due_on"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Statement published; the response clock has started.")
            return redirect(inquiry)
    else:
        messages.error(request, "Give the date of publication.")
    return redirect("inquiries:statement-build", slug=inquiry.slug)


@login_required
@require_POST
def tracking_to_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    from recommendations import services as recommendation_services

    inquiry = _editable(request, slug)
    meeting = get_object_or_404(Meeting, pk=request.POST.get("meeting"))
    try:
        item = recommendation_services.tracking_to_agenda(inquiry=inquiry, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        paper = item.papers.first()
        messages.success(
            request,
            f"Added as item {item.number} of {meeting}"
            + (f", with the paper “{paper.title}”." if paper else "."),
        )
    return redirect(inquiry)


@require_http_methods(["GET", "POST"])
def work_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's work schedule for a municipal year; officers add what nothing else fills."""
    board = get_object_or_404(Board.objects.select_related("support_officer"), slug=slug)
    context = schedule.schedule(board, request.GET.get("year"), timezone.localdate())
    year = context["year"]
    can_edit = board_services.can_edit_board(request.user, board)
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
        search.refresh(evidence)
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
