"""The client's address behind a reverse proxy, and what keys on it: the public forms' rate limits,
the login lockout (per user name *and* address) and the per-address login throttle across user
names (password spraying). Each in the direct setup (no proxy: X-Forwarded-For is the client's
own word and ignored) and behind a trusted proxy."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from gongkai.web.client_address import client_ip
from tests.factories import PASSWORD, bureau

PROXY = "10.0.0.2"
LOGIN = "/accounts/login/"
STATUS = "/apply/status/"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def direct(settings):
    settings.GONGKAI_TRUSTED_PROXIES = []


@pytest.fixture
def proxied(settings):
    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.0/24", "fd00::/8"]


def _ip(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_a_trusted_proxy_the_peer_is_the_client_whatever_the_header_says(direct):
    assert _ip("203.0.113.7") == "203.0.113.7"
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert _ip(PROXY, "198.51.100.1") == PROXY  # no proxy configured: not even a private peer is one


def test_behind_a_trusted_proxy_the_client_is_the_last_hop_it_did_not_add_itself(proxied):
    assert _ip(PROXY, "198.51.100.1") == "198.51.100.1"
    assert _ip(PROXY, "6.6.6.6, 198.51.100.1") == "198.51.100.1"  # what the client wrote itself is ignored
    assert _ip(PROXY, "198.51.100.1, 10.0.0.9") == "198.51.100.1"  # two proxies of ours
    assert _ip(PROXY, "[2001:db8::5]:4711") == "2001:db8::5"
    assert _ip("fd00::1", "198.51.100.1:5000") == "198.51.100.1"
    assert _ip(PROXY, "") == PROXY and _ip(PROXY) == PROXY
    assert _ip(PROXY, "6.6.6.6, not-an-address") == PROXY  # a hop we cannot read: stop at what we trust
    # a peer that is not our proxy cannot choose its address by sending the header
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def _lookup(client: Client, remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(STATUS, {"number": "YSQ-2026-000001", "code": "ABCDEFGH"}, REMOTE_ADDR=remote, **extra)


@pytest.mark.django_db
def test_behind_the_proxy_each_visitor_has_their_own_lookup_budget(proxied, settings, client):
    bureau(admin=True)
    settings.GONGKAI_LOOKUP_RATE = "2/h"
    assert [_lookup(client, PROXY, "198.51.100.1").status_code for _ in range(3)] == [404, 404, 429]
    assert _lookup(client, PROXY, "198.51.100.2").status_code == 404  # another visitor is not limited


@pytest.mark.django_db
def test_a_spoofed_header_from_an_untrusted_peer_does_not_buy_a_fresh_budget(direct, settings, client):
    bureau(admin=True)
    settings.GONGKAI_LOOKUP_RATE = "2/h"
    statuses = [_lookup(client, "203.0.113.7", f"198.51.100.{i}").status_code for i in range(3)]
    assert statuses == [404, 404, 429]


def _login(client: Client, username: str, password: str, remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=remote, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("setup", ["direct", "proxied"])
def test_a_stranger_elsewhere_cannot_lock_a_staff_member_out(setup, settings, request):
    request.getfixturevalue(setup)
    bureau(admin=True)
    attacker = (PROXY, "198.51.100.66") if setup == "proxied" else ("198.51.100.66", None)
    staff = (PROXY, "203.0.113.10") if setup == "proxied" else ("203.0.113.10", None)
    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _login(stranger, "zhuren", "wrong", *attacker)
    assert _login(stranger, "zhuren", PASSWORD, *attacker).status_code == 429  # the stranger is locked out
    office = Client()
    response = _login(office, "zhuren", PASSWORD, *staff)
    assert response.status_code == 302 and "_auth_user_id" in office.session


@pytest.mark.django_db
def test_a_spoofed_header_does_not_escape_the_lockout_in_the_direct_setup(direct, settings):
    bureau(admin=True)
    stranger = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(stranger, "zhuren", "wrong", "198.51.100.66", f"192.0.2.{i}")
    assert _login(stranger, "zhuren", PASSWORD, "198.51.100.66", "192.0.2.200").status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("setup", ["direct", "proxied"])
def test_password_spraying_from_one_address_is_throttled_across_user_names(setup, settings, request):
    request.getfixturevalue(setup)
    bureau(admin=True)
    settings.GONGKAI_LOGIN_ADDRESS_RATE = "6/h"
    sprayer = (PROXY, "198.51.100.66") if setup == "proxied" else ("198.51.100.66", None)
    other = (PROXY, "203.0.113.10") if setup == "proxied" else ("203.0.113.10", None)
    client = Client()
    names = ["jingban", "zhuren", "lingdao", "baomi", "jiandu", "admin"]
    assert [_login(client, n, "Summer2026!", *sprayer).status_code for n in names] == [200] * 6
    refused = _login(client, "nobody", "Summer2026!", *sprayer)
    assert refused.status_code == 429 and "此地址登录失败次数过多" in refused.content.decode()
    # even the right password waits: the address is throttled, not the account
    right = _login(client, "jingban", PASSWORD, *sprayer)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert "用户名或密码不正确" not in right.content.decode()  # the password is not even checked
    # everyone else logs in as usual
    assert _login(Client(), "jingban", PASSWORD, *other).status_code == 302


@pytest.mark.django_db
def test_successful_logins_do_not_count_against_the_address(direct, settings):
    bureau(admin=True)
    settings.GONGKAI_LOGIN_ADDRESS_RATE = "3/h"
    for _ in range(6):  # an office behind one address: many people log in every morning
        client = Client()
        assert _login(client, "jingban", PASSWORD, "203.0.113.10").status_code == 302


def test_a_mistyped_trusted_proxy_stops_the_start_with_a_clear_message():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings.test",
        "GONGKAI_TRUSTED_PROXIES": "10.0.0.0/8,10.0.0.300",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0 and "GONGKAI_TRUSTED_PROXIES: '10.0.0.300'" in done.stderr
