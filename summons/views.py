"""The dispatch list of a meeting: who was sent its agenda and supplements, what, when, and what
failed; sending again to one person, adding someone, recording a delivery by hand or by post;
and the list as CSV, the council's evidence that each member was summoned.

The list is for those whose body it is (``boards.access``: clerks, and the officers who support
the body); sending and recording are the clerks', who publish agendas, while the body's business
can still change (not once it is dissolved).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from boards import formatting
from boards.access import (
    Ability,
    AnyUser,
    acting_user,
    can_edit,
    get_responsible,
    has_ability,
    require_edit,
)
from boards.models import Meeting, Publication
from boards.views.common import STATUS_INVALID, HtmxHttpRequest, apply_error
from summons import services
from summons.forms import DeliveryForm, RecipientForm
from summons.models import Dispatch, ExtraRecipient

TEMPLATE = "summons/dispatch_list.html"
MEETINGS = Meeting.objects.select_related("board__support_officer", "venue")


@dataclass
class Section:
    """One publication's dispatches, and how they went."""

    publication: Publication
    rows: list[Dispatch] = field(default_factory=list)

    @property
    def is_agenda(self) -> bool:
        return self.publication.kind == Publication.Kind.AGENDA

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def reached(self) -> int:
        return sum(row.reached_on is not None for row in self.rows)

    @property
    def not_sent(self) -> list[Dispatch]:
        return [row for row in self.rows if row.status == Dispatch.Status.FAILED]

    @property
    def late_members(self) -> list[Dispatch]:
        """Members it reached, but fewer than five clear working days before the meeting."""
        return [
            row
            for row in self.rows
            if row.role == Dispatch.Role.MEMBER and row.reached_on is not None and row.late
        ]

    @property
    def unreached_members(self) -> list[Dispatch]:
        return [
            row for row in self.rows if row.role == Dispatch.Role.MEMBER and row.reached_on is None
        ]


def _may_act(user: AnyUser, meeting: Meeting) -> bool:
    """Sending and recording: a clerk, while the body's business can still change."""
    return has_ability(user, Ability.PUBLISH_AGENDAS) and can_edit(user, meeting.board)


def _require_act(user: AnyUser, meeting: Meeting) -> None:
    if not has_ability(user, Ability.PUBLISH_AGENDAS):
        raise PermissionDenied
    require_edit(user, meeting.board)


def _sending_open(meeting: Meeting) -> bool:
    return not meeting.is_cancelled and meeting.starts_at > timezone.now()


def _context(request: HtmxHttpRequest, meeting: Meeting, form: RecipientForm | None) -> dict:
    rows = Dispatch.objects.of_meeting(meeting).for_list().prefetch_related("tries__by")
    sections: dict[int, Section] = {}
    for record in meeting.publications.announced().order_by("published_at", "pk"):
        sections[record.pk] = Section(record)
    for row in rows:
        section = sections.setdefault(row.publication_id, Section(row.publication))
        section.rows.append(row)
    may_act = _may_act(request.user, meeting)
    return {
        "meeting": meeting,
        "sections": [section for section in sections.values() if section.rows],
        "unsent_publications": [s.publication for s in sections.values() if not s.rows],
        "deadline": meeting.publication_deadline,
        "extras": list(
            ExtraRecipient.objects.for_meeting(meeting).select_related("board", "added_by")
        ),
        "may_act": may_act,
        "may_send": may_act and _sending_open(meeting),
        "form": form if form is not None else RecipientForm(),
    }


@login_required
@require_GET
def dispatch_list(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_responsible(request.user, MEETINGS, "board", pk=pk)
    return render(request, TEMPLATE, _context(request, meeting, None))


def _acted_on(request: HtmxHttpRequest, dispatch_pk: int) -> tuple[Dispatch, Meeting]:
    row = get_object_or_404(Dispatch.objects.select_related("publication"), pk=dispatch_pk)
    meeting = get_responsible(request.user, MEETINGS, "board", pk=row.publication.meeting_id)
    _require_act(request.user, meeting)
    return row, meeting


def _row_reply(
    request: HtmxHttpRequest, row: Dispatch, meeting: Meeting, error: str = ""
) -> HttpResponse:
    """The row again, for htmx to swap in place (with the refusal, if any: 422); else back to
    the list, which shows the message."""
    if request.htmx:
        row = Dispatch.objects.for_list().prefetch_related("tries__by").get(pk=row.pk)
        context = {
            "row": row,
            "meeting": meeting,
            "may_act": True,
            "may_send": _sending_open(meeting),
            "row_error": error,
        }
        status = STATUS_INVALID if error else 200
        return render(request, f"{TEMPLATE}#dispatch-row", context, status=status)
    return redirect(row.get_absolute_url())


@login_required
@require_POST
@vary_on_headers("HX-Request")
def dispatch_resend(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row, meeting = _acted_on(request, pk)
    try:
        row = services.dispatch_resend(dispatch=row, by=acting_user(request))
    except ValidationError as error:
        text = " ".join(error.messages)
        if not request.htmx:
            messages.error(request, text)
        return _row_reply(request, row, meeting, error=text)
    if not request.htmx:
        messages.success(request, f"The e-mail to {row.name} is on its way again.")
    return _row_reply(request, row, meeting)


@login_required
@require_POST
def recipient_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_responsible(request.user, MEETINGS, "board", pk=pk)
    _require_act(request.user, meeting)
    form = RecipientForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            extra, rows = services.recipient_add(
                meeting=meeting,
                name=data["name"],
                email=data["email"],
                reason=data["reason"],
                every_meeting=data["every_meeting"],
                by=acting_user(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            sent = (
                f" and sent {'the papers published so far' if len(rows) > 1 else 'the papers'}"
                if rows
                else ""
            )
            where = "every meeting of this body" if extra.board_id else "this meeting"
            messages.success(request, f"{extra.name} added to the list of {where}{sent}.")
            url = reverse("summons:dispatch-list", kwargs={"pk": meeting.pk})
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    return render(request, TEMPLATE, _context(request, meeting, form), status=STATUS_INVALID)


@login_required
@require_POST
def recipient_remove(request: HtmxHttpRequest, pk: int, recipient: int) -> HttpResponse:
    meeting = get_responsible(request.user, MEETINGS, "board", pk=pk)
    _require_act(request.user, meeting)
    extra = get_object_or_404(ExtraRecipient.objects.for_meeting(meeting), pk=recipient)
    services.recipient_remove(recipient=extra)
    messages.success(request, f"{extra.name} taken off the list.")
    url = reverse("summons:dispatch-list", kwargs={"pk": meeting.pk})
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def dispatch_delivered(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row, meeting = _acted_on(request, pk)
    form = DeliveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dispatch_deliver(
                dispatch=row,
                how=data["how"],
                on=data["delivered_on"],
                note=data["note"],
                by=acting_user(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            how = Dispatch.Delivery(data["how"]).label.lower()
            messages.success(
                request,
                f"Recorded: the papers for {row.name} {how} on "
                f"{formatting.long_date(data['delivered_on'])}.",
            )
            if request.htmx:
                return HttpResponseClientRedirect(row.get_absolute_url())
            return redirect(row.get_absolute_url())
    return render(
        request,
        "summons/dispatch_delivered.html",
        {"row": row, "meeting": meeting, "form": form},
        status=STATUS_INVALID if form.errors else 200,
    )


# The evidence, as CSV.

CSV_HEADER = [
    "Publication",
    "Published at",
    "Name",
    "On the list as",
    "Detail",
    "Pack linked",
    "Why that pack",
    "E-mail address",
    "Status",
    "Queued at",
    "First sent at",
    "Last sent at",
    "Failed at",
    "Error",
    "Attempts",
    "Resent by",
    "Resent at",
    "Delivered another way",
    "Delivered on",
    "Delivery note",
    "Delivery recorded by",
    "Five clear working days before the meeting",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S %Z")  # GMT or BST
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _csv_row(row: Dispatch) -> list[str]:
    values = [
        row.publication.get_kind_display(),
        row.publication.published_at,
        row.name,
        row.get_role_display(),
        row.role_detail,
        row.get_edition_display(),
        row.edition_reason,
        row.address,
        row.get_status_display(),
        row.queued_at,
        row.sent_at,
        row.last_sent_at,
        row.failed_at,
        row.error,
        row.attempts,
        _who(row.resent_by),
        row.resent_at,
        row.get_delivered_how_display(),
        row.delivered_on,
        row.delivery_note,
        _who(row.delivery_recorded_by),
        "No" if row.late else "Yes",
    ]
    return [_cell(value) for value in values]


@login_required
@require_GET
def dispatch_csv(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_responsible(request.user, MEETINGS, "board", pk=pk)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the text as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in Dispatch.objects.of_meeting(meeting).for_list():
        writer.writerow(_csv_row(row))
    response = HttpResponse(buffer.getvalue().encode(), content_type="text/csv; charset=utf-8")
    filename = f"summons-{meeting.board.slug}-{meeting.date.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
