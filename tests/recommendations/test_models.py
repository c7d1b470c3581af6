"""Recommendations as written (numbers, letters, deadlines), what counts as overdue, and the
constraints that keep numbering and categories sound."""

import datetime

import pytest
from django.db import DataError, IntegrityError, transaction

from recommendations.categories import DEFAULT_CATEGORIES, ensure_default_categories
from recommendations.models import Recommendation, TrackingCategory
from tests.factories import RecommendationFactory, StatementFactory

pytestmark = pytest.mark.django_db

D = datetime.date
Precision = Recommendation.Precision
Wording = Recommendation.Wording

ACHIEVED = "Achieved"
STOP_MONITORING = "Stop monitoring"
OBSTACLE = "Not fully implemented – obstacle"


def category(name: str) -> TrackingCategory:
    return TrackingCategory.objects.get(name=name)


def by_september_2017(**kwargs) -> Recommendation:
    return RecommendationFactory(
        deadline_on=D(2017, 9, 30), deadline_precision=Precision.MONTH, **kwargs
    )


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# Deadlines as written


def test_a_month_deadline_reads_by_the_month():
    assert by_september_2017().deadline_text == "by September 2017"


def test_a_month_deadline_can_read_no_later_than():
    recommendation = RecommendationFactory(
        deadline_on=D(2017, 12, 31),
        deadline_precision=Precision.MONTH,
        deadline_wording=Wording.NO_LATER_THAN,
    )
    assert recommendation.deadline_text == "no later than December 2017"


def test_a_day_deadline_reads_the_full_date():
    recommendation = RecommendationFactory(
        deadline_on=D(2018, 5, 1), deadline_precision=Precision.DAY
    )
    assert recommendation.deadline_text == "by 1 May 2018"


def test_no_deadline_reads_as_nothing():
    assert RecommendationFactory(deadline_on=None).deadline_text == ""


def test_parts_are_lettered_and_referenced_under_their_number():
    parent = RecommendationFactory(number=2)
    first = RecommendationFactory(parent=parent, position=1)
    third = RecommendationFactory(parent=parent, position=3)
    assert (first.number, first.letter, first.reference) == (2, "a", "2(a)")
    assert (third.letter, third.reference) == ("c", "2(c)")
    assert (parent.letter, parent.reference, str(parent)) == ("", "2", "Recommendation 2")


# Overdue


def test_a_month_deadline_is_not_overdue_on_the_last_day_of_the_month():
    recommendation = by_september_2017()
    assert not recommendation.is_overdue(D(2017, 9, 30))
    assert recommendation not in Recommendation.objects.overdue(D(2017, 9, 30))


def test_a_month_deadline_is_overdue_from_the_first_day_of_the_next_month():
    recommendation = by_september_2017()
    assert recommendation.is_overdue(D(2017, 10, 1))
    assert list(Recommendation.objects.overdue(D(2017, 10, 1))) == [recommendation]


def test_a_recommendation_without_a_deadline_is_never_overdue():
    recommendation = RecommendationFactory(deadline_on=None)
    assert not recommendation.is_overdue(D(2030, 1, 1))
    assert not Recommendation.objects.overdue(D(2030, 1, 1)).exists()


@pytest.mark.parametrize("ending", [ACHIEVED, STOP_MONITORING])
def test_a_recommendation_judged_in_a_category_that_ends_monitoring_is_not_overdue(ending):
    recommendation = by_september_2017(current_category=category(ending))
    assert not recommendation.is_overdue(D(2018, 1, 1))
    assert not Recommendation.objects.overdue(D(2018, 1, 1)).exists()


def test_a_recommendation_judged_held_up_by_an_obstacle_is_still_overdue():
    recommendation = by_september_2017(current_category=category(OBSTACLE))
    assert recommendation.is_overdue(D(2018, 1, 1))
    assert list(Recommendation.objects.overdue(D(2018, 1, 1))) == [recommendation]


def test_overdue_lists_the_overdue_parts_not_their_parent():
    parent = by_september_2017()
    part = by_september_2017(parent=parent, position=1)
    assert list(Recommendation.objects.overdue(D(2017, 10, 1))) == [part]


def test_due_within_lists_open_recommendations_due_in_the_next_days_inclusive():
    today = D(2017, 9, 1)
    due_today = RecommendationFactory(deadline_on=today)
    due_on_day_30 = RecommendationFactory(deadline_on=D(2017, 10, 1))
    RecommendationFactory(deadline_on=D(2017, 10, 2))  # day 31
    RecommendationFactory(deadline_on=D(2017, 8, 31))  # already overdue
    RecommendationFactory(deadline_on=D(2017, 9, 15), current_category=category(ACHIEVED))
    RecommendationFactory(deadline_on=None)
    assert pks(Recommendation.objects.due_within(today, 30)) == {due_today.pk, due_on_day_30.pk}


# Trackable


def test_trackable_returns_the_parts_and_recommendations_without_parts():
    statement = StatementFactory()
    whole = RecommendationFactory(statement=statement, number=1)
    parent = RecommendationFactory(statement=statement, number=2)
    part_a = RecommendationFactory(parent=parent, position=1)
    part_b = RecommendationFactory(parent=parent, position=2)
    trackable = list(Recommendation.objects.trackable())
    assert sorted(r.pk for r in trackable) == sorted([whole.pk, part_a.pk, part_b.pk])
    assert parent not in trackable


# Constraints


def test_two_top_level_recommendations_cannot_share_a_number_in_one_statement():
    first = RecommendationFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(statement=first.statement, number=1, text="Again.")


def test_the_same_number_may_be_used_in_another_statement_and_by_parts():
    first = RecommendationFactory(number=1)
    RecommendationFactory(number=1)
    RecommendationFactory(parent=first, position=1)
    RecommendationFactory(parent=first, position=2)
    assert Recommendation.objects.filter(number=1).count() == 4


def test_a_part_must_have_a_letter():
    parent = RecommendationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(
            statement=parent.statement, number=parent.number, parent=parent, position=0, text="x"
        )


def test_a_top_level_recommendation_has_no_letter():
    statement = StatementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(statement=statement, number=1, position=1, text="x")


def test_two_parts_cannot_share_a_letter():
    parent = RecommendationFactory()
    RecommendationFactory(parent=parent, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecommendationFactory(parent=parent, position=1)


@pytest.mark.parametrize("colour", ["green", "#00703", "#00703cc", "#GGGGGG", ""])
def test_a_tracking_category_colour_must_be_a_hex_colour(colour):
    # PostgreSQL refuses the eight-character one as too long for the column (DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        TrackingCategory.objects.create(name="Amber", colour=colour)


def test_a_tracking_category_accepts_a_hex_colour():
    assert TrackingCategory.objects.create(name="Amber", colour="#F47738").pk


# Default categories


def test_the_default_tracking_categories_are_created_in_order():
    names = list(TrackingCategory.objects.order_by("position").values_list("name", flat=True))
    assert names == [
        ACHIEVED,
        STOP_MONITORING,
        OBSTACLE,
        "Not fully implemented – progress acceptable, continue monitoring",
        "Not fully implemented – progress not acceptable, continue monitoring",
        "Not for monitoring",
    ]


def test_the_default_categories_are_not_recreated_over_a_councils_own_set():
    TrackingCategory.objects.all().delete()
    TrackingCategory.objects.create(name="Green", colour="#00703c", ends_monitoring=True)
    ensure_default_categories()
    assert list(TrackingCategory.objects.values_list("name", flat=True)) == ["Green"]


def test_an_empty_set_of_categories_gets_the_defaults():
    TrackingCategory.objects.all().delete()
    ensure_default_categories()
    assert TrackingCategory.objects.count() == len(DEFAULT_CATEGORIES) == 6


def test_achieved_and_stop_monitoring_end_monitoring_and_the_not_fully_implemented_do_not():
    ends = dict(TrackingCategory.objects.values_list("name", "ends_monitoring"))
    assert ends[ACHIEVED] is True
    assert ends[STOP_MONITORING] is True
    not_fully_implemented = [name for name in ends if name.startswith("Not fully implemented")]
    assert len(not_fully_implemented) == 3
    assert not any(ends[name] for name in not_fully_implemented)


def test_every_default_category_has_a_hex_colour():
    for colour in TrackingCategory.objects.values_list("colour", flat=True):
        assert len(colour) == 7
        assert colour.startswith("#")
