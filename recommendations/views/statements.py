"""The statement of an inquiry: its page and PDF for everyone (once published), and the officer's
pages that build it (cover and desired outcomes, sections, recommendations) and publish it. The
URLs sit under the inquiry's (``/inquiries/<slug>/statement/``: ``statement_urls``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards import printing
from boards.access import acting_user, get_editable
from boards.forms import formset_changes
from boards.views.common import STATUS_INVALID, apply_error
from boards.visibility import Audience
from inquiries.models import Inquiry
from recommendations import forms, services
from recommendations.models import Paragraph, Section, Statement


def _inquiry(slug: str) -> Inquiry:
    return get_object_or_404(Inquiry.objects.select_related("board__support_officer"), slug=slug)


def _editable(request: HttpRequest, slug: str) -> Inquiry:
    return get_editable(request.user, Inquiry.objects.all(), "board", slug=slug)


def _visible_statement(request: HttpRequest, slug: str) -> Statement:
    """The inquiry's statement, if the user may read it (drafts: officers and clerks)."""
    statements = Statement.objects.visible_to(Audience.of(request.user))
    return get_object_or_404(
        statements.select_related("chair", "author", "inquiry__board"), inquiry__slug=slug
    )


@require_GET
def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    statement = _visible_statement(request, slug)
    return render(request, "recommendations/statement_detail.html", statement_document(statement))


@require_GET
def statement_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The statement as printed, from the same document as its page."""
    statement = _visible_statement(request, slug)
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
        # Read by the template under each outcome; grouped above rather than queried again.
        outcome.own_recommendations = by_outcome.get(outcome.pk, [])  # type: ignore[attr-defined]
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
        kept_outcomes, removed_outcomes = formset_changes(outcomes)
        kept_appendices, removed_appendices = formset_changes(appendices)
        try:
            services.statement_save(
                statement=form.save(commit=False),
                outcomes=kept_outcomes,
                appendices=kept_appendices,
                removed=[*removed_outcomes, *removed_appendices],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
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
        heading, body = form.cleaned_data["heading"], form.cleaned_data["body"]
        try:
            if section is None:
                section = services.section_add(statement=statement, heading=heading, body=body)
            else:
                services.section_save(section=section, heading=heading, body=body)
        except ValidationError as error:
            apply_error(form, error)
        else:
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
                by=acting_user(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Statement published; the response clock has started.")
            return redirect(inquiry)
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("statements:statement-build", slug=inquiry.slug)


@login_required
@require_POST
def tracking_to_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _editable(request, slug)
    form = forms.TrackingToAgendaForm(request.POST, inquiry=inquiry)
    if not form.is_valid():
        messages.error(request, " ".join(str(message) for message in form.errors["meeting"]))
        return redirect(inquiry)
    meeting = form.cleaned_data["meeting"]
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
