"""Today's date where the agency is (settings.TIME_ZONE), in one place.

Views read "today" here and pass it to the services and the domain, which never read the clock
themselves. Views call it through the module (``localtime.local_today()``), so a test freezes
every page at once with ``monkeypatch.setattr(localtime, "local_today", ...)``.
"""

from datetime import date

from django.utils import timezone


def local_today() -> date:
    return timezone.localdate()
