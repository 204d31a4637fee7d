"""The client's address: the one function every rate limit and lock-out asks (STYLE, habit 11).

Without configuration the client is the TCP peer (REMOTE_ADDR) and every forwarding header is
ignored: anyone can write anything in X-Forwarded-For. Behind a reverse proxy, list the
proxy's addresses in WHISTLEDESK_TRUSTED_PROXIES. When the peer is one of them, the header
named by WHISTLEDESK_CLIENT_IP_HEADER (default X-Forwarded-For) is read from the right,
skipping addresses that are themselves trusted proxies: the first one that is not is the
client. Entries left of it were written by the client and are never believed
(docs/adr/0006-client-addresses-and-throttles.md).

The address is used only to count and is never stored: callers key their counters on a keyed
digest of `client_key` (intake.throttle, accounts.lockout).
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# An IPv6 client is counted by its /64, the block one subscriber or site is given: a client
# holding a /64 could otherwise take a fresh address for every request.
IPV6_CLIENT_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent this request, or "" if none can be known."""
    current = _parse(request.META.get("REMOTE_ADDR", ""))
    if current is None:
        return ""
    trusted = _trusted_networks(tuple(str(p) for p in settings.WHISTLEDESK_TRUSTED_PROXIES))
    if not _is_trusted(current, trusted):
        return str(current)
    header = _meta_key(settings.WHISTLEDESK_CLIENT_IP_HEADER)
    hops = [h for h in request.META.get(header, "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # A trusted proxy handed on something that is not an address: the proxy
            # itself is the nearest hop we can name.
            break
        current = address
        if not _is_trusted(current, trusted):
            break
    return str(current)


def client_key(request: HttpRequest) -> str:
    """What limits and lock-outs count a client by: its address, or for IPv6 its /64."""
    address = _parse(client_address(request))
    if address is None:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
    return str(address)


def _parse(text: str) -> Address | None:
    """An address as a proxy may write it ("a.b.c.d", "a.b.c.d:port", "[v6]:port", "v6")."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _meta_key(header: str) -> str:
    """ "X-Forwarded-For" as request.META names it: HTTP_X_FORWARDED_FOR."""
    key = header.strip().upper().replace("-", "_")
    return key if key.startswith("HTTP_") else f"HTTP_{key}"


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)
