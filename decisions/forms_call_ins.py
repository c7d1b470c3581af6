"""The forms of call-in: the councillors' request (or a request received on paper), and each of
the officer's steps. Their fields are named as the services' arguments, so a service's refusal
lands on its field (``boards.views.common.apply_error``)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from boards.forms import DateField, MarkdownTextarea, TimeInput
from boards.models import Board, Meeting, Person
from decisions.models import CallIn
from decisions.services import SCRUTINY_KINDS


def current_councillors(today: datetime.date) -> QuerySet[Person]:
    """Councillors whose term has not ended (or whose term the council has not entered)."""
    return (
        Person.objects.councillors()
        .exclude(term_ends_on__lt=today)
        .exclude(elected_on__gt=today)
        .select_related("ward")
    )


def scrutiny_boards(boards: QuerySet[Board]) -> QuerySet[Board]:
    return boards.filter(kind__in=SCRUTINY_KINDS).exclude(ends_on__lt=timezone.localdate())


class CouncillorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.display_name} ({obj.ward})" if obj.ward_id else obj.display_name


class CallInRequestForm(forms.Form):
    """A councillor's request: they sign it; other councillors may sign with them."""

    board = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        label="Scrutiny board to consider it",
        help_text="The scrutiny board whose remit the decision falls in.",
    )
    reasons = forms.CharField(
        widget=MarkdownTextarea(attrs={"rows": 6}),
        label="Reasons for calling the decision in",
        help_text="What the scrutiny board should look at, and why.",
    )
    signatories = CouncillorChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Councillors signing with you",
        help_text="You sign it yourself. Tick each councillor who has agreed to sign too.",
    )

    def __init__(
        self,
        *args: Any,
        boards: QuerySet[Board],
        councillors: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Board]", self.fields["board"]).queryset = boards
        cast("CouncillorChoiceField", self.fields["signatories"]).queryset = councillors


class PaperCallInForm(CallInRequestForm):
    """A request received on paper (or by e-mail), recorded by an officer or a clerk."""

    received_on = DateField(label="Date received")
    received_time = forms.TimeField(
        widget=TimeInput,
        label="Time received",
        help_text="The window closes at a set time: give the time the request arrived.",
    )

    field_order = ["board", "signatories", "reasons", "received_on", "received_time"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signatories = self.fields["signatories"]
        signatories.required = True
        signatories.label = "Councillors who signed it"
        signatories.help_text = "Tick each councillor who signed the request."

    @property
    def received_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(
                self.cleaned_data["received_on"], self.cleaned_data["received_time"]
            )
        )


VALIDITY = [("valid", "Valid: the decision is called in"), ("not_valid", "Not valid")]


class CheckForm(forms.Form):
    valid = forms.ChoiceField(
        choices=VALIDITY,
        widget=forms.RadioSelect,
        label="Your finding",
        error_messages={"required": "Choose whether the call-in is valid"},
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Reasons for the finding"
    )
    on = DateField(label="Date of the finding")


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        label="Meeting of the board",
        help_text="The call-in becomes an item on its agenda.",
    )
    late_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why the meeting is after the last day (only if it is)",
    )

    def __init__(self, *args: Any, call_in: CallIn, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = cast("forms.ModelChoiceField[Meeting]", self.fields["meeting"])
        meeting.queryset = (
            Meeting.objects.filter(board_id=call_in.board_id)
            .upcoming(timezone.now())
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related("board")
        )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=CallIn.Outcome.choices,
        widget=forms.RadioSelect,
        label="The board's outcome",
    )
    on = DateField(label="Date of the outcome")
    reasons = forms.CharField(
        required=False,
        widget=MarkdownTextarea(attrs={"rows": 5}),
        label="The board's reasons and recommendations",
        help_text="Needed when the board refers the decision back or to full council.",
    )


class CouncilOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=CallIn.CouncilOutcome.choices,
        widget=forms.RadioSelect,
        label="Full council's outcome",
    )
    on = DateField(label="Date of full council's meeting")
    reasons = forms.CharField(
        required=False,
        widget=MarkdownTextarea(attrs={"rows": 5}),
        label="Full council's reasons",
        help_text="Needed unless full council raised no objection.",
    )


class ConcludeForm(forms.Form):
    final = forms.ChoiceField(
        choices=CallIn.Final.choices,
        widget=forms.RadioSelect,
        label="The final decision",
    )
    on = DateField(label="Date of the final decision")
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reasons for the final decision",
    )
    decision_text = forms.CharField(
        required=False,
        widget=MarkdownTextarea(attrs={"rows": 5}),
        label="The decision as amended (only if amended)",
        help_text="Published at once as a new decision, which cannot be called in again.",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why the call-in is withdrawn",
        help_text="Shown on the call-in's public timeline.",
    )
