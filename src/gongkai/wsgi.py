"""WSGI entry point (production: ``gunicorn gongkai.wsgi`` or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.production")
application = get_wsgi_application()
