"""Choice widgets that write their HTML in Python, as Django's templates for them do.

The console shows a few dozen selects, radios and checkboxes on one page, each option otherwise
rendered through three or four templates (``select_option.html``, ``input_option.html``,
``input.html``, ``attrs.html``). These write the same markup directly: the same elements,
attributes and escaping, so forms, tests and browsers read them as before, at a fraction of the
cost of a page typed into during a live meeting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from boards.forms import html_attrs, input_html


def _input_option(option: dict[str, Any]) -> str:
    """As ``input_option.html``: the input, in its label when the label wraps it."""
    if not option.get("wrap_label"):
        return input_html(option)
    label_for = f' for="{option["attrs"]["id"]}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{input_html(option)} {conditional_escape(option['label'])}</label>"


class QuickSelect(forms.Select):
    """``forms.Select``, written as ``select.html`` writes it."""

    def _render(self, template_name: str, context: dict, renderer: Any = None) -> SafeString:
        widget = context["widget"]
        if template_name == self.option_template_name:
            return format_html(
                '<option value="{}"{}>{}</option>',
                widget["value"],
                mark_safe(html_attrs(widget["attrs"])),  # noqa: S308 - escaped by html_attrs
                widget["label"],
            )
        if template_name != self.template_name:
            # django-stubs does not declare Widget._render, which BoundWidget.tag calls.
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        html = [f'<select name="{widget["name"]}"{html_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f'\n  <optgroup label="{conditional_escape(group)}">')
            for option in options:
                html.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"'
                    f"{html_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                )
            if group:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value and label is escaped


class _QuickMultipleInput(forms.widgets.ChoiceWidget):
    """Radios or checkboxes, written as ``multiple_input.html`` and ``input_option.html``
    write them (a radio's ``tag`` too)."""

    def _render(self, template_name: str, context: dict, renderer: Any = None) -> SafeString:
        widget = context["widget"]
        if template_name == self.option_template_name:
            return mark_safe(_input_option(widget))  # noqa: S308 - escaped as it is written
        if template_name != self.template_name:
            # django-stubs does not declare Widget._render, which BoundWidget.tag calls.
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        attrs = widget["attrs"]
        opening = "<div"
        if attrs.get("id"):
            opening += f' id="{attrs["id"]}"'
        if attrs.get("class"):
            opening += f' class="{conditional_escape(attrs["class"])}"'
        html = [f"{opening}>"]
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f"\n  <div><label>{conditional_escape(group)}</label>")
            html.extend(f"<div>\n    {_input_option(option)}</div>" for option in options)
            if group:
                html.append("\n  </div>")
        html.append("\n</div>")
        return mark_safe("".join(html))  # noqa: S308 - escaped as it is written


class QuickRadioSelect(_QuickMultipleInput, forms.RadioSelect):
    pass


class QuickCheckboxSelectMultiple(_QuickMultipleInput, forms.CheckboxSelectMultiple):
    pass
