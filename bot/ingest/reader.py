"""Bytes (a paste, an attachment, a saved page, a fetched body) -> Discussion.

Validates first (empty, binary, too large), then picks a parser by what the content is:
platform JSON, HTML, or a text paste.
"""

from __future__ import annotations

import json

from bot.config import MAX_INPUT_BYTES
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
    if stripped[:1] in "[{" and not lower_name.endswith((".txt", ".md")):
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
        if payload is not None:
            from bot.ingest.platforms import parse_json

            return parse_json(payload, url=url)
    if (
        lower_name.endswith((".html", ".htm"))
        or stripped[:200].lower().startswith(("<!doctype html", "<html"))
        or '<ol class="comment-list">' in text
    ):
        from bot.ingest.platforms import parse_html

        return parse_html(text, url=url)
    return parse_paste(text)
