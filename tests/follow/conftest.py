"""What the follow tests share: the site's own address for the links in e-mails, and no packs."""

import pytest

SITE = "https://scrutiny.aldermoor.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Where the links in e-mails point (e-mails are written outside any request)."""
    settings.SITE_URL = SITE


@pytest.fixture(autouse=True)
def _packs_not_built():
    """These tests publish agendas of meetings to come, whose two packs the packs room would
    render at once; they read e-mails, not packs, so its receiver is off here (the canary test
    of every channel publishes with it on)."""
    from boards.signals import agenda_published
    from packs.services import publication_published

    assert agenda_published.disconnect(dispatch_uid="packs")
    yield
    agenda_published.connect(publication_published, dispatch_uid="packs")


@pytest.fixture(autouse=True)
def _no_summons():
    """Publishing an agenda also sends the summons to the board's members and officers (the
    summons room, tested in tests/summons and in the canary test of every channel); these tests
    count the followers' e-mails, so its receiver is off here."""
    from boards.signals import agenda_published
    from summons.receivers import publication_published

    assert agenda_published.disconnect(dispatch_uid="summons")
    yield
    agenda_published.connect(publication_published, dispatch_uid="summons")
