"""The forms of the dispatch list: adding someone to a meeting's list, and recording that the
papers reached someone by hand or by post."""

from __future__ import annotations

from django import forms

from boards.forms import DateField
from summons.models import Dispatch


class RecipientForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    email = forms.EmailField(
        max_length=254,
        label="E-mail address",
        error_messages={
            "invalid": "Enter the e-mail address in the right form, such as name@example.gov.uk"
        },
    )
    reason = forms.CharField(
        max_length=300,
        label="Why they are sent the papers",
        help_text="For example: press office; ward councillor for item 7.",
    )
    every_meeting = forms.BooleanField(
        required=False,
        label="Send them the papers of every meeting of this body, not only this one",
    )


class DeliveryForm(forms.Form):
    how = forms.ChoiceField(
        choices=Dispatch.Delivery.choices,
        widget=forms.RadioSelect,
        label="How the papers were delivered",
    )
    delivered_on = DateField(
        label="Date they were delivered or posted", help_text="For example, 14 3 2016."
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label="Note (optional)",
        help_text="For example: left at their home address; sent first class.",
    )
