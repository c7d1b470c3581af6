"""A storage with no paths on this machine, like Azure Blob Storage or S3 (django-storages
raises NotImplementedError for ``path()``), kept in memory for tests."""

import os

from django.core.files.storage import InMemoryStorage
from django.utils._os import safe_join


class ObjectStore(InMemoryStorage):
    def path(self, name: str) -> str:
        raise NotImplementedError("An object store has no local paths.")

    def _relative_path(self, name: str) -> str:  # InMemoryStorage's, without path()
        return os.path.relpath(safe_join(self.location, name), self.location)
