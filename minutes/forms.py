"""The forms of the minute-taker's console, and the filters of the pages that read the record
per person."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse

from boards.forms import DateInput, TimeInput
from boards.models import AgendaItem, Board, Meeting, Party, Person, Post, Ward
from minutes.choosers import ChooserField
from minutes.models import MAX_DUE_MONTHS, Attendance, Declaration, MinutesRecord, Movement
from minutes.widgets import QuickCheckboxSelectMultiple, QuickRadioSelect, QuickSelect


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


def search_with(form: forms.BaseForm, meeting: Meeting) -> None:
    """Let the form's choosers ask the console's search for suggestions as one types."""
    for field in form.fields.values():
        if isinstance(field, ChooserField):
            field.search_from(reverse("minutes:console-choose", args=[meeting.pk, field.kind]))


class MinutesTimesForm(CorrectionMixin, forms.Form):
    chair = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="In the chair", widget=QuickSelect
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
        choices=Attendance.Status.choices,
        widget=QuickRadioSelect,
        label="Attendance",
        error_messages={"required": "Choose whether they attended"},
    )
    # A councillor named in a box with suggestions: those named as the body's substitutes,
    # and the councillors serving on the day (``minutes.choosers``).
    substitute = ChooserField(
        kind="councillors",
        queryset=Person.objects.councillors(),
        what="councillor",
        required=False,
        label="Substitute",
    )

    def __init__(
        self,
        *args: Any,
        substitutes: QuerySet[Person] | None = None,
        recorded: Person | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        substitute = cast("ChooserField", self.fields["substitute"])
        if substitutes is not None:
            substitute.queryset = substitutes
        substitute.recorded = recorded

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("substitute") and data.get("status") != Attendance.Status.APOLOGIES:
            self.add_error("substitute", "A substitute stands in for a member who sent apologies.")
        return data


class AttendeeForm(CorrectionMixin, forms.Form):
    """Someone in attendance besides the members: a councillor who is not on the board, chosen
    from the council's councillors; an officer or witness, chosen or added; or the post they
    attended in, with or without the person."""

    kind = forms.ChoiceField(
        choices=[
            (Attendance.Kind.COUNCILLOR, "Councillor (not a member of the board)"),
            (Attendance.Kind.OFFICER, "Officer"),
            (Attendance.Kind.WITNESS, "Witness"),
            (Attendance.Kind.OTHER, "Other"),
        ],
        initial=Attendance.Kind.OFFICER,
        widget=QuickSelect,
        label="Attending as",
        error_messages={"required": "Choose how they attended"},
    )
    person = ChooserField(
        kind="people",
        queryset=Person.objects.all(),
        required=False,
        label="Who",
        help_text="A councillor, officer or witness: type their name. Or add an officer or "
        "witness below, or choose only the post they attended in.",
    )
    given_name = forms.CharField(required=False, max_length=100, label="Given name (someone new)")
    family_name = forms.CharField(required=False, max_length=100, label="Family name (someone new)")
    post = ChooserField(
        kind="posts",
        queryset=Post.objects.all(),
        required=False,
        label="Post",
        help_text="For example Cabinet Member for Corporate Services. With no one chosen, the "
        "minutes name the post alone.",
    )
    capacity = forms.CharField(
        required=False,
        max_length=200,
        label="Role",
        help_text="For example Chief Digital Officer, or ward member for Rothwell.",
    )
    items = forms.ModelMultipleChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        widget=QuickCheckboxSelectMultiple,
        label="Only for these items",
        help_text="Leave empty for the whole meeting.",
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # Each labelled as the item prints itself: "7. Budget".
            items = cast("forms.ModelMultipleChoiceField[AgendaItem]", self.fields["items"])
            items.queryset = meeting.agenda_items.filter(withdrawn_at__isnull=True)
            search_with(self, meeting)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        new_name = data.get("given_name") or data.get("family_name")
        someone = data.get("person") or data.get("post")
        if new_name and data.get("person"):
            self.add_error("given_name", "Choose someone or add someone new, not both.")
        elif new_name and not (data.get("given_name") and data.get("family_name")):
            missing = "family_name" if data.get("given_name") else "given_name"
            self.add_error(missing, "Give someone new both their given and family names.")
        elif new_name and data.get("kind") == Attendance.Kind.COUNCILLOR:
            self.add_error("given_name", "Choose the councillor from the council's councillors.")
        elif not someone and not new_name:
            self.add_error(
                "person", "Choose someone, add someone new, or choose the post they attended in."
            )
        return data

    def attendee(self) -> Person | None:
        """Who attended: the one chosen, someone new (unsaved, added by the service), or no one
        (the post alone)."""
        data = self.cleaned_data
        if data["person"] is not None or not data["family_name"]:
            return data["person"]
        officer = data["kind"] == Attendance.Kind.OFFICER
        return Person(
            kind=Person.Kind.OFFICER if officer else Person.Kind.WITNESS,
            given_name=data["given_name"].strip(),
            family_name=data["family_name"].strip(),
            job_title=data["capacity"].strip() if officer else "",
            organisation="" if officer else data["capacity"].strip(),
        )


class DeclarationForm(CorrectionMixin, forms.ModelForm):
    class Meta:
        model = Declaration
        fields = ["person", "agenda_item", "kind", "nature", "left_room"]
        widgets = {
            "nature": forms.Textarea(attrs={"rows": 2}),
            "person": QuickSelect,
            "agenda_item": QuickSelect,
            "kind": QuickSelect,
        }
        labels = {"person": "Declared by", "agenda_item": "Item", "kind": "Kind of interest"}
        error_messages = {
            "person": {"required": "Choose who declared the interest"},
            "nature": {"required": "Enter the nature of the interest"},
        }
        help_texts = {"person": "Anyone at the meeting: a member, a councillor, an officer."}

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


class MovementForm(CorrectionMixin, forms.Form):
    """Someone arriving after the meeting began or leaving before it ended."""

    attendance = forms.ModelChoiceField(
        queryset=Attendance.objects.none(),
        widget=QuickSelect,
        label="Who",
        error_messages={
            "required": "Choose who arrived or left",
            "invalid_choice": "Choose someone recorded at this meeting.",
        },
    )
    kind = forms.ChoiceField(
        choices=Movement.Kind.choices, widget=QuickRadioSelect, label="What happened"
    )
    at = forms.TimeField(
        widget=TimeInput, required=False, label="At", help_text="The time, if it was noted."
    )
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        widget=QuickSelect,
        required=False,
        label="During item",
        help_text="The minute of that item says so.",
        error_messages={"invalid_choice": "Choose an item of this meeting."},
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            who = cast("forms.ModelChoiceField[Attendance]", self.fields["attendance"])
            who.queryset = meeting.attendances.all()
            item = cast("forms.ModelChoiceField[AgendaItem]", self.fields["agenda_item"])
            item.queryset = meeting.agenda_items.filter(withdrawn_at__isnull=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        # Neither given (an unreadable time or item has its own error already).
        given = data.get("at") or data.get("agenda_item")
        if not given and "at" in data and "agenda_item" not in self.errors:
            self.add_error("at", "Give the time, the item it happened during, or both.")
        return data


class AdjournmentForm(CorrectionMixin, forms.Form):
    """The meeting adjourned, and (once it has) resumed."""

    adjourned_at = forms.TimeField(
        widget=TimeInput,
        label="Adjourned at",
        error_messages={
            "required": "Give the time the meeting adjourned.",
            "invalid": "Give the time the meeting adjourned as a time, such as 11:05.",
        },
    )
    resumed_at = forms.TimeField(
        widget=TimeInput,
        required=False,
        label="Resumed at",
        help_text="Leave empty while the meeting is still adjourned.",
        error_messages={"invalid": "Give the time the meeting resumed as a time, such as 11:20."},
    )
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        widget=QuickSelect,
        required=False,
        label="During or after item",
        help_text="Printed after that item's minute; with no item, with the start of the meeting.",
        error_messages={"invalid_choice": "Choose an item of this meeting."},
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            item = cast("forms.ModelChoiceField[AgendaItem]", self.fields["agenda_item"])
            item.queryset = meeting.agenda_items.filter(withdrawn_at__isnull=True)


class ChairChangeForm(CorrectionMixin, forms.Form):
    """A councillor took the Chair from an item."""

    chair = forms.ModelChoiceField(
        queryset=Person.objects.councillors(),
        widget=QuickSelect,
        label="Who took the Chair",
        help_text="The board's vice-chair, or another councillor.",
        error_messages={
            "required": "Choose the councillor who took the Chair.",
            "invalid_choice": "Choose one of the council's councillors.",
        },
    )
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        widget=QuickSelect,
        label="From item",
        help_text="The minute of that item says so.",
        error_messages={
            "required": "Choose the item from which they took the Chair.",
            "invalid_choice": "Choose an item of this meeting.",
        },
    )
    why = forms.CharField(
        required=False,
        max_length=300,
        label="Why (optional)",
        help_text="For example: Councillor K Groves left the meeting.",
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            item = cast("forms.ModelChoiceField[AgendaItem]", self.fields["agenda_item"])
            item.queryset = meeting.agenda_items.filter(withdrawn_at__isnull=True)


class ResolutionForm(CorrectionMixin, forms.Form):
    """A lettered resolution, and if it is an action, its owner and when it is due, each given
    one way (``services.resolution_add`` checks them)."""

    text = forms.CharField(
        label="Resolution",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: That the Board's work schedule be noted.",
        error_messages={"required": "Write the resolution."},
    )
    is_action = forms.BooleanField(
        required=False, label="This asks someone to do something (an action)"
    )
    owner_post = ChooserField(
        kind="posts", queryset=Post.objects.all(), required=False, label="Action owner: a post"
    )
    owner_person = ChooserField(
        kind="people", queryset=Person.objects.all(), required=False, label="or a person"
    )
    owner_text = forms.CharField(
        required=False,
        max_length=200,
        label="or as the minutes name them",
        help_text=(
            "For example: the Democratic Services Manager. Leave the owner empty if the minutes "
            "name none."
        ),
    )
    due_on = forms.DateField(
        required=False,
        widget=DateInput(flag_non_working_days=True),
        label="Due date",
        help_text="For example, 30 9 2016.",
    )
    due_months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_DUE_MONTHS,
        label="or within this many months of the meeting",
        help_text="For example 6: the date is worked out from the meeting's date.",
        error_messages={
            "invalid": "Give the number of months as a whole number, such as 6.",
            "min_value": f"Give a number of months from 1 to {MAX_DUE_MONTHS}.",
            "max_value": f"Give a number of months from 1 to {MAX_DUE_MONTHS}.",
        },
    )
    due_next_meeting = forms.BooleanField(required=False, label="or by the next meeting")
    due_wording = forms.CharField(
        required=False,
        max_length=200,
        label="When it is due, as the minutes word it",
        help_text=(
            "Optional, for example: within six months. The minutes print it with the date; "
            "left empty, they say “within six months”, “by the next meeting” or the date."
        ),
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            search_with(self, meeting)


class MinuteDetailsForm(CorrectionMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=300)
    narrative = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8, "data-paste": "markdown"})
    )
    notes_after = forms.CharField(
        required=False,
        label="Noted afterwards",
        widget=forms.Textarea(attrs={"rows": 3, "data-paste": "markdown"}),
        help_text="Printed after the resolutions: for example, The Board observed a minute's "
        "silence.",
    )
    public_summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The item is exempt: this is all the public reads of the minute.",
    )
    chair = forms.ModelChoiceField(
        queryset=Person.objects.councillors(),
        required=False,
        widget=QuickSelect,
        label="In the chair for this item",
        help_text="Only if not the meeting's chair.",
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting | None = None,
        chair: Person | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # The councillors serving on the meeting's day, and whoever the minute names.
            field = cast("forms.ModelChoiceField[Person]", self.fields["chair"])
            serving = Person.objects.councillors().current_on(meeting.date)
            field.queryset = Person.objects.councillors().filter(
                Q(pk__in=serving.values("pk")) | Q(pk=chair.pk if chair else None)
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


class DecisionForm(CorrectionMixin, forms.Form):
    """How a decision of the executive or full council is recorded beside its minute."""

    reasons = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reasons for the decision."},
    )
    alternatives = forms.CharField(
        required=False,
        label="Alternative options considered and rejected",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    key_decision = forms.BooleanField(required=False, label="This is a key decision")


class MunicipalYearForm(forms.Form):
    """Which of a board's municipal years a page shows (the latest when none is chosen)."""

    NO_SUCH_YEAR = "The board has no meetings in that municipal year: showing the latest."
    year = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": NO_SUCH_YEAR},
    )

    def __init__(self, *args: Any, year_ids: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = cast("forms.TypedChoiceField", self.fields["year"])
        year.choices = [("", "Latest"), *((pk, str(pk)) for pk in year_ids)]


# The record seen per person: the councillors, the register of declarations, the attendance
# report. Filters of GET pages: every field optional, and a value that is not one of the choices
# or not a date is explained on the page, never a server error.

DATE_ERRORS = {"invalid": "Enter a real date, for example 21/03/2016"}


class CouncillorListForm(forms.Form):
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.only("name"),
        required=False,
        empty_label="All wards",
        error_messages={"invalid_choice": "Choose a ward from the list"},
    )
    party = forms.ModelChoiceField(
        queryset=Party.objects.only("name"),
        required=False,
        empty_label="All parties",
        error_messages={"invalid_choice": "Choose a party from the list"},
    )


class DateRangeForm(forms.Form):
    """A body, and a period whose ends may each be left open."""

    board = forms.ModelChoiceField(
        queryset=Board.objects.only("name", "slug"),
        to_field_name="slug",
        required=False,
        label="Body",
        empty_label="All bodies",
        error_messages={"invalid_choice": "Choose a body from the list"},
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        help_text="For example 21/05/2015.",
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        help_text="For example 18/05/2016.",
        widget=DateInput,
        error_messages=DATE_ERRORS,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return data


class DeclarationRegisterForm(DateRangeForm):
    councillor = forms.ModelChoiceField(
        queryset=Person.objects.councillors().only("given_name", "family_name", "kind"),
        required=False,
        empty_label="All councillors",
        error_messages={"invalid_choice": "Choose a councillor from the list"},
    )

    field_order = ["councillor", "board", "date_from", "date_to"]


class AttendanceReportForm(DateRangeForm):
    """Which body and period the attendance report covers: by default every body, and the
    current municipal year."""
