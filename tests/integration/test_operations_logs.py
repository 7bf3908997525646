"""Logs: one JSON line per event with the request id and the user id, never an applicant's data."""

import io
import json
import logging
import re
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from gongkai import localtime
from gongkai.applications.models import Application
from gongkai.operations.logs import JsonFormatter, RequestContextFilter
from tests.factories import bureau

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "欧阳测试",
    "contact_person": "司马联系",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13912345678",
    "email": "ouyang.private@example.org",
    "address": "示范区梧桐巷77号",
    "postcode": "100088",
    "description": "关于梧桐巷拆迁补偿的文件",
    "document_number_hint": "",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}


@pytest.fixture
def lines():
    """Every record logged during the test, formatted by the configured formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_the_settings_send_every_record_through_the_json_formatter_and_the_request_filter():
    console = settings.LOGGING["handlers"]["console"]
    assert settings.LOGGING["formatters"][console["formatter"]]["()"] == "gongkai.operations.logs.JsonFormatter"
    assert [settings.LOGGING["filters"][f]["()"] for f in console["filters"]] == [
        "gongkai.operations.logs.RequestContextFilter"
    ]
    assert settings.MIDDLEWARE[:2] == [
        "gongkai.operations.middleware.RequestLogMiddleware",
        "gongkai.operations.middleware.HealthCheckMiddleware",
    ]


@pytest.mark.django_db
def test_a_request_logs_one_line_with_the_proxys_request_id_echoed_back(client, lines):
    response = client.get(
        "/accounts/login/?next=/work/secret-query", HTTP_X_REQUEST_ID="0f3c2a9be1d84c71a2b5c6d7e8f90123"
    )
    assert response["X-Request-ID"] == "0f3c2a9be1d84c71a2b5c6d7e8f90123"
    (line,) = [x for x in lines() if x["logger"] == "gongkai.request"]
    assert set(line) == {
        "ts",
        "level",
        "logger",
        "msg",
        "request_id",
        "user_id",
        "method",
        "path",
        "status",
        "duration_ms",
    }
    assert line["request_id"] == "0f3c2a9be1d84c71a2b5c6d7e8f90123" and line["user_id"] is None
    assert (line["method"], line["path"], line["status"]) == ("GET", "/accounts/login/", 200)
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", line["ts"])
    assert "secret-query" not in json.dumps(lines())


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "short", "x" * 200, "abc def\nforged line", "<script>1234567</script>"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(client, lines, header):
    extra = {"HTTP_X_REQUEST_ID": header} if header is not None else {}
    response = client.get("/accounts/login/", **extra)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    (line,) = [x for x in lines() if x["logger"] == "gongkai.request"]
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_signed_in_users_requests_carry_their_id_and_other_records_the_same_request_id(client, lines):
    bureau()
    user = get_user_model().objects.get(username="jingban")
    client.force_login(user)
    response = client.get("/work/does-not-exist/")
    assert response.status_code == 404
    records = [x for x in lines() if x["request_id"] == response["X-Request-ID"]]
    request_line = next(x for x in records if x["logger"] == "gongkai.request")
    assert request_line["user_id"] == user.pk and request_line["status"] == 404
    # Django's own "Not Found" warning, logged inside the request, carries the same ids
    assert any(x["logger"] == "django.request" and x["level"] == "WARNING" and x["user_id"] == user.pk for x in records)


@pytest.mark.django_db
def test_a_public_application_logs_no_personal_data(client, lines, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: date(2026, 3, 2))
    cache.clear()
    bureau()
    html = client.get("/apply/").content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', html).group(1)
    response = client.post("/apply/", {**APPLICANT, "submission_token": token})
    assert response.status_code == 302, response.context["form"].errors
    app = Application.objects.get()
    receipt = client.get(response["Location"]).content.decode()
    code = re.search(r'id="query-code"[^>]*>([^<]+)<', receipt).group(1)
    client.post("/apply/status/", {"number": app.tracking_number, "code": code})
    client.get(f"/apply/status/?number={app.tracking_number}&code={code}")

    logged = lines()
    assert [x["status"] for x in logged if x["logger"] == "gongkai.request" and x["path"] == "/apply/"] == [200, 302]
    text = json.dumps(logged, ensure_ascii=False)
    personal = [
        v
        for k, v in APPLICANT.items()
        if k not in {"applicant_type", "id_document_type", "delivery_form", "delivery_channel", "document_number_hint"}
    ]
    for value in [*personal, "13912345678", "ouyang.private", code]:
        assert value not in text, f"{value} was logged"
    cache.clear()


def test_an_exception_stays_one_line_and_objects_passed_along_are_not_rendered():
    class Request:
        def __repr__(self):
            return "<request with a body: 欧阳测试>"

    record = logging.getLogger("gongkai.test").makeRecord(
        "gongkai.test",
        logging.ERROR,
        __file__,
        1,
        "failed: %s",
        ("x",),
        None,
        extra={"request": Request(), "case": 7},
    )
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RequestContextFilter().filter(record)
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["msg"] == "failed: x" and line["case"] == 7 and "ValueError: boom" in line["exc"]
    assert "欧阳测试" not in text and "request" not in {k for k in line if k != "request_id"}
