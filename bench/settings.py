"""The bench's settings (``bench/pages.py``): the project's own, read from the same environment,
with the bench's URLs in front of the project's (``bench/urls.py``: the floor page). Never a
deployment's settings."""

import os
from pathlib import Path

from scrutiny.settings import *  # noqa: F403
from scrutiny.settings import STORAGES

ROOT_URLCONF = "bench.urls"

# The bench collects the static files (production pages need their manifest of hashed names)
# into a throw-away folder of its own, never the project's; and without compressing each file
# as a deployment does, which only serving the files themselves needs and which takes a while.
# The pages name the same files either way.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
