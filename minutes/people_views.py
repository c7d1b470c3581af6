"""Pages everyone reads of the record seen per person: the councillors, each councillor's page,
the register of declarations and the attendance report (page and PDF; its CSV is with the other
open data). Each reads through ``minutes.people``, as the visitor's own audience."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from boards import formatting, printing
from boards.models import Membership, Person
from boards.visibility import Audience
from minutes import forms
from minutes.people import (
    attendance_figures,
    attendance_report_asked,
    declarations_visible_to,
    minuted_meetings,
)

DECLARATIONS_PER_PAGE = 50
# A councillor's page lists their latest declarations; the register has them all.
DECLARATIONS_ON_A_PAGE = 20
STATUS_BAD_REQUEST = 400


@require_GET
def councillor_list(request: HttpRequest) -> HttpResponse:
    """The council's councillors, current and former, by ward and party."""
    form = forms.CouncillorListForm(request.GET)
    form.is_valid()  # a value not in the lists is explained; the valid ones still filter
    chosen = form.cleaned_data
    today = timezone.localdate()
    councillors = (
        Person.objects.councillors()
        .select_related("ward", "party")
        .annotate(
            sits_now=Exists(Membership.objects.current(today).filter(person=OuterRef("pk"))),
            ever_sat=Exists(Membership.objects.filter(person=OuterRef("pk"))),
        )
    )
    if chosen.get("ward"):
        councillors = councillors.filter(ward=chosen["ward"])
    if chosen.get("party"):
        councillors = councillors.filter(party=chosen["party"])
    people = list(councillors)

    def serving(person: Any) -> bool:  # a Person annotated sits_now and ever_sat
        """By the term of office when it is recorded; else former once every seat they held
        has ended (one with no seat recorded is taken to be serving: nothing says they left)."""
        if person.term_ends_on is not None and person.term_ends_on < today:
            return False
        if person.elected_on is not None:
            return True
        return person.sits_now or not person.ever_sat

    return render(
        request,
        "minutes/councillor_list.html",
        {
            "form": form,
            "current": [p for p in people if serving(p)],
            "former": [p for p in people if not serving(p)],
            "ward": chosen.get("ward"),
            "party": chosen.get("party"),
        },
    )


@require_GET
def councillor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A councillor: ward, party, contact, seats and roles over time, attendance per body and
    municipal year, and the interests they declared at meetings."""
    person = get_object_or_404(Person.objects.councillors().select_related("ward", "party"), pk=pk)
    audience = Audience.of(request.user)
    today = timezone.localdate()
    memberships = list(
        person.memberships.select_related("board").order_by("-starts_on", "board__name")
    )
    attendance = sorted(
        attendance_figures(minuted_meetings(audience), person=person, by_year=True),
        key=lambda row: (-(row.year.starts_on.toordinal() if row.year else 0), row.board.name),
    )
    declarations = list(
        declarations_visible_to(audience).filter(person=person)[: DECLARATIONS_ON_A_PAGE + 1]
    )
    return render(
        request,
        "minutes/councillor_detail.html",
        {
            "person": person,
            "today": today,
            "memberships": memberships,
            "current": [
                m
                for m in memberships
                if m.starts_on <= today and (m.ends_on is None or m.ends_on >= today)
            ],
            "attendance": attendance,
            "declarations": declarations[:DECLARATIONS_ON_A_PAGE],
            "more_declarations": len(declarations) > DECLARATIONS_ON_A_PAGE,
        },
    )


@require_GET
def declaration_register(request: HttpRequest) -> HttpResponse:
    """Every interest declared at meetings whose minutes the visitor may read, newest first; by
    councillor, body and dates."""
    form = forms.DeclarationRegisterForm(request.GET)
    form.is_valid()  # a mistyped filter is explained; the others still apply
    chosen = form.cleaned_data
    declarations = declarations_visible_to(Audience.of(request.user))
    if chosen.get("councillor"):
        declarations = declarations.filter(person=chosen["councillor"])
    if chosen.get("board"):
        declarations = declarations.filter(meeting__board=chosen["board"])
    if chosen.get("date_from"):
        declarations = declarations.filter(meeting__starts_at__date__gte=chosen["date_from"])
    if chosen.get("date_to"):
        declarations = declarations.filter(meeting__starts_at__date__lte=chosen["date_to"])
    page = Paginator(declarations, DECLARATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "minutes/declaration_register.html",
        {"form": form, "page": page, "title": _register_title(chosen, page.number)},
    )


def _register_title(chosen: dict, page: int) -> str:
    """Each filtered view of the register is a page of its own: "Register of declarations:
    Kathryn Greenhalgh, Scrutiny Board (Strategy and Resources), from 21 May 2015 (page 2)"."""
    parts = [
        chosen["councillor"].full_name if chosen.get("councillor") else "",
        chosen["board"].name if chosen.get("board") else "",
        f"from {formatting.short_date(chosen['date_from'])}" if chosen.get("date_from") else "",
        f"to {formatting.short_date(chosen['date_to'])}" if chosen.get("date_to") else "",
    ]
    title = ", ".join(part for part in parts if part)
    title = f"Register of declarations: {title}" if title else "Register of declarations"
    return f"{title} (page {page})" if page > 1 else title


def _report(request: HttpRequest):
    return attendance_report_asked(request.GET, Audience.of(request.user), timezone.localdate())


@require_GET
def attendance_report(request: HttpRequest) -> HttpResponse:
    """Per councillor per body, over a period: the current municipal year unless asked."""
    form, report = _report(request)
    return render(request, "minutes/attendance_report.html", {"form": form, "report": report})


@require_GET
def attendance_report_pdf(request: HttpRequest) -> HttpResponse:
    """The attendance report as printed: the same report as the page, asked the same way."""
    form, report = _report(request)
    if form.errors:
        return bad_request(form)
    return printing.pdf_response(
        request, "print/attendance_report.html", {"report": report}, title=report.title
    )


def bad_request(form) -> HttpResponse:
    """A download asked for with values that cannot be read: what is wrong, in words."""
    messages = [str(error) for errors in form.errors.values() for error in errors]
    return HttpResponse(
        "\n".join(messages) + "\n",
        status=STATUS_BAD_REQUEST,
        content_type="text/plain; charset=utf-8",
    )
