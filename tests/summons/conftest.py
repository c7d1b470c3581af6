"""What the summons tests share: the site's address for the links in e-mails, no packs built,
and a body with everyone a meeting's list can hold."""

import datetime
from types import SimpleNamespace

import pytest

from boards.models import Membership, NamedSubstitute
from boards.roles import Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory

SITE = "https://scrutiny.aldermoor.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Where the links in e-mails point (e-mails are written outside any request)."""
    settings.SITE_URL = SITE


@pytest.fixture(autouse=True)
def _packs_not_built():
    """Publishing a meeting to come would render its two packs at once: these tests read
    e-mails and dispatch lists, not packs."""
    from boards.signals import agenda_published
    from packs.services import publication_published

    assert agenda_published.disconnect(dispatch_uid="packs")
    yield
    agenda_published.connect(publication_published, dispatch_uid="packs")


def councillor_person(name: str, *, email: str = "", account: bool = True, **fields):
    given, family = name.split()
    user = UserFactory(roles=[Role.COUNCILLOR], username=family.lower()) if account else None
    return PersonFactory(given_name=given, family_name=family, email=email, user=user, **fields)


@pytest.fixture
def body(board, officer):
    """The board's list: a chair and a member with accounts, a member without an account, one
    whose seat ended, one whose seat starts after its meetings, a named substitute, and the
    supporting officer (``officer``)."""
    started = datetime.date(2015, 5, 21)
    chair = councillor_person("Kathryn Greenhalgh", email="k.greenhalgh@aldermoor.example")
    member = councillor_person("Aaron Sowerby")  # written to at their account's address
    no_account = councillor_person(
        "Ruth Woodhouse", email="r.woodhouse@aldermoor.example", account=False
    )
    no_address = councillor_person("Jan Jaworski", account=False)
    past = councillor_person("Brian Ackroyd", email="b.ackroyd@aldermoor.example")
    future = councillor_person("Nadia Fairbairn", email="n.fairbairn@aldermoor.example")
    substitute = councillor_person("Helen Haworth", email="h.haworth@aldermoor.example")
    MembershipFactory(board=board, person=chair, role=Membership.Role.CHAIR, starts_on=started)
    for person in (member, no_account, no_address):
        MembershipFactory(board=board, person=person, starts_on=started)
    MembershipFactory(
        board=board, person=past, starts_on=started, ends_on=datetime.date(2020, 5, 1)
    )
    MembershipFactory(board=board, person=future, starts_on=datetime.date(2099, 5, 1))
    NamedSubstitute.objects.create(board=board, person=substitute, starts_on=started)
    # The chair is named a substitute too (for another body's member): on the list once.
    NamedSubstitute.objects.create(board=board, person=chair, starts_on=started)
    officer.person.email = "scrutiny.adviser@aldermoor.example"
    officer.person.save()
    return SimpleNamespace(
        board=board,
        chair=chair,
        member=member,
        no_account=no_account,
        no_address=no_address,
        past=past,
        future=future,
        substitute=substitute,
        officer=officer.person,
    )
