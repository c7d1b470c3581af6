"""Files in an object store (issue 18, point 1): with a storage that has no paths on this
machine (Django's in-memory storage stands in for Azure Blob or S3), papers upload, packs are
built from them and published into the store, and both download; the pack builder works from
copies in its own cache, keyed by content, never from the store's disk."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from boards import services
from boards.files import is_local, local_copy
from boards.models import AgendaItem, Paper
from packs import services as packs
from packs.models import AgendaPack
from tests.factories import pdf_bytes
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def object_store(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.object_store.ObjectStore"},
    }
    settings.PACK_CACHE_DIR = tmp_path / "worker-cache"
    settings.PACK_RENDER_PROCESSES = 1
    settings.PACK_INLINE_MAX_PAGES = 1000
    assert not is_local(default_storage)
    return settings.PACK_CACHE_DIR


def test_a_paper_and_its_pack_are_kept_in_the_store_and_served_from_it(
    object_store, published_meeting, client_for, clerk, settings
):
    item = services.agenda_item_add(
        meeting=published_meeting, item=AgendaItem(title="Performance figures")
    )
    paper = services.paper_upload(
        paper=Paper(agenda_item=item, title="Performance table"),
        upload=SimpleUploadedFile("perf.pdf", pdf_bytes(2, "stored-marker"), "application/pdf"),
    )
    services.agenda_publish(meeting=published_meeting, by=clerk, late_reason="Supplement.")
    assert default_storage.exists(paper.file.name)
    with local_copy(paper.file) as path:
        assert path.read_bytes() == default_storage.open(paper.file.name).read()
    assert not path.exists(), "the temporary copy is removed afterwards"

    client = client_for(clerk)
    download = client.get(reverse("boards:paper-download", args=[paper.pk]))
    assert b"".join(download.streaming_content) == default_storage.open(paper.file.name).read()
    response = client.get(reverse("packs:pack-download", args=[published_meeting.pk, "members"]))
    text = " ".join(page.extract_text() for page in read_pdf(response).pages)
    assert "stored-marker" in text

    pack = AgendaPack.objects.get(meeting=published_meeting, edition="members")
    assert pack.file.name and default_storage.exists(pack.file.name)
    assert pack.file_size == default_storage.size(pack.file.name)
    # The builder's copies and rendered parts are in this worker's cache, nothing else on disk.
    copies = list(object_store.glob("upload-*.pdf"))
    assert copies and all(copy.stat().st_size > 0 for copy in copies)
    assert not list(object_store.glob(".building-*")) and not list(object_store.glob(".fetching-*"))
    assert not (settings.MEDIA_ROOT / "packs").exists()


def test_a_rebuild_after_the_cache_is_lost_fetches_the_papers_again(
    object_store, published_meeting, clerk
):
    item = services.agenda_item_add(meeting=published_meeting, item=AgendaItem(title="Figures"))
    services.paper_upload(
        paper=Paper(agenda_item=item, title="Table"),
        upload=SimpleUploadedFile("t.pdf", pdf_bytes(1, "refetched-marker"), "application/pdf"),
    )
    services.agenda_publish(meeting=published_meeting, by=clerk, late_reason="Supplement.")
    pack, _ = packs.request(published_meeting, "public")
    first = pack.file.name
    for path in object_store.iterdir():
        path.unlink()  # another worker, with an empty disk
    pack, current = packs.request(published_meeting, "public", rebuild=True)
    assert current and pack.status == AgendaPack.Status.READY
    assert pack.file.name == first, "the same content publishes to the same name"
    with pack.file.open("rb") as stored:
        text = " ".join(page.extract_text() for page in PdfReader(stored).pages)
    assert "refetched-marker" in text
