"""The safe fetcher: one GET (or POST) of a hostile URL, through a guarded aiohttp session.

Safety lives in three places, so no single bypass reaches a refused address:
1. before each request (and each redirect hop) the URL is checked: http/https only, and an
   IP literal in any spelling must be public;
2. the session's resolver refuses a name when any address it resolves to is not public, so
   the answer that is checked is the answer that is dialled (no DNS-rebinding window);
3. the connector's socket factory checks the address of every socket it is asked to open,
   which also covers IP literals that skip the resolver.
Hosts in `FetchPolicy.allow` are exempt. Create the session with `open_session()` and inject
it; `fetch()` refuses any other session.
"""

from __future__ import annotations

import socket
import weakref
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.config import MAX_COMMENTS, MAX_INPUT_BYTES
from bot.core.errors import FetchError
from bot.ingest import netguard
from bot.ingest.decode import repair_text

USER_AGENT = "crosstalk-bot/0.1 (debate mapper; fetches one discussion per request)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
JSON_TYPES = ("application/json", "application/activity+json", "application/ld+json")
TEXT_TYPES = (*HTML_TYPES, *JSON_TYPES, "text/plain", "text/markdown")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_GUARDED: weakref.WeakKeyDictionary[aiohttp.ClientSession, GuardedResolver] = (
    weakref.WeakKeyDictionary()
)  # the sessions open_session() made: fetch() uses no other


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What the link fetcher may reach and how much it reads: all that ingest takes from the
    settings (`bot.pipeline.fetch_policy` makes it from them)."""

    allow: tuple[str, ...] = ()
    """Hosts exempt from the address rules (CROSSTALK_FETCH_ALLOW), in lower case."""
    max_bytes: int = MAX_INPUT_BYTES
    """A body is cut here (CROSSTALK_MAX_INPUT_BYTES)."""
    max_comments: int = MAX_COMMENTS
    """Platforms that hand out comments in batches (Reddit) are not asked for more past this
    many (CROSSTALK_MAX_COMMENTS)."""
    max_redirects: int = 5
    connect_timeout: float = 10.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    per_host: int = 2


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body as received (cut at the byte cap when `truncated`)."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    """The `x-…` and `link` headers, names in lower case."""
    links: tuple[tuple[str, str], ...] = ()
    """(rel, url) pairs from the Link header."""

    @property
    def is_json(self) -> bool:
        return self.content_type in JSON_TYPES or self.content_type.endswith("+json")

    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8 (a byte-order mark honoured),
        else Windows-1252; mojibake repaired as for any other input."""
        if self.charset:
            try:
                return repair_text(self.body.decode(self.charset, errors="replace"))
            except LookupError:
                pass  # an unknown charset name: guess like an undeclared one
        try:
            return repair_text(self.body.decode("utf-8-sig"))
        except UnicodeDecodeError:
            return repair_text(self.body.decode("cp1252", errors="replace"))


class GuardedResolver(AbstractResolver):
    """Wraps a real resolver; refuses a name if any of its addresses is not public."""

    def __init__(self, allow: tuple[str, ...], inner: AbstractResolver | None = None) -> None:
        self._allow = allow
        self._inner = inner or aiohttp.ThreadedResolver()
        self.approved: set[str] = set()
        """Addresses of allowed hosts, which the socket factory lets through."""
        for host in allow:
            ip = netguard.parse_ip(host)
            if ip is not None:
                self.approved.add(str(ip))

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        allowed = netguard.host_allowed(host, self._allow)
        for r in results:
            ip = netguard.parse_ip(r["host"])
            if ip is None:
                raise netguard.RefusedAddress(f"{host} resolved to something that is not an IP.")
            if allowed:
                self.approved.add(str(ip))
            else:
                netguard.check_address(ip, host)
        return results

    async def close(self) -> None:
        await self._inner.close()


def _socket_factory(resolver: GuardedResolver) -> Any:
    def factory(addr_info: Any) -> socket.socket:
        family, type_, proto, _canon, sockaddr = addr_info
        address = str(sockaddr[0])
        ip = netguard.parse_ip(address)
        if ip is None:
            raise netguard.RefusedAddress(f"refused to dial {address}")
        if address not in resolver.approved and str(ip) not in resolver.approved:
            netguard.check_address(ip, address)
        sock = socket.socket(family=family, type=type_, proto=proto)
        sock.setblocking(False)
        return sock

    return factory


def open_session(
    policy: FetchPolicy, *, resolver: AbstractResolver | None = None
) -> aiohttp.ClientSession:
    """A session whose every connection passes the address rules. The caller owns and closes
    it. `resolver` replaces the system resolver underneath the guard (tests use this)."""
    guard = GuardedResolver(policy.allow, resolver)
    connector = aiohttp.TCPConnector(
        resolver=guard,
        limit=16,
        limit_per_host=policy.per_host,
        socket_factory=_socket_factory(guard),
    )
    session = aiohttp.ClientSession(
        connector=connector,
        trust_env=False,  # a proxy would dial for us, past the checks
        headers={"User-Agent": USER_AGENT},
        timeout=aiohttp.ClientTimeout(
            total=policy.total_timeout,
            sock_connect=policy.connect_timeout,
            sock_read=policy.read_timeout,
        ),
        auto_decompress=True,
    )
    _GUARDED[session] = guard
    return session


def check_url(url: str, policy: FetchPolicy) -> URL:
    """Parse and check a URL before any request: scheme, host, literal addresses."""
    try:
        parsed = URL(url.strip())
        scheme = (parsed.scheme or "").lower()
        host = parsed.raw_host if scheme in netguard.ALLOWED_SCHEMES else None
    except (ValueError, TypeError, UnicodeError):
        raise FetchError(f"That is not a valid link: {url[:200]}") from None
    if scheme not in netguard.ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "a link without http:// or https://"
        raise FetchError(f"Crosstalk only fetches http and https links, not {shown}.")
    if not host:
        raise FetchError(f"The link has no host name: {url[:200]}")
    if parsed.user or parsed.password:
        raise FetchError("Links with a user name or password in them are not fetched.")
    if netguard.host_allowed(host, policy.allow):
        return parsed
    ip = netguard.parse_ip(host)
    if ip is not None:
        try:
            netguard.check_address(ip, host)
        except netguard.RefusedAddress as exc:
            raise FetchError(exc.reason) from None
        if str(ip) != netguard.normalise_host(host):  # odd spelling of a public address
            raise FetchError(f"Crosstalk does not fetch {host}: write the address plainly.")
    elif host.rstrip(".").lower() in ("localhost", "localhost.localdomain") or host.endswith(
        (".localhost", ".local", ".internal")
    ):
        raise FetchError(f"Crosstalk does not fetch {host}: it names this machine or network.")
    return parsed


def _refused_reason(exc: BaseException) -> str | None:
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return None
        if isinstance(seen, netguard.RefusedAddress):
            return seen.reason
        inner = getattr(seen, "os_error", None)
        seen = inner if isinstance(inner, BaseException) else (seen.__cause__ or seen.__context__)
    return None


def _content_type_ok(content_type: str, accept: tuple[str, ...]) -> bool:
    return content_type in accept or (
        content_type.endswith("+json") and any(a in JSON_TYPES for a in accept)
    )


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    policy: FetchPolicy,
    *,
    accept: tuple[str, ...] = TEXT_TYPES,
    method: str = "GET",
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """Fetch `url` following at most `policy.max_redirects` redirects, each re-checked.

    Raises FetchError with a sentence a user can read for every refusal or failure."""
    if session not in _GUARDED:
        raise TypeError("fetch() needs a session made by bot.ingest.fetch.open_session()")
    current = check_url(url, policy)
    for _hop in range(policy.max_redirects + 1):
        try:
            async with session.request(
                method,
                current,
                data=data,
                headers={"Accept": ", ".join(accept), **(headers or {})},
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(
                    total=policy.total_timeout,
                    sock_connect=policy.connect_timeout,
                    sock_read=policy.read_timeout,
                ),
                max_line_size=16384,
                max_field_size=16384,
            ) as resp:
                if resp.status in _REDIRECTS and "Location" in resp.headers:
                    try:
                        target = str(current.join(URL(resp.headers["Location"])))
                    except (ValueError, TypeError, UnicodeError):
                        raise FetchError(
                            f"{current.host} redirected to an address that is not valid."
                        ) from None
                    current = check_url(target, policy)
                    if resp.status == 303 or (resp.status in (301, 302) and method != "GET"):
                        method, data = "GET", None
                    continue
                return await _read(resp, current, accept, policy)
        except FetchError:
            raise
        except TimeoutError:
            raise FetchError(
                f"{current.host} did not answer in time (limit {policy.total_timeout:.0f} s)."
            ) from None
        except aiohttp.ClientError as exc:
            reason = _refused_reason(exc)
            if reason:
                raise FetchError(reason) from None
            if isinstance(exc, aiohttp.ClientConnectorDNSError):
                raise FetchError(f"Could not find the site {current.host}.") from None
            raise FetchError(f"Could not fetch {current.host}: {_short(exc)}") from None
        except netguard.RefusedAddress as exc:
            raise FetchError(exc.reason) from None
    raise FetchError(f"The link redirected more than {policy.max_redirects} times; gave up.")


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:200]


async def _read(
    resp: aiohttp.ClientResponse, url: URL, accept: tuple[str, ...], policy: FetchPolicy
) -> Fetched:
    if resp.status >= 400:
        raise FetchError(f"{url.host} answered {resp.status} {resp.reason or ''}".strip() + ".")
    content_type = (resp.content_type or "").lower()
    if not _content_type_ok(content_type, accept):
        raise FetchError(
            f"The link points to {content_type or 'an unknown type'}, not a page or "
            "discussion Crosstalk can read."
        )
    chunks: list[bytes] = []
    size = 0
    truncated = False
    async for chunk in resp.content.iter_chunked(65536):
        room = policy.max_bytes - size
        if len(chunk) > room:
            chunks.append(chunk[:room])
            truncated = True
            break
        chunks.append(chunk)
        size += len(chunk)
    links = tuple(
        (str(link.get("rel", "")), str(link.get("url", ""))) for link in resp.links.values()
    )
    return Fetched(
        url=str(resp.url),
        status=resp.status,
        content_type=content_type,
        charset=resp.charset,
        body=b"".join(chunks),
        truncated=truncated,
        headers={
            k.lower(): v for k, v in resp.headers.items() if k.lower().startswith(("x-", "link"))
        },
        links=links,
    )
