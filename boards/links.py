"""Addresses of the site's pages written outside a request (e-mails sent by the worker), which
therefore cannot ask the request for its host."""

from django.conf import settings


def site_url() -> str:
    """Where the links in e-mails point: ``SITE_URL`` if set, else the first allowed host
    (https in production), else the development server."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")]
    if settings.DEBUG or not hosts:
        return "http://127.0.0.1:8000"
    return f"https://{hosts[0]}"


def absolute(path: str) -> str:
    """The full address of a path of this site (``/meetings/42/``)."""
    return f"{site_url()}{path}"
