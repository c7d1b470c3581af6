"""Files wherever the storage keeps them.

Papers, originals and packs are kept by Django's storage, which may be the file system or an
object store. Code that needs a path on this machine (pikepdf, WeasyPrint, LibreOffice) asks
``local_copy`` for one: the file itself when the storage is on this machine's disk, otherwise a
temporary copy that is removed afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile


def is_local(storage: Storage) -> bool:
    """Whether the storage keeps its files on this machine's disk (it has paths)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


@contextmanager
def local_copy(file: FieldFile) -> Iterator[Path]:
    """A path on this machine holding ``file``'s bytes, for as long as the block runs."""
    try:
        path = Path(file.path)
    except NotImplementedError:
        path = None  # an object store: no local path
    if path is not None:
        yield path
        return
    name = file.name or ""
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix, prefix="scrutiny-") as copy:
        with file.storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)
