"""Settings for the test suite: SQLite in memory unless DATABASE_URL names PostgreSQL (CI)."""

import os

from gongkai.settings.base import *  # noqa: F401,F403
from gongkai.settings.base import DATABASES

if "DATABASE_URL" not in os.environ:
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tasks run at once inside the request in tests; tests/integration/test_audit_worker.py runs the
# real database backend and its worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The supervision fetch tests serve reports from an http.server on this machine; production refuses it.
GONGKAI_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Static files straight from the apps' folders: the tests never run collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
