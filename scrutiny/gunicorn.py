"""gunicorn's settings for Scrutiny: ``gunicorn -c python:scrutiny.gunicorn scrutiny.wsgi``.

Any setting here can still be given on the command line (``--workers``, ``--bind``).
"""

from gunicorn.http import wsgi  # type: ignore[import-untyped]

# The address and the worker count are the deployment's to choose; these are a safe start.
bind = "127.0.0.1:8000"
# Bounded request lines and headers: gunicorn's defaults, said out loud.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


class _Response(wsgi.Response):
    """No ``Server`` header: which software answers is nobody's business (ASVS 13.4.6)."""

    def default_headers(self) -> list[str]:
        return [line for line in super().default_headers() if not line.startswith("Server:")]


wsgi.Response = _Response  # gunicorn offers no setting for it
