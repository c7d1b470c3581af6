from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from boards.dates import month_end
from boards.forms import (
    AgendaItemChoiceField,
    ChoosesMeetingMixin,
    DateField,
    DateInput,
    MarkdownTextarea,
    MonthInput,
)
from boards.models import AgendaItem, Board, Meeting, Paper, Post
from inquiries.models import Inquiry
from recommendations.models import (
    Appendix,
    DesiredOutcome,
    Recommendation,
    Response,
    Statement,
    TrackingCategory,
)


class RecommendationForm(forms.Form):
    outcome: forms.ModelChoiceField[DesiredOutcome] = forms.ModelChoiceField(
        queryset=None, required=False, label="Desired outcome"
    )
    text = forms.CharField(
        widget=MarkdownTextarea(attrs={"rows": 4}),
        label="Recommendation",
        help_text="The lead-in if it has lettered parts, else the whole recommendation.",
    )
    parts = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Lettered parts",
        help_text="One part a paragraph, separated by a blank line; each is tracked separately.",
    )
    addressees = forms.ModelMultipleChoiceField(
        queryset=Post.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Addressed to",
    )
    deadline_wording = forms.ChoiceField(
        choices=Recommendation.Wording.choices, initial="by", label="Deadline wording"
    )
    deadline_month = forms.DateField(
        required=False,
        widget=MonthInput,
        input_formats=["%Y-%m"],
        label="Deadline month",
        help_text="For a deadline written as a month, such as “by September 2017”: 9 2017.",
    )
    deadline_day = forms.DateField(
        required=False,
        widget=DateInput(flag_non_working_days=True),
        label="Deadline day",
        help_text="Instead of a month, for a deadline written as a day. For example, 29 9 2017.",
    )
    report_back_to: forms.ModelChoiceField[Board] = forms.ModelChoiceField(
        queryset=None, required=False
    )

    def __init__(
        self, *args: Any, statement: Statement, boards: QuerySet[Board], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        outcome = cast("forms.ModelChoiceField[DesiredOutcome]", self.fields["outcome"])
        outcome.queryset = statement.outcomes.all()
        report_back_to = cast("forms.ModelChoiceField[Board]", self.fields["report_back_to"])
        report_back_to.queryset = boards

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        month, day = data.get("deadline_month"), data.get("deadline_day")
        if month and day:
            self.add_error("deadline_day", "Give a month or a day, not both.")
        elif month:
            data["deadline_on"] = month_end(month.year, month.month)
            data["deadline_precision"] = Recommendation.Precision.MONTH
        elif day:
            data["deadline_on"] = day
            data["deadline_precision"] = Recommendation.Precision.DAY
        else:
            data["deadline_on"] = None
            data["deadline_precision"] = Recommendation.Precision.MONTH
        data["part_texts"] = [
            p.strip()
            for p in (data.get("parts") or "").replace("\r\n", "\n").split("\n\n")
            if p.strip()
        ]
        return data


class ResponseForm(forms.ModelForm):
    class Meta:
        model = Response
        fields = ["decision", "text", "responded_on", "actioned_by"]
        widgets = {
            "decision": forms.RadioSelect,
            "text": MarkdownTextarea(attrs={"rows": 4}),
            "responded_on": DateInput,
        }
        labels = {"text": "The response", "responded_on": "Date of the response"}


class UpdateForm(ChoosesMeetingMixin, forms.Form):
    on = DateField(initial=datetime.date.today, label="Date of the update")
    text = forms.CharField(widget=MarkdownTextarea(attrs={"rows": 4}), label="Progress")
    considered_at = AgendaItemChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Considered at",
    )
    evidence = forms.ModelMultipleChoiceField(
        queryset=Paper.objects.none(),
        required=False,
        label="Evidence papers",
        help_text="Papers from the board's meetings that show the progress.",
    )

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        board = recommendation.statement.inquiry.board
        considered_at = cast(AgendaItemChoiceField, self.fields["considered_at"])
        considered_at.queryset = (
            AgendaItem.objects.filter(meeting__board=board)
            .select_related("meeting__board")
            .order_by("-meeting__starts_at", "number")
        )
        if "evidence" in self.fields:  # a judgement cites no papers
            evidence = cast("forms.ModelMultipleChoiceField[Paper]", self.fields["evidence"])
            evidence.queryset = (
                Paper.objects.filter(agenda_item__meeting__board=board, withdrawn_at__isnull=True)
                .select_related("agenda_item__meeting")
                .order_by("-agenda_item__meeting__starts_at", "title")
            )


class JudgementForm(UpdateForm):
    # None removes the inherited field, as Django documents; mypy sees only a changed type.
    evidence = None  # type: ignore[assignment]
    on = DateField(initial=datetime.date.today, label="Date of the judgement")
    category = forms.ModelChoiceField(
        queryset=TrackingCategory.objects.offered(),
        widget=forms.RadioSelect,
        label="The board's judgement",
    )
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note")


class StatementForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = ["title", "month", "chair", "author"]
        widgets = {"month": MonthInput}
        help_texts = {"month": "For example, 5 2017."}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = DesiredOutcome
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": "Desired outcome"}


OutcomeFormSet = forms.inlineformset_factory(
    Statement, DesiredOutcome, form=OutcomeForm, extra=1, can_delete=True
)
AppendixFormSet = forms.inlineformset_factory(
    Statement,
    Appendix,
    fields=["title", "body"],
    widgets={"body": MarkdownTextarea(attrs={"rows": 6})},
    extra=1,
    can_delete=True,
)


class SectionForm(forms.Form):
    heading = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=MarkdownTextarea(attrs={"rows": 12}),
        required=False,
        help_text=(
            "Paragraphs separated by a blank line; they are numbered through the whole "
            "statement. Mark a footnote with [^1] and give it on a line of its own: "
            "“[^1]: Source.”"
        ),
    )


class PublishStatementForm(forms.Form):
    on = DateField(label="Date of publication")
    response_due_on = forms.DateField(
        widget=DateInput(flag_non_working_days=True),
        required=False,
        label="Date the response is due",
        help_text=(
            "Leave empty for two months after publication: the executive must respond within "
            "two months (Local Government Act 2000, section 9FE)."
        ),
    )


class TrackingToAgendaForm(forms.Form):
    """The meeting of the inquiry's board whose agenda takes the tracking report."""

    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        error_messages={
            "required": "Choose a meeting.",
            "invalid_choice": "Choose a meeting of the inquiry's board.",
        },
    )

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = cast("forms.ModelChoiceField[Meeting]", self.fields["meeting"])
        meeting.queryset = inquiry.board.meetings.all()


class TrackingCategoryForm(forms.ModelForm):
    class Meta:
        model = TrackingCategory
        fields = ["name", "description", "colour", "ends_monitoring"]
        labels = {
            "description": "Description (optional)",
            "ends_monitoring": "A recommendation judged so is no longer tracked",
        }
        help_texts = {
            "name": "As the board's judgement reads, for example Achieved.",
            "ends_monitoring": "It leaves the overdue and due-soon lists, as when achieved.",
        }
        error_messages = {
            "name": {"required": "Enter the category's name."},
            "colour": {
                "required": "Enter the category's colour, for example #00703c.",
                "max_length": "Enter the colour as a hex code: # and six digits or letters A "
                "to F, for example #00703c.",
            },
        }

    def clean_colour(self) -> str:
        """As typed, with or without its #, in either case: kept as #rrggbb."""
        colour = self.cleaned_data["colour"].strip().lower()
        return colour if colour.startswith("#") else f"#{colour}"
