"""The demo council's minutes, modelled on real minutes."""

from django.test import Client
from django.utils import timezone

from boards.models import Meeting
from minutes.models import Minute, Resolution


def test_demo_minutes_are_modelled_on_the_reference_minutes(demo):
    january = Meeting.objects.get(starts_at__date="2016-01-25")
    february = Meeting.objects.get(starts_at__date="2016-02-22")
    assert january.minutes.is_approved
    assert january.minutes.approved_at_meeting == february
    assert not february.minutes.is_approved
    numbers = list(Minute.objects.filter(meeting=february).values_list("number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert numbers[0] > 1  # the year's sequence runs on from earlier meetings
    assert january.declarations.count() == 1
    session = Minute.objects.get(meeting=february, title__startswith="Scrutiny Inquiry")
    assert [r.letter for r in session.resolutions.all()] == ["a", "b", "c", "d"]
    assert Resolution.objects.open_actions().filter(minute=session).count() == 3
    page = Client().get(f"/meetings/{february.pk}/minutes/").text
    assert "Councillor B Ackroyd was to substitute for Councillor R Woodhouse" in page
    assert "Draft minutes to be approved at the meeting to be held on Monday, 21 March 2016" in page
    assert "The meeting concluded at 11.35 am." in page


def test_demo_current_year_minutes_are_approved_then_released_with_actions_to_follow(demo):
    today = timezone.localdate()
    held = list(Meeting.objects.filter(starts_at__date__gt="2016-05-19", starts_at__date__lt=today))
    assert len(held) == 3
    first, second, third = (meeting.minutes for meeting in held)
    assert first.is_approved and first.approved_at_meeting == held[1]
    assert second.is_approved and second.approved_at_meeting == held[2]
    assert not third.is_approved and third.is_released
    assert timezone.localdate(third.released_at) < today
    # Minute numbers restart in the new year.
    assert Minute.objects.filter(meeting=held[0]).order_by("number").first().number == 1
    actions = Resolution.objects.open_actions().filter(minute__meeting__in=held)
    assert sorted(action.due < today for action in actions) == [False, True]
    # The public reads them all: approved, or released.
    page = Client().get(f"/meetings/{held[2].pk}/minutes/").text
    assert "vacancy rates in children&#x27;s social work" in page
