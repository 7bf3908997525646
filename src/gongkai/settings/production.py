"""Settings for a real office. Refuses to start without a secret key and the host names.

Required: GONGKAI_SECRET_KEY, GONGKAI_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL).
Behind TLS by default; set GONGKAI_SECURE_SSL_REDIRECT=0 only when a proxy already redirects.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from gongkai.settings.base import *  # noqa: F401,F403
from gongkai.settings.base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("demo-"):
    raise ImproperlyConfigured("GONGKAI_SECRET_KEY must be set to a random string of at least 50 characters")
if not os.environ.get("GONGKAI_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("GONGKAI_ALLOWED_HOSTS must list the host names this site is served under")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("GONGKAI_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GONGKAI_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("GONGKAI_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
