"""What a hostile upload costs the server: memory while a large file arrives, and the time to refuse
a request over the size limit.

    .venv/bin/python benchmarks/uploads.py [--megabytes 90] [--repeat 3]

Builds a scratch database (see ``_scratch.py``), then sends requests through Django's WSGI handler
in this process, the body read from a file on disk as a web server would hand it over, and prints
for each case the mean and worst time and the peak of Python memory allocated while the request
was handled (tracemalloc):

- an audit upload of one ``--megabytes`` MB file (over the audit's 20 MB per-file limit: refused
  on its size, never read into memory; the file itself streams to a temporary file);
- an application with one such attachment (refused on its size the same way);
- a request announcing 1 GB (over ``GONGKAI_MAX_REQUEST_BYTES``): answered 413 before its body
  is read.

Printed figures, not a test (tests/integration/test_request_guard.py holds the rules).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from _scratch import scratch_database  # noqa: E402  (beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

BOUNDARY = "gongkaibenchboundary"


def _environ(method: str, path: str, *, body_file=None, length: int = 0, content_type: str = "", cookies: str = ""):
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.input": body_file or io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(length),
        "CONTENT_TYPE": content_type,
        "HTTP_COOKIE": cookies,
    }


def _call(handler, environ) -> tuple[int, bytes, list[tuple[str, str]]]:
    status: dict = {}

    def start_response(s, headers, exc_info=None):
        status["code"], status["headers"] = int(s.split()[0]), headers

    body = b"".join(handler(environ, start_response))
    return status["code"], body, status["headers"]


def _multipart_file(fields: dict[str, str], field: str, name: str, megabytes: int) -> Path:
    """A multipart body on disk: the fields, then one file of ``megabytes`` MB."""
    path = Path(tempfile.mkstemp(prefix="gongkai-upload-", suffix=".body")[1])
    with path.open("wb") as out:
        for key, value in fields.items():
            out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        chunk = b"x" * (1024 * 1024)
        for _ in range(megabytes):
            out.write(chunk)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path


def _measure(handler, environ_for, repeat: int) -> tuple[float, float, float, int]:
    times, peaks, status = [], [], 0
    for _ in range(repeat):
        environ = environ_for()
        tracemalloc.start()
        t = time.perf_counter()
        status, _, _ = _call(handler, environ)
        times.append((time.perf_counter() - t) * 1000)
        peaks.append(tracemalloc.get_traced_memory()[1] / (1024 * 1024))
        tracemalloc.stop()
        environ["wsgi.input"].close()
    return statistics.mean(times), max(times), max(peaks), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client

    from gongkai.demo.accounts import seed_demo

    with scratch_database("gongkai-bench-uploads-"):
        seed_demo()
        handler = WSGIHandler()
        client = Client()
        client.force_login(get_user_model().objects.get(username="jiandu"))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        status, html, headers = _call(handler, _environ("GET", "/apply/"))
        assert status == 200, (status, html[:300])
        csrf_cookie = next(
            v.strip().split(";")[0].split("=", 1)[1]
            for k, v in headers
            if k == "Set-Cookie" and v.strip().startswith("csrftoken=")
        )
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
        cookies = f"csrftoken={csrf_cookie}; {settings.SESSION_COOKIE_NAME}={session}"
        print(
            f"file size {args.megabytes} MB, {args.repeat} requests each; request limit "
            f"{settings.GONGKAI_MAX_REQUEST_BYTES // (1024 * 1024)} MB, files above "
            f"{settings.FILE_UPLOAD_MAX_MEMORY_SIZE // 1024} KB go to disk"
        )
        print(f"{'case':58} {'status':>6} {'mean ms':>9} {'worst ms':>9} {'peak MB':>8}")

        cases = [
            (
                "audit upload, one large .txt (jiandu)",
                "/audit/",
                "files",
                "big.txt",
                {"csrfmiddlewaretoken": token, "title": "bench"},
            ),
            (
                "public application, one large attachment",
                "/apply/",
                "attachments",
                "big.pdf",
                {
                    "csrfmiddlewaretoken": token,
                    "applicant_type": "natural_person",
                    "applicant_name": "刘洋",
                    "description": "2025年招生划片方案",
                },
            ),
        ]
        for label, path, field, name, fields in cases:
            body = _multipart_file(fields, field, name, args.megabytes)
            size = body.stat().st_size

            def environ_for(path=path, body=body, size=size):
                return _environ(
                    "POST",
                    path,
                    body_file=body.open("rb"),
                    length=size,
                    content_type=f"multipart/form-data; boundary={BOUNDARY}",
                    cookies=cookies,
                )

            mean, worst, peak, status = _measure(handler, environ_for, args.repeat)
            print(f"{label:58} {status:>6} {mean:>9.0f} {worst:>9.0f} {peak:>8.1f}")
            body.unlink()

        def announced_gigabyte():
            return _environ(
                "POST",
                "/apply/",
                body_file=io.BytesIO(b"x" * 1024),
                length=1024**3,
                content_type=f"multipart/form-data; boundary={BOUNDARY}",
                cookies=cookies,
            )

        mean, worst, peak, status = _measure(handler, announced_gigabyte, args.repeat)
        print(f"{'a request announcing 1 GB (over the limit)':58} {status:>6} {mean:>9.1f} {worst:>9.1f} {peak:>8.1f}")


if __name__ == "__main__":
    main()
