"""Platform documents (JSON APIs, saved HTML pages) -> Discussion. See issue 5."""

from __future__ import annotations

from typing import Any

from bot.core.errors import InputError
from bot.core.model import Discussion


def parse_json(payload: Any, *, url: str | None = None) -> Discussion:
    raise InputError("This JSON is not a discussion format Crosstalk knows.")


def parse_html(html: str, *, url: str | None = None) -> Discussion:
    raise InputError("Crosstalk cannot read comments from this HTML page yet.")
