"""Bytes (a paste, an attachment, a saved page, a fetched body) -> Discussion.

Validates first (empty, binary, too large), then picks a parser by what the content is:
platform JSON, HTML, or a text paste.
"""

from __future__ import annotations

import json

from bot.config import MAX_INPUT_BYTES
from bot.core.errors import InputError
from bot.core.model import Discussion
from bot.ingest.decode import decode_text
from bot.ingest.paste import parse_paste


def read_discussion(
    data: bytes,
    *,
    name: str | None = None,
    url: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> Discussion:
    """Parse any supported input. `name` (a file name) and `url` help choose the parser."""
    text = decode_text(data, max_bytes=max_bytes)
    stripped = text.lstrip()
    lower_name = (name or "").lower()
    broken: ValueError | None = None
    if stripped[:1] in "[{" and not lower_name.endswith((".txt", ".md")):
        try:
            payload = json.loads(text)
        except ValueError as exc:
            broken = exc
        else:
            from bot.ingest.platforms import parse_json

            return parse_json(payload, url=url)
        if lower_name.endswith(".json"):
            raise invalid_json(broken, text)
    if (
        lower_name.endswith((".html", ".htm"))
        or stripped[:200].lower().startswith(("<!doctype html", "<html"))
        or '<ol class="comment-list">' in text
    ):
        from bot.ingest.platforms import parse_html

        return parse_html(text, url=url)
    try:
        return parse_paste(text)
    except InputError:
        if broken is None:
            raise
        raise invalid_json(broken, text) from None  # JSON that is no paste either: say why


def invalid_json(exc: ValueError, text: str) -> InputError:
    """Where `text`, meant as JSON, went wrong; a document that stops early (a file cut short)
    says so."""
    if not isinstance(exc, json.JSONDecodeError):
        return InputError(f"The JSON is invalid ({exc}).")
    if exc.msg.startswith("Unterminated string") or not text[exc.pos :].strip():
        lines = text.rstrip().split("\n")
        return InputError(
            f"The JSON is invalid: it stops at line {len(lines)}, column {len(lines[-1]) + 1}, "
            "before the document ends (is the file cut short?)."
        )
    return InputError(
        f"The JSON is invalid at line {exc.lineno}, column {exc.colno}: "
        f"{exc.msg[:1].lower()}{exc.msg[1:]}."
    )
