"""OParl list pages on a ten-year council (not run by the tests): each page's time and size
built cold (nothing in the cache), served again (from the cache), revalidated (304) and
gzipped, against the floor, a view rendering base.html, through the same middleware.

    .venv/bin/python bench/oparl.py [--repeat 15] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    "/api/oparl/v1/meeting/",
    "/api/oparl/v1/meeting/?page=20",
    "/api/oparl/v1/agendaitem/?page=50",
    "/api/oparl/v1/paper/?page=100",
    "/api/oparl/v1/consultation/?page=30",
    "/api/oparl/v1/file/?page=150",
    "/api/oparl/v1/organization/",
    "/api/oparl/v1/meeting/?modified_since=2000-01-01T00%3A00%3A00%2B00%3A00&page=3",
]


def _setup(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _floor_urls() -> str:
    """A URLconf with the floor beside the site's own URLs."""
    from django.shortcuts import render
    from django.urls import include, path

    module = types.ModuleType("bench_floor_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("floor/", lambda request: render(request, "base.html")),
        path("", include("scrutiny.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def _time(client, url: str, repeat: int, **headers) -> tuple[float, int, int]:
    """The median of ``repeat`` requests in milliseconds, the last answer's status and size."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, response.status_code, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--data", help="a directory to keep the data in (made once)")
    args = parser.parse_args()
    workdir = Path(args.data or tempfile.mkdtemp(prefix="scrutiny-oparl-"))
    workdir.mkdir(parents=True, exist_ok=True)
    fresh = not (workdir / "bench.sqlite3").exists()
    _setup(workdir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from opendata import oparl_cache

    call_command("migrate", verbosity=0)
    if fresh:
        from bench.council import generate

        print("Made:", generate(years=10, boards=20).counts)
    client = Client(HTTP_HOST="127.0.0.1")
    cache = oparl_cache.json_cache()
    with override_settings(ROOT_URLCONF=_floor_urls()):
        _time(client, "/floor/", 5)
        floor = _time(client, "/floor/", args.repeat * 4)[0]
    print(f"\nThe floor (base.html, same middleware): {floor:.1f} ms; times are medians (ms)\n")
    header = (
        f"{'page':58} {'KB':>5} {'gz KB':>6} {'cold':>7} {'served':>7} {'x floor':>7} "
        f"{'304':>6} {'queries':>7}"
    )
    print(header)
    print("-" * len(header))
    for url in PAGES:
        cold_times = []
        for _ in range(3):
            cache.clear()
            started = time.perf_counter()
            client.get(url)
            cold_times.append((time.perf_counter() - started) * 1000)
        served, status, size = _time(client, url, args.repeat)
        assert status == 200, (url, status)
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        etag = packed["ETag"]
        revalidated, status, _size = _time(client, url, args.repeat, **{"If-None-Match": etag})
        assert status == 304, (url, status)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(
            f"{url:58} {size / 1024:5.0f} {len(packed.content) / 1024:6.0f} "
            f"{statistics.median(cold_times):7.1f} {served:7.1f} {served / floor:7.1f} "
            f"{revalidated:6.1f} {len(queries):7}"
        )
    print(f"\n(data in {workdir})")


if __name__ == "__main__":
    main()
