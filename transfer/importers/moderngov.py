"""Import from moderngov (issue 16, point 3/4): to be built."""

from pathlib import Path

from transfer.importing import Importer


def run(importer: Importer, path: Path) -> None:
    raise NotImplementedError
