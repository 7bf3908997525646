"""The client's address, for rate limits (django-ratelimit) and login lockouts (django-axes).

In production gongkai runs behind a reverse proxy (nginx), so ``REMOTE_ADDR`` is the proxy's
address for everyone: keyed on it, one visitor's failures would lock every user and the public's
hourly limits would be shared by the whole city. ``X-Forwarded-For`` names the real client, but
anyone can send that header, so it is believed only when the immediate peer (``REMOTE_ADDR``) is
one of ``settings.GONGKAI_TRUSTED_PROXIES`` (addresses or CIDR networks; empty = no proxy, the
peer is the client). The header is then read from the right: each hop a trusted proxy appended is
skipped, and the first address not in the list is the client. Whatever a client wrote into the
header itself lies further left and is never reached. The header's hops are parsed by
python-ipware (ports, brackets, IPv4-mapped IPv6, RFC 7239 ``for=``); ipware's own trusted-proxy
option is not used because it checks the proxies against the header's entries, not against the
peer that actually connected.

:func:`client_ip` is the one function both libraries call (``RATELIMIT_IP_META_KEY``,
``AXES_CLIENT_IP_CALLABLE``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from python_ipware.modern.parsers import parse_ip, split_unquoted

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "GONGKAI_TRUSTED_PROXIES", ()) or ()))


def _trusted(ip, networks: Iterable[Network]) -> bool:
    return any(ip.version == n.version and ip in n for n in networks)


def client_ip(request) -> str:
    """The address of the client that sent ``request`` (see the module's doc)."""
    peer_text = request.META.get("REMOTE_ADDR", "") or ""
    peer = parse_ip(peer_text)
    networks = trusted_networks()
    if peer is None or not networks or not _trusted(peer, networks):
        return str(peer) if peer is not None else peer_text
    client = peer
    for token in reversed(split_unquoted(request.META.get(FORWARDED_HEADER, "") or "", ",")):
        hop = parse_ip(token)
        if hop is None:  # a hop nobody trusted could write: stop at the last address we can vouch for
            break
        client = hop
        if not _trusted(hop, networks):
            break
    return str(client)
