"""Visit every page of the site the way its users can reach it, for the site-wide checks
(Content-Security-Policy and inline script, control characters in every query).

Starts, for each demo user and for the public, from every URL pattern that takes no parameter and
follows every link on the pages it gets that resolves to one of gongkai's URL patterns, visiting
at most ``PER_PATTERN`` URLs of each pattern (one example per parameterised page is the point, not
every case). :func:`missing_patterns` says which named patterns were never reached, so a new page
cannot escape the checks unnoticed.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html import unescape
from urllib.parse import urldefrag, urlsplit

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

PER_PATTERN = 2
USERS = (None, "jingban", "zhuren", "lingdao", "baomi", "jiandu", "chengban1", "admin")
# PDF renderings are slow and not HTML: only the first of each pattern is fetched.
SLOW_KINDS = re.compile(r"/pdf/?$")
HREF = re.compile(r'\bhref="([^"#]*)"')


@dataclass
class Visit:
    user: str | None
    url: str
    name: str
    status: int
    content_type: str
    csp: str | None
    html: str


def _patterns(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def all_pattern_names() -> set[str]:
    return {name for name, _ in _patterns()}


def start_urls() -> list[str]:
    out = []
    for name, p in _patterns():
        if p.pattern.regex.groups:
            continue
        try:
            out.append(reverse(name))
        except NoReverseMatch:
            continue
    return out


def _name_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def crawl(extra_urls: tuple[str, ...] = (), users=USERS, query: dict | None = None) -> list[Visit]:
    """GET every reachable page as each user; ``query`` is added to every request."""
    User = get_user_model()
    visits: list[Visit] = []
    for username in users:
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(User.objects.get(username=username))
        seen: set[str] = set()
        per_name: dict[str, int] = {}
        queue = deque([*start_urls(), *extra_urls])
        while queue:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            name = _name_of(url)
            if name is None or name.endswith("logout") or name.endswith("forget"):
                continue
            if per_name.get(name, 0) >= PER_PATTERN or (SLOW_KINDS.search(url) and per_name.get(name)):
                continue
            per_name[name] = per_name.get(name, 0) + 1
            response = client.get(url, query or {})
            content_type = response.get("Content-Type", "")
            html = ""
            location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
            if location.startswith("/") and location not in seen:
                queue.append(location)
            if content_type.startswith("text/html") and not response.streaming:
                html = response.content.decode("utf-8", "replace")
                for href in HREF.findall(html):
                    href = urldefrag(unescape(href))[0]
                    parts = urlsplit(href)
                    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                        continue
                    target = parts.path + (f"?{parts.query}" if parts.query else "")
                    if target not in seen:
                        queue.append(target)
            visits.append(
                Visit(
                    username,
                    url,
                    name,
                    response.status_code,
                    content_type,
                    response.get("Content-Security-Policy"),
                    html,
                )
            )
    return visits


def missing_patterns(visits: list[Visit], allowed_missing: set[str]) -> set[str]:
    reached = {v.name for v in visits}
    return {
        n for n in all_pattern_names() if n not in reached and n not in allowed_missing and not n.startswith("admin:")
    }
