"""Author names in comment text: `@Name` markers at the start, and addressing without `@`
("calli, i know…", "What do you say, RyGuy?"), resolved against the authors seen so far."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bot.core.words import STOPWORDS

_NON_ALNUM = re.compile(r"[\W_]+")
_GREETING = {
    "hi",
    "hey",
    "hello",
    "dear",
    "thanks",
    "thank",
    "you",
    "well",
    "ok",
    "okay",
    "yes",
    "no",
    "sorry",
    "so",
    "but",
    "and",
    "agreed",
    "exactly",
    "wow",
    "oh",
    "ah",
    "right",
    "true",
    "indeed",
    "lol",
    "haha",
    "yeah",
    "nope",
    "sure",
    "@",
}


def key(word: str) -> str:
    """A name word reduced to what matters for matching: lowercase letters and digits."""
    return _NON_ALNUM.sub("", word.lower())


class AuthorIndex:
    """Authors seen so far, looked up by their words: exact name (longest first), then a
    unique first name, then fuzzily (prefix or close spelling) for names that are not words."""

    def __init__(self) -> None:
        self._full: dict[tuple[str, ...], str] = {}
        self._compact: dict[str, str] = {}
        self._first: dict[str, set[str]] = {}
        self._by_initial: dict[str, list[tuple[str, str]]] = {}
        self._longest = 1
        self._seen: set[str] = set()

    def add(self, author: str) -> None:
        if author in self._seen:
            return
        self._seen.add(author)
        words = tuple(k for k in (key(w) for w in author.split()) if k)
        if not words or words in self._full:
            return
        self._full[words] = author
        compact = "".join(words)
        if compact not in self._compact:
            self._compact[compact] = author
            self._by_initial.setdefault(compact[0], []).append((compact, author))
        self._first.setdefault(words[0], set()).add(author)
        self._longest = max(self._longest, len(words))

    @property
    def longest(self) -> int:
        """Words in the longest known name."""
        return self._longest

    def exact(self, words: list[str]) -> tuple[str, int] | None:
        """The longest known name the words start with: (author, words used)."""
        for n in range(min(self._longest, len(words)), 0, -1):
            found = self._full.get(tuple(words[:n])) or self._compact.get("".join(words[:n]))
            if found:
                return found, n
        return None

    def loose(self, word: str, *, exclude: str | None = None) -> str | None:
        """One word matched to one author: unique first name, unique prefix (>= 4 letters),
        or a close spelling. Common words never match loosely."""
        if len(word) < 2:
            return None
        first = self._first.get(word, set()) - {exclude}
        if len(first) == 1:
            return next(iter(first))
        if word in STOPWORDS or len(word) < 4:
            return None
        # Same first letter: nicknames keep it ("calli" for Calligirl), typos rarely change it.
        bucket = [(c, a) for c, a in self._by_initial.get(word[0], ()) if a != exclude]
        hits = {a for c, a in bucket if c.startswith(word)}
        if len(hits) == 1:
            return next(iter(hits))
        if hits:
            return None
        best, best_ratio = None, 0.0
        matcher = SequenceMatcher(None, "", word)
        for c, a in bucket:
            if abs(len(c) - len(word)) > 2:
                continue
            matcher.set_seq1(c)
            if matcher.quick_ratio() < 0.85:
                continue
            r = matcher.ratio()
            if r > best_ratio:
                best, best_ratio = a, r
        return best if best_ratio >= 0.85 else None


def leading_markers(text: str, index: AuthorIndex) -> list[str]:
    """Authors named by `@Name` markers at the very start (`@Name:`, `@Name,`, `@Name -`,
    `@Name text`, several in a row). An `@Name` later in the text is a mention, not a target.
    The writer's own name counts: people do answer their own earlier comment."""
    out: list[str] = []
    if not text.lstrip().startswith("@"):
        return out
    tokens = text[:160].split()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in {",", "&", "and", "-", "–", "—", "/", ":"}:
            i += 1
            continue
        if not tok.startswith("@"):
            break
        words = [key(tok[1:])] + [key(t) for t in tokens[i + 1 : i + index.longest]]
        hit = index.exact(words) if words[0] else None
        author: str | None
        if hit:
            author, used = hit
        else:
            author, used = index.loose(words[0]), 1
        if author and author not in out:
            out.append(author)
        i += used
        if tokens[i - 1][-1] in ".!?":  # a sentence ended: no more markers
            break
    return out


_START = re.compile(r"^\W{0,3}((?:[\w.'’\-]+\s+){0,3}?[\w.'’\-]+)\s*[,:!—–]\s*\S", re.UNICODE)
_END_VOCATIVE = re.compile(r",\s*((?:[\w.'’\-]+\s+){0,2}[\w.'’\-]+)\s*[?!.]+(?:\s|$)")


def _resolve_phrase(
    phrase: str, index: AuthorIndex, me: str, *, allow_me: bool = False
) -> tuple[str, bool] | None:
    words = [k for k in (key(w) for w in phrase.split()) if k]
    while words and words[0] in _GREETING:
        words = words[1:]
    if not words or len(words) > 3:
        return None
    hit = index.exact(words)
    if hit and hit[1] == len(words) and (allow_me or hit[0] != me):
        return hit[0], True
    if len(words) == 1:
        author = index.loose(words[0], exclude=me)
        if author:
            return author, False
    return None


def addressed(text: str, index: AuthorIndex, *, me: str) -> tuple[str, str] | None:
    """An author addressed by name without `@`. Returns (author, how): "start" for an exact
    name opening the text ("Bob: no", "calligirl, i know"; one's own name counts, as with
    `@`), "loose" for a fuzzy one ("calli, i know"), "vocative" for a name closing an early
    sentence ("What do you say, RyGuy?"); None when nobody is addressed."""
    head = text[:400]
    m = _START.match(head)
    if m:
        found = _resolve_phrase(m.group(1), index, me, allow_me=True)
        if found:
            return found[0], "start" if found[1] else "loose"
    for m in _END_VOCATIVE.finditer(head):
        found = _resolve_phrase(m.group(1), index, me)
        if found:
            return found[0], "vocative"
    return None
