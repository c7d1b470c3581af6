"""The form renderer writes plain inputs in Python: exactly what Django's widget templates
write, for every input template it takes over, whatever the value and attributes."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from boards.forms import INPUT_TEMPLATES, FormRenderer

ATTRS = [
    {},
    {"id": "id_title", "required": True, "disabled": False, "maxlength": 200},
    {"class": 'a "quoted" <class>', "data-x": "O'Donnell & co", "aria-describedby": "x y"},
    {"placeholder": mark_safe("<b>kept as given</b>")},  # noqa: S308 - a safe string stays raw
]
VALUES = [
    None,
    "",
    "Members asked about costs.",
    'He said "<no>" & left',
    42,
    0,
    mark_safe("&amp;"),
]


def _context(template: str, value, attrs) -> dict:
    kind = template.rsplit("/", 1)[1].removesuffix(".html")
    return {
        "widget": {
            "name": "minute-title",
            "is_hidden": kind == "hidden",
            "required": False,
            "value": value,
            "attrs": attrs,
            "template_name": template,
            "type": kind if kind != "datetime" else "datetime-local",
        }
    }


@pytest.mark.parametrize("template", sorted(INPUT_TEMPLATES))
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
def test_an_input_is_written_as_djangos_template_writes_it(template, attrs, value):
    context = _context(template, value, attrs)
    expected = get_template(template).render(context).strip()
    assert FormRenderer().render(template, context) == expected


def test_every_template_taken_over_is_djangos_input_and_nothing_else():
    """If Django (or this project) gave one of them markup of its own, the renderer would write
    the wrong thing: each must still be input.html alone."""
    for template in INPUT_TEMPLATES:
        source = get_template(template).template.source.strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', template


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(attrs={"maxlength": 10, "required": True}),
        forms.TimeInput(attrs={"type": "time"}),
        forms.HiddenInput(),
        forms.NumberInput(attrs={"min": 0}),
        forms.CheckboxInput(),
        forms.EmailInput(attrs={"autocomplete": "email"}),
    ],
)
def test_a_widget_renders_the_same_through_either_renderer(widget):
    value = True if isinstance(widget, forms.CheckboxInput) else 'A "title" & more'
    ours = widget.render("title", value, {"id": "id_title"}, renderer=FormRenderer())
    djangos = widget.render("title", value, {"id": "id_title"}, renderer=DjangoTemplates())
    assert ours == djangos
    assert 'name="title"' in ours
