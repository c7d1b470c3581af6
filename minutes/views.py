"""The minute-taker's console, and the minutes as everyone reads them.

The console is one page: times and chair, attendance, declarations, then a minute for each item
taken, each narrative autosaving as the officer types. Every section posts with htmx and gets its
own partial back; without JavaScript every form posts and comes back to the page.
"""

from __future__ import annotations

import difflib
import itertools
import re
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.forms import ChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from boards import formatting, printing
from boards.access import acting_user, can_edit, get_editable, is_staff
from boards.forms import BoundField, ReasonForm
from boards.models import Board, Meeting, NamedSubstitute, Person, Post, Subject
from boards.views.common import STATUS_INVALID, HtmxHttpRequest, apply_error, editable_meeting
from boards.visibility import Audience
from minutes import choosers, forms, services
from minutes.documents import minutes_document, subject_history
from minutes.models import (
    Attendance,
    Decision,
    Declaration,
    MeetingEvent,
    Minute,
    MinutesRecord,
    Movement,
    Resolution,
)
from minutes.people import attendance_figures as figures_of
from minutes.people import minuted_meetings

STATUS_CONFLICT = 409
CONSOLE = "minutes/minutes_console.html"
# A minute's block in the console: "minute-item-12" (an agenda item's), "minute-7" (one off it).
ENTRY_ID = re.compile(r"minute-(item-)?[0-9]{1,10}")


def _minute(request: HtmxHttpRequest, pk: int) -> Minute:
    return get_editable(
        request.user, Minute.objects.select_related("agenda_item"), "meeting__board", pk=pk
    )


def _console_meeting(request: HtmxHttpRequest, pk: int) -> tuple[Meeting, bool]:
    """The meeting whose minutes a console form records (403 unless the user may edit its
    board), its minutes opened first: the record, a row for each member, the standing
    minutes. Also whether this opened them (then the console's minutes come back too)."""
    meeting = editable_meeting(request, pk)
    return meeting, services.minutes_open(meeting)


def _is_locked(meeting: Meeting) -> bool:
    record = MinutesRecord.objects.filter(meeting=meeting).first()
    return bool(record and record.is_approved)


def _reason(request: HtmxHttpRequest) -> str:
    return request.POST.get("correction_reason", "")


def console_context(meeting: Meeting, **overrides) -> dict:
    """Everything the console shows, in a fixed number of queries. It writes nothing: before
    the first thing is recorded, the record and the members' rows are shown as they will be."""
    record = services.minutes_draft(meeting)
    locked = record.is_approved
    attendances = services.attendance_draft(meeting)
    members = [a for a in attendances if a.kind == Attendance.Kind.MEMBER]
    substitutes = {
        a.substitute_for_id: a for a in attendances if a.kind == Attendance.Kind.SUBSTITUTE
    }
    member_ids = {a.person_id for a in members if a.person_id is not None}
    suggested, serving = _substitute_suggestions(meeting, member_ids)
    # The attendance form as it was sent, when it comes back with a problem.
    sent = overrides.pop("attendance_forms", {})
    search = reverse("minutes:console-choose", args=[meeting.pk, "councillors"])
    rows = []
    for a in members:
        stand_in = substitutes.get(a.person_id)
        recorded = stand_in.person if stand_in is not None else None
        form = sent.get(a.person_id) or forms.AttendanceForm(
            initial={"status": a.status, "substitute": recorded},
            prefix=f"member-{a.person_id}",
            recorded=recorded,
        )
        own = a.person_id if a.person_id in suggested else None
        chooser = cast("forms.ChooserField", form.fields["substitute"])
        chooser.search_from(f"{search}?for={a.person_id}", datalist=_substitutes_list(own))
        chooser.widget.attrs["aria-describedby"] = "substitute-hint"
        rows.append({"attendance": a, "substitute": stand_in, "form": form})
    # Who may declare, arrive or leave: whoever is not recorded as away (attendance may be
    # recorded later); anyone at the meeting declares, officers too.
    there = [a for a in attendances if a.status not in services.AWAY]
    present = [a.person for a in there if a.person is not None]
    minutes_qs = (
        Minute.objects.numbered()
        .select_related("decision")
        .prefetch_related(
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.with_due().select_related("owner_post", "owner_person"),
            )
        )
    )
    items = list(
        meeting.agenda_items.filter(withdrawn_at__isnull=True)
        .select_related("minutes_of__minutes")
        .prefetch_related(Prefetch("minute_entries", queryset=minutes_qs, to_attr="all_minutes"))
        .order_by("number")
    )
    # A form that failed comes back with its errors, in place of a blank one.
    failed = {
        name: dict([overrides.pop(f"failed_{name}")])
        for name in ("resolution", "decision")
        if f"failed_{name}" in overrides
    }
    entries = []
    for item in items:
        minute = next((m for m in item.all_minutes if not m.withdrawn_at), None)
        entries.append(_entry(item, minute, failed, locked))
    for minute in minutes_qs.filter(
        meeting=meeting, agenda_item__isnull=True, withdrawn_at__isnull=True
    ):
        entries.append(_entry(None, minute, failed, locked))
    previous = next((i.minutes_of for i in items if i.minutes_of_id), None)
    previous_record = getattr(previous, "minutes", None) if previous else None
    previous_unrecorded = services.unrecorded_members(previous) if previous is not None else []
    context = {
        "meeting": meeting,
        "record": record,
        "locked": locked,
        "times_form": forms.MinutesTimesForm(
            initial={
                "chair": record.chair_id,
                "started_at": record.started_at,
                "ended_at": record.ended_at,
            },
            members=[
                *(a.person for a in members if a.person is not None),
                *([record.chair] if record.chair is not None else []),
            ],
            locked=locked,
        ),
        "rows": rows,
        "unrecorded": [a.person for a in members if a.status == Attendance.Status.NOT_RECORDED],
        "attendees": [
            a
            for a in attendances
            if a.kind not in (Attendance.Kind.MEMBER, Attendance.Kind.SUBSTITUTE)
        ],
        "attendee_form": forms.AttendeeForm(prefix="attendee", meeting=meeting, locked=locked),
        "declarations": meeting.declarations.select_related("person", "agenda_item"),
        "declaration_form": forms.DeclarationForm(
            prefix="declaration", meeting=meeting, people=present, locked=locked
        ),
        "movements": Movement.objects.filter(attendance__meeting=meeting).select_related(
            "attendance__person", "attendance__post", "agenda_item"
        ),
        "movement_form": forms.MovementForm(prefix="movement", meeting=meeting, locked=locked),
        "events": MeetingEvent.objects.filter(meeting=meeting).select_related(
            "chair", "agenda_item"
        ),
        "adjournment_form": forms.AdjournmentForm(
            prefix="adjournment", meeting=meeting, locked=locked
        ),
        "chair_change_form": forms.ChairChangeForm(
            prefix="chair_change", meeting=meeting, locked=locked
        ),
        "entries": entries,
        "previous_record": previous_record,
        "previous_unrecorded": previous_unrecorded,
        "new_minute_form": forms.NewMinuteForm(prefix="extra"),
        "announce": "",
        # The choosers' suggestions, each list once on the page: whoever is at the meeting
        # and the officers current on the day; the posts current on the day and those at the
        # meeting. Anyone else (a councillor, a witness, a post no longer held) is found by
        # the search as one types.
        "chooser_people": [
            (label, "")
            for label in choosers.labels(
                [
                    *(a.person for a in attendances if a.person is not None),
                    *choosers.named(
                        Person.objects.current_on(meeting.date).exclude(kind=Person.Kind.COUNCILLOR)
                    ),
                ]
            )
        ],
        "substitute_lists": [
            (_substitutes_list(member), options) for member, options in suggested.items()
        ],
        "chooser_posts": [
            (title, "")
            for title in Post.objects.filter(
                Q(pk__in=Post.objects.current_on(meeting.date).values("pk"))
                | Q(pk__in=[a.post_id for a in attendances if a.post_id is not None])
            ).values_list("title", flat=True)
        ],
    }
    context.update(overrides)
    _offer_movements(cast("forms.MovementForm", context["movement_form"]), there, items)
    _offer_events(
        cast("forms.AdjournmentForm", context["adjournment_form"]),
        cast("forms.ChairChangeForm", context["chair_change_form"]),
        items,
        there,
        serving,
    )
    return context


def _offer_movements(form: forms.MovementForm, there: list[Attendance], items: list) -> None:
    """Whom the arrivals and departures form offers (those recorded and not away, as the
    minutes list them) and the agenda's items, from what the console has read already."""
    cast("ChoiceField", form.fields["attendance"]).choices = [
        ("", "---------"),
        *((a.pk, a.listed_as) for a in there if a.pk is not None),
    ]
    cast("ChoiceField", form.fields["agenda_item"]).choices = [
        ("", "---------"),
        *((item.pk, str(item)) for item in items),
    ]


def _offer_events(
    adjournment: forms.AdjournmentForm,
    chair_change: forms.ChairChangeForm,
    items: list,
    there: list[Attendance],
    serving: list[choosers.Named],
) -> None:
    """What the adjournment and change of chair forms offer: the agenda's items, and the
    councillors at the meeting, then the others serving on its day; from what the console has
    read already."""
    item_choices = [("", "---------"), *((item.pk, str(item)) for item in items)]
    for form in (adjournment, chair_change):
        cast("ChoiceField", form.fields["agenda_item"]).choices = item_choices
    present = [a.person for a in there if a.person is not None and a.is_councillor]
    present_ids = {p.pk for p in present}
    cast("ChoiceField", chair_change.fields["chair"]).choices = [
        ("", "---------"),
        ("At this meeting", [(p.pk, str(p)) for p in sorted(present, key=_by_name)]),
        ("Other councillors", [(p.pk, str(p)) for p in serving if p.pk not in present_ids]),
    ]


def _named_substitutes(meeting: Meeting, member_ids: set[int]) -> dict[int, set[int | None]]:
    """The councillors named as the body's substitutes on the day of the meeting (and not among
    its members), each with the members they are named for (None: any member)."""
    named: dict[int, set[int | None]] = {}
    rows = NamedSubstitute.objects.current(meeting.date).filter(board_id=meeting.board_id)
    for person, for_member in rows.values_list("person_id", "for_member_id"):
        if person not in member_ids:
            named.setdefault(person, set()).add(for_member)
    return named


def _substitutes_list(member: int | None) -> str:
    """The id of the datalist suggesting a member's substitutes: their own, for a member who
    has councillors named for them alone; else the one every other member shares."""
    return f"chooser-substitutes-{member}" if member is not None else "chooser-substitutes"


def _substitute_suggestions(
    meeting: Meeting, member_ids: set[int]
) -> tuple[dict[int | None, list[tuple[str, str]]], list[choosers.Named]]:
    """The substitutes suggested, as (label, note): for each member who has councillors named
    for them alone, and for every other member (None); in order, those named for that member,
    then those named for any member, then the other councillors serving on the day. Also the
    councillors serving on the day. Two or three queries, whatever the number of members."""
    named = _named_substitutes(meeting, member_ids)
    serving = choosers.named(Person.objects.councillors().current_on(meeting.date))
    missing = set(named) - {p.pk for p in serving}
    people = [p for p in serving if p.pk not in member_ids]
    if missing:
        # Named on the day, though no term or seat says they serve: suggested all the same.
        more = choosers.named(Person.objects.filter(pk__in=missing))
        people = sorted([*people, *more], key=_by_name)
    lists: dict[int | None, list[tuple[str, str]]] = {}
    for_members = {member for members in named.values() for member in members}
    for member in [None, *sorted(m for m in for_members if m is not None)]:
        first = [p for p in people if member is not None and member in named.get(p.pk, ())]
        firsts = {p.pk for p in first}
        then = [p for p in people if None in named.get(p.pk, ()) and p.pk not in firsts]
        chosen = firsts | {p.pk for p in then}
        ordered = [*first, *then, *(p for p in people if p.pk not in chosen)]
        notes = ["Named substitute" if p.pk in chosen else "" for p in ordered]
        lists[member] = list(zip(choosers.labels(ordered), notes, strict=True))
    return lists, serving


def _by_name(person: Person | choosers.Named) -> tuple[str, str]:
    return (person.family_name, person.given_name)


def _choices(queryset) -> list[tuple]:
    """A select's choices read once and shared by every form on the page that offers them
    (each form would otherwise query for its own)."""
    return [("", "---------"), *((obj.pk, str(obj)) for obj in queryset)]


def _entry(item, minute, failed: dict[str, dict], locked: bool) -> dict:
    """One item's block in the console: its minute (if taken), the form for a resolution that
    came back with a problem (a blank one is fetched when asked for: ``resolution_form``), and
    for a body that takes decisions, a form recording the minute as a decision."""
    form = decision_form = None
    if minute is not None:
        form = failed.get("resolution", {}).get(minute.pk)
    if minute is not None and minute.board.takes_decisions:
        decision = minute.recorded_decision
        decision_form = failed.get("decision", {}).get(minute.pk) or forms.DecisionForm(
            prefix=f"decision-{minute.pk}",
            locked=locked,
            initial={
                "reasons": decision.reasons,
                "alternatives": decision.alternatives,
                "key_decision": decision.key_decision,
            }
            if decision
            else None,
        )
    return {
        "item": item,
        "minute": minute,
        "resolution_form": form,
        "decision_form": decision_form,
        "id": f"minute-item-{item.pk}" if item else f"minute-{minute.pk}",
    }


def _block(
    request: HtmxHttpRequest, meeting: Meeting, block_id: str, status: int = 200, **overrides
):
    """One minute's block after a change; the console itself without JavaScript."""
    context = console_context(meeting, **overrides)
    if not request.htmx:
        if status != 200:
            return render(request, CONSOLE, context, status=status)
        if context.get("announce"):
            messages.success(request, context["announce"])
        return redirect(f"{reverse('minutes:minutes-console', args=[meeting.pk])}#{block_id}")
    entry = next(e for e in context["entries"] if e["id"] == block_id)
    return render(request, f"{CONSOLE}#minute-block", {**context, "entry": entry}, status=status)


def _minute_block(request: HtmxHttpRequest, minute: Minute, status: int = 200, **overrides):
    """The minute's block after a change to it."""
    return _block(request, minute.meeting, _block_id(minute), status, **overrides)


def _block_id(minute: Minute) -> str:
    return (
        f"minute-item-{minute.agenda_item_id}" if minute.agenda_item_id else f"minute-{minute.pk}"
    )


# The sections whose forms offer those at the meeting: recording who is there changes them.
WHO_IS_THERE = ("declarations", "movements")


def _section(
    request: HtmxHttpRequest,
    meeting: Meeting,
    name: str,
    status: int = 200,
    *,
    with_minutes: bool = False,
    also: tuple[str, ...] = (),
    **overrides,
):
    """The section's partial for htmx; back to the console at that section otherwise.
    ``with_minutes``: what was recorded also wrote a standing minute (apologies, declarations),
    so the minutes come back too, swapped in out of band. ``also``: other sections that what was
    recorded changes (who may declare, arrive or leave), swapped in out of band the same way."""
    if request.htmx or status != 200:
        context = console_context(meeting, **overrides)
        if not request.htmx:
            return render(request, CONSOLE, context, status=status)
        response = render(request, f"{CONSOLE}#{name}", context, status=status)
        if status == 200:
            for other in (*also, *(["minutes"] if with_minutes else [])):
                section = render_to_string(
                    f"{CONSOLE}#{other}", {**context, "out_of_band": True}, request=request
                )
                response.content += section.encode()
        return response
    if overrides.get("announce"):
        messages.success(request, overrides["announce"])
    return redirect(f"{reverse('minutes:minutes-console', args=[meeting.pk])}#{name}")


@login_required
@require_GET
def minutes_console(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting(request, pk)
    if meeting.is_cancelled:
        messages.error(request, "This meeting was cancelled: it has no minutes.")
        return redirect(meeting.get_absolute_url())
    go = request.GET.get("go", "")
    if ENTRY_ID.fullmatch(go):
        # "Go to the minute of" without JavaScript: to the minute, where the keyboard goes on.
        return redirect(f"{reverse('minutes:minutes-console', args=[meeting.pk])}#{go}")
    return render(request, CONSOLE, console_context(meeting))


@login_required
@require_GET
def console_choose(request: HtmxHttpRequest, pk: int, kind: str) -> HttpResponse:
    """A chooser's suggestions as one types (``minutes.choosers``): the options of the page's
    datalist of that kind, those current on the meeting's day first. The box names itself
    (``?field=``) and sends what was typed under its own name."""
    meeting = editable_meeting(request, pk)
    if kind not in choosers.KINDS:
        raise Http404("No such chooser.")
    field = request.GET.get("field", "")
    typed = (request.GET.get(field, "") if field else request.GET.get("q", ""))[:200]
    if kind == "councillors" and not typed.strip():
        # A substitute's box emptied: its member's suggestions again, as the page had them.
        members = {
            a.person_id
            for a in services.attendance_draft(meeting)
            if a.kind == Attendance.Kind.MEMBER and a.person_id is not None
        }
        suggested, _serving = _substitute_suggestions(meeting, members)
        member = request.GET.get("for", "")
        key = int(member) if member.isdigit() and int(member) in suggested else None
        options = suggested[key]
    else:
        options = choosers.search(kind, typed, meeting.date)
    return render(request, f"{CONSOLE}#chooser-options", {"options": options})


@login_required
@require_POST
def minutes_times(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting, opened = _console_meeting(request, pk)
    record = services.minutes_for(meeting)
    members = Person.objects.filter(attendances__meeting=meeting, attendances__kind="member")
    form = forms.MinutesTimesForm(request.POST, members=members, locked=record.is_approved)
    if form.is_valid():
        try:
            services.minutes_set_times(
                record=record,
                chair=form.cleaned_data["chair"],
                started_at=form.cleaned_data["started_at"],
                ended_at=form.cleaned_data["ended_at"],
                reason=_reason(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            return _section(
                request,
                meeting,
                "times",
                with_minutes=opened,
                announce="Times and chair saved.",
            )
    return _section(request, meeting, "times", STATUS_INVALID, times_form=form)


@login_required
@require_POST
def attendance_save(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The members' attendance, all in one form: saved as each choice changes (htmx), by its
    one button, or by "All present", which records everyone not yet recorded as present. A
    change saved with htmx answers with its status alone, so that nothing chosen meanwhile is
    swapped away; a problem brings the section back as it was sent, with what is wrong."""
    meeting, opened = _console_meeting(request, pk)
    members = list(meeting.attendances.filter(kind=Attendance.Kind.MEMBER).select_related("person"))
    stand_ins = {
        a.substitute_for_id: a.person
        for a in meeting.attendances.filter(kind=Attendance.Kind.SUBSTITUTE).select_related(
            "person__ward"
        )
    }
    sent = {
        a.person_id: forms.AttendanceForm(
            request.POST, prefix=f"member-{a.person_id}", recorded=stand_ins.get(a.person_id)
        )
        for a in members
        if a.person_id is not None and f"member-{a.person_id}-status" in request.POST
    }
    people = {a.person.pk: a.person for a in members if a.person is not None}
    all_present = "all_present" in request.POST
    error = None
    if all([form.is_valid() for form in sent.values()]):  # noqa: C419 (each form checked)
        rows = [
            services.AttendanceRow(
                person=people[person_id],
                status=form.cleaned_data["status"],
                substitute=form.cleaned_data["substitute"],
            )
            for person_id, form in sent.items()
        ]
        away_before = {a.person_id for a in members if a.status in services.AWAY}
        try:
            changed = services.attendance_record(
                meeting=meeting, rows=rows, all_present=all_present, reason=_reason(request)
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            away = set(
                meeting.attendances.filter(
                    kind=Attendance.Kind.MEMBER, status__in=services.AWAY
                ).values_list("person_id", flat=True)
            )
            announce = (
                f"Attendance of {changed[0]} saved."
                if len(changed) == 1
                else f"Attendance of {len(changed)} members saved."
                if changed
                else "Attendance saved: nothing had changed."
            )
            if all_present or not request.htmx:
                # Every row may have changed: the whole section comes back.
                section = _section(
                    request,
                    meeting,
                    "attendance",
                    with_minutes=opened,
                    also=WHO_IS_THERE,
                    announce=announce,
                )
                return retarget(section, "#attendance") if request.htmx else section
            # Only the status and what depends on it: the choices stay as they are on screen.
            context = console_context(
                meeting, announce=announce, out_of_band=True, banner_out_of_band=True
            )
            response = render(request, f"{CONSOLE}#attendance-status", context)
            others: tuple[str, ...] = ("attendance-unrecorded",)
            if away != away_before:
                others += WHO_IS_THERE
            if opened:
                others += ("minutes",)
            for other in others:
                response.content += render_to_string(
                    f"{CONSOLE}#{other}", context, request=request
                ).encode()
            return response
    problems = [
        (
            cast("BoundField", form[name]).anchor
            if name in form.fields
            else f"attendance-{person_id}",
            f"{people[person_id]}: {message}",
        )
        for person_id, form in sent.items()
        for name, messages in form.errors.items()
        for message in messages
    ]
    response = _section(
        request,
        meeting,
        "attendance",
        STATUS_INVALID,
        attendance_forms=sent,
        attendance_problems=problems,
        attendance_error=error,
    )
    return retarget(response, "#attendance") if request.htmx else response


@login_required
@require_POST
def attendee_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting, opened = _console_meeting(request, pk)
    form = forms.AttendeeForm(
        request.POST, prefix="attendee", meeting=meeting, locked=_is_locked(meeting)
    )
    if form.is_valid():
        data = form.cleaned_data
        person = form.attendee()
        try:
            attendance = services.attendee_add(
                meeting=meeting,
                person=person,
                post=data["post"],
                kind=data["kind"],
                # An officer chosen by name is named by their job, unless by their post.
                capacity=data["capacity"]
                or (person.job_title if person and not data["post"] else ""),
                items=data["items"],
                reason=_reason(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            return _section(
                request,
                meeting,
                "attendees",
                with_minutes=opened,
                also=WHO_IS_THERE,
                announce=f"{attendance.listed_as} added.",
            )
    return _section(request, meeting, "attendees", STATUS_INVALID, attendee_form=form)


@login_required
@require_POST
def attendee_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attendance = get_object_or_404(Attendance.objects.select_related("meeting__board"), pk=pk)
    meeting = editable_meeting(request, attendance.meeting_id)
    try:
        services.attendee_remove(attendance=attendance, reason=_reason(request))
    except ValidationError as error:
        return _section(
            request, meeting, "attendees", STATUS_INVALID, attendees_error=" ".join(error.messages)
        )
    return _section(
        request,
        meeting,
        "attendees",
        also=WHO_IS_THERE,
        announce=f"{attendance.listed_as} removed.",
    )


@login_required
@require_POST
def declaration_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting, opened = _console_meeting(request, pk)
    people = Person.objects.filter(attendances__meeting=meeting)
    form = forms.DeclarationForm(
        request.POST,
        prefix="declaration",
        meeting=meeting,
        people=people,
        locked=_is_locked(meeting),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.declaration_add(
                meeting=meeting,
                person=data["person"],
                agenda_item=data["agenda_item"],
                kind=data["kind"],
                nature=data["nature"],
                left_room=data["left_room"],
                reason=_reason(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            return _section(
                request,
                meeting,
                "declarations",
                with_minutes=opened,
                announce="Declaration recorded.",
            )
    return _section(request, meeting, "declarations", STATUS_INVALID, declaration_form=form)


@login_required
@require_POST
def declaration_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(Declaration, pk=pk)
    meeting = editable_meeting(request, declaration.meeting_id)
    try:
        services.declaration_remove(declaration=declaration, reason=_reason(request))
    except ValidationError as error:
        return _section(
            request,
            meeting,
            "declarations",
            STATUS_INVALID,
            declarations_error=" ".join(error.messages),
        )
    return _section(request, meeting, "declarations", announce="Declaration removed.")


@login_required
@require_POST
def movement_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Someone arriving after the meeting began, or leaving before it ended."""
    meeting, opened = _console_meeting(request, pk)
    form = forms.MovementForm(
        request.POST, prefix="movement", meeting=meeting, locked=_is_locked(meeting)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            movement = services.movement_add(
                attendance=data["attendance"],
                kind=data["kind"],
                at=data["at"],
                agenda_item=data["agenda_item"],
                reason=_reason(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            # Recording someone's arrival may have recorded them present: the members'
            # attendance comes back too.
            return _section(
                request,
                meeting,
                "movements",
                with_minutes=opened,
                also=("attendance",),
                announce=f"Recorded: {movement.sentence}",
            )
    return _section(request, meeting, "movements", STATUS_INVALID, movement_form=form)


@login_required
@require_POST
def movement_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    movement = get_object_or_404(Movement.objects.select_related("attendance"), pk=pk)
    meeting = editable_meeting(request, movement.attendance.meeting_id)
    try:
        services.movement_remove(movement=movement, reason=_reason(request))
    except ValidationError as error:
        return _section(
            request,
            meeting,
            "movements",
            STATUS_INVALID,
            movements_error=" ".join(error.messages),
        )
    return _section(request, meeting, "movements", announce=f"Removed: {movement.sentence}")


@login_required
@require_POST
def adjournment_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The meeting adjourned, and perhaps resumed."""
    return _event_add(request, pk, forms.AdjournmentForm, "adjournment", services.adjournment_add)


@login_required
@require_POST
def chair_change_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A councillor took the Chair from an item."""
    return _event_add(request, pk, forms.ChairChangeForm, "chair_change", services.chair_change_add)


def _event_add(request: HtmxHttpRequest, pk: int, form_class, prefix: str, add) -> HttpResponse:
    """Record an event of the meeting through its form (whose fields are the service's) and
    answer with the events section."""
    meeting, opened = _console_meeting(request, pk)
    form = form_class(request.POST, prefix=prefix, meeting=meeting, locked=_is_locked(meeting))
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "correction_reason"}
        try:
            event = add(meeting=meeting, reason=_reason(request), **fields)
        except ValidationError as error:
            apply_error(form, error)
        else:
            return _section(
                request,
                meeting,
                "events",
                with_minutes=opened,
                announce=f"Recorded: {event.sentence}",
            )
    return _section(request, meeting, "events", STATUS_INVALID, **{f"{prefix}_form": form})


@login_required
@require_POST
def meeting_event_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(MeetingEvent.objects.select_related("chair", "agenda_item"), pk=pk)
    meeting = editable_meeting(request, event.meeting_id)
    try:
        services.meeting_event_remove(event=event, reason=_reason(request))
    except ValidationError as error:
        return _section(
            request, meeting, "events", STATUS_INVALID, events_error=" ".join(error.messages)
        )
    return _section(request, meeting, "events", announce=f"Removed: {event.sentence}")


@login_required
@require_POST
def minute_take(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting, opened = _console_meeting(request, pk)
    form = forms.NewMinuteForm(request.POST, prefix="extra")
    chosen = forms.MinuteItemForm(request.POST, meeting=meeting)
    if not chosen.is_valid():
        form.add_error(None, chosen.errors["item"])
        return _section(request, meeting, "minutes", STATUS_INVALID, new_minute_form=form)
    item = chosen.cleaned_data["item"]
    title = form.data.get("extra-title", "") if item is None else ""
    try:
        minute = services.minute_take(
            meeting=meeting, agenda_item=item, title=title, by=acting_user(request)
        )
    except ValidationError as error:
        apply_error(form, error)
        return _section(request, meeting, "minutes", STATUS_INVALID, new_minute_form=form)
    if item is None or opened:
        # A minute off the agenda joins the end of the list, and opening the minutes wrote the
        # standing ones: the whole section comes back, in place of the section (an item's
        # button targets its own block).
        response = _section(request, meeting, "minutes", announce=f"Minute {minute.label} started.")
        return reswap(retarget(response, "#minutes"), "outerHTML") if request.htmx else response
    return _block(request, meeting, _block_id(minute), announce=f"Minute {minute.label} started.")


@login_required
@require_POST
def minute_save(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Autosave of a minute's narrative, with optimistic locking on its version."""
    minute = _minute(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse("The page is out of date: reload it.", status=400)
    narrative = request.POST.get("narrative", "")
    # Absent (a form that does not carry it): the notes after the resolutions stay as they are.
    notes_after = request.POST.get("notes_after")
    try:
        minute = services.minute_autosave(
            minute=minute,
            narrative=narrative,
            notes_after=notes_after,
            version=version,
            by=acting_user(request),
        )
    except services.StaleMinute as stale:
        context = {
            "minute": stale.current,
            "yours": narrative,
            "yours_after": notes_after,
            "meeting": minute.meeting,
        }
        if request.htmx:
            response = render(
                request, "minutes/minute_conflict.html#conflict", context, status=STATUS_CONFLICT
            )
            return reswap(retarget(response, f"#conflict-{minute.pk}"), "innerHTML")
        return render(request, "minutes/minute_conflict.html", context, status=STATUS_CONFLICT)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=STATUS_INVALID)
    if request.htmx:
        # The status line alone, which needs nothing of the request: no context processors
        # (the navigation's queries) on the console's most frequent request.
        return HttpResponse(
            render_to_string(f"{CONSOLE}#save-status", {"minute": minute, "saved": True})
        )
    messages.success(request, f"Minute {minute.label} saved.")
    return redirect(
        f"{reverse('minutes:minutes-console', args=[minute.meeting_id])}#minute-{minute.pk}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def minute_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A minute's title, text, public summary and chair; once approved, a correction."""
    minute = _minute(request, pk)
    locked = _is_locked(minute.meeting)
    form = forms.MinuteDetailsForm(
        request.POST or None,
        initial={
            "version": minute.version,
            "title": minute.title,
            "narrative": minute.narrative,
            "notes_after": minute.notes_after,
            "public_summary": minute.public_summary,
            "chair": minute.chair_id,
        },
        locked=locked,
        meeting=minute.meeting,
        chair=minute.chair,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.minute_update(
                minute=minute,
                version=data["version"],
                by=acting_user(request),
                reason=data.get("correction_reason", ""),
                title=data["title"],
                narrative=data["narrative"],
                notes_after=data["notes_after"],
                public_summary=data["public_summary"],
                chair=data["chair"],
            )
        except services.StaleMinute as stale:
            return render(
                request,
                "minutes/minute_conflict.html",
                {
                    "minute": stale.current,
                    "yours": data["narrative"],
                    "yours_after": data["notes_after"],
                    "meeting": minute.meeting,
                },
                status=STATUS_CONFLICT,
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Minute {minute.label} saved.")
            return redirect(
                f"{reverse('minutes:minutes-console', args=[minute.meeting_id])}#minute-{minute.pk}"
            )
    return render(
        request,
        "minutes/minute_form.html",
        {"form": form, "minute": minute, "meeting": minute.meeting, "locked": locked},
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_POST
def decision_save(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Record a minute of the executive or full council as a decision, or change it."""
    minute = _minute(request, pk)
    if not minute.board.takes_decisions:
        raise Http404("This body does not take decisions: its minutes record resolutions.")
    form = forms.DecisionForm(
        request.POST, prefix=f"decision-{minute.pk}", locked=_is_locked(minute.meeting)
    )
    if form.is_valid():
        try:
            services.decision_record(
                minute=minute,
                reasons=form.cleaned_data["reasons"],
                alternatives=form.cleaned_data["alternatives"],
                key_decision=form.cleaned_data["key_decision"],
                by=acting_user(request),
                reason=_reason(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            return _minute_block(
                request,
                minute,
                announce=f"Minute {minute.label} recorded as a decision.",
            )
    return _minute_block(
        request,
        minute,
        STATUS_INVALID,
        failed_decision=(minute.pk, form),
    )


@login_required
@require_POST
def decision_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    minute = _minute(request, pk)
    decision = get_object_or_404(Decision, minute=minute)
    try:
        services.decision_remove(decision=decision, reason=_reason(request))
    except ValidationError as error:
        return _minute_block(
            request,
            minute,
            STATUS_INVALID,
            announce=" ".join(error.messages),
        )
    return _minute_block(
        request,
        minute,
        announce=f"Minute {minute.label} no longer records a decision.",
    )


@login_required
@require_POST
def resolution_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    minute = _minute(request, pk)
    form = forms.ResolutionForm(
        request.POST,
        prefix=f"resolution-{minute.pk}",
        locked=_is_locked(minute.meeting),
        meeting=minute.meeting,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            resolution = services.resolution_add(
                minute=minute,
                text=data["text"],
                is_action=data["is_action"],
                owner_post=data["owner_post"],
                owner_person=data["owner_person"],
                owner_text=data["owner_text"],
                due_on=data["due_on"],
                due_months=data["due_months"],
                due_next_meeting=data["due_next_meeting"],
                due_wording=data["due_wording"],
                reason=_reason(request),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            return _minute_block(
                request,
                minute,
                announce=f"Resolution {resolution.marker} added to minute {minute.label}.",
            )
    return _minute_block(
        request,
        minute,
        STATUS_INVALID,
        failed_resolution=(minute.pk, form),
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def resolution_form(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A minute's form for a resolution: fetched into its block in the console when "Add a
    resolution" is opened (htmx); its own page without JavaScript, which posts as the block
    does (``resolution_add``) and comes back to the console."""
    minute = _minute(request, pk)
    form = forms.ResolutionForm(
        prefix=f"resolution-{minute.pk}",
        locked=_is_locked(minute.meeting),
        meeting=minute.meeting,
    )
    context = {"minute": minute, "meeting": minute.meeting, "resolution_form": form}
    if request.htmx:
        context["entry_id"] = _block_id(minute)
        return render(request, f"{CONSOLE}#resolution-form", context)
    return render(request, "minutes/resolution_form.html", context)


@login_required
@require_POST
def resolution_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("minute__meeting"), pk=pk)
    minute = _minute(request, resolution.minute_id)
    try:
        services.resolution_remove(resolution=resolution, reason=_reason(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _minute_block(request, minute, announce="Resolution removed.")


@login_required
@require_POST
def action_done(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("minute__meeting"), pk=pk)
    _minute(request, resolution.minute_id)
    try:
        services.action_done(
            resolution=resolution, on=timezone.localdate(), note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Action marked done: {resolution.text}")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home:officer-home")
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def minute_withdraw(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    minute = _minute(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minute_withdraw(
                minute=minute, by=acting_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Minute {minute.label} withdrawn; its number stays unused.")
            return redirect("minutes:minutes-console", pk=minute.meeting_id)
    return render(
        request,
        "boards/confirm_remove.html",
        {
            "form": form,
            "thing": minute,
            "meeting": minute.meeting,
            "published": True,
            "back": reverse("minutes:minutes-console", args=[minute.meeting_id]),
        },
        status=STATUS_INVALID if form.errors else 200,
    )


@login_required
@require_POST
def minutes_approve(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """At this meeting, resolve the previous meeting's minutes a correct record."""
    meeting = editable_meeting(request, pk)
    form = forms.ApprovalForm(request.POST)
    console = f"{reverse('minutes:minutes-console', args=[meeting.pk])}#minutes"
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["minutes_of"]))
        return redirect(console)
    earlier = form.cleaned_data["minutes_of"]
    try:
        services.minutes_approve(
            minutes=earlier,
            at=meeting,
            by=acting_user(request),
            unrecorded_confirmed=form.cleaned_data["unrecorded_confirmed"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(str(message) for message in error.messages))
    else:
        held_on = formatting.short_date(earlier.meeting.starts_at)
        messages.success(request, f"The minutes of {held_on} are approved and locked.")
    return redirect(console)


@login_required
@require_POST
def minutes_release(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Release the draft minutes to the public before their approval."""
    meeting = editable_meeting(request, pk)
    record = get_object_or_404(MinutesRecord, meeting=meeting)
    try:
        services.minutes_release(minutes=record, by=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(str(message) for message in error.messages))
    else:
        messages.success(request, "The draft minutes are released: the public can read them.")
    return redirect(f"{reverse('minutes:minutes-console', args=[meeting.pk])}#release")


# A narrative's words, line breaks and paragraph breaks (a blank line), in order.
_TOKENS = re.compile(r"\n[^\S\n]*\n\s*|\n|\S+")
_PARAGRAPH, _LINE = "\n\n", "\n"
# How a changed break shows in a diff, as track changes show a paragraph mark.
_BREAK_MARKS = {
    _PARAGRAPH: ("¶", "paragraph break"),
    _LINE: ("↵", "line break"),
}


def _tokens(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [_PARAGRAPH if token.count("\n") > 1 else token for token in _TOKENS.findall(text)]


def _diff(old: str, new: str) -> str:
    """Words added and removed between two texts, as <ins> and <del>, in the paragraphs and
    lines of the new text (of the old one if nothing is left). A paragraph or line break added
    or removed shows its mark (¶ or ↵) in the <ins> or <del>, as track changes show a paragraph
    mark; when the whole text is new (or gone), its breaks are not marked. Every piece of text
    is escaped."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    if not old_tokens and not new_tokens:
        return ""
    mark_breaks = bool(old_tokens and new_tokens)
    marked: list[tuple[str, str]] = []  # (tag, token): "" for unchanged, "del" or "ins"
    # Breaks are junk: a match starts at a word and takes in the breaks beside it.
    matcher = difflib.SequenceMatcher(
        lambda token: token in _BREAK_MARKS, old_tokens, new_tokens, autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            marked += [("", token) for token in old_tokens[a1:a2]]
            continue
        marked += [("del", token) for token in old_tokens[a1:a2]]
        marked += [("ins", token) for token in new_tokens[b1:b2]]

    paragraphs: list[str] = []
    line: list[str] = []  # the current paragraph's HTML pieces
    after_word = False  # whether the last piece ended with a word (a space goes before the next)
    for tag, run in itertools.groupby(marked, key=lambda pair: pair[0]):
        html = ""
        for _tag, token in run:
            if token in _BREAK_MARKS:
                if tag and mark_breaks:
                    sign, name = _BREAK_MARKS[token]
                    action = "removed" if tag == "del" else "added"
                    html += (
                        f'<span class="history__break">{sign}'
                        f'<span class="visually-hidden"> {name} {action}</span></span>'
                    )
                if tag == "del" and new_tokens:
                    after_word = True  # the text now runs on past the removed break
                    continue
                if token == _PARAGRAPH:
                    line.append(_wrap(tag, html))
                    paragraphs.append("".join(line))
                    line, html = [], ""
                else:
                    html += "<br>"
                after_word = False
            else:
                if after_word:
                    if html:
                        html += " "
                    else:
                        line.append(" ")
                html += escape(token)
                after_word = True
        line.append(_wrap(tag, html))
    paragraphs.append("".join(line))
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph)
    return mark_safe(body)  # noqa: S308 - every piece of text is escaped above


def _wrap(tag: str, html: str) -> str:
    return f"<{tag}>{html}</{tag}>" if tag and html else html


@login_required
@require_GET
def minute_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    minute = _minute(request, pk)
    records = list(minute.history.select_related("history_user").order_by("history_date"))
    versions = []
    previous = None
    for record in records:
        versions.append(
            {
                "record": record,
                "title_changed": previous is not None and previous.title != record.title,
                "diff": _diff(previous.narrative if previous else "", record.narrative),
            }
        )
        previous = record
    versions.reverse()
    return render(request, "minutes/minute_history.html", {"minute": minute, "versions": versions})


@login_required
@require_POST
def minute_restore(request: HtmxHttpRequest, pk: int, history_id: int) -> HttpResponse:
    minute = _minute(request, pk)
    try:
        services.minute_restore(
            minute=minute, history_id=history_id, by=acting_user(request), reason=_reason(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except minute.history.model.DoesNotExist:
        messages.error(request, "That version does not exist.")
    else:
        messages.success(request, f"An earlier version of minute {minute.label} restored.")
    return redirect("minutes:minute-history", pk=minute.pk)


# Everyone: the minutes as published, and attendance figures.


@require_GET
def minutes_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("board", "venue"), pk=pk)
    audience = Audience.of(request.user)
    record = MinutesRecord.objects.filter(meeting=meeting).first()
    published = record is not None and record.is_published_to(audience)
    context = minutes_document(meeting, audience) if published else {"meeting": meeting}
    context["published"] = published
    context["can_edit"] = can_edit(request.user, meeting.board)
    return render(request, "minutes/minutes_detail.html", context)


@require_GET
def minutes_pdf(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The minutes as printed: the same document and the same rule as the page."""
    meeting = get_object_or_404(Meeting.objects.select_related("board", "venue"), pk=pk)
    audience = Audience.of(request.user)
    record = MinutesRecord.objects.filter(meeting=meeting).first()
    if record is None or not record.is_published_to(audience):
        raise Http404("These minutes have not been published.")
    title = f"Minutes: {meeting.board.name}, {formatting.long_date(meeting.starts_at)}"
    return printing.pdf_response(
        request, "print/minutes.html", minutes_document(meeting, audience), title=title
    )


@require_GET
def attendance_figures(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Per member, for a municipal year: meetings expected, attended, apologies, substituted."""
    board = get_object_or_404(Board, slug=slug)
    years = list(
        board.meetings.values_list("municipal_year__starts_on", "municipal_year_id")
        .distinct()
        .order_by("-municipal_year__starts_on")
    )
    form = forms.MunicipalYearForm(request.GET, year_ids=[pk for _, pk in years])
    if form.is_valid() and form.cleaned_data["year"] is not None:
        year_id = form.cleaned_data["year"]
    else:
        if not form.is_valid():
            messages.error(request, forms.MunicipalYearForm.NO_SUCH_YEAR)
        year_id = years[0][1] if years else None
    # Only meetings whose minutes the visitor may read: no figures from minutes being written.
    meetings = minuted_meetings(Audience.of(request.user)).filter(
        board=board, municipal_year_id=year_id
    )
    table = sorted(
        figures_of(meetings),
        key=lambda row: (row.expected == 0, row.person.family_name, row.person.given_name),
    )
    return render(
        request,
        "minutes/attendance_figures.html",
        {
            "board": board,
            "rows": table,
            "meetings": list(meetings.only("pk", "starts_at")),
            "years": years,
            "year_id": year_id,
        },
    )


def _subject_document(request: HtmxHttpRequest, slug: str) -> dict:
    """A subject's history as the visitor may read it: the page and its PDF show this."""
    audience = Audience.of(request.user)
    subject = get_object_or_404(Subject.objects.visible_to(audience), slug=slug)
    return {"subject": subject, "rows": subject_history(subject, audience)}


@require_GET
def subject_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    context = _subject_document(request, slug)
    # A subject is the council's: any officer or clerk may edit it (``boards.views.subjects``).
    context["can_edit"] = is_staff(request.user)
    return render(request, "minutes/subject_detail.html", context)


@require_GET
def subject_pdf(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The subject's history as printed: the same document and the same rule as its page."""
    context = _subject_document(request, slug)
    title = f"Issue history: {context['subject'].title}"
    return printing.pdf_response(
        request, "print/subject.html", {**context, "printed": True}, title=title
    )
