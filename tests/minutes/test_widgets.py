"""The console's choice widgets write in Python what Django's templates write: the same
elements, attributes and escaping, option by option."""

import re

import pytest
from django import forms

from minutes.widgets import QuickCheckboxSelectMultiple, QuickRadioSelect, QuickSelect

CHOICES = [
    ("", "---------"),
    ("At this meeting", [(1, "Councillor Ann <Smith> & Co"), (2, 'Dr "Quoted" Jones')]),
    (3, "Someone else"),
]


def same(html: str) -> str:
    """Markup as a browser reads it: whitespace collapsed, and none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize(
    ("quick", "django_widget", "value"),
    [
        (QuickSelect, forms.Select, "2"),
        (QuickRadioSelect, forms.RadioSelect, "3"),
        (QuickCheckboxSelectMultiple, forms.CheckboxSelectMultiple, ["1", "3"]),
    ],
)
def test_a_quick_widget_writes_what_djangos_templates_write(quick, django_widget, value):
    attrs = {"id": "id_who", "aria-describedby": "who-hint", "required": True, "class": "x"}
    ours = quick(choices=CHOICES).render("who", value, attrs=attrs)
    theirs = django_widget(choices=CHOICES).render("who", value, attrs=attrs)

    assert same(ours) == same(theirs)
    assert "&lt;Smith&gt; &amp; Co" in ours and "&quot;Quoted&quot;" in ours


def test_a_quick_radio_writes_its_tag_as_django_does():
    field = forms.ChoiceField(choices=[("present", "Present"), ("absent", "Absent")])

    class Ours(forms.Form):
        status = forms.ChoiceField(choices=field.choices, widget=QuickRadioSelect)

    class Theirs(forms.Form):
        status = forms.ChoiceField(choices=field.choices, widget=forms.RadioSelect)

    ours = [radio.tag() for radio in Ours(initial={"status": "absent"})["status"]]
    theirs = [radio.tag() for radio in Theirs(initial={"status": "absent"})["status"]]
    assert ours == theirs
    assert "checked" in ours[1]
