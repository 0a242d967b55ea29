"""The LLM engine against a real model server (issue 13), not a fake: llama-cpp-python's
OpenAI-compatible server with SmolLM2-135M-Instruct, both from PyPI.

Run by `make test-llm-server` (CI: `.ci/run`), which builds and caches the server and the model
(scripts/real_llm_server.sh) and passes their paths; `make test` leaves this test out (marker
`real_server`). The engine talks to the server through a recording proxy, so the test sees every
request and answer. What must hold whatever the tiny model's quality: `crosstalk analyze
--engine llm` exits 0 with a report in the JSON contract, every quote is verbatim in the comment
it names, every failure of the model is a warning, no request exceeds the server's context
window, and a follow-up question gets an answer citing real comments. What the model produced
(calls, formats, cut answers, fallbacks, warnings, times) is printed.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.core.contract import report_from_dict
from bot.engines.answer import answer_question
from bot.llm.client import OpenAICompatibleClient
from bot.llm.structured import StructuredChat

pytestmark = pytest.mark.real_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "real-estate-agents.txt"
N_CTX = 2048
COMMENTS = 12
MODEL = "smollm2"
QUESTION = "Why do real estate agents still charge a 5% commission?"
DEADLINE = 240
"""LLM_DEADLINE_SECONDS of the analysis: on a busy 2-core machine the 135M model writes a few
tokens a second, and the test must end whatever the load."""
ANSWER_TIMEOUT = 300


@dataclass
class Exchange:
    body: dict[str, Any]
    status: int
    answer: dict[str, Any] | None
    text: str
    seconds: float

    @property
    def kind(self) -> str:
        user = next((m["content"] for m in self.body["messages"] if m["role"] == "user"), "")
        if "Question:" in user:
            return "answer"
        if "<<<COMMENTS" in user:
            return "map"
        return "reduce" if "<<<ARTICLE" in user else "merge"

    @property
    def format(self) -> str:
        fmt = self.body.get("response_format") or {"type": "text"}
        return fmt["type"] + ("+schema" if "schema" in fmt else "")

    @property
    def finish(self) -> str | None:
        return (self.answer or {}).get("choices", [{}])[0].get("finish_reason")

    @property
    def prompt_tokens(self) -> int | None:
        return ((self.answer or {}).get("usage") or {}).get("prompt_tokens")


class Proxy:
    """Forwards the OpenAI routes to the real server and records each exchange."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.log: list[Exchange] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> Proxy:
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=900))
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self.chat)
        app.router.add_get("/v1/models", self.models)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/v1"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        await self.session.close()

    async def models(self, request: web.Request) -> web.Response:
        async with self.session.get(self.upstream + "/models") as resp:
            return web.Response(text=await resp.text(), status=resp.status)

    async def chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        start = time.perf_counter()
        try:
            async with self.session.post(self.upstream + "/chat/completions", json=body) as resp:
                status, text = resp.status, await resp.text()
        except asyncio.CancelledError:  # the engine cancelled the call (its deadline)
            self.log.append(Exchange(body, 0, None, "cancelled", time.perf_counter() - start))
            raise
        try:
            answer = json.loads(text) if status == 200 else None
        except ValueError:
            answer = None
        self.log.append(Exchange(body, status, answer, text, time.perf_counter() - start))
        return web.Response(text=text, status=status, content_type="application/json")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def small_thread(path: Path) -> Path:
    """The bundled example cut after its first COMMENTS comments (each ends with "Reply")."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    ends = [k for k, line in enumerate(lines) if line == "Reply"]
    path.write_text("\n".join(lines[: ends[COMMENTS - 1] + 1]) + "\n", encoding="utf-8")
    return path


async def stop(proc: asyncio.subprocess.Process) -> None:
    proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), 10)
    except TimeoutError:  # busy generating in a worker thread
        proc.kill()
        await proc.wait()


async def start_server(python: str, gguf: str, log: Path) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            python, "-m", "llama_cpp.server",
            "--model", gguf, "--model_alias", MODEL, "--n_ctx", str(N_CTX),
            "--n_threads", str(os.cpu_count() or 2), "--interrupt_requests", "False",
            "--host", "127.0.0.1", "--port", str(port),
            stdout=out, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    async with aiohttp.ClientSession() as s:
        for _ in range(600):
            if proc.returncode is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                async with s.get(url + "/models") as resp:
                    if resp.status == 200:
                        return proc, url
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    proc.kill()
    pytest.fail("llama_cpp.server did not answer within 120 s")


def verbatim_quotes(data: dict[str, Any]) -> list[str]:
    """The quotes of the report that are not in the comment they name (should be none)."""
    text = {c["id"]: c["text"] for c in data["comments"]}
    return [
        k["quote"]
        for side in data["sides"]
        for k in side["key_arguments"]
        if k["quote"] and k["quote"] not in text.get(k.get("quote_comment_id") or "", "")
    ]


def summary(log: list[Exchange], data: dict[str, Any], wall: float, answer: Any) -> str:
    rows = Counter((x.kind, x.format, x.status, x.finish) for x in log)  # status 0: cancelled
    lines = [f"analysis: {wall:.0f} s wall, report by {data['engine']}, {len(log)} requests"]
    for (kind, fmt, status, finish), n in sorted(rows.items(), key=str):
        took = [
            x.seconds
            for x in log
            if (x.kind, x.format, x.status, x.finish) == (kind, fmt, status, finish)
        ]
        lines.append(
            f"  {n} × {kind} {fmt} → HTTP {status} finish={finish} "
            f"({min(took):.1f}–{max(took):.1f} s each)"
        )
    lines += [f"  warning: {w}" for w in data["warnings"]]
    lines.append(f"  sides: {[(s['label'], len(s['authors'])) for s in data['sides']]}")
    lines.append(f"follow-up answer (from model: {answer.from_model}): {answer.text[:300]!r}")
    return "\n".join(lines)


def numbers(x: Exchange) -> set[int]:
    """The comment numbers a map request carries."""
    user = next(m["content"] for m in x.body["messages"] if m["role"] == "user")
    return {int(m.group(1)) for line in user.splitlines() if (m := re.match(r"^(\d+) ", line))}


def assert_failures_warned(log: list[Exchange], data: dict[str, Any]) -> None:
    """A failed call (an error, an answer cut or invalid, a call cancelled) shows in the
    warnings, unless the engine recovered: a map answer cut and read again in halves."""
    warnings = " ".join(data["warnings"])
    offline = "engine wrote this report" in warnings
    assert offline == (data["engine"] == "offline"), data["warnings"]
    for k, x in enumerate(log):
        bad = x.status != 200 or x.finish == "length"
        if not bad or offline:
            continue
        if x.kind == "map":
            halves = [y for y in log[k + 1 :] if y.kind == "map" and numbers(y) < numbers(x)]
            if x.status == 200 and halves:
                continue  # read again in halves, each judged on its own
            assert "The model" in warnings, (x.status, x.finish, data["warnings"])
        else:  # a merge or reduce the engine could not do without: the offline report
            assert x.kind == "merge" and "left out" in warnings, data["warnings"]


@pytest.mark.asyncio
async def test_analysis_and_follow_up_against_llama_cpp_python(tmp_path: Path) -> None:
    python, gguf = os.environ.get("LLAMA_SERVER_PYTHON"), os.environ.get("LLAMA_GGUF")
    if not python or not gguf:
        pytest.fail("LLAMA_SERVER_PYTHON and LLAMA_GGUF are unset: run `make test-llm-server`")
    server, upstream = await start_server(python, gguf, tmp_path / "server.log")
    proxy = Proxy(upstream)
    try:
        async with proxy:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "CROSSTALK_"))}
            env |= {
                "LLM_BASE_URL": proxy.url,
                "LLM_MODEL": MODEL,
                "LLM_CONTEXT_TOKENS": str(N_CTX),
                "LLM_CONCURRENCY": "1",  # the server answers one request at a time
                "LLM_TIMEOUT_SECONDS": "600",
                "LLM_DEADLINE_SECONDS": str(DEADLINE),
                "CROSSTALK_DB": str(tmp_path / "db.sqlite"),
            }
            start = time.perf_counter()
            cli = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "analyze", str(small_thread(tmp_path / "t.txt")),
                "--engine", "llm", "--json",
                env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            out, err = await cli.communicate()
            wall = time.perf_counter() - start
            assert cli.returncode == 0, err.decode()[-3000:]
            assert b"Traceback" not in err
            data = json.loads(out)
            analysis = list(proxy.log)
        report = report_from_dict(data)  # the contract reads back
        # llama-cpp-python finishes a request whose caller went away (the calls the deadline
        # cancelled): the follow-up is asked of a fresh server, not queued behind them.
        await stop(server)
        server, upstream = await start_server(python, gguf, tmp_path / "server2.log")
        proxy.upstream = upstream
        async with proxy, aiohttp.ClientSession() as s:
            client = OpenAICompatibleClient(
                s, base_url=proxy.url, model=MODEL, timeout=ANSWER_TIMEOUT, concurrency=1
            )
            answer = await answer_question(
                report, QUESTION, chat=StructuredChat(client, context_tokens=N_CTX)
            )
    finally:
        await stop(server)
    print("\n" + summary(proxy.log, data, wall, answer))

    assert data["engine"] in (f"llm:{MODEL}", "offline")
    assert len(data["comments"]) == COMMENTS
    assert {"chains", "interactions", "sides", "unanswered", "warnings"} <= data.keys()
    assert verbatim_quotes(data) == []
    # No request over the window, as the server itself counts the prompt.
    for x in proxy.log:
        assert x.status != 400 or "context" not in x.text.lower(), x.text[:300]
        if x.prompt_tokens is not None:
            assert x.prompt_tokens + x.body["max_tokens"] <= N_CTX, (x.kind, x.prompt_tokens)
    # The server refuses json_schema (HTTP 500): one request learns it, for the whole run.
    refused = [x for x in analysis if x.status != 200 and "response_format" in x.text]
    assert len(refused) <= 1
    assert {x.format for x in analysis[len(refused) :]} <= {"json_object+schema"}
    # Every failure of the model is in the report's warnings.
    assert_failures_warned(analysis[len(refused) :], data)
    # The follow-up: an answer, citing only comments of the discussion.
    assert answer.text
    numbers = {c["index"] for c in data["comments"]}
    assert {c.index for c in answer.citations} <= numbers
    asked = [x for x in proxy.log[len(analysis) :] if x.kind == "answer"]
    assert asked, "the follow-up was answered without asking the model"
