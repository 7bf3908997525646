"""Failed logins per client address, across user names (password spraying).

django-axes locks one user name from one address after a few failures; an attacker trying one
common password on every account from one address never reaches that. This counts the failed
logins of an address (whatever the names) in the cache with django-ratelimit, and refuses every
login from the address once ``GONGKAI_LOGIN_ADDRESS_RATE`` is used up. Only failures count, so an
office whose staff all log in from one address every morning is never refused.
"""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import get_usage

LOGIN_GROUP = "gongkai.login.address"
TOO_MANY_FAILURES = "此地址登录失败次数过多，为保护账号安全，请稍后再试。"


def _rate(group, request) -> str:
    return settings.GONGKAI_LOGIN_ADDRESS_RATE


def address_blocked(request) -> bool:
    usage = get_usage(request, group=LOGIN_GROUP, key="ip", rate=_rate, method="POST", increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def count_failure(request) -> None:
    get_usage(request, group=LOGIN_GROUP, key="ip", rate=_rate, method="POST", increment=True)
