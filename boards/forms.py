from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Model, QuerySet
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.html import conditional_escape

from boards import formatting, publication, uploads
from boards.models import AgendaItem, Board, Meeting, Paper, ReportSection, Subject, Venue

# Dates: three boxes, as GOV.UK asks for them.

DATE_PARTS = ("day", "month", "year")
# The years a date of the council's business may be in: typos such as 0216 or 9016 are refused.
YEARS = range(1900, 2200)
_MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2016, number, 1).strftime("%B").lower(),
        datetime.date(2016, number, 1).strftime("%b").lower(),
    )
}


class TypedDate(str):
    """The boxes of a date as typed, when they make no date: kept so that the form shows them
    again as they were typed, and says which part is missing. Its text is no date that a
    ``DateField`` reads, so the field finds it invalid."""

    parts: dict[str, str]

    def __new__(cls, parts: dict[str, str]) -> TypedDate:
        typed = super().__new__(cls, " / ".join(parts.values()))
        typed.parts = dict(parts)
        return typed

    def __deepcopy__(self, memo: dict) -> TypedDate:
        return TypedDate(self.parts)

    @property
    def missing(self) -> list[str]:
        return [part for part, text in self.parts.items() if not text]


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def read_date(parts: dict[str, str]) -> datetime.date | TypedDate | str:
    """The date that the boxes give (day, month and year; or month and year, for the first
    of the month): a ``date``; "" when every box is empty; else the ``TypedDate``. A month may
    be written as a name ("March", "mar"); a year needs its four numbers (is "16" 1916 or
    2016?) and must be one of ``YEARS``."""
    parts = {part: "".join(text.split()) for part, text in parts.items()}
    if not any(parts.values()):
        return ""
    day = _number(parts.get("day", "1"))
    month = _number(parts["month"]) or _MONTH_NAMES.get(parts["month"].lower())
    year = _number(parts["year"]) if len(parts["year"]) == 4 else None
    if day is not None and month is not None and year is not None and year in YEARS:
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    return TypedDate(parts)


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and not isinstance(value, TypedDate):
        text = value.strip()
        try:
            return datetime.date.fromisoformat(text if len(text) != 7 else f"{text}-01")
        except ValueError:
            return None
    return None


class DateInput(forms.MultiWidget):
    """A date as three boxes, Day, Month and Year, in a fieldset (the GOV.UK date input), never
    the browser's date picker, which shows the American order in some locales.

    Django's ``forms.DateField`` reads it as it is: the widget hands the field a ``date``, or
    what was typed when that is no date (which the field finds invalid, and the form shows
    again). A single value in ISO form under the field's own name (a link, a test) is read too.
    ``flag_non_working_days`` says beside a due date that falls on a weekend or a bank holiday.
    """

    template_name = "includes/date_input.html"
    use_fieldset = True
    parts: tuple[str, ...] = DATE_PARTS
    hint = "For example, 27 3 2016"

    def __init__(self, attrs=None, *, flag_non_working_days: bool = False):
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": f"date-input__input date-input__input--{part}",
                }
            )
            for part in self.parts
        }
        super().__init__(widgets, attrs)
        self.flag_non_working_days = flag_non_working_days

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, TypedDate):
            return [value.parts.get(part) for part in self.parts]
        day = _as_date(value)
        if day is None:
            return [None for part in self.parts]
        return [str(getattr(day, part)) for part in self.parts]

    def value_from_datadict(self, data, files, name: str) -> Any:
        typed = {part: data.get(f"{name}_{part}") for part in self.parts}
        if all(text is None for text in typed.values()):
            return data.get(name)
        return read_date({part: str(text or "") for part, text in typed.items()})

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in self.parts)

    def use_required_attribute(self, initial: Any) -> bool:
        # The form says what is missing, in words (GOV.UK asks for no browser validation).
        return False

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        invalid = widget["attrs"].get("aria-invalid") == "true"
        missing = value.missing if isinstance(value, TypedDate) else []
        for part, subwidget in zip(self.parts, widget["subwidgets"], strict=True):
            subwidget["label"] = part.capitalize()
            if widget["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{widget['attrs']['id']}_{part}"
            if invalid and (not missing or part in missing):
                subwidget["attrs"]["class"] += " date-input__input--error"
        day = _as_date(value)
        if self.flag_non_working_days and day is not None:
            widget["warning"] = publication.non_working_day_note(day)
        return context


class MonthInput(DateInput):
    """A month as two boxes, Month and Year, read as the first day of the month."""

    parts = ("month", "year")
    hint = "For example, 9 2017"


class DateField(forms.DateField):
    """A date asked for as three boxes (``DateInput``)."""

    widget = DateInput


def date_error(label: str, typed: Any) -> str:
    """What is wrong with a date typed into a ``DateInput``, naming the field: "Date of the
    meeting must include a month", "… must be a real date"."""
    name = sentence_start(label)
    if isinstance(typed, TypedDate):
        if typed.missing:
            return f"{name} must include a {' and '.join(typed.missing)}"
        year = typed.parts["year"]
        if _number(year) is not None and len(year) < 4:
            return f"{name} must include the year in full, such as 2016"
        if _number(year) not in (None, *YEARS):
            return f"{name} must be in a year from {YEARS[0]} to {YEARS[-1]}"
    return f"{name} must be a real date"


# Error messages that name their field.

_DETERMINERS = frozenset(
    ("a", "an", "the", "any", "each", "every", "this", "these", "those", "your")
    + ("who", "whom", "whose", "what", "when", "where", "which", "why", "how", "whether")
)


def sentence_start(label: str) -> str:
    label = str(label).strip().rstrip(":").strip()
    return label[:1].upper() + label[1:]


def in_sentence(label: str) -> str:
    """A field's label inside a sentence: "Date of the meeting" → "the date of the meeting",
    "Who took the Chair" → "who took the Chair", "PDF file" → "the PDF file"."""
    label = str(label).strip().rstrip(":").strip()
    first = label.split(" ", 1)[0]
    if first[1:2].isupper():  # an abbreviation: "PDF file"
        return f"the {label}"
    label = label[:1].lower() + label[1:]
    return label if first.lower() in _DETERMINERS else f"the {label}"


_CHOOSING: tuple[type[forms.Widget], ...] = (
    forms.Select,
    forms.SelectMultiple,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
)


def _default_messages(field_class: type) -> dict[str, str]:
    """Django's own wording of a field's messages (not that of a field of ours)."""
    messages: dict[str, str] = {}
    for cls in reversed(field_class.__mro__):
        if cls.__module__.startswith("django."):
            defaults = getattr(cls, "default_error_messages", {})
            messages.update({code: str(message) for code, message in defaults.items()})
    return messages


def name_the_field(field: forms.Field, label: str, typed: Any = None) -> None:
    """Put the field's label in those of its error messages that Django words without it
    ("This field is required." → "Enter the title", "Choose the venue"), so no form shows the
    same bare message twice. Messages a form words itself are kept. ``typed``: what a bound
    form received for the field, for a date's message."""
    defaults = _default_messages(type(field))
    messages = field.error_messages

    def reword(code: str, message: str) -> None:
        if code in messages and code in defaults and str(messages[code]) == defaults[code]:
            messages[code] = message

    widget = field.widget
    if isinstance(widget, (*_CHOOSING, MeetingItemSelect)) or isinstance(field, forms.FileField):
        verb = "Choose"
    elif isinstance(widget, forms.CheckboxInput):
        verb = "Tick"
    else:
        verb = "Enter"
    the_field = in_sentence(label)
    reword("required", f"{verb} {the_field}" if verb != "Tick" else f"Tick “{label}”")
    reword("invalid_choice", f"Choose {the_field} from the list")
    if isinstance(widget, DateInput):
        reword("invalid", date_error(label, typed))
    elif isinstance(field, forms.TimeField):
        reword("invalid", f"Enter {the_field} as a time, such as 14:30")
    elif isinstance(field, forms.IntegerField):
        reword("invalid", f"Enter {the_field} as a whole number")


def drop_blank_choice(field: forms.Field) -> None:
    """No "- Select an option -" among a required field's radios: a model field's choices
    come with a blank one, which as a radio is a choice nobody may make."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = None
    elif isinstance(field, forms.ChoiceField):
        choices = cast("list[tuple[Any, Any]]", list(cast("Any", field.choices)))
        field.choices = [choice for choice in choices if choice[0] not in field.empty_values]


class BoundField(forms.BoundField):
    """Django's bound field, whose error messages name the field (``name_the_field``), and
    whose ``anchor`` is where the error summary's link takes the keyboard: the first box of a
    date (the first missing one), the first of a set of radios or checkboxes. Required radios
    offer no blank choice."""

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        if isinstance(field.widget, DateInput) and not field.help_text:
            field.help_text = field.widget.hint
        super().__init__(form, field, name)
        name_the_field(field, str(self.label), self.data if form.is_bound else None)
        if isinstance(field.widget, forms.RadioSelect) and field.required:
            drop_blank_choice(field)

    @property
    def anchor(self) -> str:
        widget = self.field.widget
        if isinstance(widget, DateInput):
            typed = self.data if self.form.is_bound else None
            missing = typed.missing if isinstance(typed, TypedDate) else []
            return f"{self.auto_id}_{(missing or widget.parts)[0]}"
        if isinstance(widget, MeetingItemSelect):
            chosen = getattr(self.data, "meeting", "") if self.form.is_bound else ""
            return f"{self.auto_id}_{'item' if chosen else 'meeting'}"
        if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            return f"{self.auto_id}_0"
        return self.auto_id


def html_attrs(attrs: dict[str, Any]) -> str:
    """A widget's attributes as Django's ``attrs.html`` writes them: ``name="value"``, the name
    alone for True, nothing for False; every name and value escaped."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict[str, Any]) -> str:
    """An ``<input>`` as Django's ``input.html`` writes it, from the widget's context."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{html_attrs(widget["attrs"])}>'
    )


# Django's widget templates that are its input.html and nothing else (text.html is
# ``{% include "django/forms/widgets/input.html" %}``): written in Python by the renderer.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


class FormRenderer(TemplatesSetting):
    """Django's form rendering with our layout: an error summary linking to each field, then
    each field as label, hint, error message and input (the GOV.UK pattern). Its bound fields
    name their field in their error messages, for every form in every app.

    Plain inputs are written in Python, as ``input.html`` and ``attrs.html`` write them: through
    the templates each cost two includes and a loop, and a page of forms (the minutes console)
    has dozens."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    bound_field_class = BoundField

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        return super().render(template_name, context, request)


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


# "Considered at": a meeting, then one of its items.

CHOOSE_MEETING = "choose-meeting"


class ChosenItem(str):
    """An agenda item's id as a ``MeetingItemSelect`` sends it, with the meeting chosen."""

    meeting: str

    def __new__(cls, item: str, meeting: str) -> ChosenItem:
        chosen = super().__new__(cls, item)
        chosen.meeting = meeting
        return chosen

    def __deepcopy__(self, memo: dict) -> ChosenItem:
        return ChosenItem(str(self), self.meeting)


class MeetingItemSelect(forms.MultiWidget):
    """A meeting of the board (latest first), then an item of that meeting, in place of one
    select of every item of every meeting. Choosing a meeting fetches its items with htmx
    (static/js/scrutiny.js); without JavaScript, the "Choose meeting" button sends the form
    back to show them (``ChoosesMeetingMixin``)."""

    template_name = "includes/meeting_item_select.html"
    use_fieldset = True
    parts = ("meeting", "item")

    def __init__(self, attrs=None):
        super().__init__(dict.fromkeys(self.parts, forms.Select), attrs)

    def decompress(self, value: Any) -> list[Any]:
        return [getattr(value, "meeting", None), value]

    def value_from_datadict(self, data, files, name: str) -> Any:
        meeting, item = data.get(f"{name}_meeting"), data.get(f"{name}_item")
        if meeting is None and item is None:
            return data.get(name)
        return ChosenItem(item or "", meeting or "")

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in self.parts)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        # The items the field offers (``ModelChoiceField`` gives its widget its choices).
        choices = getattr(self, "choices", None)
        items: QuerySet[AgendaItem] = getattr(choices, "queryset", AgendaItem.objects.none())
        items = items.order_by("number")
        item = "" if value in (None, "") else str(value)
        meeting = getattr(value, "meeting", "")
        if item and not meeting and item.isdigit():
            meeting = str(items.filter(pk=item).values_list("meeting_id", flat=True).first() or "")
        meetings = Meeting.objects.filter(pk__in=items.values("meeting_id")).order_by("-starts_at")
        meeting_select, item_select = cast("list[forms.Select]", self.widgets)
        meeting_select.choices = [
            ("", "Choose a meeting"),
            *((m.pk, formatting.short_date(m.starts_at)) for m in meetings),
        ]
        of_meeting = items.filter(meeting_id=meeting) if meeting.isdigit() else []
        item_select.choices = [
            ("", "Choose an item" if of_meeting else "Choose a meeting first"),
            *((i.pk, str(i)) for i in of_meeting),
        ]
        context = super().get_context(name, [meeting, item], attrs)
        widget = context["widget"]
        for part, subwidget in zip(self.parts, widget["subwidgets"], strict=True):
            subwidget["label"] = part.capitalize()
            if widget["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{widget['attrs']['id']}_{part}"
        widget["choose_meeting"] = CHOOSE_MEETING
        return context


class AgendaItemChoiceField(forms.ModelChoiceField):
    """An item of a board's meetings, chosen as a meeting and then one of its items
    (``MeetingItemSelect``). Its label elsewhere: "21 March 2016, item 7: Budget"."""

    widget = MeetingItemSelect
    default_error_messages = {
        "invalid_choice": "Choose an item of one of the board's meetings",
        "no_item": "Choose the item of that meeting",
        "other_meeting": "That item is not on the agenda of the meeting chosen: choose one of "
        "its items",
    }

    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{formatting.short_date(obj.meeting.starts_at)}, item {obj.number}: {obj.title}"

    def clean(self, value: Any) -> AgendaItem | None:
        item = super().clean(value)
        meeting = getattr(value, "meeting", "")
        if meeting and item is None:
            raise forms.ValidationError(self.error_messages["no_item"], code="no_item")
        if item is not None and meeting and str(item.meeting_id) != meeting:
            raise forms.ValidationError(self.error_messages["other_meeting"], code="other_meeting")
        return item


class ChoosesMeetingMixin(forms.BaseForm):
    """A form with an ``AgendaItemChoiceField``: its "Choose meeting" button sends the form
    back to be shown again with that meeting's items, nothing checked and nothing saved."""

    @property
    def choosing_meeting(self) -> bool:
        return self.is_bound and CHOOSE_MEETING in self.data

    def full_clean(self) -> None:
        if self.choosing_meeting:
            self._errors = ErrorDict(renderer=self.renderer)
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.choosing_meeting and super().is_valid()


class MeetingForm(forms.Form):
    date = DateField(label="Date of the meeting")
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
    date = DateField(label="New date")
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
    published_on = DateField(
        label="Date it was published",
        help_text="On or before the day of the meeting. For example, 14 3 2016.",
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
            earliest, latest = recording_between
            self.fields["published_on"].help_text = (
                f"On or before the day of the meeting, and not before "
                f"{formatting.short_date(earliest)}. For example, "
                f"{latest.day} {latest.month} {latest.year}."
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


class PaperFileForm(forms.Form):
    """A paper's file: a PDF, or a Word or OpenDocument file that is converted to PDF."""

    file = forms.FileField(
        label="PDF or Word file",
        help_text=(
            "A PDF, a Word document (.docx) or an OpenDocument text (.odt), without a password. "
            "A Word or OpenDocument file is converted to PDF, and kept beside it."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ",".join(
                    [
                        ".pdf",
                        ".docx",
                        ".odt",
                        "application/pdf",
                        *uploads.DOCUMENT_CONTENT_TYPES.values(),
                    ]
                )
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.removed = uploads.Removed()  # what cleaning a PDF took out of it
        self.is_document = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        clean = uploads.clean_paper(upload, max_bytes=settings.PAPER_UPLOAD_MAX_BYTES)
        self.removed = clean.removed
        self.is_document = clean.is_document
        # A document is kept as uploaded (the service stores it and checks it again); a PDF as
        # cleaned, under the name it was uploaded with.
        return upload if clean.is_document else clean.file


class PaperUploadForm(PaperDetailsForm, PaperFileForm):
    pass


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
        error_messages = {
            "minute_numbering": {"required": "Choose how the minutes are numbered"},
            "resolution_style": {"required": "Choose how the resolutions are marked"},
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
            "required": "Choose a subject for the item.",
            "invalid_choice": "Choose one of the subjects in the list.",
        },
    )
