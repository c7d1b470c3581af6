"""What the follow tests share: a meeting of the board with an open item and an exempt one
holding the canary, not yet published."""

import pytest

from tests.conftest import meeting_with_exempt_item


@pytest.fixture
def exempt_meeting(board):
    """Unpublished: publish it in the test."""
    return meeting_with_exempt_item(board)


SITE = "https://scrutiny.aldermoor.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Where the links in e-mails point (e-mails are written outside any request)."""
    settings.SITE_URL = SITE
