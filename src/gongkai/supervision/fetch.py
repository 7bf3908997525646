"""Fetch a published annual report from its address, within limits.

The supervisor names the address of an agency's report; the worker fetches it once and keeps the copy
with the fetch date and its SHA-256. What is fetched is whatever a stranger put at that address, so:

- only ``http`` and ``https``, no user name or password in the address;
- every connection is checked *after* it is made, on the address actually connected to: a private,
  loopback, link-local or otherwise non-public address is refused (so a name that resolves to
  127.0.0.1, or a redirect to the intranet, reaches nothing) unless it is in ``allowed_hosts``
  (``GONGKAI_FETCH_ALLOWED_HOSTS``: empty in production, the test server's 127.0.0.1 in tests);
- at most ``max_redirects`` redirects, each target checked like the first address;
- a time limit for the whole fetch (checked between reads; one read waits at most the limit, so a
  fetch ends within twice the limit at worst), a size limit
  (the declared length first, then while reading), and only the content types the audit reads.

Errors are :class:`FetchError` with a Chinese message, recorded as the filing's failure.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import re
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

USER_AGENT = "gongkai-supervision/1.0 (+annual report review)"

# the types the audit reader reads, and the file suffix each gets (the reader names formats by it)
CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
# servers often send a download as one of these: accepted only when the name says PDF or Word
GENERIC_TYPES = {
    "application/octet-stream",
    "application/x-download",
    "application/force-download",
    "binary/octet-stream",
}
GENERIC_SUFFIXES = {".pdf", ".docx"}
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


class FetchError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int
    timeout: float
    max_redirects: int
    allowed_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    content_type: str
    filename: str
    data: bytes
    sha256: str
    redirects: int


def check_url(url: str) -> None:
    """Refuse what is not an http(s) address before anything is queued (the fetch checks again)."""
    _split(url)


def _split(url: str):
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError("只能获取http或https网址")
    if not parts.hostname:
        raise FetchError("网址缺少主机名")
    if parts.username or parts.password:
        raise FetchError("网址中不能包含用户名或密码")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise FetchError("网址的端口无效") from exc
    return parts


def _address_allowed(address: str, host: str, policy: FetchPolicy) -> bool:
    if address in policy.allowed_hosts or host in policy.allowed_hosts:
        return True
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global


def _refuse_private(address: str, host: str) -> FetchError:
    return FetchError(f"拒绝访问内网或本机地址：{host}（{address}）")


class _Checked:
    """Mixed into the connections: after the socket connects, the peer's address is checked."""

    policy: FetchPolicy

    def connect(self):
        super().connect()
        address = self.sock.getpeername()[0]
        if not _address_allowed(address, self.host, self.policy):
            self.sock.close()
            raise _refuse_private(address, self.host)


class _HTTP(_Checked, http.client.HTTPConnection):
    pass


class _HTTPS(_Checked, http.client.HTTPSConnection):
    pass


def _filename(parts, disposition: str | None, suffix: str) -> str:
    name = ""
    if disposition:
        msg = Message()
        msg["content-disposition"] = disposition
        name = msg.get_filename() or ""
    if not name:
        name = unquote(PurePosixPath(parts.path).name) or (parts.hostname or "report")
    name = re.sub(r"[\x00-\x1f/\\]", "_", name)[:200]
    if PurePosixPath(name).suffix.lower() != suffix:
        name += suffix
    return name


def _content_type(header: str | None, parts, disposition: str | None) -> tuple[str, str]:
    ctype = (header or "").split(";")[0].strip().lower()
    if ctype in CONTENT_TYPES:
        return ctype, CONTENT_TYPES[ctype]
    if ctype in GENERIC_TYPES or not ctype:
        guess = PurePosixPath(_filename(parts, disposition, "")).suffix.lower()
        if guess in GENERIC_SUFFIXES:
            return ctype or "application/octet-stream", guess
    shown = ctype or "未声明"
    raise FetchError(f"内容类型不是可审计的年度报告（{shown}）：支持网页、文本、PDF和Word .docx")


def fetch(url: str, policy: FetchPolicy, *, clock=time.monotonic) -> Fetched:
    start = clock()

    def remaining() -> float:
        left = policy.timeout - (clock() - start)
        if left <= 0:
            raise FetchError(f"获取超时：超过{policy.timeout:g}秒")
        return left

    current = url.strip()
    for redirects in range(policy.max_redirects + 1):
        parts = _split(current)
        host = parts.hostname
        try:  # an address typed as a number is refused before any connection
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None and not _address_allowed(str(literal), host, policy):
            raise _refuse_private(str(literal), host)
        cls = _HTTPS if parts.scheme == "https" else _HTTP
        conn = cls(host, parts.port, timeout=remaining())
        conn.policy = policy
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request(
                "GET",
                path,
                headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"},
            )
            resp = conn.getresponse()
            if resp.status in REDIRECTS:
                location = resp.getheader("Location")
                if not location:
                    raise FetchError(f"服务器返回跳转（{resp.status}）但未给出目标地址")
                current = urljoin(current, location.strip())
                continue
            if resp.status != 200:
                raise FetchError(f"服务器返回{resp.status}，未能获取报告")
            disposition = resp.getheader("Content-Disposition")
            ctype, suffix = _content_type(resp.getheader("Content-Type"), parts, disposition)
            declared = resp.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                raise FetchError(f"文件超过{_size(policy.max_bytes)}（声明大小{_size(int(declared))}）")
            data = bytearray()
            while True:
                # one read waits at most the time limit (the socket's timeout); the whole fetch is
                # checked between reads, so a server dripping bytes is stopped soon after the limit
                chunk = resp.read1(CHUNK)
                if not chunk:
                    break
                data += chunk
                if len(data) > policy.max_bytes:
                    raise FetchError(f"文件超过{_size(policy.max_bytes)}，已停止获取")
                remaining()
            if not data:
                raise FetchError("服务器返回的内容为空")
            body = bytes(data)
            return Fetched(
                url=url.strip(),
                final_url=current,
                content_type=ctype,
                filename=_filename(parts, disposition, suffix),
                data=body,
                sha256=hashlib.sha256(body).hexdigest(),
                redirects=redirects,
            )
        except FetchError:
            raise
        except TimeoutError as exc:
            raise FetchError(f"获取超时：超过{policy.timeout:g}秒") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"无法连接或读取：{type(exc).__name__}") from exc
        finally:
            conn.close()
    raise FetchError(f"跳转超过{policy.max_redirects}次，已停止")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MB" if n >= 1024 * 1024 else f"{n}字节"
