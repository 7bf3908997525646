"""Control characters in typed text and oversized requests (gongkai.web.guard).

A NUL byte made the public search a 500 (SQLite's full-text query parser chokes on it, PostgreSQL
refuses it in any text parameter); the same held for every query parameter a view reads directly.
The tests here run on SQLite and watch every SQL statement: no parameter may carry a NUL, which is
what PostgreSQL would refuse. Size: a request over ``GONGKAI_MAX_REQUEST_BYTES`` is answered 413
before it is read, an upload stops while streaming at the same limit, and too many files are
refused, each with a Chinese page."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.core.management import call_command
from django.db import connection
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.web.guard import LimitedUploadHandler
from tests.factories import bureau
from tests.integration import crawl

pytestmark = pytest.mark.django_db

# every name a view reads straight from request.GET / request.POST, plus the forms' own fields
PARAMETERS = (
    "q",
    "column",
    "page",
    "after",
    "agency",
    "year",
    "kind",
    "result",
    "application",
    "version",
    "interprets",
    "view",
    "number",
    "mode",
    "state",
    "status",
    "next",
)


@pytest.fixture
def nul_watch():
    """Every SQL parameter (and statement) that carries a NUL: what PostgreSQL refuses."""
    found: list[tuple[str, object]] = []

    def watch(execute, sql, params, many, context):
        groups = params if many else [params]
        for group in groups or ():
            values = group.values() if isinstance(group, dict) else (group or ())
            found.extend(
                (sql, v)
                for v in values
                if isinstance(v, (str, bytes)) and ("\x00" in v if isinstance(v, str) else b"\x00" in v)
            )
        if "\x00" in sql:
            found.append((sql, None))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield found


def test_a_nul_byte_in_the_public_search_is_a_normal_page_with_a_chinese_note(client, nul_watch):
    bureau()
    client.raise_request_exception = False
    response = client.get("/xxgk/search/?q=ab%00")
    assert response.status_code == 200
    html = response.content.decode()
    assert "控制字符" in html and "搜索政府信息" in html
    assert nul_watch == []


def test_no_query_parameter_of_any_page_carries_a_nul_to_the_database(nul_watch):
    call_command("seed_demo", verbosity=0)
    hostile = {name: f"x\x00{name}" for name in PARAMETERS}
    visits = crawl.crawl(query=hostile, users=(None, "jingban", "zhuren", "jiandu", "admin"))
    errors = [(v.user, v.url, v.status) for v in visits if v.status >= 500]
    assert errors == []
    assert nul_watch == []
    assert len(visits) > 100


def test_control_characters_never_reach_a_stored_application(client, nul_watch, monkeypatch, settings):
    bureau()
    settings.GONGKAI_APPLY_RATE = "1000/h"
    html = client.get(reverse("applications:public_apply")).content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', html).group(1)
    data = {
        "submission_token": token,
        "applicant_type": "natural_person",
        "applicant_name": "刘\x00洋\x01",
        "id_document_type": "resident_id",
        "id_document_number": "110101199001011237",
        "phone": "13800000000",
        "email": "liuyang@example.com",
        "address": "学府路\x0b1号",
        "postcode": "100000",
        "description": "招生\x00划片方案",
        "delivery_form": "electronic",
        "delivery_channel": "email",
        "attachments": [SimpleUploadedFile("通知\x00.txt", "请提供。".encode())],
    }
    response = client.post(reverse("applications:public_apply"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    app = Application.objects.get()
    assert (app.applicant_name, app.address, app.description) == ("刘洋", "学府路1号", "招生划片方案")
    assert app.attachments.get().original_name == "通知.txt"
    assert nul_watch == []


def test_a_login_with_a_nul_in_the_user_name_is_refused_in_chinese(client, nul_watch):
    bureau()
    client.raise_request_exception = False
    response = client.post(reverse("accounts:login"), {"username": "jingban\x00", "password": "x"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert nul_watch == []


# -- size --------------------------------------------------------------------------------------------


def test_a_request_announcing_more_than_the_limit_is_refused_before_it_is_read(client, settings):
    bureau()
    settings.GONGKAI_MAX_REQUEST_BYTES = 64 * 1024
    client.raise_request_exception = False
    body = encode_multipart(BOUNDARY, {"files": [SimpleUploadedFile("big.txt", b"x" * 100_000)]})
    response = client.generic("POST", reverse("applications:public_apply"), body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 413
    html = response.content.decode()
    assert "提交的内容过大" in html and "64KB" in html and "没有保存任何内容" in html
    assert Application.objects.count() == 0


def test_an_upload_stops_while_streaming_at_the_limit_and_big_files_go_to_disk(settings):
    settings.GONGKAI_MAX_REQUEST_BYTES = 3 * 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

    def parse(files):
        body = encode_multipart(BOUNDARY, {"a": "1", "f": files})
        request = RequestFactory().generic("POST", "/", body, content_type=MULTIPART_CONTENT)
        handlers = [
            LimitedUploadHandler(request),
            MemoryFileUploadHandler(request),
            TemporaryFileUploadHandler(request),
        ]
        counted = []
        stream = io.BytesIO(body)
        real_read = stream.read

        def read(*args):
            chunk = real_read(*args)
            counted.append(len(chunk))
            return chunk

        stream.read = read
        meta = {**request.META, "CONTENT_LENGTH": str(len(body))}
        post, uploaded = MultiPartParser(meta, stream, handlers).parse()
        return request, post, uploaded, sum(counted), len(body)

    request, post, uploaded, _, _ = parse([SimpleUploadedFile("small.txt", b"s" * 1000)])
    assert type(uploaded["f"]) is InMemoryUploadedFile and uploaded["f"].size == 1000
    # a request above FILE_UPLOAD_MAX_MEMORY_SIZE: its files are written to disk as they arrive
    request, post, uploaded, _, _ = parse([SimpleUploadedFile("big.txt", b"b" * 2 * 1024 * 1024)])
    assert not getattr(request, "upload_too_large", False)
    assert type(uploaded["f"]) is TemporaryUploadedFile and uploaded["f"].size == 2 * 1024 * 1024

    request, post, uploaded, read, size = parse([SimpleUploadedFile("huge.txt", b"h" * 8 * 1024 * 1024)])
    assert request.upload_too_large is True and not uploaded
    assert read < size / 2  # stopped while streaming: most of the body was never read


def test_too_many_files_in_one_request_are_refused_in_chinese(client, settings):
    bureau()
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client.raise_request_exception = False
    files = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(4)]
    response = client.post(reverse("applications:public_apply"), {"attachments": files})
    assert response.status_code == 413 and "文件过多" in response.content.decode()


def test_a_form_bigger_than_the_text_limit_is_refused_in_chinese(client, settings):
    bureau()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.raise_request_exception = False
    response = client.post(reverse("accounts:login"), {"username": "x" * 20_000, "password": "y"})
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()


def test_the_shipped_limits_cap_every_request():
    from django.conf import settings

    assert settings.FILE_UPLOAD_HANDLERS[0] == "gongkai.web.guard.LimitedUploadHandler"
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 100
    assert 0 < settings.GONGKAI_MAX_REQUEST_BYTES <= 200 * 1024 * 1024
    assert settings.MIDDLEWARE.index("gongkai.web.guard.RequestGuardMiddleware") < settings.MIDDLEWARE.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )


def test_an_oversized_audit_upload_is_refused_on_its_size_without_being_read(client, monkeypatch):
    from gongkai.audits import uploads
    from gongkai.audits.models import AuditBatch

    client.force_login(bureau().people["jiandu"])
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 4096)
    reads = []
    real = InMemoryUploadedFile.read

    def read(f):  # the server's copy only (the test client probes its SimpleUploadedFile for .read)
        if type(f) is not SimpleUploadedFile:
            reads.append(f.name)
        return real.fget(f)

    monkeypatch.setattr(InMemoryUploadedFile, "read", property(read))
    response = client.post(reverse("audits:batches"), {"files": [SimpleUploadedFile("大报告.txt", b"x" * 5000)]})
    assert (
        response.status_code == 200
        and "超过" in response.content.decode()
        and "大报告.txt" in response.content.decode()
    )
    assert reads == [] and AuditBatch.objects.count() == 0
