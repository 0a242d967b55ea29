"""Telling a model that runs away from one that merely had too little room.

A small model under a JSON grammar often never closes its answer: it repeats a span (the same
number, the same object, blank lines) until max_tokens. Such an answer compresses far better
than any real answer: measured with zlib on the last 1,500 characters, a maximal map answer
whose 12 arguments share one quote compresses to 0.18 of its size, a list of comment numbers to
0.32; a repeated pair of numbers to 0.02, a repeated object with a changing number to 0.12,
repeated blank lines to 0.02.
"""

from __future__ import annotations

import zlib

TAIL = 1500
"""Characters of the answer's end that are looked at (a runaway is at the end)."""
MIN_TAIL = 600
"""Shorter answers are not judged: too little text to tell."""
RATIO = 0.12
"""At or below this compressed fraction, the text repeats itself."""


def repeats(text: str) -> bool:
    """True when the end of `text` is one span over and over (a model that does not stop)."""
    tail = text[-TAIL:].encode()
    if len(tail) < MIN_TAIL:
        return False
    return len(zlib.compress(tail, 9)) <= RATIO * len(tail)
