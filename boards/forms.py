import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from boards import uploads
from boards.models import (
    AgendaItem,
    Attendance,
    Board,
    Declaration,
    Paper,
    Person,
    ReportSection,
    Resolution,
    SearchEntry,
    Venue,
)


class FormRenderer(TemplatesSetting):
    """Django's form rendering with our layout: an error summary linking to each field, then
    each field as label, hint, error message and input (the GOV.UK pattern)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Enter a correct username and password. Both are case-sensitive. "
            "After 10 wrong attempts in 5 minutes the account is locked for 5 minutes."
        ),
        "inactive": "This account has been switched off. Ask your administrator.",
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def london_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


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

    def clean(self):
        data = super().clean()
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
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why it is moving")


class ExemptionFormMixin:
    """Exempt needs its paragraph of Schedule 12A and the public-interest reasoning."""

    def clean(self):
        data = super().clean()
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
            "purpose": forms.Textarea(attrs={"rows": 3}),
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

    def clean(self):
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
            "summary": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
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
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "body": "Each paragraph is numbered (3.1, 3.2…). Markdown for lists and tables."
        }


ReportSectionFormSet = forms.inlineformset_factory(
    Paper, ReportSection, form=ReportSectionForm, extra=1, can_delete=True
)


class PublishForm(forms.Form):
    late_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why it is being published late",
        help_text="Needed only when fewer than five clear working days remain before the meeting.",
    )


class AgendaTemplateItemForm(forms.Form):
    kind = forms.ChoiceField(choices=AgendaItem.Kind.choices)
    title = forms.CharField(max_length=300)
    purpose = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


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
        self.fields["parent"].queryset = self.instance.agenda_item.papers.filter(
            kind=Paper.Kind.REPORT, withdrawn_at__isnull=True
        ).exclude(pk=self.instance.pk)
        self.fields["parent"].required = False

    def clean(self):
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

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.validate_pdf(upload, max_bytes=settings.PAPER_UPLOAD_MAX_BYTES)
        return upload


class CorrectionMixin:
    """Approved minutes are locked: a form that changes them then asks for the reason."""

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if locked:
            self.fields["correction_reason"] = forms.CharField(
                label="Reason for the correction",
                error_messages={
                    "required": "These minutes have been approved. Give the reason for this "
                    "correction."
                },
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="These minutes have been approved. The reason is kept in the history.",
            )


class MinutesTimesForm(CorrectionMixin, forms.Form):
    chair = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="In the chair"
    )
    started_at = forms.TimeField(widget=TimeInput, required=False, label="The meeting started at")
    ended_at = forms.TimeField(widget=TimeInput, required=False, label="The meeting concluded at")

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Person.objects.filter(pk__in=[p.pk for p in members])

    def clean(self):
        data = super().clean()
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end and end <= start:
            self.add_error("ended_at", "The meeting must conclude after it started.")
        return data


class AttendanceForm(CorrectionMixin, forms.Form):
    status = forms.ChoiceField(
        choices=Attendance.Status.choices, widget=forms.RadioSelect, label="Attendance"
    )
    substitute = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="Substitute"
    )

    def __init__(self, *args, substitutes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if substitutes is not None:
            self.fields["substitute"].queryset = substitutes

    def clean(self):
        data = super().clean()
        if data.get("substitute") and data.get("status") != Attendance.Status.APOLOGIES:
            self.add_error("substitute", "A substitute stands in for a member who sent apologies.")
        return data


class AttendeeForm(CorrectionMixin, forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.exclude(kind=Person.Kind.COUNCILLOR),
        required=False,
        label="Officer or witness",
        help_text="Or add someone new below.",
    )
    given_name = forms.CharField(required=False, max_length=100, label="Given name (someone new)")
    family_name = forms.CharField(required=False, max_length=100, label="Family name (someone new)")
    kind = forms.ChoiceField(
        choices=[
            (Attendance.Kind.OFFICER, "Officer"),
            (Attendance.Kind.WITNESS, "Witness"),
            (Attendance.Kind.OTHER, "Other"),
        ],
        label="Attending as",
    )
    capacity = forms.CharField(
        required=False, max_length=200, label="Role", help_text="For example Chief Digital Officer."
    )
    items = forms.ModelMultipleChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only for these items",
        help_text="Leave empty for the whole meeting.",
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["items"].queryset = meeting.agenda_items.filter(withdrawn_at__isnull=True)
            self.fields["items"].label_from_instance = lambda item: f"{item.number}. {item.title}"

    def clean(self):
        data = super().clean()
        new_name = data.get("given_name") or data.get("family_name")
        if not data.get("person") and not (data.get("given_name") and data.get("family_name")):
            self.add_error(
                "person", "Choose someone, or give a new person's given and family names."
            )
        elif data.get("person") and new_name:
            self.add_error("given_name", "Choose someone or add someone new, not both.")
        return data


class DeclarationForm(CorrectionMixin, forms.ModelForm):
    class Meta:
        model = Declaration
        fields = ["person", "agenda_item", "kind", "nature", "left_room"]
        widgets = {"nature": forms.Textarea(attrs={"rows": 2})}
        labels = {"person": "Member", "agenda_item": "Item", "kind": "Kind of interest"}

    def __init__(self, *args, meeting=None, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["agenda_item"].queryset = meeting.agenda_items.filter(
                withdrawn_at__isnull=True
            )
            self.fields["agenda_item"].label_from_instance = lambda item: (
                f"{item.number}. {item.title}"
            )
        self.fields["person"].queryset = Person.objects.filter(pk__in=[p.pk for p in people])


class ResolutionForm(CorrectionMixin, forms.ModelForm):
    class Meta:
        model = Resolution
        fields = ["text", "is_action", "owner_post", "owner_person", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput}
        labels = {
            "text": "Resolution",
            "is_action": "This asks someone to do something (an action)",
            "owner_post": "Action owner: a post",
            "owner_person": "or a person",
            "due_on": "Due by",
        }
        help_texts = {"text": "For example: That the Board's work schedule be noted."}

    def clean(self):
        data = super().clean()
        if data.get("is_action") and not (data.get("owner_post") or data.get("owner_person")):
            self.add_error("owner_post", "An action needs an owner: choose a post or a person.")
        return data


class MinuteDetailsForm(CorrectionMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=300)
    narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    public_summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The item is exempt: this is all the public reads of the minute.",
    )
    chair = forms.ModelChoiceField(
        queryset=Person.objects.councillors(),
        required=False,
        label="In the chair for this item",
        help_text="Only if not the meeting's chair.",
    )


class NewMinuteForm(forms.Form):
    title = forms.CharField(
        max_length=300,
        label="Title",
        help_text="Business not on the agenda, such as an adjournment.",
    )


class SearchForm(forms.Form):
    """The search page's form: every field optional, and nothing a visitor types can fail the
    page (a query too long is cut, dates that are not dates are explained)."""

    DATE_ERRORS = {"invalid": "Enter a real date, for example 21/03/2016"}

    q = forms.CharField(
        required=False,
        label="Search for",
        help_text='Words to find. Put a phrase in "quotes"; put - before a word to leave it out.',
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "true"}),
    )
    board = forms.ModelChoiceField(
        queryset=Board.objects.only("name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label="All boards",
        error_messages={"invalid_choice": "Choose a board from the list"},
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        help_text="For example 21/03/2016.",
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        help_text="For example 21/03/2017.",
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    kind = forms.MultipleChoiceField(
        required=False,
        label="Only these kinds",
        choices=SearchEntry.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose only from the kinds listed"},
    )

    def clean_q(self) -> str:
        from boards.search import MAX_QUERY_LENGTH

        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return data
