"""Call-in pages: the councillors' request, the public list and timeline of every call-in, and
the steps officers record on it (the check, the board's meeting, the outcomes, the final
decision, a withdrawal).

Who may do what: a councillor (a user in the councillor role whose person is a councillor) calls
a decision in; officers and clerks record a request received on paper, for the scrutiny boards
that are theirs (``boards.access``); the officer supporting the call-in's board, clerks and
administrators record its steps; its signatories, or those officers, withdraw it. An exempt
decision's call-in shows the public only the decision's title and the paragraph of Schedule 12A
(the board's members and officers, and whoever may read the decision, see the rest)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from boards.access import (
    Ability,
    AnyUser,
    acting_user,
    can_edit,
    get_editable,
    has_ability,
    is_staff,
)
from boards.models import Board, Person
from boards.views.common import STATUS_INVALID, apply_error
from boards.visibility import Audience
from decisions import forms_call_ins as forms
from decisions import services, status
from decisions.models import CallIn, CallInRules, ExecutiveDecision
from decisions.templatetags.call_ins import call_in_is_current


def councillor_of(user: AnyUser) -> Person | None:
    """The user's person, if the user signs in as a councillor and is one (one query)."""
    if not has_ability(user, Ability.READ_MEMBER_PAPERS):
        return None
    return Person.objects.councillors().filter(user=user).first()


def _call_ins() -> QuerySet[CallIn]:
    return CallIn.objects.select_related(
        "decision__maker_body",
        "decision__maker_post",
        "decision__reconsidered_as",
        "board__support_officer",
        "agenda_item__meeting__board",
    ).prefetch_related("decision__call_ins")


def _content_visible(audience: Audience, call_ins: list[CallIn]) -> dict[int, bool]:
    """Whether the audience reads each call-in's decision and reasons (one query): whoever may
    read the decision, and the members and officers of the board that considers it."""
    decisions = dict(
        ExecutiveDecision.objects.visible_to(audience)
        .filter(pk__in={call_in.decision_id for call_in in call_ins})
        .values_list("pk", "content_visible")
    )
    return {
        call_in.pk: bool(decisions.get(call_in.decision_id))
        or (audience.sees_exempt_of(call_in.board_id) and call_in.decision.withdrawn_at is None)
        for call_in in call_ins
        if call_in.decision_id in decisions
    }


def _standing(call_in: CallIn) -> status.Standing:
    decision = call_in.decision
    return status.standing(decision, list(decision.call_ins.all()), now=timezone.now())


# The public pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    call_in: CallIn
    content_visible: bool
    standing: status.Standing


@require_GET
def call_in_list(request: HttpRequest) -> HttpResponse:
    """Every call-in, current ones first."""
    call_ins = list(_call_ins())
    visible = _content_visible(Audience.of(request.user), call_ins)
    rows = [
        Row(call_in, visible[call_in.pk], _standing(call_in))
        for call_in in call_ins
        if call_in.pk in visible
    ]
    return render(
        request,
        "decisions/call_in_list.html",
        {
            "current": [row for row in rows if call_in_is_current(row.call_in)],
            "past": [row for row in rows if not call_in_is_current(row.call_in)],
            "rules": CallInRules.load(),
        },
    )


@dataclass(frozen=True)
class Entry:
    step: status.Step
    timed: bool  # a moment (shown with its time), or a day


def _next_step(call_in: CallIn) -> str | None:
    """The officer's next step on the call-in, if any."""
    if call_in.withdrawn_at is not None:
        return None
    if call_in.checked_on is None:
        return "check"
    if not call_in.valid:
        return None
    if call_in.agenda_item_id is None:
        return "schedule"
    if not call_in.outcome:
        return "outcome"
    if call_in.outcome == CallIn.Outcome.REFER_TO_COUNCIL and not call_in.council_outcome:
        return "council"
    if call_in.concluded_on is None and services.referred_back_on(call_in) is not None:
        return "conclude"
    return None


def _may_withdraw(user: AnyUser, call_in: CallIn, editor: bool) -> bool:
    if call_in.withdrawn_at is not None or call_in.outcome:
        return False
    if editor:
        return True
    return user.is_authenticated and any(
        person.user_id == user.pk for person in call_in.signatories.all()
    )


@require_GET
def call_in_of_item(request: HttpRequest, pk: int) -> HttpResponse:
    """The call-in an agenda item is (agendas link here by the item, in no query of theirs);
    its page applies the visibility rule."""
    call_in = get_object_or_404(CallIn.objects.only("pk"), agenda_item_id=pk)
    return redirect(call_in)


@require_GET
def call_in_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call_in = get_object_or_404(_call_ins().prefetch_related("signatories__ward"), pk=pk)
    audience = Audience.of(request.user)
    visible = _content_visible(audience, [call_in])
    if call_in.pk not in visible:
        raise Http404  # the decision is a draft (nobody calls those in)
    rules_ = CallInRules.load()
    decision = call_in.decision
    editor = can_edit(request.user, call_in.board)
    timeline = [
        Entry(step, isinstance(step.on, datetime.datetime))
        for step in status.timeline(decision, [call_in], rules_)
    ]
    next_step = _next_step(call_in)
    if next_step and not editor:
        may_record = next_step in EXECUTIVE_STEPS and can_edit(request.user, decision.maker_body)
        next_step = next_step if may_record else None
    return render(
        request,
        "decisions/call_in_detail.html",
        {
            "call_in": call_in,
            "decision": decision,
            "content_visible": visible[call_in.pk],
            "standing": _standing(call_in),
            "timeline": timeline,
            "signatories": list(call_in.signatories.all()),
            "meeting_late": services.meeting_is_late(call_in),
            "can_edit": editor,
            "next_step": next_step and STEPS[next_step],
            "may_withdraw": _may_withdraw(request.user, call_in, editor),
            "reconsidered": getattr(decision, "reconsidered_as", None),
        },
    )


# Calling a decision in ------------------------------------------------------------------------


def _rename(error: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {names.get(field, field): errors for field, errors in error.error_dict.items()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_in_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A councillor calls the decision in; an officer or a clerk records a request received on
    paper (choosing its signatories and when it arrived)."""
    user = acting_user(request)
    decision = get_object_or_404(
        ExecutiveDecision.objects.visible_to(Audience.of(user)).select_related(
            "notice__scrutiny_board", "maker_body"
        ),
        pk=pk,
    )
    today = timezone.localdate()
    paper = is_staff(user)
    councillor = None if paper else councillor_of(user)
    if not paper and councillor is None:
        raise PermissionDenied
    boards = forms.scrutiny_boards(
        Board.objects.editable_by(user) if paper else Board.objects.all()
    )
    if paper and not boards.exists():
        raise PermissionDenied  # an officer supporting no scrutiny board
    councillors = forms.current_councillors(today)
    if councillor is not None:
        councillors = councillors.exclude(pk=councillor.pk)
    notice = decision.notice
    initial: dict[str, Any] = {
        "board": notice.scrutiny_board_id if notice else None,
        "received_on": today,
        "received_time": timezone.localtime().time().replace(second=0, microsecond=0),
    }
    form_class = forms.PaperCallInForm if paper else forms.CallInRequestForm
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=initial,
        boards=boards,
        councillors=councillors,
    )
    if request.method == "POST" and form.is_valid():
        signatories = list(form.cleaned_data["signatories"])
        if councillor is not None:
            signatories.insert(0, councillor)
        try:
            call_in = services.call_in_request(
                decision=decision,
                board=form.cleaned_data["board"],
                signatories=signatories,
                reasons=form.cleaned_data["reasons"],
                by=user,
                at=form.received_at if isinstance(form, forms.PaperCallInForm) else None,
            )
        except ValidationError as error:
            apply_error(form, _rename(error, {"at": "received_on"}))
        else:
            messages.success(
                request,
                "The call-in is recorded. An officer checks that it is valid; until then the "
                "decision may not be implemented.",
            )
            return redirect(call_in)
    now = timezone.now()
    closed = services.closed_reason(decision, now)
    called_in = next((c for c in decision.call_ins.all() if c.valid), None)
    return render(
        request,
        "decisions/call_in_request.html",
        {
            "decision": decision,
            "form": form,
            "paper": paper,
            "councillor": councillor,
            "rules": CallInRules.load(),
            "closed": next(iter(closed.values()), ""),
            "called_in": called_in,
        },
        status=STATUS_INVALID if form.errors else 200,
    )


# The officer's steps -------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffStep:
    name: str
    title: str
    button: str
    url_name: str
    form: Callable[..., django_forms.Form]
    record: Callable[[CallIn, dict[str, Any], User], Any]
    done: str


def _check(call_in: CallIn, data: dict[str, Any], by: User) -> Any:
    return services.call_in_check(
        call_in=call_in,
        valid=data["valid"] == "valid",
        reasons=data["reasons"],
        on=data["on"],
        by=by,
    )


def _schedule(call_in: CallIn, data: dict[str, Any], by: User) -> Any:
    return services.call_in_schedule(
        call_in=call_in, meeting=data["meeting"], late_reason=data["late_reason"], by=by
    )


def _outcome(call_in: CallIn, data: dict[str, Any], by: User) -> Any:
    return services.call_in_outcome(
        call_in=call_in, outcome=data["outcome"], on=data["on"], reasons=data["reasons"], by=by
    )


def _council(call_in: CallIn, data: dict[str, Any], by: User) -> Any:
    return services.call_in_council_outcome(
        call_in=call_in, outcome=data["outcome"], on=data["on"], reasons=data["reasons"], by=by
    )


def _conclude(call_in: CallIn, data: dict[str, Any], by: User) -> Any:
    return services.call_in_conclude(
        call_in=call_in,
        final=data["final"],
        on=data["on"],
        reasons=data["reasons"],
        decision_text=data["decision_text"],
        by=by,
    )


def _withdraw(call_in: CallIn, data: dict[str, Any], by: User) -> Any:
    return services.call_in_withdraw(call_in=call_in, reason=data["reason"], by=by)


STEPS = {
    step.name: step
    for step in [
        StaffStep(
            "check",
            "Check the call-in",
            "Record the finding",
            "decisions:call-in-check",
            lambda data, call_in: forms.CheckForm(data, initial={"on": timezone.localdate()}),
            _check,
            "The finding is recorded.",
        ),
        StaffStep(
            "schedule",
            "Put the call-in on the board's agenda",
            "Add it to the agenda",
            "decisions:call-in-schedule",
            lambda data, call_in: forms.ScheduleForm(data, call_in=call_in),
            _schedule,
            "The call-in is on the meeting's agenda.",
        ),
        StaffStep(
            "outcome",
            "Record the board's outcome",
            "Record the outcome",
            "decisions:call-in-outcome",
            lambda data, call_in: forms.OutcomeForm(data, initial={"on": timezone.localdate()}),
            _outcome,
            "The board's outcome is recorded.",
        ),
        StaffStep(
            "council",
            "Record full council's outcome",
            "Record full council's outcome",
            "decisions:call-in-council",
            lambda data, call_in: forms.CouncilOutcomeForm(data),
            _council,
            "Full council's outcome is recorded.",
        ),
        StaffStep(
            "conclude",
            "Record the final decision",
            "Record the final decision",
            "decisions:call-in-conclude",
            lambda data, call_in: forms.ConcludeForm(data, initial={"on": timezone.localdate()}),
            _conclude,
            "The final decision is recorded.",
        ),
        StaffStep(
            "withdraw",
            "Withdraw the call-in",
            "Withdraw the call-in",
            "decisions:call-in-withdraw",
            lambda data, call_in: forms.WithdrawForm(data),
            _withdraw,
            "The call-in is withdrawn.",
        ),
    ]
}


def _step_page(request: HttpRequest, call_in: CallIn, step: StaffStep) -> HttpResponse:
    form = step.form(request.POST if request.method == "POST" else None, call_in)
    if request.method == "POST" and form.is_valid():
        try:
            step.record(call_in, form.cleaned_data, acting_user(request))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, step.done)
            return redirect(call_in)
    context: dict[str, Any] = {"call_in": call_in, "step": step, "form": form}
    if step.name == "check":
        context["checks"] = services.call_in_checks(call_in)
    return render(
        request,
        "decisions/call_in_step.html",
        context,
        status=STATUS_INVALID if form.errors else 200,
    )


#: The steps that are the decision maker's (full council's outcome and the reconsideration):
#: those who support the executive record them too, as well as the call-in's board's officers.
EXECUTIVE_STEPS = frozenset({"council", "conclude"})


def _editable(request: HttpRequest, pk: int, *, step: str) -> CallIn:
    calls = CallIn.objects.select_related("decision__maker_body", "agenda_item__meeting")
    if step in EXECUTIVE_STEPS:
        call_in = get_object_or_404(calls.select_related("board"), pk=pk)
        if can_edit(request.user, call_in.decision.maker_body):
            return call_in
    return get_editable(request.user, calls, "board", pk=pk)


def _staff_step(name: str) -> Callable[..., HttpResponse]:
    step = STEPS[name]

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _step_page(request, _editable(request, pk, step=name), step)

    view.__name__ = view.__qualname__ = f"call_in_{name}"
    view.__doc__ = (
        f"{step.title}: the officer supporting the call-in's board, clerks and administrators."
    )
    return view


call_in_check = _staff_step("check")
call_in_schedule = _staff_step("schedule")
call_in_outcome = _staff_step("outcome")
call_in_council = _staff_step("council")
call_in_conclude = _staff_step("conclude")


@login_required
@require_http_methods(["GET", "POST"])
def call_in_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Its signatories withdraw the call-in, or an officer records their withdrawal."""
    call_in = get_object_or_404(
        CallIn.objects.select_related(
            "decision", "agenda_item__meeting", "board__support_officer"
        ).prefetch_related("signatories"),
        pk=pk,
    )
    signatory = any(person.user_id == request.user.pk for person in call_in.signatories.all())
    if not (signatory or can_edit(request.user, call_in.board)):
        raise PermissionDenied
    return _step_page(request, call_in, STEPS["withdraw"])
