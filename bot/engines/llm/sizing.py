"""Tokens of rendered Digests, counted piece by piece with running totals.

The reduce step asks, Digest after Digest, how many tokens `dg.render(dg.combine(ds))` would
take. Rendering and counting every candidate batch anew is quadratic in the number of Digests
(and it held the event loop). Here each line body is counted once per run (cached), and a
`Tally` keeps the totals of a batch as Digests are appended: deciding a batch costs the lines
of the Digest added, not the lines already in.

Why the parts add up exactly: cl100k's pre-tokenizer never joins text across the places cut
here, and BPE runs inside each pre-token. A line is a head (`S12`, `A3`, ` (S2)`: letters,
digits, `(` `)`) and a body that starts with ` [` after a digit or `)`; lines are joined by
`\\n`, which ends the previous line's last pre-token (alone, or after punctuation or spaces) and
never starts the next one (heads start with a letter). So the rendered text costs the sum of
its heads, its bodies each with their `\\n`, less what the final `\\n` (absent) would have cost.
tests/engines/llm/test_llm_sizing.py checks this against `count_tokens(render(...))`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.engines.llm import digest as dg
from bot.llm.tokens import count_tokens


@lru_cache(maxsize=8192)
def _head(text: str) -> int:
    return count_tokens(text)


@dataclass(frozen=True, slots=True)
class Part:
    """A Digest's lines as placed after `stances` stance lines and `arguments` argument lines:
    their tokens (each with its `\\n`) and the bodies of its last stance and argument lines."""

    tokens: int
    stances: int
    arguments: int
    last_stance: str | None
    last_argument: str | None


class Sizer:
    """Counts for one analysis (the caches live as long as it). Not for concurrent use."""

    def __init__(self, authors: dict[str, str]) -> None:
        self.authors = authors
        self._with_newline: dict[str, int] = {}
        self._newline: dict[str, int] = {}

    def body(self, text: str) -> int:
        """Tokens of a line body with its `\\n`."""
        n = self._with_newline.get(text)
        if n is None:
            n = self._with_newline[text] = count_tokens(text + "\n")
        return n

    def newline(self, text: str) -> int:
        """What the `\\n` after this body costs (0 when it merges into a token)."""
        n = self._newline.get(text)
        if n is None:
            n = self._newline[text] = self.body(text) - count_tokens(text)
        return n

    def size(self, digests: Iterable[dg.Digest]) -> int:
        """Tokens of `dg.render(dg.combine(digests), authors)`."""
        tally = Tally(self)
        for d in digests:
            tally.add(tally.part(d))
        return tally.tokens


class Tally:
    """Running totals of the Digests added so far, as rendered together."""

    def __init__(self, sizer: Sizer) -> None:
        self.sizer = sizer
        self.stances = 0
        self.arguments = 0
        self.lines = 0
        self.last_stance: str | None = None
        self.last_argument: str | None = None

    def part(self, d: dg.Digest) -> Part:
        """`d`'s lines if it were added next."""
        s0, a0, authors = self.stances, self.arguments, self.sizer.authors
        tokens = 0
        stance_bodies = [dg.stance_body(s, authors) for s in d.stances]
        for k, body in enumerate(stance_bodies, start=s0 + 1):
            tokens += _head(f"S{k}") + self.sizer.body(body)
        argument_bodies = [dg.argument_body(a, authors) for a in d.arguments]
        for k, (a, body) in enumerate(zip(d.arguments, argument_bodies, strict=True), a0 + 1):
            ref = dg.stance_ref(None if a.stance is None else a.stance + s0)
            tokens += _head(f"A{k}") + (_head(ref) if ref else 0) + self.sizer.body(body)
        return Part(
            tokens,
            len(d.stances),
            len(d.arguments),
            stance_bodies[-1] if stance_bodies else None,
            argument_bodies[-1] if argument_bodies else None,
        )

    def tokens_with(self, part: Part) -> int:
        """Tokens of the whole once `part` is added."""
        last_argument = part.last_argument if part.arguments else self.last_argument
        last_stance = part.last_stance if part.stances else self.last_stance
        return self.lines + part.tokens - self._final(last_argument or last_stance)

    def add(self, part: Part) -> None:
        self.lines += part.tokens
        self.stances += part.stances
        self.arguments += part.arguments
        if part.stances:
            self.last_stance = part.last_stance
        if part.arguments:
            self.last_argument = part.last_argument

    @property
    def tokens(self) -> int:
        return self.lines - self._final(self.last_argument or self.last_stance)

    def _final(self, body: str | None) -> int:
        return self.sizer.newline(body) if body is not None else 0
