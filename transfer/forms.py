"""The administrators' form for starting an import."""

from __future__ import annotations

import zipfile
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from transfer.importers.moderngov import ImportStopped, site_base
from transfer.models import ImportRun

_MB = 1024 * 1024
# What each source reads from an uploaded file.
UPLOAD_KINDS = {
    ImportRun.Source.SPREADSHEET: (
        {".xlsx", ".csv", ".zip"},
        "a workbook (XLSX), a CSV file or a zip of CSV files",
    ),
    ImportRun.Source.MODERNGOV: ({".zip", ".xml"}, "a zip of saved responses, or one XML file"),
    ImportRun.Source.ARCHIVE: ({".zip"}, "the zip of an export"),
}


def _size(size: int) -> str:
    return f"{size / _MB:,.0f} MB" if size < 1024 * _MB else f"{size / (1024 * _MB):,.0f} GB"


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label="What to import from",
        choices=ImportRun.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to import from"},
    )
    upload = forms.FileField(
        label="File",
        required=False,
        help_text="A spreadsheet: a workbook (XLSX), a CSV file or a zip of CSV files, laid out "
        "as the guide says. ModernGov: a zip of the responses saved from the site. An export: "
        f"its zip. At most {_size(settings.IMPORT_UPLOAD_MAX_BYTES)}.",
    )
    papers = forms.FileField(
        label="Papers (a zip of PDFs)",
        required=False,
        help_text="For a spreadsheet: the papers its papers sheet names. At most "
        f"{_size(settings.IMPORT_PAPERS_MAX_BYTES)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    address = forms.URLField(
        label="ModernGov site's address",
        required=False,
        assume_scheme="https",
        help_text="Instead of a file, where this server can reach it: such as "
        "https://democracy.example.gov.uk. Meetings of the last six years and of the year ahead "
        "are read, with their documents.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: check every record and list the problems, writing nothing",
        required=False,
        initial=True,
    )

    def clean_upload(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > settings.IMPORT_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {_size(settings.IMPORT_UPLOAD_MAX_BYTES)}: "
                "import a larger one with manage.py import_council."
            )
        return upload

    def clean_papers(self) -> UploadedFile | None:
        papers = self.cleaned_data.get("papers")
        if not papers:
            return papers
        if papers.size > settings.IMPORT_PAPERS_MAX_BYTES:
            raise forms.ValidationError(
                f"The papers' zip must be smaller than {_size(settings.IMPORT_PAPERS_MAX_BYTES)}: "
                "import a larger one with manage.py import_council."
            )
        if not papers.name.lower().endswith(".zip") or not _is_zip(papers):
            raise forms.ValidationError("The papers must be a zip file of PDFs.")
        return papers

    def clean_address(self) -> str:
        address = self.cleaned_data.get("address") or ""
        if address:
            try:
                site_base(address)
            except ImportStopped as stop:
                raise forms.ValidationError(stop.message) from None
        return address

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source = cleaned.get("source")
        upload, address = cleaned.get("upload"), cleaned.get("address")
        if source is None or "upload" in self.errors or "address" in self.errors:
            return cleaned
        if source == ImportRun.Source.MODERNGOV:
            if upload and address:
                self.add_error("address", "Give the site's address or a file, not both.")
            elif not upload and not address:
                self.add_error("upload", "Choose the file of saved responses, or give the address")
        elif address:
            self.add_error("address", "Only a ModernGov site is read at its address.")
        elif not upload:
            self.add_error("upload", "Choose the file")
        if cleaned.get("papers") and source != ImportRun.Source.SPREADSHEET:
            self.add_error("papers", "Papers are given beside a spreadsheet only.")
        if upload and "upload" not in self.errors:
            suffixes, words = UPLOAD_KINDS[source]
            suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in suffixes:
                self.add_error("upload", f"The file must be {words}.")
            elif suffix in {".zip", ".xlsx"} and not _is_zip(upload):
                self.add_error(
                    "upload",
                    f"The file is not a real {suffix[1:].upper()} file: save it again and "
                    "choose the new copy.",
                )
        return cleaned


def _is_zip(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        return zipfile.is_zipfile(upload)
    finally:
        upload.seek(0)
