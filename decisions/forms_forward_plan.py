"""Forms of the forward plan: a notice of a key decision, publishing and withdrawing it, and the
plan's filters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from boards.forms import DateField, DateInput, MarkdownTextarea
from boards.models import Board, Membership, Person, Post, Ward
from decisions.models import ForwardPlanEntry
from decisions.services import SCRUTINY_KINDS

# The largest id the database holds (a signed 64-bit integer, on SQLite and PostgreSQL alike).
_LARGEST_ID = 2**63 - 1


class WardsField(forms.ModelMultipleChoiceField):
    """Wards to tick. An id too large for the database is refused as not in the list: Django
    guards the lookup of each id, but not the ``__in`` lookup that follows (a server error)."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip().removeprefix("-")
            if text.isdigit() and int(text) > _LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class ForwardPlanEntryForm(forms.ModelForm):
    """A notice: the matter, the decision maker and the expected date, the kind of notice with
    what each needs, whether it is to be decided in private, and what the public may ask about."""

    class Meta:
        model = ForwardPlanEntry
        fields = [
            "reference",
            "title",
            "summary",
            "decision_maker",
            "maker_post",
            "decision_due_on",
            "key_decision",
            "notice",
            "scrutiny_board",
            "chair_informed_on",
            "urgency_agreed_by",
            "urgency_agreed_on",
            "urgency_reasons",
            "private",
            "private_paragraph",
            "private_reasons",
            "wards",
            "documents",
            "consultation",
            "contact",
        ]
        widgets = {
            "summary": MarkdownTextarea(attrs={"rows": 4}),
            "decision_due_on": DateInput,
            "chair_informed_on": DateInput,
            "urgency_agreed_on": DateInput,
            "notice": forms.RadioSelect,
            "urgency_reasons": forms.Textarea(attrs={"rows": 3}),
            "private_reasons": forms.Textarea(attrs={"rows": 2}),
            "wards": forms.CheckboxSelectMultiple,
            "documents": forms.Textarea(attrs={"rows": 3}),
            "consultation": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "title": "Matter to be decided",
            "decision_maker": "The executive",
            "key_decision": "This is a key decision",
            "notice": "Notice given",
            "urgency_agreed_by": "Special urgency agreed by",
            "urgency_agreed_on": "Special urgency agreed on",
            "urgency_reasons": "Why 28 clear days' notice is impracticable",
            "private": "To be decided in private",
            "private_paragraph": "Paragraph of Schedule 12A",
            "private_reasons": "Why in private",
            "wards": "Wards affected",
            "documents": "Documents to be considered",
        }
        field_classes = {"wards": WardsField}
        help_texts = {
            "reference": "Leave empty for the next of the year's references (FP/2026/014).",
            "urgency_reasons": "General exception and special urgency: the notice must say why.",
            "chair_informed_on": "General exception: the day the chair of the relevant scrutiny "
            "board was told. The decision may be taken after 5 clear working days from then "
            "and from the notice.",
            "maker_post": "The executive member's portfolio or the officer's post; empty when the "
            "executive decides at its meeting.",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        maker = cast("forms.ModelChoiceField[Board]", self.fields["decision_maker"])
        maker.queryset = Board.objects.editable_by(user).filter(kind=Board.Kind.EXECUTIVE)
        maker.empty_label = None
        scrutiny = cast("forms.ModelChoiceField[Board]", self.fields["scrutiny_board"])
        scrutiny.queryset = Board.objects.filter(kind__in=SCRUTINY_KINDS)
        chairs = cast("forms.ModelChoiceField[Person]", self.fields["urgency_agreed_by"])
        chairs.queryset = Person.objects.filter(
            pk__in=Membership.objects.filter(
                role=Membership.Role.CHAIR, board__kind__in=SCRUTINY_KINDS
            ).values("person_id")
        )
        chairs.help_text = (
            "The chair of the relevant scrutiny board, who agreed that the decision is urgent "
            "and cannot reasonably be deferred."
        )
        wards = cast("forms.ModelMultipleChoiceField[Ward]", self.fields["wards"])
        wards.queryset = Ward.objects.only("name")
        posts = cast("forms.ModelChoiceField[Post]", self.fields["maker_post"])
        posts.queryset = Post.objects.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("private") and not data.get("private_paragraph"):
            self.add_error(
                "private_paragraph",
                "Choose the paragraph of Schedule 12A that makes the matter private.",
            )
        return data


class PublishForm(forms.Form):
    published_on = DateField(label="Notice published on")


class WithdrawForm(forms.Form):
    withdrawal_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why the notice is withdrawn",
        help_text="This is kept with the notice and shown to anyone who reads it.",
    )


class ForwardPlanFilterForm(forms.Form):
    """The plan's filters: a ward, a decision maker, and the last 12 months too."""

    ward = forms.ModelChoiceField(
        queryset=Ward.objects.only("name"),
        required=False,
        empty_label="All wards",
        error_messages={"invalid_choice": "Choose a ward from the list"},
    )
    maker = forms.ChoiceField(
        required=False,
        label="Decision maker",
        error_messages={"invalid_choice": "Choose a decision maker from the list"},
    )
    past = forms.BooleanField(required=False, label="Also the last 12 months")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.executives = list(Board.objects.filter(kind=Board.Kind.EXECUTIVE).only("name", "slug"))
        self.posts = list(
            Post.objects.filter(
                pk__in=ForwardPlanEntry.objects.published().values("maker_post_id")
            ).only("title")
        )
        maker = cast(forms.ChoiceField, self.fields["maker"])
        maker.choices = [
            ("", "Every decision maker"),
            *((board.slug, f"{board.name}, at its meeting") for board in self.executives),
            *((f"post-{post.pk}", post.title) for post in self.posts),
        ]

    def chosen_maker(self) -> Board | Post | None:
        value = self.cleaned_data.get("maker") or ""
        if value.startswith("post-"):
            return next((p for p in self.posts if f"post-{p.pk}" == value), None)
        return next((b for b in self.executives if b.slug == value), None)
