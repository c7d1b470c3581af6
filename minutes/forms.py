"""The forms of the minute-taker's console."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from boards.forms import DateInput, TimeInput
from boards.models import AgendaItem, Meeting, Person
from minutes.models import Attendance, Declaration, MinutesRecord, Resolution


class CorrectionMixin(forms.BaseForm):
    """Approved minutes are locked: a form that changes them then asks for the reason."""

    def __init__(self, *args: Any, locked: bool = False, **kwargs: Any) -> None:
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

    def __init__(self, *args: Any, members: Iterable[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chair = cast("forms.ModelChoiceField[Person]", self.fields["chair"])
        chair.queryset = Person.objects.filter(pk__in=[p.pk for p in members])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
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

    def __init__(
        self, *args: Any, substitutes: QuerySet[Person] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if substitutes is not None:
            substitute = cast("forms.ModelChoiceField[Person]", self.fields["substitute"])
            substitute.queryset = substitutes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
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

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # Each labelled as the item prints itself: "7. Budget".
            items = cast("forms.ModelMultipleChoiceField[AgendaItem]", self.fields["items"])
            items.queryset = meeting.agenda_items.filter(withdrawn_at__isnull=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
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

    def __init__(
        self,
        *args: Any,
        meeting: Meeting | None = None,
        people: Iterable[Person] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # Each labelled as the item prints itself: "7. Budget".
            item = cast("forms.ModelChoiceField[AgendaItem]", self.fields["agenda_item"])
            item.queryset = meeting.agenda_items.filter(withdrawn_at__isnull=True)
        person = cast("forms.ModelChoiceField[Person]", self.fields["person"])
        person.queryset = Person.objects.filter(pk__in=[p.pk for p in people])


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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("is_action") and not (data.get("owner_post") or data.get("owner_person")):
            self.add_error("owner_post", "An action needs an owner: choose a post or a person.")
        return data


class MinuteDetailsForm(CorrectionMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=300)
    narrative = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8, "data-paste": "markdown"})
    )
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


class MinuteItemForm(forms.Form):
    """Which agenda item a minute is taken for (none: business off the agenda)."""

    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        error_messages={"invalid_choice": "That item is not on this meeting's agenda."},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = cast("forms.ModelChoiceField[AgendaItem]", self.fields["item"])
        item.queryset = meeting.agenda_items.all()


class ApprovalForm(forms.Form):
    """The earlier minutes a meeting resolves a correct record (by the meeting they record)."""

    minutes_of = forms.ModelChoiceField(
        queryset=MinutesRecord.objects.select_related("meeting"),
        to_field_name="meeting_id",
        error_messages={
            "required": "Say which minutes are approved.",
            "invalid_choice": "Those minutes do not exist.",
        },
    )
    unrecorded_confirmed = forms.BooleanField(
        required=False,
        label="Approve them although some members' attendance is not recorded",
    )
