"""A local fake OpenAI-compatible server, for tests and benchmarks (test infrastructure: not
shipped in the `bot` package).

It listens on 127.0.0.1 on an ephemeral port, records every request it receives (body and
headers) and the most requests it ever held at once, and answers either from a script (a queue
of `Reply` values: any status, headers, body, delay) or, once the script is used up, with a
`responder` that reads the request like a very plain model would. The default responder gives
valid, grounded answers for Crosstalk's map, merge, reduce and answer prompts.
"""

from __future__ import annotations

import asyncio
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Responder = Callable[[dict[str, Any]], "str | Reply"]

LLAMA_CPP_PYTHON_REFUSAL = (
    "{\"error\":{\"message\":\"1 validation error:\\n  {'type': 'literal_error', 'loc': "
    "('body', 'response_format', 'type'), 'msg': \\\"Input should be 'text' or 'json_object'\\\", "
    "'input': 'json_schema', 'ctx': {'expected': \\\"'text' or 'json_object'\\\"}}\\n\\n  File "
    '\\"/venv/lib/python3.11/site-packages/llama_cpp/server/app.py\\", line 376, in '
    'create_chat_completion\\n    POST /v1/chat/completions","type":"internal_server_error",'
    '"param":null,"code":null}}'
)
"""What llama-cpp-python's server (0.3.36) answered, with HTTP 500, to a request carrying
`response_format: {"type": "json_schema", …}` (recorded from the real server; only the
virtualenv's path is shortened)."""


@dataclass(frozen=True, slots=True)
class Reply:
    """One scripted answer. `content` is the assistant's text (wrapped in a chat completion);
    `body` replaces the whole HTTP body; `delay` is waited before answering (on top of the
    server's `latency`), whether the Reply comes from the script or from the responder."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    delay: float = 0.0
    finish_reason: str = "stop"


def blocks(text: str, tag: str) -> list[str]:
    return [m[1] for m in re.findall(rf"<<<{tag} (\w+)>>>\n(.*?)\n<<<END \1>>>", text, re.S)]


_LINE = re.compile(r"^(\d+) (.+?)(?:>(\d+))?: (.*)$")
_DIGEST = re.compile(r"^([SA]\d+)(?: \((S\d+)\))? \[[^\]]*\] (.*)$")


def first_words(text: str, n: int = 12) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip())[0]
    return " ".join(sentence.split()[:n])


def _camp(author: str) -> str:
    return "Yes, it holds" if zlib.crc32(author.encode()) % 2 else "No, it does not"


def plain_responder(body: dict[str, Any]) -> str:
    """Valid answers for each Crosstalk prompt, built only from the request's data."""
    messages = body["messages"]
    user = next(m["content"] for m in messages if m["role"] == "user")
    if "<<<COMMENTS" in user:
        rows = [
            m.groups()
            for line in blocks(user, "COMMENTS")[0].splitlines()
            if (m := _LINE.match(line))
        ]
        if "Question:" in user:
            cites = [(int(n), a) for n, a, _p, _t in rows[:2]]
            text = " ".join(f"Commenters discuss it (#{n}, {a})." for n, a in cites)
            return json.dumps({"answer": text, "citations": [n for n, _ in cites]})
        # As the map prompt asks: each comment number once, under the argument it makes
        # (here the first half of each camp) or else under its stance.
        labels = list(dict.fromkeys(_camp(a) for _n, a, _p, _t in rows))
        stances, arguments = [], []
        for k, lab in enumerate(labels):
            camp = [int(n) for n, a, _p, _t in rows if _camp(a) == lab]
            makers, rest = camp[: (len(camp) + 1) // 2], camp[(len(camp) + 1) // 2 :]
            stances.append({"label": lab, "comments": rest})
            n, a, _p, t = next(r for r in rows if int(r[0]) == makers[0])
            quote = {"comment": int(n), "author": a, "text": first_words(t)}
            arguments.append(
                {"point": f"Point of {lab}", "stance": k, "comments": makers, "quote": quote}
            )
        return json.dumps({"stances": stances, "arguments": arguments})
    digest = [
        m.groups() for line in blocks(user, "DIGEST")[0].splitlines() if (m := _DIGEST.match(line))
    ]
    stance_label = {i: text for i, _s, text in digest if i.startswith("S")}
    by_label: dict[str, list[str]] = {}
    for i, text in stance_label.items():
        by_label.setdefault(text, []).append(i)
    labels = list(by_label)
    args_by: dict[str, list[str]] = {}
    for i, s, _text in digest:
        if i.startswith("A"):
            args_by.setdefault(stance_label.get(s or "", ""), []).append(i)
    if "<<<ARTICLE" in user:
        sides = [
            {
                "label": lab,
                "stance": lab,
                "summary": f"Commenters who say: {lab}.",
                "stances": by_label[lab],
                "key_arguments": [{"point": f"Point of {lab}", "arguments": args_by.get(lab, [])}],
            }
            for lab in labels
        ]
        article = blocks(user, "ARTICLE")[0]
        return json.dumps({"headline": first_words(article, 30), "sides": sides})
    return json.dumps(
        {
            "stances": [{"label": lab, "from": by_label[lab]} for lab in labels],
            "arguments": [
                {"point": f"Point of {lab}", "stance": k, "from": args_by.get(lab, [])}
                for k, lab in enumerate(labels)
                if args_by.get(lab)
            ],
        }
    )


class FakeLLMServer:
    """`async with FakeLLMServer() as server:` then point a client at `server.base_url`."""

    def __init__(
        self,
        *,
        script: list[Reply] | None = None,
        responder: Responder = plain_responder,
        latency: float = 0.0,
        json_schema: bool = True,
        models: list[dict[str, Any]] | None = None,
        models_status: int = 200,
    ) -> None:
        self.script = list(script or [])
        self.models = models
        """Served as `GET /v1/models` when given (else that route is absent: 404)."""
        self.models_status = models_status
        """Anything but 200 answers `GET /v1/models` with that error status instead."""
        self.model_lists = 0
        """How many `GET /v1/models` the server received (when the route exists)."""
        self.responder = responder
        self.latency = latency
        self.json_schema = json_schema
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def __aenter__(self) -> FakeLLMServer:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._handle)
        if self.models is not None:
            app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _models(self, request: web.Request) -> web.Response:
        self.model_lists += 1
        if self.models_status != 200:
            return web.json_response({"error": "scripted"}, status=self.models_status)
        return web.json_response({"object": "list", "data": self.models})

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            reply = self.script.pop(0) if self.script else None
            if reply is None:
                fmt = (body.get("response_format") or {}).get("type")
                if fmt == "json_schema" and not self.json_schema:
                    # Refused on reading the request, as real servers do: no generation delay.
                    return web.json_response(
                        {"error": {"message": "response_format json_schema is not supported"}},
                        status=400,
                    )
                answer = self.responder(body)
                reply = answer if isinstance(answer, Reply) else Reply(answer)
            await asyncio.sleep(self.latency + reply.delay)
            if reply.body is not None:
                return web.Response(text=reply.body, status=reply.status, headers=reply.headers)
            if reply.status != 200:
                return web.json_response(
                    {"error": {"message": f"scripted {reply.status}"}},
                    status=reply.status,
                    headers=reply.headers,
                )
            return web.json_response(
                completion(body.get("model", ""), reply.content or "", reply.finish_reason)
            )
        finally:
            self.in_flight -= 1


def completion(model: str, content: str, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }
