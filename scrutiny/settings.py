"""Settings for Scrutiny, read from environment variables only.

Development needs none: it runs on a SQLite file in the project directory with DEBUG on.
Production is ``SCRUTINY_ENVIRONMENT=production`` and refuses to start until ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DATABASE_URL`` are set. The README lists every variable.
"""

import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("SCRUTINY_ENVIRONMENT", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("SCRUTINY_ENVIRONMENT must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    missing = [
        name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production needs these environment variables: " + ", ".join(missing) + "."
        )

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-development-only-never-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "scrutiny.apps.ScrutinyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Full-text search fields and expressions (used on PostgreSQL; SQLite falls back).
    "django.contrib.postgres",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    "simple_history",
    "django_tasks_db",
    # The second factor (accounts): django-otp's authenticator-app codes and recovery codes,
    # and passkeys as django-otp devices.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # The domain, each app importing only those above it in this list (docs/architecture.md).
    "boards",
    "minutes",
    "decisions",
    "inquiries",
    "recommendations",
    # Features across the domain, above it.
    "packs",
    "search",
    "follow",
    "opendata",
    "summons",
    "transfer",
    "accounts",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for the public's pages, feeds, calendars, CSV and the API; never for someone signed
    # in (BREACH: home.middleware says why). Outside ConditionalGetMiddleware, so ETags and 304s
    # are worked out on the answer itself.
    "home.middleware.PublicCompressionMiddleware",
    # Generated answers (pages, feeds, calendars, CSV, printed PDFs) get an ETag, and "304 Not
    # Modified" when unchanged; not pages marked no-store (PrivatePagesMiddleware, inside it).
    "django.middleware.http.ConditionalGetMiddleware",
    # A public page's ETag, without the nonce and CSRF token that differ every time, so 304s work.
    "home.middleware.PageETagMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the request's data: no control characters reach a form or a view.
    "boards.middleware.ControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, verified the session (request.user.is_verified()); then a
    # staff session not yet verified reaches nothing but the second-factor pages.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # A page for someone signed in is never stored by a browser or a cache.
    "home.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scrutiny.urls"
WSGI_APPLICATION = "scrutiny.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "boards.context_processors.site",
                "home.context_processors.desks",
                "accounts.context_processors.second_factor",
            ],
            "builtins": ["boards.templatetags.council_format"],
        },
    },
]

FORM_RENDERER = "boards.forms.FormRenderer"

# Database: DATABASE_URL, or a SQLite file in the project directory.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'scrutiny.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent autosaves: WAL lets readers run beside the writer, IMMEDIATE takes the write
    # lock when a transaction begins (so it waits rather than failing half-way), and the busy
    # timeout is how long it waits.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _cache(url: str) -> dict[str, str]:
    """The cache from ``CACHE_URL``: ``locmem://`` (the default: each process its own, fine for
    one host), ``db://<table>`` (the database's, shared by every host; create the table with
    ``manage.py createcachetable``) or ``redis://…`` / ``rediss://…`` (Django's own Redis
    backend)."""
    scheme, _, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or "scrutiny_cache",
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"CACHE_URL must start locmem://, db:// or redis:// (or rediss://), not {url!r}."
    )


CACHES: dict[str, dict[str, Any]] = {"default": _cache(os.environ.get("CACHE_URL", "locmem://"))}
# The OParl API keeps objects' JSON by version (docs/api.md). Versions are read from the database,
# so a process's own cache is always right: it is the API's unless the default cache is Redis
# (shared, and one round trip a page), and it holds more than Django's default 300 entries.
CACHES["opendata"] = (
    {**CACHES["default"], "KEY_PREFIX": "opendata"}
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "opendata",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
)

# Accounts and sign-in.
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "home.signin.BreachedPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "home:home"
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())

# Throttling sign-in (django-axes; home.signin explains it): 10 wrong passwords for one
# account from one address in 5 minutes lock that account from that address; 100 from one
# address, over every account, lock the address. The admin's sign-in goes through it too.
AXES_HANDLER = "home.signin.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = 10
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", "100"))
AXES_COOLOFF_TIME = timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# How many proxies in front of the app append to X-Forwarded-For (0: none; the client's address
# is the connection's). Counting by address needs the client's real address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "home.signin.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Wrong second-factor codes count as failed sign-ins too (accounts.views); never log the code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# The second factor (accounts.second_factor): officers, clerks and administrators must have one,
# councillors may. Authenticator apps (TOTP) name the site by the council; django-otp slows
# guessing per device (1, 2, 4, 8… seconds after each wrong code) on top of the lockout above.
OTP_TOTP_ISSUER = os.environ.get("COUNCIL_NAME", "Scrutiny")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys (django-otp-webauthn) as a second factor only, never instead of the password. The
# relying party is SITE_URL's host (else the request's), the origin SITE_URL (else the
# request's own): accounts.passkeys. Hence no fixed OTP_WEBAUTHN_ALLOWED_ORIGINS (check E030).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "accounts.passkeys.relying_party_name"
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]

# British conventions.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files are served by the app (whitenoise), never from a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded papers: the largest PDF accepted (default 20 MB).
PAPER_UPLOAD_MAX_BYTES = int(os.environ.get("PAPER_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Limits on what an uploaded PDF may hold once opened (a decompression bomb passes the size
# limit above and then expands): pages, objects, and bytes after decompression.
PDF_MAX_PAGES = int(os.environ.get("PDF_MAX_PAGES", "2000"))
PDF_MAX_OBJECTS = int(os.environ.get("PDF_MAX_OBJECTS", "500000"))
PDF_MAX_DECOMPRESSED_BYTES = int(
    os.environ.get("PDF_MAX_DECOMPRESSED_BYTES", str(500 * 1024 * 1024))
)
# Moving a council's history in on the administrators' page (issue 16): the largest
# spreadsheet or file of saved ModernGov responses (default 100 MB), and the largest zip of
# papers (default 1 GB); larger ones go through `manage.py import_council`.
IMPORT_UPLOAD_MAX_BYTES = int(os.environ.get("IMPORT_UPLOAD_MAX_BYTES", str(100 * 1024 * 1024)))
IMPORT_PAPERS_MAX_BYTES = int(os.environ.get("IMPORT_PAPERS_MAX_BYTES", str(1024 * 1024 * 1024)))

# Word and OpenDocument papers are converted to tagged PDF by the task worker with LibreOffice
# headless (Debian's libreoffice-writer-nogui): the program, and how long one conversion may take.
LIBREOFFICE_PROGRAM = os.environ.get("LIBREOFFICE_PROGRAM", "soffice")
DOCUMENT_CONVERSION_SECONDS = float(os.environ.get("DOCUMENT_CONVERSION_SECONDS", "120"))
# Photographs of councillors: the largest image accepted (default 5 MB), re-encoded when stored.
PHOTO_UPLOAD_MAX_BYTES = int(os.environ.get("PHOTO_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640


def _file_storage(url: str) -> dict[str, Any]:
    """Where papers, evidence, originals, photos and built packs are kept, from ``STORAGE_URL``:
    ``file://`` (the default: ``MEDIA_ROOT`` on this machine's disk), ``azure://<container>``
    (Azure Blob Storage; the credentials from ``AZURE_CONNECTION_STRING``, or
    ``AZURE_ACCOUNT_NAME`` with ``AZURE_ACCOUNT_KEY``) or ``s3://<bucket>`` (Amazon S3 or any
    S3-compatible store; ``?endpoint_url=…&region_name=…``, the keys from
    ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``). Secrets never go in the address.
    Files are always served through the app, which checks who may read them, so the store
    stays private. Every stored name is generated or names its content, so writing over a file
    of the same name is safe."""
    scheme, _, rest = url.partition("://")
    location, _, query = rest.partition("?")
    parameters = dict(parse_qsl(query))
    if scheme == "file":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if scheme == "azure" and location:
        options: dict[str, Any] = {"azure_container": location, "overwrite_files": True}
        if connection_string := os.environ.get("AZURE_CONNECTION_STRING"):
            options["connection_string"] = connection_string
        else:
            options["account_name"] = os.environ.get("AZURE_ACCOUNT_NAME", "")
            options["account_key"] = os.environ.get("AZURE_ACCOUNT_KEY", "")
        return {"BACKEND": "storages.backends.azure_storage.AzureStorage", "OPTIONS": options}
    if scheme == "s3" and location:
        options = {"bucket_name": location, "file_overwrite": True, "default_acl": None}
        for name in ("endpoint_url", "region_name"):
            if name in parameters:
                options[name] = parameters[name]
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ImproperlyConfigured(
        f"STORAGE_URL must be file://, azure://<container> or s3://<bucket>, not {url!r}."
    )


STORAGES = {
    "default": _file_storage(os.environ.get("STORAGE_URL", "file://")),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Background work (Django's tasks framework): agenda packs and e-mail alerts are queued in the
# database and run by `manage.py worker`, which `make run` starts beside the web server.
# TASKS_BACKEND=immediate runs them inside the request instead (the tests use it).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "packs", "email", "documents"],
    }
}

# The task worker (`manage.py worker`) beats every WORKER_HEARTBEAT_SECONDS; one silent for
# WORKER_LEASE_SECONDS has stopped, and any live worker puts its running tasks back on the queue,
# up to WORKER_MAX_ATTEMPTS runs of a task before it is marked failed.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_LEASE_SECONDS = float(os.environ.get("WORKER_LEASE_SECONDS", "30"))
WORKER_MAX_ATTEMPTS = int(os.environ.get("WORKER_MAX_ATTEMPTS", "3"))
if not 0 < WORKER_HEARTBEAT_SECONDS < WORKER_LEASE_SECONDS:
    raise ImproperlyConfigured("WORKER_LEASE_SECONDS must be longer than WORKER_HEARTBEAT_SECONDS.")

# Agenda packs: one built in the request only if its papers add up to at most this many pages
# (0 in production: every pack is built by the worker). Parts render in this many processes.
PACK_INLINE_MAX_PAGES = int(os.environ.get("PACK_INLINE_MAX_PAGES", "0" if PRODUCTION else "40"))
# Each worker's cache of rendered parts and local copies of papers, keyed by content, on its own
# disk whatever STORAGE_URL says (`manage.py prune_pack_cache` empties what no build has used).
# Unset, it is MEDIA_ROOT/pack-cache.
PACK_CACHE_DIR = Path(os.environ["PACK_CACHE_DIR"]) if os.environ.get("PACK_CACHE_DIR") else None


def _cores() -> int:
    """The cores this process may run on (its CPU affinity, which a container may narrow)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# The task worker's render processes: one core fewer than the machine has, so one stays with the
# site's requests; at least one (1: the worker renders in its own process), never more than the
# cores. They and the worker run at PACK_RENDER_NICENESS (0 to 19): after the site's requests.
PACK_RENDER_PROCESSES = max(
    1, min(int(os.environ.get("PACK_RENDER_PROCESSES", _cores() - 1)), _cores())
)
PACK_RENDER_NICENESS = max(0, min(int(os.environ.get("PACK_RENDER_NICENESS", "10")), 19))

# The council this installation serves; administrators change it in the admin.
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Scrutiny")

# The site's own address (e.g. https://scrutiny.aldermoor.gov.uk), for canonical links and the
# links in e-mails, so that they never depend on the Host header a request arrived with.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SITE_URL must start with https:// (or http://).")

# When the accessibility statement was last reviewed (YYYY-MM-DD); without it the statement
# gives the date the council's details were last changed.
try:
    ACCESSIBILITY_STATEMENT_REVIEWED_ON = (
        date.fromisoformat(os.environ["ACCESSIBILITY_STATEMENT_REVIEWED_ON"])
        if os.environ.get("ACCESSIBILITY_STATEMENT_REVIEWED_ON")
        else None
    )
except ValueError as error:
    raise ImproperlyConfigured(
        "ACCESSIBILITY_STATEMENT_REVIEWED_ON must be a date written YYYY-MM-DD."
    ) from error

# E-mail (Django 6.1 mailers): the console in development, SMTP in production.
if PRODUCTION or os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "scrutiny@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. The Content Security Policy allows scripts and styles from our own origin
# only (scripts also by nonce); nothing inline, no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: [] for feature in ("camera", "microphone", "geolocation", "payment", "usb")
}
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer asks for the health check over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_HTTPS_PROXY", default=False):
        # Only behind a proxy that sets this header itself and strips it from clients.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django gives its own logger a console handler under DEBUG; records also reach the root
        # one, so each line (a task's progress, a 404) was printed twice. Only the root's prints.
        "django": {"handlers": [], "propagate": True},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The object stores' clients log every request at INFO.
        "azure": {"level": "WARNING"},
        "botocore": {"level": "WARNING"},
    },
}
