"""The council's tracking categories, changed by officers and clerks on their own page: adding,
editing, reordering, retiring and removing, with a colour checked as hex and shown with text
legible on it; a category a judgement has used is retired, never removed, and every recorded
judgement keeps its category."""

import datetime
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inquiries import services as inquiry_services
from recommendations import services
from recommendations.categories import DARK, LIGHT, contrast_ratio, text_colour_on
from recommendations.models import Judgement, TrackingCategory
from tests.factories import RecommendationFactory, StatementFactory
from tests.matrix import EVERYONE, STAFF, expect

D = datetime.date
LIST = reverse("recommendations:category-list")
ADD = reverse("recommendations:category-add")


def url(name: str, category: TrackingCategory) -> str:
    return reverse(f"recommendations:category-{name}", args=[category.pk])


def names() -> list[str]:
    return list(TrackingCategory.objects.offered().values_list("name", flat=True))


@pytest.fixture
def achieved(db) -> TrackingCategory:
    return TrackingCategory.objects.get(name="Achieved")


@pytest.fixture
def judged(board, achieved) -> Judgement:
    """A recommendation of a published statement, judged achieved."""
    inquiry = inquiry_services.inquiry_create(board=board, title="ICT", on=D(2016, 6, 1))
    statement = StatementFactory(
        inquiry=inquiry, published_on=D(2017, 5, 31), response_due_on=D(2017, 7, 31)
    )
    recommendation = RecommendationFactory(statement=statement)
    return services.judgement_record(
        recommendation=recommendation, category=achieved, on=D(2017, 10, 16)
    )


# The colours ------------------------------------------------------------------------------------


def test_text_on_every_colour_contrasts_with_it_at_least_as_wcag_aa_asks():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert text_colour_on("#00703c") == "light"
    assert text_colour_on("#ffdd00") == "dark"
    steps = ["00", "33", "66", "77", "80", "99", "cc", "ff"]
    for red, green, blue in itertools.product(steps, repeat=3):
        colour = f"#{red}{green}{blue}"
        text = DARK if text_colour_on(colour) == "dark" else LIGHT
        assert contrast_ratio(colour, text) >= 4.5, colour


def test_the_list_shows_each_category_on_its_colour_in_legible_text(editor):
    page = editor.get(LIST).text
    achieved = re.search(r'category-sample--(\w+)">\s*<svg[^>]*>\s*<rect[^>]*fill="#00703c"', page)
    assert achieved is not None and achieved.group(1) == "light"
    assert "<code>#00703c</code>" in page


# Who may do what --------------------------------------------------------------------------------


PAGES = {
    "the list": lambda c: LIST,
    "add a category": lambda c: ADD,
    "edit a category": lambda c: url("edit", c),
    "remove a category": lambda c: url("remove", c),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(achieved, audiences, page):
    address = PAGES[page](achieved)
    responses = {name: audiences[name].get(address) for name in EVERYONE}
    assert {name: r.status_code for name, r in responses.items()} == expect(STAFF)
    assert responses["public"]["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("action", ["move", "retire", "restore", "remove", "edit"])
def test_those_refused_cannot_change_a_category_by_posting(achieved, audiences, action):
    before = list(TrackingCategory.objects.values_list("name", "position", "retired_at"))
    data = {"direction": "down", "name": "Changed", "colour": "#000000"}
    assert audiences["public"].post(url(action, achieved), data).status_code == 302
    for name in ["councillor", "other councillor"]:
        assert audiences[name].post(url(action, achieved), data).status_code == 403
    assert audiences["officer"].get(url("move", achieved)).status_code == 405
    assert list(TrackingCategory.objects.values_list("name", "position", "retired_at")) == before


# Adding and editing -----------------------------------------------------------------------------


def test_an_officer_adds_a_category_last_in_the_order_with_its_colour_as_typed(editor):
    response = editor.post(
        ADD,
        {
            "name": "Superseded by legislation",
            "description": "A new law does it.",
            "colour": " 1D70B8 ",
            "ends_monitoring": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    category = TrackingCategory.objects.get(name="Superseded by legislation")
    assert (category.colour, category.ends_monitoring) == ("#1d70b8", True)
    assert names()[-1] == "Superseded by legislation"
    assert category.position == TrackingCategory.objects.count()
    assert "“Superseded by legislation” added" in editor.get(LIST).text
    assert category.history.get().history_type == "+"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "colour": "#00703c"}, "name", "Enter the category&#x27;s name."),
        ({"name": "achieved", "colour": "#00703c"}, "name", "Another category has this name"),
        ({"name": "New", "colour": ""}, "colour", "Enter the category&#x27;s colour"),
        ({"name": "New", "colour": "green"}, "colour", "Enter the colour as a hex code"),
        ({"name": "New", "colour": "#12345"}, "colour", "Enter the colour as a hex code"),
        ({"name": "New", "colour": "#1234567"}, "colour", "Enter the colour as a hex code"),
        ({"name": "New", "colour": "#gg0000"}, "colour", "Enter the colour as a hex code"),
    ],
)
def test_a_bad_name_or_colour_is_explained_on_its_field(editor, data, field, message):
    before = TrackingCategory.objects.count()
    response = editor.post(ADD, data)
    assert response.status_code == 422
    assert message in response.text
    assert f'href="#id_{field}"' in response.text
    assert TrackingCategory.objects.count() == before


def test_editing_a_category_in_use_keeps_every_recorded_judgement_and_its_history(
    judged, achieved, editor
):
    page = editor.get(url("edit", achieved)).text
    assert "1 recorded judgement uses it" in page
    response = editor.post(
        url("edit", achieved),
        {"name": "Fully achieved", "description": "", "colour": "#005a30", "ends_monitoring": "on"},
    )
    assert response.status_code == 302
    judged.refresh_from_db()
    assert (judged.category_id, judged.on) == (achieved.pk, D(2017, 10, 16))
    judged.recommendation.refresh_from_db()
    assert judged.recommendation.current_category_id == achieved.pk
    assert "Fully achieved" in editor.get(judged.recommendation.get_absolute_url()).text
    history = editor.get(url("edit", achieved)).text
    assert "Changed its name, description, colour" in history
    names_then = [h.name for h in achieved.history.order_by("history_date")]
    assert names_then[-2:] == ["Achieved", "Fully achieved"]


# The order --------------------------------------------------------------------------------------


def test_categories_move_up_and_down_and_stay_in_order(editor, achieved):
    first, second, *rest = names()
    assert editor.post(url("move", achieved), {"direction": "down"}).status_code == 302
    assert names()[:2] == [second, first]
    assert editor.post(url("move", achieved), {"direction": "up"}).status_code == 302
    assert editor.post(url("move", achieved), {"direction": "up"}).status_code == 302  # at the top
    assert names() == [first, second, *rest]
    assert list(TrackingCategory.objects.values_list("position", flat=True)) == list(
        range(1, len(rest) + 3)
    )
    assert editor.post(url("move", achieved), {"direction": "sideways"}).status_code == 400


# Retiring and removing --------------------------------------------------------------------------


def test_a_category_no_judgement_used_is_removed(editor):
    unused = TrackingCategory.objects.get(name="Not for monitoring")
    page = editor.get(url("remove", unused)).text
    assert "No judgement has used it" in page
    assert editor.post(url("remove", unused)).status_code == 302
    assert not TrackingCategory.objects.filter(pk=unused.pk).exists()
    assert unused.history.latest().history_type == "-"


def test_a_category_in_use_is_never_removed_and_is_retired_instead(judged, achieved, editor):
    page = editor.get(url("remove", achieved)).text
    assert "1 recorded judgement uses it, so it cannot be removed" in page
    assert f'action="{url("retire", achieved)}"' in page
    refused = editor.post(url("remove", achieved))
    assert refused.status_code == 422
    assert "cannot be removed. Retire it instead" in refused.text
    assert TrackingCategory.objects.filter(pk=achieved.pk).exists()
    with pytest.raises(ValidationError):
        services.tracking_category_remove(category=achieved)

    assert editor.post(url("retire", achieved)).status_code == 302
    achieved.refresh_from_db()
    assert achieved.is_retired
    # No longer offered for a new judgement; the judgement recorded keeps it, and shows it.
    recommendation = judged.recommendation
    form = editor.get(reverse("recommendations:judgement-add", args=[recommendation.pk])).text
    # Among the judgement's choices (other fields' values are ids too, which may be the same).
    offered = re.findall(r'<input[^>]*\bname="category"[^>]*\bvalue="(\d+)"', form)
    assert offered
    assert str(achieved.pk) not in offered
    assert "Not for monitoring" in form
    assert "Achieved" in editor.get(recommendation.get_absolute_url()).text
    judged.refresh_from_db()
    assert judged.category_id == achieved.pk
    refused = editor.post(
        reverse("recommendations:judgement-add", args=[recommendation.pk]),
        {"category": achieved.pk, "on": "2017-11-01"},
    )
    assert refused.status_code == 422
    with pytest.raises(ValidationError):
        services.judgement_record(
            recommendation=recommendation, category=achieved, on=D(2017, 11, 1)
        )
    page = editor.get(LIST).text
    assert "Retired: kept by the judgements recorded" in page

    assert editor.post(url("restore", achieved)).status_code == 302
    assert "Achieved" in names()


def test_the_last_category_offered_is_neither_retired_nor_removed(editor, achieved):
    for other in TrackingCategory.objects.exclude(pk=achieved.pk):
        services.tracking_category_retire(category=other)
    response = editor.post(url("retire", achieved), follow=True)
    assert "the only category left for the board&#x27;s judgements" in response.text
    assert editor.post(url("remove", achieved)).status_code == 422
    assert names() == ["Achieved"]


def test_the_list_takes_the_same_queries_for_6_or_30_categories(
    editor, judged, django_assert_max_num_queries
):
    editor.get(LIST)
    with CaptureQueriesContext(connection) as few:
        editor.get(LIST)
    TrackingCategory.objects.bulk_create(
        TrackingCategory(name=f"Category {n}", colour="#1d70b8", position=10 + n) for n in range(24)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = editor.get(LIST).text
    assert "Category 23" in page
