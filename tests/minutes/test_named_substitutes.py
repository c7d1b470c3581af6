"""The minute-taker's console offers a member's substitutes in order: the councillors named as
substitutes for that member, then those named for any member of the body, then the council's
other councillors."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from boards import services, setup
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _groups(page: str, member) -> list[tuple[str, list[str]]]:
    """The option groups of the member's substitute select, with the names in each."""
    select = re.search(
        rf'<select name="member-{member.pk}-substitute".*?</select>', page, re.DOTALL
    )
    assert select, f"no substitute select for {member}"
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select.group(), re.DOTALL)
    return [
        (label, re.findall(r">Councillor ([^<]+)</option>", options)) for label, options in groups
    ]


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

    ruth = _groups(page, first)
    assert ruth[0] == ("Named substitutes", ["Zoe Yeadon", "Brian Ackroyd"])
    assert ruth[1][0] == "Other councillors"
    assert "Nadia Fairbairn" in ruth[1][1]
    jan = _groups(page, second)
    assert jan[0] == ("Named substitutes", ["Brian Ackroyd"])
    assert {"Zoe Yeadon", str(other.full_name)} <= set(jan[1][1])
    assert all("Gone" not in name for name in ruth[0][1] + jan[0][1])


def test_without_named_substitutes_the_console_offers_every_councillor_as_before(
    board, officer, client_for
):
    member = MembershipFactory(board=board).person
    PersonFactory(given_name="Brian", family_name="Ackroyd")
    meeting = services.meeting_create(board=board, starts_at=timezone.now(), venue=None)
    page = client_for(officer).get(reverse("minutes:minutes-console", args=[meeting.pk])).text
    select = re.search(
        rf'<select name="member-{member.pk}-substitute".*?</select>', page, re.DOTALL
    )
    assert "<optgroup" not in select.group()
    assert "Councillor Brian Ackroyd" in select.group()
