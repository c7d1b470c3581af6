"""The statement of an inquiry: its page and PDF for everyone (once published), and the officer's
pages that build it (cover and desired outcomes, sections, recommendations) and publish it. The
URLs sit under the inquiry's (``/inquiries/<slug>/statement/``: ``statement_urls``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards import printing, signals
from boards.access import require_edit
from boards.models import Meeting
from boards.views.common import STATUS_INVALID
from boards.visibility import Audience
from inquiries.models import Inquiry
from recommendations import forms, services
from recommendations.models import Paragraph, Section, Statement


def _inquiry(slug: str) -> Inquiry:
    return get_object_or_404(Inquiry.objects.select_related("board__support_officer"), slug=slug)


def _editable(request: HttpRequest, slug: str) -> Inquiry:
    inquiry = _inquiry(slug)
    require_edit(request.user, inquiry.board)
    return inquiry


@require_GET
def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _inquiry(slug)
    statement = get_object_or_404(
        Statement.objects.select_related("chair", "author"), inquiry=inquiry
    )
    if not (statement.is_published or Audience.of(request.user).sees_drafts):
        raise Http404("This statement has not been published.")
    return render(request, "recommendations/statement_detail.html", statement_document(statement))


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
            signals.changed(statement)
        messages.success(request, "Statement saved.")
        return redirect("statements:statement-build", slug=inquiry.slug)
    return render(
        request,
        "recommendations/statement_form.html",
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
    return render(request, "recommendations/statement_build.html", context)


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
        return redirect("statements:statement-build", slug=inquiry.slug)
    return render(
        request,
        "recommendations/section_form.html",
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
    return redirect("statements:statement-build", slug=inquiry.slug)


@login_required
@require_POST
def tracking_to_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _editable(request, slug)
    meeting = get_object_or_404(Meeting, pk=request.POST.get("meeting"))
    try:
        item = services.tracking_to_agenda(inquiry=inquiry, meeting=meeting)
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
