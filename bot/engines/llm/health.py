"""The LLM engine's health line: what the model server's answer to `GET /models` means."""

from __future__ import annotations

from bot.llm.client import ServerCheck


def server_health(where: str, model: str, check: ServerCheck) -> tuple[str, bool]:
    """One line on the server at `where` serving `model`, and whether it is good."""
    if check.error is not None:
        return f"{where}: unreachable ({check.error})", False
    if check.status in (401, 403):
        return f"{where}: the server refused the API key (HTTP {check.status})", False
    if check.status == 404:
        return f"{where}: reachable (it does not list its models)", True
    if check.status is not None and check.status >= 400:
        return f"{where}: answered HTTP {check.status}", False
    if check.models and model not in check.models:
        return f"{where}: reachable, but it does not serve this model (pull it?)", False
    return f"{where}: reachable", True
