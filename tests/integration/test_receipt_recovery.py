"""An applicant whose receipt was lost in a crash gets it back.

The worker may die after the application is committed but before the receipt reaches the browser
(kill -9, out of memory). Nothing of that request's session or cache writes survives then, so the
code used to be lost: a resubmission of the same form showed the receipt without it. Now the code
is kept in the submitting browser's session *before* the commit; the same browser resubmitting
the same form gets the same receipt with its code, anyone else gets the receipt without it and an
explanation of how to recover the code, which the public status page gives too.
(tests/integration/test_applications_crash.py does the same with a real server and SIGKILL.)
"""

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client

from gongkai import localtime
from gongkai.applications import services, views_public
from gongkai.applications.models import Application
from tests.factories import bureau
from tests.integration.test_applications_public import TODAY, VALID

APPLY = "/apply/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings, monkeypatch):
    settings.GONGKAI_APPLY_RATE = "1000/h"
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    monkeypatch.setattr(views_public, "TWIN_WAIT_SECONDS", 0.2)
    bureau()
    cache.clear()
    yield
    cache.clear()


def _token(client: Client) -> str:
    html = client.get(APPLY).content.decode()
    return re.search(r'name="submission_token" value="([0-9a-f-]{36})"', html).group(1)


def _post(client: Client, token: str):
    return client.post(APPLY, {**VALID, "submission_token": token})


def _crash_after_commit(monkeypatch, client: Client, token: str) -> Application:
    """Submit; the worker dies once the case is committed: no response, no session or cache write."""

    def die(*args, **kwargs):
        raise SystemError("worker killed after the commit")

    monkeypatch.setattr(views_public, "_remember", die)
    client.raise_request_exception = False
    response = _post(client, token)
    assert response.status_code == 500
    monkeypatch.undo()
    client.raise_request_exception = True
    cache.clear()  # a real crash may also come after the cache lost its entry (or the twin window passed)
    return Application.objects.order_by("-id").first()


def _code_on(html: str) -> str | None:
    m = re.search(r'id="query-code"[^>]*>([^<]+)<', html)
    return m.group(1) if m else None


def test_the_form_page_gives_the_browser_a_session_before_anything_is_submitted(client):
    client.get(APPLY)
    assert client.cookies.get("sessionid") is not None


def test_after_a_crash_the_same_browser_resubmitting_the_same_form_sees_its_code(client, monkeypatch):
    token = _token(client)
    app = _crash_after_commit(monkeypatch, client, token)
    response = _post(client, token)
    assert response.status_code == 302 and Application.objects.count() == 1  # the same case, not a second one
    html = client.get(response["Location"]).content.decode()
    code = _code_on(html)
    assert code is not None and services.query_code_digest(code) == app.query_code_hash
    assert 'id="code-withheld"' not in html
    # the code works for the lookup
    assert client.post("/apply/status/", {"number": app.tracking_number, "code": code}).status_code == 302


def test_after_a_crash_another_browser_gets_no_code_but_is_told_how_to_recover_it(client, monkeypatch):
    token = _token(client)
    app = _crash_after_commit(monkeypatch, client, token)
    other = Client()
    html = other.get(_post(other, token)["Location"]).content.decode()
    assert _code_on(html) is None and app.tracking_number in html
    assert "同一浏览器" in html and "身份证明" in html


def test_the_kept_code_is_only_shown_for_the_application_it_was_made_for(client, monkeypatch):
    token = _token(client)
    _crash_after_commit(monkeypatch, client, token)
    session = client.session
    pending = session[views_public.SESSION_KEY]["pending"]
    pending[token]["c"] = "ZZZZZZZZ"  # e.g. a code kept for an attempt that never committed
    session.save()
    html = client.get(_post(client, token)["Location"]).content.decode()
    assert _code_on(html) is None and "ZZZZZZZZ" not in html


def test_the_kept_code_expires_and_forgetting_removes_it(client, monkeypatch):
    token = _token(client)
    _crash_after_commit(monkeypatch, client, token)
    client.post("/apply/status/forget/")
    html = client.get(_post(client, token)["Location"]).content.decode()
    assert _code_on(html) is None

    token2 = _token(client)
    _crash_after_commit(monkeypatch, client, token2)
    later = time.time() + views_public.PENDING_CODE_SECONDS + 1
    monkeypatch.setattr(views_public.time, "time", lambda: later)
    html = client.get(_post(client, token2)["Location"]).content.decode()
    assert _code_on(html) is None


def test_the_status_page_explains_how_to_recover_a_lost_code(client):
    html = client.get("/apply/status/").content.decode()
    assert "查询码遗失" in html and "同一浏览器" in html and "身份证明" in html and "回执" in html
