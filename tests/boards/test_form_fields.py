"""Forms people can use: dates as Day, Month and Year boxes (the GOV.UK date input), error
messages that say what is wrong with which field, no blank radio, and due dates that fall on a
weekend or a bank holiday flagged."""

import copy
import datetime
import importlib
import inspect
import re

import pytest
from django import forms
from django.forms.utils import pretty_name

from boards.forms import (
    DateField,
    DateInput,
    MonthInput,
    in_sentence,
    name_the_field,
)
from boards.publication import non_working_day_note
from recommendations.forms import ResponseForm

D = datetime.date


class MeetingDateForm(forms.Form):
    """As another helper writes one: Django's own DateField with our widget."""

    date = forms.DateField(widget=DateInput, label="Date of the meeting")


def parts(day: str = "", month: str = "", year: str = "", name: str = "date") -> dict:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


# The date input ---------------------------------------------------------------------------------


def test_a_date_is_three_labelled_boxes_in_a_fieldset_with_a_hint_and_no_date_picker():
    page = str(MeetingDateForm().render())

    assert re.search(
        r'<fieldset class="fieldset" role="group" aria-describedby="id_date_helptext"', page
    )
    assert '<legend class="label">Date of the meeting</legend>' in page
    assert '<div class="hint" id="id_date_helptext">For example, 27 3 2016</div>' in page
    for part in ("day", "month", "year"):
        assert (
            f'<label class="date-input__label" for="id_date_{part}">{part.capitalize()}</label>'
            in page
        )
        box = re.search(rf'<input [^>]*name="date_{part}"[^>]*>', page).group(0)
        assert 'type="text"' in box
        assert 'inputmode="numeric"' in box
        assert f'id="id_date_{part}"' in box
        assert "required" not in box  # the form says what is missing, in words
    assert 'type="date"' not in page


def test_django_s_own_date_field_reads_the_three_boxes():
    form = MeetingDateForm(parts("27", "3", "2016"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == D(2016, 3, 27)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        (parts(" 7 ", "03", "2016"), D(2016, 3, 7)),
        (parts("7", "March", "2016"), D(2016, 3, 7)),
        (parts("7", "mar", "2016"), D(2016, 3, 7)),
        (parts("29", "2", "2016"), D(2016, 2, 29)),
        ({"date": "2016-03-07"}, D(2016, 3, 7)),  # a link, or a client without the boxes
    ],
)
def test_a_date_may_be_typed_as_people_write_it(typed, day):
    form = MeetingDateForm(typed)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == day


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (parts(), "Enter the date of the meeting"),
        (parts("27", "", "2016"), "Date of the meeting must include a month"),
        (parts("", "", "2016"), "Date of the meeting must include a day and month"),
        (parts("27", "3", ""), "Date of the meeting must include a year"),
        (parts("30", "2", "2016"), "Date of the meeting must be a real date"),
        (parts("27", "13", "2016"), "Date of the meeting must be a real date"),
        (parts("twenty", "3", "2016"), "Date of the meeting must be a real date"),
        (parts("27", "3", "16"), "Date of the meeting must include the year in full, such as 2016"),
        (parts("0", "3", "2016"), "Date of the meeting must be a real date"),
        (parts("27", "3", "9016"), "Date of the meeting must be in a year from 1900 to 2199"),
        (parts("27", "3", "0216"), "Date of the meeting must be in a year from 1900 to 2199"),
    ],
)
def test_a_date_that_is_wrong_says_what_is_wrong_with_which_field(typed, message):
    form = MeetingDateForm(typed)

    assert not form.is_valid()
    assert form.errors["date"] == [message]


def test_a_date_that_is_wrong_comes_back_as_typed_with_the_missing_box_marked():
    form = MeetingDateForm(parts("27", "", "twenty sixteen"))
    page = str(form.render())

    assert re.search(r'name="date_day" value="27"', page)
    assert re.search(r'name="date_year" value="twentysixteen"', page)
    month = re.search(r'<input [^>]*name="date_month"[^>]*>', page).group(0)
    day = re.search(r'<input [^>]*name="date_day"[^>]*>', page).group(0)
    assert "date-input__input--error" in month
    assert "date-input__input--error" not in day
    assert 'aria-invalid="true"' in day
    # The error summary's link takes the keyboard to the box that is missing.
    assert '<a href="#id_date_month">Date of the meeting must include a month</a>' in page


def test_a_date_shown_again_is_in_the_boxes_without_leading_zeros():
    page = str(MeetingDateForm(initial={"date": D(2016, 3, 7)}).render())

    for part, value in (("day", "7"), ("month", "3"), ("year", "2016")):
        assert f'name="date_{part}" value="{value}"' in page


def test_a_month_is_two_boxes_read_as_its_first_day():
    class StatementMonthForm(forms.Form):
        month = DateField(widget=MonthInput, label="Month")

    form = StatementMonthForm({"month_month": "9", "month_year": "2017"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["month"] == D(2017, 9, 1)
    page = str(StatementMonthForm().render())
    assert "For example, 9 2017" in page
    assert 'name="month_day"' not in page
    missing = StatementMonthForm({"month_month": "9", "month_year": ""})
    assert missing.errors["month"] == ["Month must include a year"]


def test_a_form_that_words_its_own_date_message_keeps_it():
    class SearchDates(forms.Form):
        since = DateField(required=False, error_messages={"invalid": "The ‘from’ date is wrong"})

    assert SearchDates(parts("31", "2", "2016", name="since")).errors["since"] == [
        "The ‘from’ date is wrong"
    ]


# Due dates on days off --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "note"),
    [
        (D(2026, 10, 3), "This is a Saturday"),
        (D(2026, 10, 4), "This is a Sunday"),
        (D(2026, 12, 25), "This is a bank holiday (Christmas Day)"),
        (D(2026, 12, 28), "This is a bank holiday (Boxing Day (observed))"),
        (D(2027, 5, 31), "This is a bank holiday (Spring Bank Holiday)"),
        (D(2027, 1, 4), ""),  # a bank holiday in Scotland only
        (D(2026, 10, 5), ""),
    ],
)
def test_a_day_off_is_named(day, note):
    assert non_working_day_note(day) == note


def test_a_due_date_on_a_day_off_is_flagged_beside_it_not_refused():
    class DueForm(forms.Form):
        due = forms.DateField(widget=DateInput(flag_non_working_days=True), label="Due date")

    form = DueForm(parts("25", "12", "2026", name="due"))
    assert form.is_valid()  # a warning, never a refusal
    assert (
        '<p class="warning-text date-input__warning">This is a bank holiday (Christmas Day)</p>'
        in str(form.render())
    )
    assert "date-input__warning" not in str(DueForm(parts("24", "12", "2026", name="due")).render())
    assert "date-input__warning" not in str(MeetingDateForm(parts("25", "12", "2026")).render())


# Messages that name the field --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Date of the meeting", "the date of the meeting"),
        ("Title", "the title"),
        ("Who took the Chair", "who took the Chair"),
        ("PDF file", "the PDF file"),
        ("Reason for the correction", "the reason for the correction"),
    ],
)
def test_a_label_reads_inside_a_sentence(label, words):
    assert in_sentence(label) == words


def test_required_fields_say_enter_or_choose_with_their_label():
    class Form(forms.Form):
        title = forms.CharField()
        venue = forms.ChoiceField(choices=[("1", "Civic Hall")])
        decision = forms.ChoiceField(choices=[("a", "Agreed")], widget=forms.RadioSelect)
        file = forms.FileField(label="PDF file")
        start_time = forms.TimeField()

    errors = Form({"start_time": "25:00"}).errors
    assert errors == {
        "title": ["Enter the title"],
        "venue": ["Choose the venue"],
        "decision": ["Choose the decision"],
        "file": ["Choose the PDF file"],
        "start_time": ["Enter the start time as a time, such as 14:30"],
    }
    assert Form({"venue": "2"}).errors["venue"] == ["Choose the venue from the list"]


def _project_forms():
    for module_name in (
        "boards.forms",
        "minutes.forms",
        "inquiries.forms",
        "recommendations.forms",
        "search.forms",
        "home.forms",
        "summons.forms",
    ):
        module = importlib.import_module(module_name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and hasattr(value, "base_fields"):
                yield f"{module_name}.{name}", value


REQUIRED_MESSAGES = [
    (f"{form_name}.{name}", field)
    for form_name, form_class in _project_forms()
    for name, field in form_class.base_fields.items()
    if field.required and not isinstance(field.widget, forms.HiddenInput)
]


@pytest.mark.parametrize(
    ("name", "field"), REQUIRED_MESSAGES, ids=[n for n, f in REQUIRED_MESSAGES]
)
def test_no_required_field_of_any_form_says_only_this_field_is_required(name, field):
    field = copy.deepcopy(field)
    name_the_field(field, field.label or pretty_name(name.rsplit(".", 1)[1]))
    message = str(field.error_messages["required"])

    assert message != "This field is required."
    assert re.fullmatch(r"(Enter|Choose|Tick|Give|Write|Say|These) .+", message), message
    # A label that reads badly in a sentence ("Choose the move to") is worded by its form.
    assert not re.search(r" (to|on|by|at|of|as)\.?$", message), message


def test_a_required_radio_offers_no_blank_choice(db):
    page = str(ResponseForm().render())

    assert re.findall(r'name="decision" value="([^"]*)"', page) == [
        "agreed",
        "partly_agreed",
        "not_agreed",
    ]
