"""A substitute is a member of the board for the meeting they substitute at: they read that
meeting's exempt papers and minutes, and have its members' pack, but no other meeting's."""

import pytest
from django.urls import reverse

from boards.models import Paper
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import Attendance
from tests.conftest import CANARY
from tests.factories import (
    BoardFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def substitute(published_meeting, board):
    """A councillor of another board, recorded as substituting at ``published_meeting``."""
    user = UserFactory(roles=[Role.COUNCILLOR])
    person = PersonFactory(user=user)
    MembershipFactory(board=BoardFactory(), person=person)
    absent = MembershipFactory(board=board).person
    Attendance.objects.create(
        meeting=published_meeting,
        person=person,
        kind=Attendance.Kind.SUBSTITUTE,
        substitute_for=absent,
    )
    return user


@pytest.fixture
def other_meeting(board, clerk):
    """Another published meeting of the same board, with its own exempt paper."""
    from boards import services
    from boards.models import AgendaItem

    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            title="Another exempt item",
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Commercial.",
        ),
    )
    services.paper_write(paper=Paper(agenda_item=item, title="Zebrafish report", summary=CANARY))
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests.")
    return meeting


def test_a_substitute_reads_the_exempt_papers_of_their_meeting(
    published_meeting, substitute, client_for
):
    client = client_for(substitute)
    appendix = Paper.objects.get(title="Appendix A – supplier prices")
    assert client.get(reverse("boards:paper-download", args=[appendix.pk])).status_code == 200
    report = Paper.objects.get(title="Restructure report")
    assert CANARY in client.get(reverse("boards:paper-detail", args=[report.pk])).text
    assert CANARY in client.get(published_meeting.get_absolute_url()).text
    pack = read_pdf(
        client.get(reverse("packs:pack-download", args=[published_meeting.pk, "members"]))
    )
    assert CANARY in pdf_text(pack)


def test_but_not_those_of_the_boards_other_meetings(other_meeting, substitute, client_for):
    client = client_for(substitute)
    report = Paper.objects.get(title="Zebrafish report")
    page = client.get(reverse("boards:paper-detail", args=[report.pk]))
    assert page.status_code == 200 and CANARY not in page.text
    assert CANARY not in client.get(other_meeting.get_absolute_url()).text
    url = reverse("packs:pack-download", args=[other_meeting.pk, "members"])
    assert client.get(url).status_code == 404


def test_search_finds_the_substitutes_meeting_only(
    published_meeting, other_meeting, substitute, client_for
):
    from search import index as search

    search.rebuild()
    client = client_for(substitute)
    found = client.get(reverse("search:search"), {"q": "Restructure"}).text
    assert CANARY in found
    found = client.get(reverse("search:search"), {"q": "Zebrafish"}).text
    assert "Zebrafish report" in found and CANARY not in found


def test_a_substitute_reads_the_exempt_minutes_of_their_meeting(
    published_meeting, other_meeting, substitute
):
    from boards.visibility import Audience
    from minutes.models import Minute

    exempt_items = [
        published_meeting.agenda_items.get(title="Staffing restructure"),
        other_meeting.agenda_items.get(title="Another exempt item"),
    ]
    for item in exempt_items:
        minutes_services.minute_take(meeting=item.meeting, agenda_item=item)
    audience = Audience.of(substitute)
    readable = dict(
        Minute.objects.visible_to(audience)
        .filter(agenda_item__in=exempt_items)
        .values_list("meeting_id", "content_visible")
    )
    assert readable == {published_meeting.pk: True, other_meeting.pk: False}
