"""Bytes -> text: input refused with a message a user can act on (too large, empty, binary,
unknown encoding), and mojibake repaired. Below every parser and the fetcher."""

from __future__ import annotations

import ftfy
from ftfy.badness import is_bad

from bot.config import MAX_INPUT_BYTES
from bot.core.errors import InputError


def human_size(n: int) -> str:
    """A byte count as people read it: "820 KB", "4.8 MB"."""
    if n < 1_000_000:
        return f"{max(1, round(n / 1000)):,} KB"
    return f"{n / 1e6:.1f} MB"


def too_large(limit: int, size: int | None = None, *, what: str = "The input") -> InputError:
    """`what` is over `limit` bytes. `size`: its real size, None when unknown (the reading
    stopped past the limit)."""
    cap = human_size(limit)
    if size is None:
        return InputError(f"{what} is too large: more than the limit of {cap}.")
    shown = human_size(size)
    if shown == cap:  # 5,040,000 bytes and the 5,000,000 limit would both read "5.0 MB"
        shown, cap = f"{size:,} bytes", f"{limit:,} bytes"
    return InputError(f"{what} is too large ({shown}); the limit is {cap}.")


def decode_text(data: bytes, *, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Decode input as text or refuse it with a message a user can act on."""
    if len(data) > max_bytes:
        raise too_large(max_bytes, len(data))
    if not data.strip():
        raise InputError("The input is empty: paste an article with its comments, or a link.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark
        try:
            return repair_text(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise InputError("The input is not readable text (broken UTF-16).") from None
    if b"\x00" in data[:8192]:
        raise InputError("The input looks binary, not text: give a .txt, .md, .html or .json.")
    try:
        return repair_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > len(text) // 100:
        raise InputError("The input is not readable text (unknown encoding).")
    return repair_text(text)


def repair_text(text: str) -> str:
    """Undo mojibake (UTF-8 read as Windows-1252 somewhere upstream, as in "GallÃ©"), which
    copied pages often carry. Only the encoding is repaired: quotes, widths and HTML entities
    stay as they are, so quotes checked against the text stay verbatim."""
    # Mojibake is made of non-ASCII characters: only lines holding some need the (slow) check.
    suspect = "\n".join(line for line in text.split("\n") if not line.isascii())
    if suspect and is_bad(suspect):
        return ftfy.fix_encoding(text)
    return text
