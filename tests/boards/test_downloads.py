"""Public downloads carry validators (ETag and Last-Modified) and answer 304 when unchanged,
yet every conditional request meets the visibility rule first: a paper made exempt since it
was fetched answers 404, never "not modified" (issue 15, finding 5)."""

import pytest
from django.test import Client
from django.urls import reverse

from boards import services
from boards.models import Paper
from tests.pdfs import read_pdf

OPEN = "Open appendix"


def _paper(meeting, title=OPEN) -> Paper:
    return Paper.objects.get(agenda_item__meeting=meeting, title=title)


def _downloads(meeting) -> dict[str, str]:
    paper = _paper(meeting)
    return {
        "paper": reverse("boards:paper-download", args=[paper.pk]),
        "OParl file": reverse("oparl:file-paper-download", args=[paper.pk]),
        "public pack": reverse("packs:pack-download", args=[meeting.pk, "public"]),
    }


@pytest.mark.parametrize("kind", ["paper", "OParl file", "public pack"])
def test_a_public_download_has_validators_and_answers_304_when_unchanged(published_meeting, kind):
    url = _downloads(published_meeting)[kind]
    first = Client().get(url)
    assert first.status_code == 200
    assert b"".join(first.streaming_content).startswith(b"%PDF-")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert first.headers["Last-Modified"].endswith(" GMT")
    assert first.headers["Cache-Control"] == "no-cache"

    again = Client().get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert not again.content

    since = Client().get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304

    stale = Client().get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_a_new_upload_changes_the_etag(published_meeting, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    url = _downloads(published_meeting)["paper"]
    before = Client().get(url).headers["ETag"]
    paper = _paper(published_meeting)
    services.paper_upload(
        paper=paper, upload=SimpleUploadedFile("new.pdf", pdf_bytes(2, "second version"))
    )
    response = Client().get(url, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response.headers["ETag"] != before
    assert "second version" in " ".join(p.extract_text() for p in read_pdf(response).pages)


@pytest.mark.parametrize("kind", ["paper", "OParl file"])
def test_a_paper_made_exempt_answers_404_not_304(published_meeting, kind):
    url = _downloads(published_meeting)[kind]
    etag = Client().get(url).headers["ETag"]
    paper = _paper(published_meeting)
    paper.exempt = True
    paper.exempt_paragraph = 3
    paper.public_interest_reasoning = "Commercially sensitive after all."
    services.paper_update(paper=paper)

    assert Client().get(url, headers={"If-None-Match": etag}).status_code == 404


def test_a_signed_in_download_is_never_stored(published_meeting, audiences):
    response = audiences["councillor"].get(_downloads(published_meeting)["paper"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_generated_public_answers_get_an_etag_and_304(published_meeting):
    url = reverse("opendata:feed-all")
    first = Client().get(url)
    assert first.status_code == 200
    assert "ETag" in first.headers
    assert Client().get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_pages_for_someone_signed_in_get_no_etag(published_meeting, audiences):
    response = audiences["councillor"].get(published_meeting.get_absolute_url())
    assert response.status_code == 200
    assert "ETag" not in response.headers
