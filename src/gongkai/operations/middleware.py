"""The request id and the one request line per request (see :mod:`gongkai.operations.logs`)."""

from __future__ import annotations

import logging
import time

from gongkai.operations import logs

request_log = logging.getLogger("gongkai.request")


class RequestLogMiddleware:
    """First in the chain: every response (a redirect to HTTPS, a 404, a 500 page) gets an
    ``X-Request-ID`` and one log line ``request`` with method, path (never the query string),
    status, duration and the user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = logs.request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        token = logs.set_current_request(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": logs.user_id_of(request, resolve=True),
                },
            )
            return response
        finally:
            logs.reset_current_request(token)


class HealthCheckMiddleware:
    """Answers ``/healthz`` before the rest of the chain (second, after the request log).

    A monitor on the machine asks ``http://127.0.0.1:8000/healthz``: plain HTTP, the loopback
    address as host. Further down the chain, SecurityMiddleware would redirect it to HTTPS and
    CommonMiddleware would refuse the host (400) — both right for pages, both wrong for this one
    JSON answer, which builds no URL and shows no data of anyone. No session, no login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            from gongkai.operations.views import healthz

            return healthz(request)
        return self.get_response(request)
