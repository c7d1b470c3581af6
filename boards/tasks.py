"""Background work of the domain, run by the task worker (``manage.py worker``)."""

from django.tasks import task

from boards import services


@task(queue_name="documents")
def convert_paper(paper_id: int) -> None:
    """Convert an uploaded Word or OpenDocument paper to its PDF (``services.paper_convert``).
    A document that cannot be converted is recorded on the paper for its uploader; anything
    unexpected is recorded there too and raised, so the queue records a failed task."""
    services.paper_convert(paper_id=paper_id)
