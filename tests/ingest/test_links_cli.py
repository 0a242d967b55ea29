"""`crosstalk analyze URL` and saved pages through the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
import synthetic
from fakesite import Site

from bot.cli import main


def test_cli_refuses_file_urls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "file:///etc/passwd"]) == 2
    err = capsys.readouterr().err
    assert "only fetches http and https" in err and "Traceback" not in err


def test_cli_refuses_loopback_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "http://127.0.0.1:9/thread"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_cli_reads_a_saved_hn_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(synthetic.hn_page_current())
    assert main(["analyze", str(page), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    replies = {c["id"]: c["reply_to"] for c in out["comments"]}
    for cid, parent in synthetic.parents().items():
        if parent:
            assert replies[cid][0] == {"id": parent, "confidence": 1.0, "evidence": "platform"}
        else:
            assert replies[cid] == []


@pytest.mark.asyncio
async def test_cli_analyzes_a_url_with_one_session(site: Site, tmp_path: Path) -> None:
    site.json("/api/v1/statuses/100", synthetic.mastodon_statuses()[0])
    site.json("/api/v1/statuses/100/context", synthetic.mastodon_statuses()[1])
    env = {**os.environ, "CROSSTALK_FETCH_ALLOW": "127.0.0.1"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "analyze",
        site.url("/@poster/100"),
        "--json",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0, err.decode()
    report = json.loads(out)
    assert len(report["comments"]) == len(synthetic.TREE)
    assert site.paths() == ["/api/v1/statuses/100", "/api/v1/statuses/100/context"]
    assert b"Unclosed" not in err  # the session was closed
