from typing import Any, cast

from django import forms
from django.conf import settings

from boards import uploads
from boards.forms import (
    AgendaItemChoiceField,
    ChoosesMeetingMixin,
    DateField,
    DateInput,
    MarkdownTextarea,
    MonthInput,
)
from boards.models import AgendaItem, Board, Meeting, Person
from inquiries.models import Evidence, Inquiry, WorkScheduleEntry


class InquiryForm(forms.ModelForm):
    class Meta:
        model = Inquiry
        fields = ["title", "scope", "lines_of_enquiry"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "lines_of_enquiry": MarkdownTextarea(attrs={"rows": 5}),
        }
        labels = {"scope": "Scope (terms of reference)"}


class TermsForm(ChoosesMeetingMixin, InquiryForm):
    """The terms of reference, and the meeting item that agreed them."""

    class Meta(InquiryForm.Meta):
        fields = ["title", "scope", "lines_of_enquiry", "terms_agreed_at"]
        labels = {**InquiryForm.Meta.labels, "terms_agreed_at": "Agreed at"}
        field_classes = {"terms_agreed_at": AgendaItemChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(AgendaItemChoiceField, self.fields["terms_agreed_at"])
        field.queryset = (
            AgendaItem.objects.filter(meeting__board=self.instance.board)
            .select_related("meeting")
            .order_by("-meeting__starts_at", "number")
        )


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        choices=Inquiry.Stage.choices,
        label="Move to",
        error_messages={"required": "Choose the inquiry's next stage"},
    )
    on = DateField(label="Date of the move")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none())
    focus = forms.CharField(
        required=False,
        widget=MarkdownTextarea(attrs={"rows": 4}),
        help_text="The points of focus, one a line starting “- ”.",
    )
    witnesses = forms.ModelMultipleChoiceField(
        queryset=Person.objects.exclude(kind=Person.Kind.COUNCILLOR),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, inquiry: Inquiry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = cast("forms.ModelChoiceField[Meeting]", self.fields["meeting"])
        meeting.queryset = (
            inquiry.board.meetings.exclude(status=Meeting.Status.CANCELLED)
            .select_related("board")
            .order_by("-starts_at")
        )


class WorkScheduleEntryForm(forms.ModelForm):
    month = forms.DateField(widget=MonthInput, input_formats=["%Y-%m"])

    class Meta:
        model = WorkScheduleEntry
        fields = ["area", "month", "note"]
        help_texts = {"area": "For example Budget, Performance monitoring, or a briefing's topic."}

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)


class EvidenceForm(forms.ModelForm):
    file = forms.FileField(
        required=False,
        label="PDF file",
        help_text="Optional: the evidence as a PDF.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Evidence
        fields = ["kind", "title", "received_on", "source", "body", "file", "exempt"]
        widgets = {"received_on": DateInput, "body": MarkdownTextarea(attrs={"rows": 6})}
        labels = {
            "received_on": "Date received",
            "exempt": "Exempt: only the board's members and officers may read it",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.removed = uploads.Removed()  # what cleaning the upload took out of it

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            clean = uploads.clean_pdf(upload, max_bytes=settings.PAPER_UPLOAD_MAX_BYTES)
            self.page_count = clean.pages
            self.removed = clean.removed
            return clean.file
        return upload

    def save(self, commit=True):
        evidence = super().save(commit=False)
        evidence.page_count = getattr(self, "page_count", evidence.page_count)
        if "file" in self.changed_data:
            # The PDF's text, for search: bounded, and never a reason to refuse the file.
            upload = self.cleaned_data.get("file")
            evidence.text = uploads.extract_text(upload) if upload else ""
        if commit:
            evidence.save()
        return evidence


class WorkSchedulePickForm(forms.Form):
    """Which of the user's scrutiny boards' work schedules a notice from the forward plan goes
    in, in which row and month."""

    board = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        label="Work schedule of",
        error_messages={
            "required": "Choose the board whose work schedule it goes in",
            "invalid_choice": "Choose a board whose work schedule you keep",
        },
    )
    area = forms.CharField(
        max_length=200,
        label="Area of review",
        help_text="The row of the work schedule.",
    )
    month = forms.DateField(widget=MonthInput, input_formats=["%Y-%m"], label="Month")

    def __init__(self, *args: Any, boards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        board = cast("forms.ModelChoiceField[Board]", self.fields["board"])
        board.queryset = boards
        if len(boards) == 1:
            board.empty_label = None

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)


class WorkScheduleRemoveForm(forms.Form):
    """Which of the board's own work schedule entries to remove."""

    remove = forms.ModelChoiceField(
        queryset=WorkScheduleEntry.objects.none(),
        error_messages={
            "required": "Choose an entry to remove.",
            "invalid_choice": "That entry has already been removed.",
        },
    )

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        remove = cast("forms.ModelChoiceField[WorkScheduleEntry]", self.fields["remove"])
        remove.queryset = board.work_schedule.all()
