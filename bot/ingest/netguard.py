"""Which addresses a fetched link may reach. Pure rules, no I/O: the fetcher applies them
to the URL before each request and to every address at connection time.

Members choose the URL, so it is hostile input: anything that is not a public unicast
address on the internet is refused, in every spelling (`127.1`, `2130706433`, `0x7f.0.0.1`,
`0177.0.0.1`, `::ffff:127.0.0.1`). Hosts named in `CROSSTALK_FETCH_ALLOW` are exempt.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NUMERIC_V4 = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)


class RefusedAddress(OSError):
    """Raised inside the connection machinery for an address the rules refuse. An OSError so
    aiohttp treats it as a failed connection; `reason` is a sentence a user may read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_ip(host: str) -> IPAddress | None:
    """The address a host names if it is an IP literal in any spelling, else None.

    Besides the canonical forms this accepts what `inet_aton` accepts (decimal `2130706433`,
    octal `0177.0.0.1`, hex `0x7f.1`, short `127.1`), because some resolvers and clients
    dial those, and bracketed or zone-scoped IPv6.
    """
    h = host.strip().strip("[]").rstrip(".").lower()
    if "%" in h:
        h = h.split("%", 1)[0]
    try:
        return ipaddress.ip_address(h)
    except ValueError:
        pass
    if _NUMERIC_V4.match(h):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(h))
        except OSError:
            return None
    return None


def refusal(ip: IPAddress) -> str | None:
    """Why `ip` may not be dialled, as a short phrase, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "an IPv4-mapped IPv6 address"
        if ip.sixtofour is not None or ip.teredo is not None:
            return "a tunnelled IPv6 address (6to4 or Teredo)"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address (this machine)"
    if ip.is_link_local:
        return "a link-local address (such as cloud metadata)"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "a carrier-grade NAT address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private network address"
    if not ip.is_global:
        return "a non-public address"
    return None


def normalise_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def _without_port(entry: str) -> str:
    head, sep, tail = entry.rpartition(":")
    if sep and tail.isdigit() and (head.startswith("[") or ":" not in head):
        return head
    return entry


def host_allowed(host: str, allow: Iterable[str]) -> bool:
    """True when the host is named in the allow list (exact, case-insensitive; a port
    written in an entry is ignored)."""
    h = normalise_host(host)
    return any(h == normalise_host(_without_port(a.strip())) for a in allow)


def check_address(ip: IPAddress, host: str) -> None:
    """Raise RefusedAddress when `host` led to an address the rules refuse."""
    why = refusal(ip)
    if why is not None:
        raise RefusedAddress(
            f"Crosstalk does not fetch {host}: it points to {why}, not to a public website."
        )
