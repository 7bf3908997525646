"""Settings shared by every environment, read from environment variables with safe defaults."""

import ipaddress
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[3]  # the project root (beside manage.py)
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "demo-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("GONGKAI_DEBUG", False)
ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "gongkai.accounts",
    "gongkai.notifications",
    "gongkai.workcalendar",
    "gongkai.audits",
    "gongkai.applications",
    "gongkai.disclosure",
    "gongkai.litigation",
    "gongkai.proposals",
    "gongkai.workorders",
    "gongkai.publicity",
    "gongkai.annualreports",
    "gongkai.supervision",
    # the demo's commands (seed_demo, generate_applications, ...); nothing else imports it
    "gongkai.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # the packages' own apps, with Chinese names in the admin (gongkai.web.third_party_apps)
    "gongkai.web.third_party_apps.AxesConfig",
    "gongkai.web.third_party_apps.TasksConfig",
    "gongkai.web.third_party_apps.TasksDbConfig",
    "simple_history",
    "csp",
]

# Background work (audit batches; later reminders) goes through django-tasks. The database
# backend needs no extra service: `make run` starts `manage.py db_worker` beside the web server.
TASKS = {"default": {"BACKEND": os.environ.get("GONGKAI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Reminders (gongkai.notifications, docs/NOTIFICATIONS.md) -------------------------------------
# E-mail goes through Django's mail settings (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ...); until an
# agency sets GONGKAI_EMAIL_BACKEND (e.g. django.core.mail.backends.smtp.EmailBackend) mails are
# written to the log, so a fresh installation sends nothing over the network. SMS go through the
# adapter named here (default: the log). No SMS in the quiet hours: held until they end.
EMAIL_BACKEND = os.environ.get("GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")
GONGKAI_SMS_BACKEND = os.environ.get("GONGKAI_SMS_BACKEND", "gongkai.notifications.sms.LoggingBackend")
GONGKAI_SMS_QUIET_HOURS = os.environ.get("GONGKAI_SMS_QUIET_HOURS", "21:00-08:00")
GONGKAI_OUTBOX_INTERVAL_MINUTES = int(os.environ.get("GONGKAI_OUTBOX_INTERVAL_MINUTES", "10"))
GONGKAI_OUTBOX_STALE_MINUTES = int(os.environ.get("GONGKAI_OUTBOX_STALE_MINUTES", "10"))
GONGKAI_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("GONGKAI_OUTBOX_MAX_ATTEMPTS", "5"))

# --- Audit of uploaded reports: resource limits (docs/LIMITS.md) -------------------------------
# Each audit runs in a child process (gongkai.audits.isolation) killed after this many seconds of
# wall-clock time, with this much address space (RLIMIT_AS) and CPU time (RLIMIT_CPU, the timeout
# plus a few seconds); a killed audit ends as a failed report with a Chinese reason.
GONGKAI_AUDIT_TIMEOUT_SECONDS = int(os.environ.get("GONGKAI_AUDIT_TIMEOUT_SECONDS", "120"))
GONGKAI_AUDIT_MEMORY_MB = int(os.environ.get("GONGKAI_AUDIT_MEMORY_MB", "2048"))
# A report still "running" this long after the audit timeout had a dead worker (the child cannot
# outlive its timeout): the reaper queues it again, at most GONGKAI_AUDIT_MAX_ATTEMPTS times in
# all, then fails it with a reason. The reaper runs every GONGKAI_AUDIT_REAP_MINUTES minutes (a
# task that re-queues itself), at `manage.py reap_audits`, and whenever a batch's progress is polled.
GONGKAI_AUDIT_STALE_MARGIN_SECONDS = int(os.environ.get("GONGKAI_AUDIT_STALE_MARGIN_SECONDS", "60"))
GONGKAI_AUDIT_MAX_ATTEMPTS = int(os.environ.get("GONGKAI_AUDIT_MAX_ATTEMPTS", "2"))
GONGKAI_AUDIT_REAP_MINUTES = int(os.environ.get("GONGKAI_AUDIT_REAP_MINUTES", "5"))
# Overrides of the reader's limits (gongkai.domain.audit.limits.ReaderLimits), as JSON, e.g.
# GONGKAI_AUDIT_READER_LIMITS='{"max_pages": 1000, "max_findings": 5000}'.
GONGKAI_AUDIT_READER_LIMITS = json.loads(os.environ.get("GONGKAI_AUDIT_READER_LIMITS", "{}"))

# --- Supervision: fetching a published report by its address (gongkai.supervision.fetch) -------
# One fetch: at most this many bytes, seconds in all and redirects; only http(s). Addresses that are
# not public (private, loopback, link-local) are refused unless listed here (host names or IP
# addresses, comma-separated): empty in production, the test server's 127.0.0.1 in the tests.
GONGKAI_FETCH_MAX_BYTES = int(os.environ.get("GONGKAI_FETCH_MAX_BYTES", str(20 * 1024 * 1024)))
GONGKAI_FETCH_TIMEOUT_SECONDS = float(os.environ.get("GONGKAI_FETCH_TIMEOUT_SECONDS", "30"))
GONGKAI_FETCH_MAX_REDIRECTS = int(os.environ.get("GONGKAI_FETCH_MAX_REDIRECTS", "5"))
GONGKAI_FETCH_ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("GONGKAI_FETCH_ALLOWED_HOSTS", "").split(",") if h.strip()
]
# -----------------------------------------------------------------------------------------------

# Rate limits (django-ratelimit) count in the cache; the database cache works across processes.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("GONGKAI_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("GONGKAI_CACHE_LOCATION", "gongkai_cache"),
    }
}

# Public forms: submissions and look-ups per address (django-ratelimit rates).
GONGKAI_APPLY_RATE = os.environ.get("GONGKAI_APPLY_RATE", "10/h")
GONGKAI_LOOKUP_RATE = os.environ.get("GONGKAI_LOOKUP_RATE", "30/h")

# "Due soon" in the work list, the dashboard and the reminder job: within this many working days.
GONGKAI_DUE_SOON_WORKING_DAYS = int(os.environ.get("GONGKAI_DUE_SOON_WORKING_DAYS", "3"))

# 文书编号 of letters (one sequence per agency and year): the pattern, and the agencies' short
# names by agency code where the default (first character + first character after the region:
# 示范区教育局 → 示教) is not the one the agency uses, e.g. GONGKAI_LETTER_SHORT_NAMES='{"demo-edu": "示教"}'.
GONGKAI_LETTER_REFERENCE_PATTERN = os.environ.get("GONGKAI_LETTER_REFERENCE_PATTERN", "{short}信公〔{year}〕{number}号")
GONGKAI_LETTER_SHORT_NAMES = json.loads(os.environ.get("GONGKAI_LETTER_SHORT_NAMES", "{}"))

# -- Request size and uploads (gongkai.web.guard; docs/DEPLOYMENT.md "Web security") -------------
# A request larger than this is refused with 413 before its body is read (announced length) or
# as soon as its files pass it while streaming (gongkai.web.guard.LimitedUploadHandler). The
# largest legitimate request is an audit batch zip; five 10 MB attachments of an application come
# next. nginx's client_max_body_size should be the same figure.
GONGKAI_MAX_REQUEST_BYTES = int(os.environ.get("GONGKAI_MAX_REQUEST_BYTES", str(100 * 1024 * 1024)))
# Files above this go to a temporary file on disk while they arrive, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "gongkai.web.guard.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The text fields of one form together, as sent: an annual report's sections at their 30,000-character
# limit are about 1.6 MB when URL-encoded (9 bytes per Chinese character).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("GONGKAI_MAX_FORM_BYTES", str(5 * 1024 * 1024)))
# Files in one request: an audit batch of more reports is better uploaded as a zip.
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("GONGKAI_MAX_UPLOAD_FILES", "100"))

# -- Content-Security-Policy (django-csp 4) on every response --------------------------------------
# Strict: scripts and styles only from gongkai's own static files; no inline script, event
# handler, style attribute or <style> element in any template (tests/integration/
# test_content_security_policy.py checks every page). Images: our own files and data: URIs
# (the browsers' own form-control icons). A view that sets its own policy keeps it: attachment
# downloads are sandboxed ("default-src 'none'; sandbox", disclosure.views_public).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# -- The client's address behind a reverse proxy (gongkai.web.client_address) ----------------------
# Addresses or CIDR networks of the reverse proxies in front of gongkai, comma-separated; empty
# (the default) means clients connect directly and X-Forwarded-For is ignored. Rate limits and
# login lockouts key on the address this gives.
GONGKAI_TRUSTED_PROXIES = env_list("GONGKAI_TRUSTED_PROXIES", [])
for _proxy in GONGKAI_TRUSTED_PROXIES:  # a typo stops the start, instead of failing every request
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"GONGKAI_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None
RATELIMIT_IP_META_KEY = "gongkai.web.client_address.client_ip"
AXES_CLIENT_IP_CALLABLE = "gongkai.web.client_address.client_ip"
# Failed logins from one address, whatever the user names (password spraying), before that
# address must wait (django-ratelimit rate; the per-user-and-address lockout is django-axes').
GONGKAI_LOGIN_ADDRESS_RATE = os.environ.get("GONGKAI_LOGIN_ADDRESS_RATE", "20/h")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # outside the guard, so that its refusals (413, 400) carry the policy too
    "csp.middleware.CSPMiddleware",
    # before anything reads the body: size cap, control characters out of typed text
    "gongkai.web.guard.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, as django-axes asks: it turns a lockout into the Chinese lockout page
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parents[1] / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.accounts.context_processors.agency",
                "gongkai.accounts.context_processors.navigation",
            ],
        },
    },
]

# SQLite under var/ by default; DATABASE_URL=postgres://... for PostgreSQL (production, CI).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}",
        conn_max_age=int(os.environ.get("GONGKAI_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's readers and the writer work at once; a timeout instead of "database is locked".
    # IMMEDIATE: a writer takes the lock when its transaction starts, so two submissions at once
    # wait for each other instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # first, as django-axes asks: it refuses a locked-out login before any password check
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): after this many failures for one user name from one address,
# further attempts are refused for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("GONGKAI_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [Path(__file__).resolve().parents[1] / "static"]
STATIC_ROOT = Path(os.environ.get("GONGKAI_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The agency this installation serves (shown in the header; the demo seeds 示范区教育局).
GONGKAI_AGENCY_CODE = os.environ.get("GONGKAI_AGENCY_CODE", "demo-edu")

# --- operations (gongkai.operations): request logs, health check, worker heartbeat, backups ----
# Kept in one block (docs/DEPLOYMENT.md explains each variable).
INSTALLED_APPS += ["gongkai.operations"]
# First: every response, even a redirect to HTTPS, gets an X-Request-ID and one log line. Second:
# /healthz is answered before the HTTPS redirect and the host check (a monitor asks 127.0.0.1).
MIDDLEWARE[0:0] = [
    "gongkai.operations.middleware.RequestLogMiddleware",
    "gongkai.operations.middleware.HealthCheckMiddleware",
]

# The worker (manage.py run_worker) beats every N seconds; /healthz fails after the stale limit
# and warns when a queued task has waited longer than the lag limit.
GONGKAI_WORKER_HEARTBEAT_SECONDS = int(os.environ.get("GONGKAI_WORKER_HEARTBEAT_SECONDS", "30"))
GONGKAI_WORKER_STALE_SECONDS = int(os.environ.get("GONGKAI_WORKER_STALE_SECONDS", "120"))
GONGKAI_QUEUE_LAG_WARNING_SECONDS = int(os.environ.get("GONGKAI_QUEUE_LAG_WARNING_SECONDS", "900"))
# /healthz warns ("calendar": "provisional") when a year within this many days has no holiday notice.
GONGKAI_HEALTH_CALENDAR_DAYS = int(os.environ.get("GONGKAI_HEALTH_CALENDAR_DAYS", "60"))

# Backups (manage.py backup / restore; the worker writes one nightly at GONGKAI_BACKUP_HOUR and
# keeps the newest GONGKAI_BACKUP_KEEP). Put the directory on another disk, or copy it off the machine.
GONGKAI_BACKUP_DIR = Path(os.environ.get("GONGKAI_BACKUP_DIR", VAR_DIR / "backups"))
GONGKAI_BACKUP_KEEP = int(os.environ.get("GONGKAI_BACKUP_KEEP", "14"))
GONGKAI_BACKUP_HOUR = int(os.environ.get("GONGKAI_BACKUP_HOUR", "2"))
# An uploaded work-order sheet names citizens: it is emptied once imported, and one whose preview was
# never confirmed is deleted after this many days (on the next upload and before the nightly backup).
GONGKAI_WORKORDER_UPLOAD_DAYS = int(os.environ.get("GONGKAI_WORKORDER_UPLOAD_DAYS", "7"))
# Where pg_dump/pg_restore are, when neither /usr/lib/postgresql/*/bin nor PATH has the server's version.
GONGKAI_PG_BIN = os.environ.get("GONGKAI_PG_BIN", "")

# One line of JSON per event with request_id and user_id (gongkai.operations.logs); never request
# bodies, query strings or applicants' personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "gongkai.operations.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "gongkai.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "INFO")},
    # pdfminer warns on every damaged PDF the audit reads; the reader reports those itself
    # WeasyPrint logs every layout step at INFO (receipts, annual reports)
    "loggers": {
        "axes": {"level": "WARNING"},
        "pdfminer": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # the request line is ours (gongkai.request); runserver's own lines (make run) carry
        # query strings, at every level
        "django.server": {"level": "CRITICAL"},
    },
}
# --- end operations ------------------------------------------------------------------------------
