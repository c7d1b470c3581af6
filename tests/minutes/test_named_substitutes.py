"""The minute-taker's console suggests a member's substitutes in order: the councillors named as
substitutes for that member, then those named for any member of the body, then the council's
other councillors serving on the day."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from boards import services, setup
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _suggested(page: str, member) -> list[tuple[str, str]]:
    """The substitutes suggested for the member, in order: the names and notes of the datalist
    their substitute's box offers."""
    box = re.search(rf'<input type="text" name="member-{member.pk}-substitute"[^>]*>', page)
    assert box, f"no substitute box for {member}"
    listed = re.search(r'list="([^"]+)"', box.group()).group(1)
    datalist = re.search(rf'<datalist id="{listed}">(.*?)</datalist>', page, re.DOTALL)
    assert datalist, f"no datalist {listed}"
    return re.findall(
        r'<option value="Councillor ([^"(]+?)(?: \([^"]*\))?">([^<]*)</option>', datalist.group(1)
    )


def _named(suggested: list[tuple[str, str]]) -> list[str]:
    return [name for name, note in suggested if note == "Named substitute"]


def test_the_console_offers_named_substitutes_first(board, officer, client_for):
    first = MembershipFactory(
        board=board, person=PersonFactory(given_name="Ruth", family_name="Woodhouse")
    ).person
    second = MembershipFactory(
        board=board, person=PersonFactory(given_name="Jan", family_name="Jaworski")
    ).person
    for_ruth = PersonFactory(given_name="Zoe", family_name="Yeadon")
    for_anyone = PersonFactory(given_name="Brian", family_name="Ackroyd")
    other = PersonFactory(given_name="Nadia", family_name="Fairbairn")
    since = datetime.date(2025, 1, 1)
    setup.substitute_name(board=board, person=for_ruth, for_member=first, starts_on=since)
    setup.substitute_name(board=board, person=for_anyone, starts_on=since)
    # Named once, but no longer.
    ended = setup.substitute_name(
        board=board, person=PersonFactory(family_name="Gone"), starts_on=since
    )
    setup.substitute_end(named=ended, ends_on=datetime.date(2025, 6, 30))
    meeting = services.meeting_create(board=board, starts_at=timezone.now(), venue=None)

    page = client_for(officer).get(reverse("minutes:minutes-console", args=[meeting.pk])).text

    ruth = _suggested(page, first)
    assert _named(ruth) == ["Zoe Yeadon", "Brian Ackroyd"]
    assert [name for name, _note in ruth[:2]] == ["Zoe Yeadon", "Brian Ackroyd"]
    assert "Nadia Fairbairn" in [name for name, note in ruth[2:] if not note]
    jan = _suggested(page, second)
    assert _named(jan) == ["Brian Ackroyd"]
    assert jan[0][0] == "Brian Ackroyd"
    assert {"Zoe Yeadon", str(other.full_name)} <= {name for name, note in jan[1:] if not note}
    assert all("Gone" not in name for name in _named(ruth) + _named(jan))
    # Each list is on the page once, however many boxes use it.
    assert page.count('<datalist id="chooser-substitutes">') == 1


def test_without_named_substitutes_the_console_suggests_every_serving_councillor(
    board, officer, client_for
):
    member = MembershipFactory(board=board).person
    PersonFactory(given_name="Brian", family_name="Ackroyd")
    meeting = services.meeting_create(board=board, starts_at=timezone.now(), venue=None)
    page = client_for(officer).get(reverse("minutes:minutes-console", args=[meeting.pk])).text
    suggested = _suggested(page, member)
    assert not _named(suggested)
    assert "Brian Ackroyd" in [name for name, _note in suggested]
