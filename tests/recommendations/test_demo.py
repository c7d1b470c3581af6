"""The demo council's completed inquiry: its statement and the tracking of its recommendations,
modelled on a real statement."""

import datetime

from django.test import Client
from django.utils import timezone

from inquiries.models import Inquiry
from recommendations.models import Recommendation


def test_demo_statement_is_modelled_on_the_reference_statement_and_tracked(demo):
    commissioning = Inquiry.objects.get(title="Inquiry into people's commissioning")
    statement = commissioning.statement
    assert statement.outcomes.count() == 4
    tops = Recommendation.objects.filter(statement=statement, parent__isnull=True)
    assert [r.number for r in tops] == [1, 2, 3, 4]
    assert [p.letter for p in tops.get(number=4).parts.all()] == ["a", "b", "c"]
    assert tops.get(number=1).deadline_text == "by September 2017"
    assert tops.get(number=4).deadline_text == "no later than December 2017"
    assert statement.response_due_on == datetime.date(2017, 7, 31)
    tracked = Recommendation.objects.filter(statement=statement).trackable()
    assert all(hasattr(r, "response") for r in tracked)
    assert tracked.overdue(datetime.date(2026, 11, 23)).exists()
    page = Client().get(commissioning.get_absolute_url()).text
    assert "Achieved" in page and "Overdue" in page


def test_demo_current_tracking_has_a_recommendation_due_soon_and_one_overdue(demo):
    today = timezone.localdate()
    statement = Inquiry.objects.get(
        title="Inquiry into customer contact and digital access"
    ).statement
    assert statement.published_on < today
    tracked = Recommendation.objects.filter(statement=statement).trackable()
    [soon] = tracked.due_within(today, 30)
    assert soon.deadline_text.startswith("by ")
    [late] = tracked.overdue(today)
    assert late.updates.exists() and not late.judgements.exists()
    assert tracked.filter(current_category__name="Achieved").count() == 1
    page = Client().get(late.get_absolute_url()).text
    assert "contact centre" in page
