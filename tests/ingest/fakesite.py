"""A local website for tests: aiohttp on 127.0.0.1 with an ephemeral port, serving routes
that tests register, and recording every request it receives."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.test_utils import TestServer

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Seen:
    method: str
    path: str
    path_qs: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class Site:
    server: TestServer
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    @property
    def port(self) -> int:
        assert self.server.port is not None
        return self.server.port

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path_qs: str) -> str:
        return self.base + path_qs

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def json(self, path: str, payload: object, headers: dict[str, str] | None = None) -> None:
        async def handler(_request: web.Request) -> web.StreamResponse:
            return web.json_response(payload, headers=headers)

        self.routes[path] = handler

    def html(self, path: str, text: str, headers: dict[str, str] | None = None) -> None:
        async def handler(_request: web.Request) -> web.StreamResponse:
            return web.Response(text=text, content_type="text/html", headers=headers)

        self.routes[path] = handler

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


async def start_site() -> Site:
    app = web.Application()
    site_ref: list[Site] = []

    async def dispatch(request: web.Request) -> web.StreamResponse:
        site = site_ref[0]
        site.requests.append(
            Seen(
                method=request.method,
                path=request.path,
                path_qs=request.path_qs,
                query=dict(request.query),
                headers=dict(request.headers),
            )
        )
        handler = site.routes.get(request.path)
        if handler is None:
            return web.Response(status=404, text="not found")
        return await handler(request)

    app.router.add_route("*", "/{tail:.*}", dispatch)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    site = Site(server=server)
    site_ref.append(site)
    return site


class FakeDNS(AbstractResolver):
    """Answers from a table, the way a hostile DNS server would; records the questions."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(f"no such host {host}")
        return [
            ResolveResult(
                hostname=host,
                host=ip,
                port=port,
                family=socket.AF_INET6 if ":" in ip else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for ip in self.table[host]
        ]

    async def close(self) -> None:
        return None
