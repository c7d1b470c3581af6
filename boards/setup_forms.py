"""The forms of the set-up pages (``boards.views.setup``): bodies, their standard agendas and
memberships, people, posts, wards and parties. Every message names its field."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from boards import dates, formatting, setup, uploads
from boards.forms import DateInput
from boards.models import (
    AgendaItem,
    Board,
    Membership,
    NamedSubstitute,
    Party,
    Person,
    Post,
    PostHolding,
    Ward,
)

INVALID_DATE = "Enter a real date, for example 21/05/2026."


def _date_field(label: str, *, required: bool, help_text: str = "", missing: str = ""):
    """A date with the bounds a council could mean offered by the date picker (the services
    check them whatever is posted)."""
    earliest, latest = dates.plausible_bounds(timezone.localdate())
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(attrs={"min": earliest.isoformat(), "max": latest.isoformat()}),
        error_messages={
            "required": missing or f"Enter the {label.lower()}.",
            "invalid": INVALID_DATE,
        },
    )


def _refused(form: forms.BaseForm, check) -> None:
    """Put a service check's refusal on the form's fields, so that a model constraint checked
    after it (which names no field) never speaks first."""
    try:
        check()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)


class PeriodForm(forms.BaseForm):
    """A record from one date (``starts_on``) to another (``ends_on``), checked as the
    services check it."""

    what = "it"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        _refused(
            self,
            lambda: setup.check_dates(
                starts_on=data.get("starts_on"), ends_on=data.get("ends_on"), what=self.what
            ),
        )
        return data


class PersonChoiceField(forms.ModelChoiceField):
    """People as lists name them: "Councillor Ruth Woodhouse (Calverton and Farsby)"."""

    def label_from_instance(self, obj: Person) -> str:
        detail = obj.ward.name if obj.ward_id and obj.ward else obj.job_title
        return f"{obj.display_name} ({detail})" if detail else obj.display_name


def _people(*kinds: str) -> QuerySet[Person]:
    return Person.objects.filter(kind__in=kinds).select_related("ward")


# Bodies ------------------------------------------------------------------------------------------


class BodyForm(forms.ModelForm):
    """A body's details. Its kind, dates and officers are a clerk's to set: for a scrutiny
    officer they are shown but not changed (``limited``)."""

    CLERKS_FIELDS = ("kind", "starts_on", "support_officer", "head_of_scrutiny")

    support_officer = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Support officer (optional)",
        help_text="Compiles the agendas and takes the minutes: they may then change its business.",
    )
    head_of_scrutiny = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Head of scrutiny or contact (optional)",
    )

    class Meta:
        model = Board
        fields = ["name", "kind", "remit", "starts_on", "support_officer", "head_of_scrutiny"]
        widgets = {
            "kind": forms.RadioSelect,
            "remit": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "name": "Name",
            "kind": "Kind of body",
            "remit": "Remit (optional)",
        }
        help_texts = {
            "name": "As the council writes it, for example Licensing Committee.",
            "kind": "Each kind starts with its own standard agenda, which you can then change.",
            "remit": "What the body does, in a sentence or two. The public sees it.",
        }
        error_messages = {
            "name": {
                "required": "Enter the name of the body.",
                "unique": "There is already a body with that name.",
            },
            "kind": {"required": "Choose what kind of body it is."},
        }

    def __init__(self, *args: Any, limited: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"] = _date_field(
            "Set up on (optional)", required=False, help_text="For example 21/05/2026."
        )
        for name in ("support_officer", "head_of_scrutiny"):
            cast("forms.ModelChoiceField", self.fields[name]).queryset = _people(
                Person.Kind.OFFICER
            )
        if limited:
            for name in self.CLERKS_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Set by a clerk."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        _refused(
            self,
            lambda: setup.check_dates(
                starts_on=data.get("starts_on"),
                ends_on=self.instance.ends_on,
                end_field="starts_on",  # the last day is not on this form
                what="the body",
            ),
        )
        return data


class DissolveForm(forms.Form):
    ends_on = forms.DateField()  # made for each form: its bounds move with the day
    successor = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        required=False,
        label="Body that takes over its work (optional)",
    )

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"] = _date_field(
            "Last day",
            required=True,
            help_text="The body is dissolved after this day. For example 20/05/2026.",
            missing="Enter the body's last day.",
        )
        successor = cast("forms.ModelChoiceField", self.fields["successor"])
        successor.queryset = (
            Board.objects.exclude(pk=board.pk)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
            .only("name")
        )


class StandardLineForm(forms.Form):
    kind = forms.ChoiceField(
        choices=AgendaItem.Kind.choices,
        label="Kind of item",
        error_messages={"required": "Choose what kind of item it is."},
    )
    title = forms.CharField(
        max_length=300,
        label="Title",
        error_messages={"required": "Enter the title of the item."},
    )
    purpose = forms.CharField(
        required=False,
        label="Purpose (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the body is asked to do, printed under the title.",
    )


# Memberships and substitutes ---------------------------------------------------------------------


class MembershipForm(PeriodForm, forms.ModelForm):
    what = "the membership"

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        label="Councillor or co-opted member",
        error_messages={"required": "Choose who sits on the body."},
    )

    class Meta:
        model = Membership
        fields = ["person", "role", "starts_on", "ends_on"]
        widgets = {"role": forms.RadioSelect}
        labels = {"role": "Role"}
        help_texts = {
            "role": "A body has one chair at a time. Co-opted members are not councillors: "
            "say whether they vote."
        }
        error_messages = {"role": {"required": "Choose the role they hold."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast("forms.ModelChoiceField", self.fields["person"])
        person.queryset = _people(Person.Kind.COUNCILLOR, Person.Kind.COOPTED)
        self.fields["starts_on"] = _date_field(
            "From",
            required=True,
            help_text="For example 21/05/2026.",
            missing="Enter the date the membership starts.",
        )
        self.fields["ends_on"] = _date_field(
            "To (optional)",
            required=False,
            help_text="Its last day, if known. Leave it empty while it lasts.",
        )
        if self.instance.pk:
            person.disabled = True


class EndForm(forms.Form):
    """The last day of a membership, a naming or a post held."""

    ends_on = forms.DateField()

    def __init__(self, *args: Any, what: str = "membership", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"] = _date_field(
            "Last day",
            required=True,
            help_text="For example 20/05/2026.",
            missing=f"Enter the last day of the {what}.",
        )


class NamedSubstituteForm(PeriodForm, forms.ModelForm):
    what = "the naming"

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        label="Councillor",
        error_messages={"required": "Choose the councillor named as a substitute."},
    )
    for_member = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="For which member (optional)",
        empty_label="Any member of the body",
        help_text="Leave it as any member unless they substitute for one member only.",
    )

    class Meta:
        model = NamedSubstitute
        fields = ["person", "for_member", "starts_on", "ends_on"]

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = board.memberships.values("person_id")
        cast("forms.ModelChoiceField", self.fields["person"]).queryset = _people(
            Person.Kind.COUNCILLOR
        ).exclude(pk__in=board.memberships.current(timezone.localdate()).values("person_id"))
        cast("forms.ModelChoiceField", self.fields["for_member"]).queryset = _people(
            Person.Kind.COUNCILLOR, Person.Kind.COOPTED
        ).filter(pk__in=members)
        self.fields["starts_on"] = _date_field(
            "From",
            required=True,
            help_text="For example 21/05/2026.",
            missing="Enter the date the naming starts.",
        )
        self.fields["ends_on"] = _date_field(
            "To (optional)", required=False, help_text="Leave it empty while it lasts."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("person") and data.get("person") == data.get("for_member"):
            self.add_error("for_member", "A councillor is not named as their own substitute.")
        return data


# People ------------------------------------------------------------------------------------------

# The fields each kind of person has, in the order the form shows them.
PERSON_FIELDS: dict[str, list[str]] = {
    Person.Kind.COUNCILLOR: [
        "given_name",
        "family_name",
        "ward",
        "party",
        "elected_on",
        "term_ends_on",
        "email",
        "telephone",
    ],
    Person.Kind.OFFICER: [
        "title",
        "given_name",
        "family_name",
        "job_title",
        "team",
        "email",
        "telephone",
    ],
    Person.Kind.COOPTED: [
        "title",
        "given_name",
        "family_name",
        "organisation",
        "email",
        "telephone",
    ],
    Person.Kind.WITNESS: [
        "title",
        "given_name",
        "family_name",
        "job_title",
        "organisation",
        "email",
        "telephone",
    ],
}


class PersonForm(forms.ModelForm):
    """Someone of one kind: a councillor, an officer, a co-opted member or a witness."""

    photo = forms.FileField(
        required=False,
        label="Photo (optional)",
        help_text="A JPEG, PNG or WebP image, smaller than 5 MB. It is shown small.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(required=False, label="Remove the photo")

    class Meta:
        model = Person
        fields = [
            "title",
            "given_name",
            "family_name",
            "ward",
            "party",
            "elected_on",
            "term_ends_on",
            "job_title",
            "team",
            "organisation",
            "email",
            "telephone",
        ]
        labels = {
            "title": "Title (optional)",
            "given_name": "Given name",
            "family_name": "Family name",
            "job_title": "Job title",
            "team": "Team (optional)",
            "organisation": "Organisation (optional)",
            "email": "Email address (optional)",
            "telephone": "Telephone (optional)",
        }
        error_messages = {
            "given_name": {"required": "Enter their given name."},
            "family_name": {"required": "Enter their family name."},
            "email": {"invalid": "Enter an email address like name@example.gov.uk."},
        }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = [*PERSON_FIELDS[kind]]
        if kind in (Person.Kind.COUNCILLOR, Person.Kind.COOPTED):
            wanted.append("photo")
            if self.instance.photo:
                wanted.append("remove_photo")
        self.fields["elected_on"] = _date_field(
            "Elected on (optional)", required=False, help_text="For example 05/05/2022."
        )
        self.fields["term_ends_on"] = _date_field(
            "Term ends on (optional)",
            required=False,
            help_text="The day their term of office ends, for example 07/05/2026.",
        )
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.order_fields(wanted)
        if kind == Person.Kind.COUNCILLOR:
            self.fields["ward"].required = True
            self.fields["ward"].error_messages["required"] = "Choose the ward they represent."
            self.fields["party"].label = "Party (optional)"
        if kind == Person.Kind.OFFICER:
            self.fields["job_title"].required = True
            self.fields["job_title"].error_messages["required"] = "Enter their job title."
        if kind == Person.Kind.WITNESS:
            self.fields["job_title"].label = "Job title or role (optional)"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        _refused(self, lambda: setup.check_term(data.get("elected_on"), data.get("term_ends_on")))
        return data

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            # Checked here to show the message at once; the service checks it again.
            uploads.photo_from(photo, max_bytes=settings.PHOTO_UPLOAD_MAX_BYTES)
        return photo


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Name, post, ward or party")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Everyone"), *Person.Kind.choices], label="Kind"
    )


# Posts, wards and parties ------------------------------------------------------------------------


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title"]
        labels = {"title": "Title of the post"}
        help_texts = {"title": "For example Director of Adults and Health."}
        error_messages = {
            "title": {
                "required": "Enter the title of the post.",
                "unique": "There is already a post with that title.",
            }
        }


class PostHoldingForm(PeriodForm, forms.ModelForm):
    what = "the post"

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        label="Held by",
        error_messages={"required": "Choose who holds the post."},
    )

    class Meta:
        model = PostHolding
        fields = ["person", "starts_on", "ends_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField", self.fields["person"]).queryset = _people(
            Person.Kind.OFFICER, Person.Kind.COUNCILLOR
        )
        self.fields["starts_on"] = _date_field(
            "From",
            required=True,
            help_text="For example 01/09/2025.",
            missing="Enter the date they started in the post.",
        )
        self.fields["ends_on"] = _date_field(
            "To (optional)", required=False, help_text="Their last day in the post, if known."
        )
        if self.instance.pk:
            self.fields["person"].disabled = True


class WardForm(forms.ModelForm):
    class Meta:
        model = Ward
        fields = ["name"]
        labels = {"name": "Name of the ward"}
        error_messages = {
            "name": {
                "required": "Enter the name of the ward.",
                "unique": "There is already a ward with that name.",
            }
        }


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["name", "short_name"]
        labels = {"name": "Name of the party", "short_name": "Short name (optional)"}
        help_texts = {"short_name": "For example Lab or LD."}
        error_messages = {
            "name": {
                "required": "Enter the name of the party.",
                "unique": "There is already a party with that name.",
            }
        }


def period(starts_on: datetime.date, ends_on: datetime.date | None) -> str:
    """ "From 21 May 2015" or "21 May 2015 to 20 May 2016", for pages."""
    if ends_on is None:
        return f"From {formatting.short_date(starts_on)}"
    return f"{formatting.short_date(starts_on)} to {formatting.short_date(ends_on)}"
