"""Forms of the staff's pages for executive decisions and the council's call-in rules. They
clean what was typed; the services in ``decisions.services`` decide what may be done."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from boards import uploads
from boards.forms import DateField, DateInput, ExemptionFormMixin, MarkdownTextarea, TimeInput
from boards.models import Board, Person
from decisions.models import CallInRules, ExecutiveDecision, ForwardPlanEntry

_PDF = {"accept": "application/pdf,.pdf"}


class DecisionForm(ExemptionFormMixin, forms.ModelForm):
    """A decision's record: who made it and when, what was decided and why, and the report.
    Once the decision is published a change is a correction, and asks what was wrong."""

    report = forms.FileField(
        required=False,
        label="The report (PDF)",
        help_text="Optional: the report the decision was made on, as a PDF.",
        widget=forms.ClearableFileInput(attrs=_PDF),
    )

    class Meta:
        model = ExecutiveDecision
        fields = [
            "maker_body",
            "maker",
            "maker_post",
            "maker_person",
            "decided_on",
            "reference",
            "title",
            "decision",
            "reasons",
            "alternatives",
            "key_decision",
            "notice",
            "wards",
            "exempt",
            "exempt_paragraph",
            "public_interest_reasoning",
            "declarations",
            "dispensation",
        ]
        widgets = {
            "maker": forms.RadioSelect,
            "decided_on": DateInput,
            "decision": MarkdownTextarea(attrs={"rows": 5}),
            "reasons": MarkdownTextarea(attrs={"rows": 4}),
            "alternatives": MarkdownTextarea(attrs={"rows": 3}),
            "wards": forms.CheckboxSelectMultiple,
            "public_interest_reasoning": forms.Textarea(attrs={"rows": 2}),
            "declarations": forms.Textarea(attrs={"rows": 2}),
            "dispensation": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "maker": "Made by",
            "decided_on": "Date of the decision",
            "reference": "Reference (optional)",
            "decision": "The decision",
            "key_decision": "This is a key decision",
            "notice": "Notice given (for a key decision)",
            "wards": "Wards affected",
            "exempt": "Exempt: not for publication",
            "maker_post": "Decision maker's post",
            "maker_person": "Decision maker",
            "declarations": "Declarations of interest",
        }
        help_texts = {
            "maker_post": "For a decision of a member or an officer: the portfolio or the post.",
            "maker_person": "Optional: who holds it.",
            "declarations": "Interests declared by the decision maker or anyone consulted.",
        }
        error_messages = {
            "maker": {
                "required": "Choose who made the decision",
                "invalid_choice": "Choose who made the decision from the list",
            },
            "title": {"required": "Enter the decision's title"},
            "decision": {"required": "Enter what was decided"},
            "reasons": {"required": "Enter the reasons for the decision"},
        }

    def __init__(self, *args: Any, bodies: QuerySet[Board], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = cast("forms.ModelChoiceField[Board]", self.fields["maker_body"])
        body.queryset = bodies
        body.label = "The executive"
        if not self.instance.pk and len(bodies) == 1:
            body.initial = bodies[0]
        notice = cast("forms.ModelChoiceField[ForwardPlanEntry]", self.fields["notice"])
        notice.queryset = ForwardPlanEntry.objects.filter(
            decision_maker__in=bodies, withdrawn_at__isnull=True
        ).order_by("-decision_due_on")
        notice.required = False
        person = cast("forms.ModelChoiceField[Person]", self.fields["maker_person"])
        person.queryset = Person.objects.filter(
            kind__in=[Person.Kind.COUNCILLOR, Person.Kind.OFFICER]
        ).order_by("family_name", "given_name")
        self.removed = uploads.Removed()  # what cleaning the upload took out of it
        if self.instance.pk and self.instance.report:
            self.fields["report"].help_text = (
                f"Now: {self.instance.report_filename or 'a report'}. Choose another PDF to "
                "replace it."
            )
        if self.instance.published_at is not None:
            self.fields["reason"] = forms.CharField(
                label="What was wrong",
                help_text="This decision is published: the change is kept as a correction, "
                "with your name and this reason.",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": "Say what was wrong, for the record"},
            )

    def clean_report(self) -> Any:
        upload = self.cleaned_data.get("report")
        if upload:
            clean = uploads.clean_pdf(upload, max_bytes=settings.PAPER_UPLOAD_MAX_BYTES)
            self.removed = clean.removed
            return clean.file
        return upload

    def service_fields(self) -> dict[str, Any]:
        """What the services set from the form (``decision_create``, ``decision_update``)."""
        data = self.cleaned_data
        return {name: data[name] for name in self._meta.fields or () if name != "wards"}


class DecisionFilterForm(forms.Form):
    """Which decisions the list shows: the executive's (where the council has more than one),
    key decisions, those open to call-in now, and by who made them."""

    body = forms.ModelChoiceField(
        queryset=Board.objects.filter(kind=Board.Kind.EXECUTIVE).only("name", "slug"),
        to_field_name="slug",
        required=False,
        label="Executive",
        empty_label="Every executive body",
        error_messages={"invalid_choice": "Choose an executive body from the list"},
    )
    maker = forms.ChoiceField(
        choices=[("", "Anyone"), *ExecutiveDecision.Maker.choices],
        required=False,
        label="Made by",
        error_messages={"invalid_choice": "Choose who made the decisions from the list"},
    )
    key = forms.BooleanField(required=False, label="Key decisions only")
    open = forms.BooleanField(required=False, label="Open to call-in now")

    def __init__(self, *args: Any, executives: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if executives < 2:
            del self.fields["body"]


class PublishForm(forms.Form):
    """Publishing asks nothing: its page shows the call-in window it will open."""


class ExclusionForm(forms.Form):
    exclusion = forms.ChoiceField(
        label="Why it cannot be called in",
        choices=[
            (ExecutiveDecision.Exclusion.URGENCY, "It is urgent: the chair of scrutiny consented"),
            (ExecutiveDecision.Exclusion.CONSTITUTION, "The constitution excludes it"),
            (ExecutiveDecision.Exclusion.NONE, "It may be called in after all"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why it cannot be called in"},
    )
    reason = forms.CharField(
        required=False,
        label="Reasons",
        help_text="Printed on the decision notice: why the decision cannot wait, or which rule "
        "of the constitution excludes it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_by = forms.ModelChoiceField(
        queryset=Person.objects.filter(kind=Person.Kind.COUNCILLOR).order_by(
            "family_name", "given_name"
        ),
        required=False,
        label="Consent given by",
        help_text="For an urgent decision: the chair of a scrutiny board on the day.",
    )
    consent_on = DateField(required=False, label="Consent given on")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why it is being withdrawn",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the decision is being withdrawn"},
    )


class CallInRulesForm(forms.ModelForm):
    window_days = forms.IntegerField(
        min_value=1,
        max_value=60,
        label="Days to call a decision in",
        help_text="Counted from the day after the decision is published.",
    )

    class Meta:
        model = CallInRules
        fields = [
            "window_days",
            "window_working_days",
            "window_closes_at",
            "chair_may_call_in",
            "board_members_needed",
            "non_executive_needed",
            "ward_councillor_may_call_in",
            "meeting_within_working_days",
            "publish_within_working_days",
            "notice_working_days",
        ]
        widgets = {"window_closes_at": TimeInput}
