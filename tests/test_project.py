"""Project-wide guarantees: migrations committed, deployment checks clean, settings checked at
start-up, security headers."""

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import sign_in

ROOT = Path(__file__).resolve().parent.parent


def test_no_pending_migrations(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _production_env(**overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET", "ALLOWED", "DEBUG"))
    }
    env.update(
        SCRUTINY_ENVIRONMENT="production",
        SECRET_KEY="x" * 20 + "-production-secret-for-the-deploy-check-only-0123456789",
        ALLOWED_HOSTS="scrutiny.example.gov.uk",
        DATABASE_URL="sqlite:////tmp/scrutiny-deploy-check.sqlite3",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _development_env(**overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET", "ALLOWED", "DEBUG", "SCRUTINY_"))
    }
    env.update(overrides)
    return env


def test_development_logs_each_line_once():
    """Django's own logger has a console handler under DEBUG, and its records reach the root
    logger's too: a task's progress or a 404 was printed twice."""
    line = "one line from the task framework"
    script = f"import logging; logging.getLogger('django.tasks').info({line!r})"
    result = _manage("shell", "--no-imports", "-c", script, env=_development_env(DEBUG="true"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(line) == 1, result.stderr


@pytest.mark.parametrize(("port", "expected"), [(None, "8000"), ("8001", "8001")])
def test_make_run_serves_on_the_port_given(port, expected):
    """``make run PORT=8001``: the server listens there and the address printed says so. (A
    dry run: make prints the commands without running them.)"""
    args = ["make", "--dry-run", "run"] + ([f"PORT={port}"] if port else [])
    result = subprocess.run(  # noqa: S603 - make with fixed arguments
        args, cwd=ROOT, capture_output=True, text=True, env=_development_env()
    )
    assert result.returncode == 0, result.stderr
    assert f"runserver 127.0.0.1:{expected}" in result.stdout
    assert f"http://127.0.0.1:{expected} " in result.stdout
    assert "manage.py worker --queue-name '*'" in result.stdout


def test_deploy_checks_pass_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(missing):
    result = _manage("check", env=_production_env(**{missing: None}))
    assert result.returncode != 0
    assert f"Production needs these environment variables: {missing}." in result.stderr


def test_production_refuses_to_load_the_demo_accounts():
    result = _manage("load_demo", env=_production_env())
    assert result.returncode != 0
    assert "Refusing to load demo accounts" in result.stderr


def test_a_site_url_that_is_not_an_address_stops_the_app_starting():
    result = _manage(
        "check", env={"PATH": "/usr/bin:/bin", "SITE_URL": "scrutiny.aldermoor.gov.uk"}
    )
    assert result.returncode != 0
    assert "SITE_URL must start with https://" in result.stderr


def test_security_headers_on_every_page(db):
    response = Client().get(reverse("home:home"))
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in csp.split(";")) if part
    )
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    script_src = directives["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in directives["style-src"]
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts, "the base layout loads htmx and our script"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag
        assert re.search(r'src="/static/', tag), "every script is served by the app, none inline"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_each_response_gets_a_fresh_nonce(db):
    first = Client().get(reverse("home:home")).headers["Content-Security-Policy"]
    second = Client().get(reverse("home:home")).headers["Content-Security-Policy"]
    assert first != second


def test_htmx_is_configured_to_keep_pages_out_of_local_storage(db):
    response = Client().get(reverse("home:home"))
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", response.text).group(1)
    config = json.loads(config)
    assert config["historyCacheSize"] == 0
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert {"code": "409", "swap": True, "error": False} in config["responseHandling"]
    assert {"code": "422", "swap": True, "error": False} in config["responseHandling"]


def test_htmx_requests_carry_the_csrf_token(officer):
    client = sign_in(Client(enforce_csrf_checks=True), officer)
    page = client.get(reverse("home:home"))
    headers = json.loads(re.search(r"<body hx-headers='([^']+)'", page.text).group(1))
    # Without the token Django refuses the post; with the one the page hands htmx it accepts it.
    assert (
        client.post(reverse("accounts:sign-out"), headers={"HX-Request": "true"}).status_code == 403
    )
    response = client.post(
        reverse("accounts:sign-out"),
        headers={"HX-Request": "true", "X-CSRFToken": headers["X-CSRFToken"]},
    )
    assert response.status_code == 302


def test_british_conventions():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.TIME_ZONE == "Europe/London"
    assert "size: A4" in (ROOT / "static/css/print.css").read_text()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_sends_no_server_header():
    """The deployment's gunicorn settings (``-c python:scrutiny.gunicorn``) drop the ``Server``
    header that names the software (issue 15, finding 10)."""
    import http.client
    import time

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "python:scrutiny.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "scrutiny.wsgi",
        ],
        cwd=ROOT,
        env=_production_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                # A host the app does not serve: answered without touching the database.
                connection.request("GET", "/", headers={"Host": "elsewhere.example"})
                response = connection.getresponse()
                break
            except ConnectionRefusedError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        assert response.status == 400
        assert response.getheader("Date")
        assert response.getheader("Server") is None
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        (None, "django.core.cache.backends.locmem.LocMemCache", None),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "scrutiny_cache"),
        ("db://shared_cache", "django.core.cache.backends.db.DatabaseCache", "shared_cache"),
        (
            "redis://cache.internal:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache.internal:6379/1",
        ),
    ],
)
def test_the_cache_is_a_setting(url, backend, location):
    env = {"PATH": "/usr/bin:/bin", **({"CACHE_URL": url} if url else {})}
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default'])",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert f"'BACKEND': '{backend}'" in result.stdout
    if location:
        assert f"'LOCATION': '{location}'" in result.stdout


def test_a_cache_url_of_another_kind_stops_the_app_starting():
    result = _manage("check", env={"PATH": "/usr/bin:/bin", "CACHE_URL": "memcached://x"})
    assert result.returncode != 0
    assert "CACHE_URL must start locmem://, db:// or redis://" in result.stderr


def test_the_health_check_is_exempt_from_the_https_redirect():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_REDIRECT_EXEMPT)",
        env=_production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert "'^healthz$'" in result.stdout


@pytest.mark.parametrize(
    ("url", "env", "backend", "options"),
    [
        (None, {}, "django.core.files.storage.FileSystemStorage", {}),
        (
            "azure://papers",
            {"AZURE_CONNECTION_STRING": "UseDevelopmentStorage=true"},
            "storages.backends.azure_storage.AzureStorage",
            {
                "azure_container": "papers",
                "overwrite_files": True,
                "connection_string": "UseDevelopmentStorage=true",
            },
        ),
        (
            "azure://papers",
            {"AZURE_ACCOUNT_NAME": "council", "AZURE_ACCOUNT_KEY": "a2V5"},
            "storages.backends.azure_storage.AzureStorage",
            {"account_name": "council", "account_key": "a2V5"},
        ),
        (
            "s3://council-papers?endpoint_url=https://s3.example.org&region_name=eu-west-2",
            {},
            "storages.backends.s3.S3Storage",
            {
                "bucket_name": "council-papers",
                "endpoint_url": "https://s3.example.org",
                "region_name": "eu-west-2",
                "file_overwrite": True,
                "default_acl": None,
            },
        ),
    ],
)
def test_file_storage_is_a_setting(url, env, backend, options):
    """Papers, packs and the rest go to the file system, Azure Blob Storage or an S3-compatible
    store, as STORAGE_URL says; the credentials come from their own variables."""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.STORAGES['default']))",
        env={"PATH": "/usr/bin:/bin", **env, **({"STORAGE_URL": url} if url else {})},
    )
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == backend
    assert options.items() <= storage.get("OPTIONS", {}).items()


@pytest.mark.parametrize("url", ["ftp://files", "azure://", "s3://"])
def test_a_storage_url_of_another_kind_stops_the_app_starting(url):
    result = _manage("check", env={"PATH": "/usr/bin:/bin", "STORAGE_URL": url})
    assert result.returncode != 0
    assert "STORAGE_URL must be file://, azure://<container> or s3://<bucket>" in result.stderr
