"""A pack file is given to an audience only while everything in it is still theirs to read. A
paper made exempt, or withdrawn, after the pack was built stops the public pack at once: the
"last pack built" is no longer downloadable, and its file is removed, whether or not the worker
has built a newer one (issue 15, finding 1)."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from boards import services
from boards.models import Paper
from packs.models import AgendaPack
from tests.conftest import DATABASE_TASKS
from tests.pdfs import read_pdf

MARKER = "open-text"  # the open appendix's text, in the public pack until it is made exempt


def _url(meeting, edition: str, previous: bool = False) -> str:
    url = reverse("packs:pack-download", args=[meeting.pk, edition])
    return url + "?previous" if previous else url


def _public_pack(meeting) -> AgendaPack:
    reader = read_pdf(Client().get(_url(meeting, "public")))
    assert MARKER in " ".join(page.extract_text() for page in reader.pages)
    return AgendaPack.objects.get(meeting=meeting, edition="public")


@pytest.mark.parametrize("change", ["exempt", "withdrawn"])
def test_a_paper_made_exempt_or_withdrawn_stops_the_built_pack_at_once(
    published_meeting, clerk, change, settings, django_capture_on_commit_callbacks
):
    pack = _public_pack(published_meeting)
    path = Path(pack.file.path)
    # From now on builds go to the database queue and no worker runs: nothing gets rebuilt.
    settings.TASKS = DATABASE_TASKS
    settings.PACK_INLINE_MAX_PAGES = 0
    assert Client().get(_url(published_meeting, "public", previous=True)).status_code == 200

    paper = Paper.objects.get(title="Open appendix")
    with django_capture_on_commit_callbacks(execute=True):
        if change == "exempt":
            paper.exempt = True
            paper.exempt_paragraph = 3
            paper.public_interest_reasoning = "Commercially sensitive after all."
            services.paper_update(paper=paper)
        else:
            services.paper_withdraw(paper=paper, by=clerk, reason="Superseded.")

    # The last pack built is no longer given out, and its file is gone; the current pack is
    # queued for a worker that is not running, so nobody gets a pack meanwhile.
    assert Client().get(_url(published_meeting, "public", previous=True)).status_code == 404
    pack.refresh_from_db()
    assert not pack.has_file
    assert not path.exists()
    current = Client().get(_url(published_meeting, "public"))
    assert current.status_code == 302  # to the status page: being built
    assert MARKER.encode() not in current.content


def test_a_pack_file_is_checked_when_served_even_if_nobody_announced_the_change(
    published_meeting,
):
    """Defence in depth: a change made behind the services' back (the admin, a script) is
    caught when the file is asked for."""
    pack = _public_pack(published_meeting)
    Paper.objects.filter(title="Open appendix").update(exempt=True, exempt_paragraph=3)

    assert Client().get(_url(published_meeting, "public", previous=True)).status_code == 404
    pack.refresh_from_db()
    assert not pack.has_file


def test_the_members_pack_keeps_being_served_when_a_paper_becomes_exempt(
    published_meeting, client_for, councillor
):
    """Members may read exempt papers: making one exempt takes nothing from their pack."""
    client = client_for(councillor)
    read_pdf(client.get(_url(published_meeting, "members")))
    paper = Paper.objects.get(title="Open appendix")
    paper.exempt = True
    paper.exempt_paragraph = 3
    paper.public_interest_reasoning = "Commercially sensitive after all."
    services.paper_update(paper=paper)

    assert client.get(_url(published_meeting, "members", previous=True)).status_code == 200


def test_a_pack_whose_contents_were_never_recorded_is_not_served(published_meeting):
    pack = _public_pack(published_meeting)
    AgendaPack.objects.filter(pk=pack.pk).update(holds=None)
    assert Client().get(_url(published_meeting, "public", previous=True)).status_code == 404
