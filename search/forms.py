from typing import Any

from django import forms

from boards.forms import DateField
from boards.models import Board
from search.index import MAX_QUERY_LENGTH
from search.models import SearchEntry


class SearchForm(forms.Form):
    """The search page's form: every field optional, and nothing a visitor types can fail the
    page (a query too long is cut, dates that are not dates are explained)."""

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
    date_from = DateField(
        required=False,
        label="From",
        help_text="For example, 21 3 2016.",
        error_messages={"invalid": "The ‘from’ date must be a real date, such as 21 3 2016"},
    )
    date_to = DateField(
        required=False,
        label="To",
        help_text="For example, 21 3 2017.",
        error_messages={"invalid": "The ‘to’ date must be a real date, such as 21 3 2017"},
    )
    kind = forms.MultipleChoiceField(
        required=False,
        label="Only these kinds",
        choices=SearchEntry.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose only from the kinds listed"},
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return data
