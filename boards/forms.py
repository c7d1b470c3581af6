import datetime
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Model
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from boards import formatting, uploads
from boards.models import AgendaItem, Board, Paper, ReportSection, Subject, Venue


class FormRenderer(TemplatesSetting):
    """Django's form rendering with our layout: an error summary linking to each field, then
    each field as label, hint, error message and input (the GOV.UK pattern)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


def formset_changes[M: Model](
    formset: forms.BaseModelFormSet[M, Any],
) -> tuple[list[M], list[M]]:
    """What an ordered model formset asks a service to do: the records to keep, in the order of
    their forms (unsaved, holding the forms' values; blank new forms left out), and those to
    delete."""
    deleted = set(formset.deleted_forms)
    kept: Sequence[forms.ModelForm] = [
        form
        for form in formset.forms
        if form not in deleted and (form.has_changed() or form.instance.pk) and form.cleaned_data
    ]
    removed = [form.instance for form in deleted if form.instance.pk]
    return [form.save(commit=False) for form in kept], removed


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MarkdownTextarea(forms.Textarea):
    """A textarea whose text is Markdown: what is pasted into it from Word or a PDF becomes
    Markdown, its lists keeping their levels (static/js/paste.js)."""

    def __init__(self, attrs=None):
        super().__init__({"data-paste": "markdown", **(attrs or {})})


def london_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class AgendaItemChoiceField(forms.ModelChoiceField):
    """Agenda items of a board's meetings, each labelled with its meeting's date:
    "21 March 2016, item 7: Budget"."""

    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{formatting.short_date(obj.meeting.starts_at)}, item {obj.number}: {obj.title}"


class MeetingForm(forms.Form):
    date = forms.DateField(widget=DateInput, help_text="For example 21/03/2016.")
    start_time = forms.TimeField(widget=TimeInput, help_text="For example 10:00.")
    end_time = forms.TimeField(
        widget=TimeInput, required=False, help_text="Optional: when the meeting is expected to end."
    )
    venue = forms.ModelChoiceField(queryset=Venue.objects.all(), required=False)
    pre_meeting_at = forms.TimeField(
        widget=TimeInput,
        required=False,
        label="Pre-meeting for members",
        help_text="Optional: when the members' pre-meeting starts.",
    )
    recording_allowed = forms.BooleanField(
        required=False, initial=True, label="Recording of the meeting is allowed"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start:
            data["starts_at"] = london_datetime(day, start)
            data["ends_at"] = london_datetime(day, end) if end else None
            if end and end <= start:
                self.add_error("end_time", "The meeting must end after it starts.")
        pre = data.get("pre_meeting_at")
        if pre and start and pre >= start:
            self.add_error("pre_meeting_at", "The pre-meeting must start before the meeting.")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is kept with the record and shown to anyone who can see it.",
    )


class MoveMeetingForm(forms.Form):
    date = forms.DateField(widget=DateInput, label="New date")
    start_time = forms.TimeField(widget=TimeInput, label="New start time")
    correction = forms.BooleanField(
        required=False,
        label="This corrects a mistake: the meeting was never at the old date or time",
        help_text="The page will not say the meeting moved; the meeting's history keeps the "
        "correction and its reason.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why it is moving, or what was wrong",
    )


class ExemptionFormMixin(forms.BaseForm):
    """Exempt needs its paragraph of Schedule 12A and the public-interest reasoning."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("exempt"):
            if not data.get("exempt_paragraph"):
                self.add_error(
                    "exempt_paragraph", "Choose the paragraph of Schedule 12A that applies."
                )
            if not (data.get("public_interest_reasoning") or "").strip():
                self.add_error(
                    "public_interest_reasoning",
                    "Explain why the public interest in keeping it exempt outweighs disclosure.",
                )
        else:
            data["exempt_paragraph"] = None
        return data


class AgendaItemForm(ExemptionFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "kind",
            "title",
            "published_number",
            "purpose",
            "wards",
            "equality_implications",
            "eligible_for_call_in",
            "lead_post",
            "exempt",
            "exempt_paragraph",
            "public_interest_reasoning",
            "late",
            "special_circumstances",
            "subject",
        ]
        widgets = {
            "purpose": MarkdownTextarea(attrs={"rows": 3}),
            "wards": forms.CheckboxSelectMultiple,
            "public_interest_reasoning": forms.Textarea(attrs={"rows": 2}),
            "special_circumstances": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "equality_implications": "Has implications for equality and diversity",
            "eligible_for_call_in": "The decision is eligible for call-in",
            "exempt": "Exempt: not for publication",
            "late": "Late item admitted by the chair",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("late") and not (data.get("special_circumstances") or "").strip():
            self.add_error(
                "special_circumstances", "Give the special circumstances that make the item urgent."
            )
        return data


class WrittenReportForm(ExemptionFormMixin, forms.ModelForm):
    class Meta:
        model = Paper
        fields = [
            "title",
            "report_of",
            "report_date",
            "summary",
            "recommendations",
            "exempt",
            "exempt_paragraph",
            "public_interest_reasoning",
        ]
        widgets = {
            "report_date": DateInput,
            "summary": MarkdownTextarea(attrs={"rows": 4}),
            "recommendations": MarkdownTextarea(attrs={"rows": 4}),
            "public_interest_reasoning": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "title": "Subject",
            "report_of": "Report of",
            "exempt": "Exempt: not for publication",
        }
        help_texts = {
            "summary": "Markdown: a blank line between paragraphs, '- ' for bullet points.",
            "recommendations": "Markdown. For example: 'Scrutiny Board is requested to: a) note…'",
        }


class ReportSectionForm(forms.ModelForm):
    class Meta:
        model = ReportSection
        fields = ["heading", "body"]
        widgets = {"body": MarkdownTextarea(attrs={"rows": 6})}
        help_texts = {
            "body": "Each paragraph is numbered (3.1, 3.2…). Markdown for lists and tables."
        }


ReportSectionFormSet = forms.inlineformset_factory(
    Paper, ReportSection, form=ReportSectionForm, extra=1, can_delete=True
)


class PublishForm(forms.Form):
    """Publish the agenda or a supplement now (if late, with the reason); or, for a meeting
    already held, record the day (and the time, if known) its papers were published before they
    were entered here: ``recording_between`` gives the first and last days that can be."""

    late_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why it is being published late",
        help_text="Needed only when fewer than five clear working days remain before the meeting.",
    )
    published_on = forms.DateField(
        widget=DateInput,
        label="Date it was published",
        help_text="On or before the day of the meeting. For example 14/03/2016.",
        error_messages={
            "required": "Enter the date it was published.",
            "invalid": "Enter a real date, for example 14/03/2016.",
        },
    )
    published_time = forms.TimeField(
        widget=TimeInput,
        required=False,
        label="Time it was published (optional)",
        help_text="Leave it empty if you do not know it. For example 09:30.",
        error_messages={"invalid": "Enter a time such as 09:30, or leave it empty."},
    )

    def __init__(
        self,
        *args,
        recording_between: tuple[datetime.date, datetime.date] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if recording_between is None:
            del self.fields["published_on"]
            del self.fields["published_time"]
        else:
            del self.fields["late_reason"]
            # The date picker offers only the days the service accepts.
            earliest, latest = recording_between
            self.fields["published_on"].widget.attrs.update(
                min=earliest.isoformat(), max=latest.isoformat()
            )


class AgendaTemplateItemForm(forms.Form):
    kind = forms.ChoiceField(choices=AgendaItem.Kind.choices)
    title = forms.CharField(max_length=300)
    purpose = forms.CharField(required=False, widget=MarkdownTextarea(attrs={"rows": 2}))


AgendaTemplateFormSet = forms.formset_factory(
    AgendaTemplateItemForm, extra=1, can_order=True, can_delete=True
)


class PaperDetailsForm(ExemptionFormMixin, forms.ModelForm):
    """An uploaded paper's details, changed after it was attached."""

    class Meta:
        model = Paper
        fields = [
            "kind",
            "title",
            "parent",
            "exempt",
            "exempt_paragraph",
            "public_interest_reasoning",
        ]
        widgets = {"public_interest_reasoning": forms.Textarea(attrs={"rows": 2})}
        labels = {"parent": "Appendix to", "exempt": "Exempt: not for publication"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = cast("forms.ModelChoiceField[Paper]", self.fields["parent"])
        parent.queryset = self.instance.agenda_item.papers.filter(
            kind=Paper.Kind.REPORT, withdrawn_at__isnull=True
        ).exclude(pk=self.instance.pk)
        parent.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == Paper.Kind.APPENDIX and not data.get("parent"):
            self.add_error("parent", "Choose the report this is an appendix to.")
        return data


class PaperUploadForm(PaperDetailsForm):
    file = forms.FileField(
        label="PDF file",
        help_text="A PDF that is not password-protected.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.removed = uploads.Removed()  # what cleaning the upload took out of it

    def clean_file(self):
        clean = uploads.clean_pdf(
            self.cleaned_data["file"], max_bytes=settings.PAPER_UPLOAD_MAX_BYTES
        )
        self.removed = clean.removed
        return clean.file


class BoardNumberingForm(forms.ModelForm):
    """How the body numbers its minutes and their resolutions."""

    class Meta:
        model = Board
        fields = ["minute_numbering", "minute_prefix", "resolution_style"]
        widgets = {
            "minute_numbering": forms.RadioSelect,
            "resolution_style": forms.RadioSelect,
        }
        labels = {
            "minute_numbering": "Minute numbers",
            "minute_prefix": "Before each number (optional)",
            "resolution_style": "Resolutions",
        }


class SubjectForm(forms.ModelForm):
    """A subject's title and description (its address is made from the title, once)."""

    class Meta:
        model = Subject
        fields = ["title", "description"]
        widgets = {"description": MarkdownTextarea(attrs={"rows": 3})}
        labels = {"description": "Description (optional)"}
        error_messages = {"title": {"required": "Enter the subject's title."}}


class SubjectChoiceForm(forms.Form):
    """Link an agenda item to a subject there already is."""

    subject = forms.ModelChoiceField(
        queryset=Subject.objects.all(),
        label="Subject",
        empty_label="Choose a subject",
        error_messages={
            "required": "Choose the subject to link the item to.",
            "invalid_choice": "Choose one of the subjects in the list.",
        },
    )
