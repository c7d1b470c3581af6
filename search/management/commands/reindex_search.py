from django.core.management.base import BaseCommand

from boards import uploads
from boards.models import Paper
from inquiries.models import Evidence
from search import index as search


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every record, first reading the text of uploaded PDFs "
        "that have none yet (files uploaded before search existed)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--extract-all",
            action="store_true",
            help="Read the text of every uploaded PDF again, not only those without text.",
        )

    def handle(self, *args, extract_all: bool = False, **options) -> None:
        extracted = 0
        for model in (Paper, Evidence):
            records = model.objects.exclude(file="")
            if not extract_all:
                records = records.filter(text="")
            for record in records.only("pk", "file").iterator(chunk_size=100):
                try:
                    with record.file.open("rb") as file:
                        text = uploads.extract_text(file)
                except OSError as error:
                    self.stderr.write(f"{model.__name__} {record.pk}: {error}")
                    continue
                # update(): the extracted text is derived data, not an edit for the history.
                model.objects.filter(pk=record.pk).update(text=text)
                extracted += 1
        indexed = search.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Read {extracted} PDF files; indexed {indexed} records.")
        )
