"""Re-posts: the same commenter posting the same comment twice, as it is or edited.

Two comments are copies when one author wrote both and either they are near-identical (≥ 0.9
similar, lengths within a quarter) or one is an edit of the other: the longer starts the way the
shorter does, holds at least nine tenths of it in order outside any quotation, and is at most
twice as long. Copies that answer different people (by the links already found) are two
comments, not one. Of a set of copies the one kept is the longest (of equal lengths, the later:
the author's last word); every other copy maps to it, so it is counted once.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from bot.core.model import Comment
from bot.core.quotes import split_quotes
from bot.core.text import flat

_MIN_CHARS = 30
_SAME_START = 40  # characters an edit keeps from the start of the first version


class Copies:
    """Found one comment at a time, in order (`observe`); `kept` maps each copy to the copy
    counted."""

    def __init__(self, comments: tuple[Comment, ...], texts: list[str]) -> None:
        self.comments = comments
        self.flat = texts
        self.n_shingles: list[int] = []
        self.answers: list[str | None] = []  # position -> the author it answers, if any
        self.exact: dict[str, int] = {}  # flattened text -> first position
        self.kept: dict[int, int] = {}  # position -> position of the copy kept

    def observe(
        self, pos: int, n_shingles: int, hits: dict[int, int], answers: str | None
    ) -> int | None:
        """Record comment `pos`: its shingle count, the earlier comments sharing shingles
        (`ShingleIndex.hits`), and the author its reply links answer. Returns the earlier
        comment it is a copy of, if any (a copy that answers nobody answers what it does)."""
        k = self._twin(pos, n_shingles, hits, answers)
        self.n_shingles.append(n_shingles)
        self.answers.append(answers if answers is not None or k is None else self.answers[k])
        self.exact.setdefault(self.flat[pos], pos)
        if k is None:
            return None
        root = self.kept.get(k, k)
        group = [p for p, r in self.kept.items() if r == root] + [root]
        keep = pos if len(self.flat[pos]) >= len(self.flat[root]) else root
        for p in [*group, pos]:
            if p != keep:
                self.kept[p] = keep
        self.kept.pop(keep, None)
        return k

    def _twin(
        self, pos: int, n_shingles: int, hits: dict[int, int], answers: str | None
    ) -> int | None:
        c = self.comments[pos]
        text = self.flat[pos]
        if len(text) < _MIN_CHARS:
            return None
        if n_shingles >= 4:
            cands = [k for k, n in hits.items() if n * 2 >= min(n_shingles, self.n_shingles[k])]
        else:
            cands = [k for k in [self.exact.get(text)] if k is not None]
        for k in sorted(cands, reverse=True):
            if self.comments[k].author != c.author:
                continue
            other = self.answers[k]
            if other is not None and answers is not None and other != answers:
                continue  # the two answer different people: two comments
            if self._same(self.flat[k], text):
                return k
        return None

    def _same(self, a: str, b: str) -> bool:
        short, long = sorted((a, b), key=len)
        if len(long) <= 1.25 * len(short):
            m = SequenceMatcher(None, a, b, autojunk=False)
            if m.quick_ratio() >= 0.9 and m.ratio() >= 0.9:
                return True
        if len(long) > 2 * len(short) or long[:_SAME_START] != short[:_SAME_START]:
            return False
        own = flat(split_quotes(long).own)  # words quoted from the other copy are a reply
        m = SequenceMatcher(None, short, own, autojunk=False)
        return sum(b.size for b in m.get_matching_blocks()) >= 0.9 * len(short)
