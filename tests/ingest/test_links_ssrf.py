"""The fetcher refuses every address class, in every spelling, before sending anything."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import aiohttp
import pytest
from aiohttp import web
from fakesite import FakeDNS, Site

from bot.core.errors import FetchError
from bot.ingest import netguard
from bot.ingest.fetch import USER_AGENT, FetchPolicy, check_url, fetch, open_session

BLOCKED_HOSTS = [
    "127.0.0.1",
    "127.0.0.2",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "0.0.0.0",
    "[::]",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:a9fe:a9fe]",
    "[::127.0.0.1]",  # IPv4-compatible (deprecated)
    "[fe80::1]",
    "[fc00::1]",
    "[fd12:3456::1]",
    "[ff02::1]",
    "[64:ff9b::7f00:1]",
    "[2002:7f00:1::]",
    "2130706433",  # decimal 127.0.0.1
    "0177.0.0.1",  # octal
    "0x7f.0.0.1",  # hex
    "0x7f000001",
    "127.1",
    "017700000001",
    "0xa9fea9fe",  # 169.254.169.254
    "0",
    "１２７.０.０.１",  # fullwidth digits, folded by IDNA
    "127。0。0。1",  # ideographic full stops
    "localhost",
    "LOCALHOST.",
    "metadata.google.internal",
]


@pytest.mark.asyncio
@pytest.mark.parametrize("host", BLOCKED_HOSTS)
async def test_every_non_public_address_is_refused(site: Site, host: str) -> None:
    policy = FetchPolicy()  # nothing allowed
    async with open_session(policy) as session:
        with pytest.raises(FetchError) as err:
            await fetch(session, f"http://{host}:{site.port}/secret", policy)
    assert "does not fetch" in err.value.message
    assert site.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_GET",
        "ftp://example.com/x",
        "javascript:alert(1)",
        "data:text/html,<h1>x</h1>",
        "example.com/no-scheme",
    ],
)
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as err:
        check_url(url, FetchPolicy())
    assert "only fetches http and https" in err.value.message


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pw@example.com/",
        "http://127.0.0.1%2f@evil.example/",
        "http://a\\@evil.example/",
    ],
)
def test_credentials_and_malformed_authority_refused(url: str) -> None:
    with pytest.raises(FetchError):
        check_url(url, FetchPolicy())


def test_allow_list_matches_hosts_exactly() -> None:
    allow = ("forum.example:8443", "[::1]:80", "10.0.0.5")
    assert netguard.host_allowed("FORUM.example.", allow)
    assert netguard.host_allowed("::1", allow) and netguard.host_allowed("10.0.0.5", allow)
    assert not netguard.host_allowed("evil.forum.example", allow)
    assert not netguard.host_allowed("10.0.0.6", allow)


def test_odd_spellings_decode_to_what_they_name() -> None:
    for spelling in ("2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "0x7f000001"):
        assert str(netguard.parse_ip(spelling)) == "127.0.0.1"
    assert netguard.parse_ip("example.com") is None
    assert netguard.refusal(netguard.parse_ip("93.184.216.34")) is None  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_name_resolving_to_loopback_is_refused_at_connection(site: Site) -> None:
    dns = FakeDNS({"evil.test": ["127.0.0.1"], "mixed.test": ["93.184.216.34", "127.0.0.1"]})
    policy = FetchPolicy(allow=("127.0.0.1",))  # the IP is allowed, the name is not
    async with open_session(policy, resolver=dns) as session:
        for name in ("evil.test", "mixed.test"):
            with pytest.raises(FetchError) as err:
                await fetch(session, f"http://{name}:{site.port}/secret", policy)
            assert "loopback" in err.value.message
    assert dns.asked == ["evil.test", "mixed.test"]
    assert site.requests == []


@pytest.mark.asyncio
async def test_unknown_name_is_a_clear_error(site: Site) -> None:
    async with open_session(FetchPolicy(), resolver=FakeDNS({})) as session:
        with pytest.raises(FetchError) as err:
            await fetch(session, "https://no-such-site.example/", FetchPolicy())
    assert err.value.message == "Could not find the site no-such-site.example."


@pytest.mark.asyncio
async def test_guard_holds_even_when_the_url_check_is_skipped(site: Site) -> None:
    """Layers 2 and 3 on their own: a raw request on the guarded session is refused at
    connection time, for a name (resolver) and for a literal (socket factory)."""
    dns = FakeDNS({"evil.test": ["127.0.0.1"]})
    async with open_session(FetchPolicy(), resolver=dns) as session:
        for url in (f"http://evil.test:{site.port}/x", f"http://127.0.0.1:{site.port}/x"):
            with pytest.raises(aiohttp.ClientConnectorError) as err:
                await session.get(url)
            assert isinstance(err.value.os_error, netguard.RefusedAddress)
    assert site.requests == []


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:{port}/secret",
        "http://evil.test:{port}/secret",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://2130706433:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
async def test_redirect_from_allowed_host_to_private_is_refused(site: Site, target: str) -> None:
    location = target.format(port=site.port)

    async def redirect(_r: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(location)

    site.route("/go", redirect)
    site.html("/secret", "<p>secret</p>")
    dns = FakeDNS({"evil.test": ["127.0.0.1"]})
    policy = FetchPolicy(allow=("127.0.0.1",))
    async with open_session(policy, resolver=dns) as session:
        with pytest.raises(FetchError):
            await fetch(session, site.url("/go"), policy)
    assert site.paths() == ["/go"]


@pytest.mark.asyncio
async def test_invalid_redirect_target_is_a_clear_error(
    site: Site, session: aiohttp.ClientSession
) -> None:
    async def bad(_r: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": "http://a\\\\@b/"})

    site.route("/bad", bad)
    with pytest.raises(FetchError) as err:
        await fetch(session, site.url("/bad"), FetchPolicy(allow=("127.0.0.1",)))
    assert "not valid" in err.value.message or "not a valid link" in err.value.message


@pytest.mark.asyncio
async def test_redirects_are_capped(site: Site, session: aiohttp.ClientSession) -> None:
    async def hop(r: web.Request) -> web.StreamResponse:
        n = int(r.query.get("n", "0"))
        if n >= int(r.query["stop"]):
            return web.Response(text="<p>landed</p>", content_type="text/html")
        raise web.HTTPFound(f"/hop?n={n + 1}&stop={r.query['stop']}")

    site.route("/hop", hop)
    policy = FetchPolicy(allow=("127.0.0.1",))
    got = await fetch(session, site.url("/hop?stop=5"), policy)
    assert got.body == b"<p>landed</p>" and len(site.requests) == 6
    site.requests.clear()
    with pytest.raises(FetchError) as err:
        await fetch(session, site.url("/hop?stop=6"), policy)
    assert "more than 5" in err.value.message
    assert len(site.requests) == 6  # the 7th hop was never requested


@pytest.mark.asyncio
async def test_endless_body_is_cut_at_the_cap(site: Site, allowed: FetchPolicy) -> None:
    async def endless(r: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(r)
        try:
            while True:
                await resp.write(b"<p>" + b"x" * 8192 + b"</p>")
        except (ConnectionResetError, RuntimeError):
            pass
        return resp

    site.route("/endless", endless)
    policy = replace(allowed, max_bytes=300_000)
    async with open_session(policy) as session:
        got = await fetch(session, site.url("/endless"), policy)
    assert got.truncated and len(got.body) == 300_000


@pytest.mark.asyncio
async def test_slow_drip_times_out(site: Site, allowed: FetchPolicy) -> None:
    async def drip(r: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(r)
        try:
            for _ in range(100):
                await resp.write(b"x")
                await asyncio.sleep(0.1)
        except (ConnectionResetError, RuntimeError):
            pass
        return resp

    site.route("/drip", drip)
    policy = replace(allowed, total_timeout=0.8, read_timeout=0.5)
    async with open_session(policy) as session:
        with pytest.raises(FetchError) as err:
            await fetch(session, site.url("/drip"), policy)
    assert "did not answer in time" in err.value.message


@pytest.mark.asyncio
async def test_wrong_content_type_and_errors(site: Site, session: aiohttp.ClientSession) -> None:
    async def png(_r: web.Request) -> web.StreamResponse:
        return web.Response(body=b"\x89PNG", content_type="image/png")

    site.route("/pic", png)
    policy = FetchPolicy(allow=("127.0.0.1",))
    with pytest.raises(FetchError) as err:
        await fetch(session, site.url("/pic"), policy)
    assert "image/png" in err.value.message
    with pytest.raises(FetchError) as err:
        await fetch(session, site.url("/missing"), policy)
    assert "404" in err.value.message


@pytest.mark.asyncio
async def test_user_agent_and_per_host_concurrency(site: Site, allowed: FetchPolicy) -> None:
    active = 0
    peak = 0

    async def slow(_r: web.Request) -> web.StreamResponse:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.05)
        active -= 1
        return web.Response(text="<p>ok</p>", content_type="text/html")

    site.route("/slow", slow)
    async with open_session(replace(allowed, per_host=2)) as session:
        await asyncio.gather(*(fetch(session, site.url("/slow"), allowed) for _ in range(6)))
    assert len(site.requests) == 6 and peak == 2
    assert {r.headers["User-Agent"] for r in site.requests} == {USER_AGENT}
    assert "text/html" in site.requests[0].headers["Accept"]


@pytest.mark.asyncio
async def test_fetch_refuses_an_unguarded_session(site: Site, allowed: FetchPolicy) -> None:
    async with aiohttp.ClientSession() as plain:
        with pytest.raises(TypeError):
            await fetch(plain, site.url("/"), allowed)
    assert site.requests == []
