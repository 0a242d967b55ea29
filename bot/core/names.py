"""Author names in comment text: `@Name` markers at the start, and addressing without `@`
("calli, i know…", "What do you say, RyGuy?", "RyGuy, you're on" for TheRyGuy), resolved
against the authors seen so far."""

from __future__ import annotations

import re
from collections.abc import Callable
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


# A name's parts as written: its words, and the humps of CamelCase ("TheRyGuy": The, Ry, Guy;
# "xXNightOwlXx": x, X, Night, Owl, Xx; "JPSartre12": JP, Sartre, 12).
_SEGMENT = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+")


def name_parts(author: str) -> set[str]:
    """What people call an author by when they shorten the name other than by its start:
    runs of its parts after the first ("RyGuy", "Guy" for TheRyGuy; "Reynolds" for Michael
    Reynolds), and, for a name written as one lowercase word, its endings of four letters or
    more ("sport" for supersport). Each as written (case kept), three letters or more."""
    segments = _SEGMENT.findall(author)
    out = {
        "".join(segments[i:j])
        for i in range(1, len(segments))
        for j in range(i + 1, len(segments) + 1)
    }
    if len(segments) == 1 and segments[0].isalpha():
        word = segments[0]
        out |= {word[i:] for i in range(1, len(word) - 3)}
    return {p for p in out if len(p) >= 3 and p.isalpha()}


def _same_case(written: str, part: str) -> bool:
    """A part is written as the name writes it, or capitalised at the start of a sentence."""
    return written == part or (part.islower() and written == part.capitalize())


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
        self._parts: dict[str, set[tuple[str, str]]] = {}  # key -> (author, part as written)
        self._first_hump: dict[str, set[str]] = {}  # "rob" -> {"RobTheBuilder"}

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
        segments = _SEGMENT.findall(author)
        if len(words) == 1 and len(segments) > 1 and segments[0].istitle():
            self._first_hump.setdefault(segments[0].lower(), set()).add(author)
        self._longest = max(self._longest, len(words))
        for part in name_parts(author):
            self._parts.setdefault(part.lower(), set()).add((author, part))

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

    def first(self, word: str) -> str | None:
        """The one author whose first name is `word`."""
        found = self._first.get(word, ())
        return next(iter(found)) if len(found) == 1 else None

    def loose(self, word: str, *, exclude: str | None = None) -> str | None:
        """One word matched to one author: unique first name, unique prefix (>= 4 letters, or
        the whole first word of a one-word handle: "Rob" for RobTheBuilder, "Dan" for DanK),
        or a close spelling. Common words never match loosely."""
        if len(word) < 2:
            return None
        first = self._first.get(word, set()) - {exclude}
        if len(first) == 1:
            return next(iter(first))
        if word in STOPWORDS:
            return None
        if len(word) == 3:  # "Rob" for RobTheBuilder: the first word of a handle, whole
            hump = self._first_hump.get(word, set()) - {exclude}
            return next(iter(hump)) if len(hump) == 1 else None
        if len(word) < 4:
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

    def part(self, written: str, *, exclude: str | None = None) -> str | None:
        """The one author whose name holds `written` as a part other than its start, written
        the way the name writes it ("RyGuy" for TheRyGuy, "Beale" for Howard Beale, "Sport"
        for supersport). Common words never match."""
        word = key(written)
        if len(word) < 3 or word in STOPWORDS or word in _GREETING:
            return None
        written = _NON_ALNUM.sub("", written)
        hits = {a for a, p in self._parts.get(word, ()) if a != exclude and _same_case(written, p)}
        return next(iter(hits)) if len(hits) == 1 else None


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
            author, used = index.loose(words[0]) or index.part(tok[1:]), 1
        if author and author not in out:
            out.append(author)
        i += used
        if tokens[i - 1][-1] in ".!?":  # a sentence ended: no more markers
            break
    return out


_START = re.compile(r"^\W{0,3}((?:[\w.'’\-]+\s+){0,3}?[\w.'’\-]+)\s*[,:!—–]\s*\S", re.UNICODE)
_END_VOCATIVE = re.compile(r",\s*((?:[\w.'’\-]+\s+){0,2}[\w.'’\-]+)\s*[?!.]+(?:\s|$)")


def _resolve_phrase(
    phrase: str,
    index: AuthorIndex,
    me: str,
    is_word: Callable[[str], bool],
    *,
    allow_me: bool = False,
) -> tuple[str, str] | None:
    """(author, how): "exact" name, "loose" (unique first name, prefix, close spelling) or
    "part" (a part of the name other than its start, and not a word the discussion uses)."""
    raw = [w for w in phrase.split() if key(w)]
    while raw and key(raw[0]) in _GREETING:
        raw = raw[1:]
    words = [key(w) for w in raw]
    if not words or len(words) > 3:
        return None
    hit = index.exact(words)
    if hit and hit[1] == len(words) and (allow_me or hit[0] != me):
        return hit[0], "exact"
    if len(words) == 1:
        author = index.loose(words[0], exclude=me)
        if author:
            return author, "loose"
        author = index.part(raw[0], exclude=me)
        if author and not is_word(words[0]):
            return author, "part"
    return None


def addressed(
    text: str, index: AuthorIndex, *, me: str, is_word: Callable[[str], bool] = bool
) -> tuple[str, str] | None:
    """An author addressed by name without `@`. Returns (author, how): "start" for an exact
    name opening the text ("Bob: no", "calligirl, i know"; one's own name counts, as with
    `@`), "loose" for a fuzzy one ("calli, i know"), "vocative" for a name closing an early
    sentence ("What do you say, RyGuy?"), "part" for a part of a name, at the start or as a
    vocative ("RyGuy, you're on" for TheRyGuy); None when nobody is addressed. `is_word(w)`
    tells whether the discussion uses `w` as an ordinary word (then it is no short name)."""
    head = text[:400]
    m = _START.match(head)
    if m:
        found = _resolve_phrase(m.group(1), index, me, is_word, allow_me=True)
        if found:
            how = {"exact": "start", "loose": "loose", "part": "part"}[found[1]]
            return found[0], how
    for m in _END_VOCATIVE.finditer(head):
        found = _resolve_phrase(m.group(1), index, me, is_word)
        if found:
            return found[0], "part" if found[1] == "part" else "vocative"
    return None
