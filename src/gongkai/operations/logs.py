"""One log line per event, as JSON, each carrying the request id and the user id.

``RequestLogMiddleware`` (first in ``MIDDLEWARE``) puts the current request in a context variable;
``RequestContextFilter`` copies its request id and user id onto every record logged while the
request runs (Django's own warnings, the services' messages), and ``JsonFormatter`` writes each
record as one line of JSON (a traceback included, escaped, so one event stays one line).

What is never logged: request bodies, query strings, headers, cookies, client addresses. The
public forms (申请, 查询) carry applicants' names, ID numbers, phone numbers, e-mail and postal
addresses, and a query string can hold a query code; the request line has the method, the path,
the status and the time only. The front proxy (nginx) keeps the client address in its own access
log under the same request id, for the security people who need it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

_request: contextvars.ContextVar = contextvars.ContextVar("gongkai_request", default=None)

# what a proxy may send as X-Request-ID and we repeat (nginx's $request_id is 32 hex digits)
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

# LogRecord attributes that are not extra fields
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id", "user_id"}


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it is a plain token of sane length, else a new one."""
    if header and _SANE_REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


def set_current_request(request) -> contextvars.Token:
    return _request.set(request)


def reset_current_request(token: contextvars.Token) -> None:
    _request.reset(token)


def user_id_of(request, *, resolve: bool) -> int | None:
    """The signed-in user's id. ``resolve=False`` only reads a user already loaded (a log call
    inside the request must not itself query the session)."""
    if request is None:
        return None
    if resolve:
        user = getattr(request, "user", None)
    else:
        user = request.__dict__.get("_cached_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs a 4xx/5xx after the middleware has returned, passing the request along
        request = getattr(record, "request", None) or _request.get()
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None)
        if not hasattr(record, "user_id"):
            record.user_id = user_id_of(request, resolve=False)
        return True


def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", "request_id", "user_id", ...extra}`` on one line.

    Extra fields are kept only when they are plain values passed with ``extra=`` by our own code;
    objects Django attaches (``request``, ``server_time``) are dropped, never rendered.
    """

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        for key, value in record.__dict__.items():
            if (
                key not in _STANDARD
                and key not in line
                and not key.startswith("_")
                and key not in {"request", "server_time", "status_code"}
            ):
                if value is None or isinstance(value, (bool, int, float, str)):
                    line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=_plain)
