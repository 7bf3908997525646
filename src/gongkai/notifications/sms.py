"""SMS through an adapter: the backend named by ``settings.GONGKAI_SMS_BACKEND`` (a dotted path).

The default, :class:`LoggingBackend`, writes the text to the log and sends nothing: no network in the
tests, nor at run time until an agency configures a provider. A real provider is a class with the
same ``send`` (docs/NOTIFICATIONS.md documents one provider's interface to write it against).
"""

from __future__ import annotations

import logging
import uuid
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("gongkai.notifications.sms")

DEFAULT_BACKEND = "gongkai.notifications.sms.LoggingBackend"


class SmsError(Exception):
    """The provider refused or failed; the message is tried again later (its text is kept)."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send ``text`` to ``phone``; return the provider's id of the message, or raise SmsError."""


class LoggingBackend:
    """Sends nothing: logs the message (the default, and the tests')."""

    sent: list[tuple[str, str]] = []  # what was "sent" in this process, for the tests

    def send(self, phone: str, text: str) -> str:
        log.info("SMS to %s: %s", phone, text)
        LoggingBackend.sent.append((phone, text))
        return f"log-{uuid.uuid4().hex[:12]}"


def backend() -> SmsBackend:
    return import_string(getattr(settings, "GONGKAI_SMS_BACKEND", DEFAULT_BACKEND))()
