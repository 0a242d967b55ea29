"""Who replied to whom: reply links with evidence and confidence, and duplicate re-posts.

Exact structure from the source (a platform parent, nested HTML) is taken as it is; indentation
from outlines comes next; text signals are inferred, strongest first:

- at-mention: `@Name` markers at the start (several in a row give several links);
- quote: a `>` quotation or "Originally Posted by X" block found in an earlier comment;
- addressed: an author's exact name opening the text ("Bob: no");
- copied-sentence: a run of words copied from an earlier comment without quote marks;
- addressed, weaker: a fuzzy name ("calli, i know…") or a vocative ("What do you say, Ryan?");
- partial-name: a part of a name other than its start ("RyGuy, you're on" to TheRyGuy);
- argument-name: "your bet" when exactly one earlier comment (and not the article) makes one;
- third-person: a commenter's views named ("everything Michael Reynolds theorizes here");
- lost-marker: a comment that starts with an empty line where the paste's comments start at
  once (a dropped `@Name` link) and whose first sentence talks back: the previous speaker.

A quote or copied sentence also tells *which* comment of a named author is answered.

When the named person wrote several earlier comments, the one answered is chosen by recency,
shared words, and whether it answered the replier. A comment without evidence is top level: a
link is never invented with high confidence. Every target precedes its source. Re-posts of the
same comment by its author are found too (`bot.core.copies`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain, pairwise

from bot.core.copies import Copies
from bot.core.model import Comment, Discussion, ReplyLink
from bot.core.names import AuthorIndex, addressed, key, leading_markers
from bot.core.quotes import SHINGLE, ShingleIndex, shingles, split_quotes
from bot.core.references import (
    VIEW_WORDS,
    argument_named,
    makes_argument,
    talks_back,
    views_named,
)
from bot.core.text import words
from bot.core.words import STOPWORDS, content_words

# Earlier comments of the named author considered (10 or 20 scored the same on real threads).
_CANDIDATES = 6
_W_RECENT, _W_SHARED, _W_ANSWERED_ME = 1.0, 2.0, 0.35
_COPIED_MIN_SHINGLES = 2  # SHINGLE + 1 words copied in a row
# Confidence of the links no marker states: all below an explicit `@Name` (0.9).
_PARTIAL, _ARGUMENT, _THIRD_PERSON, _LOST_MARKER = 0.5, 0.5, 0.45, 0.4
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’]+\b")
_FIRST_WORD = re.compile(r"^\W*\w+")


ECHO_MAX_COMMENTS = 3
"""A two-word phrase names one comment's view when at most this many comments hold it."""


def _word_pairs(tokens: list[str]) -> set[tuple[str, str]]:
    """Two words in a row, lowercase, unless both are stop words."""
    low = [t.lower() for t in tokens]
    return {(a, b) for a, b in pairwise(low) if a not in STOPWORDS or b not in STOPWORDS}


class _Scorer:
    """Similarity of comments by their content words, weighted by rarity in the discussion."""

    def __init__(self, comments: tuple[Comment, ...], tokens: list[list[str]]) -> None:
        self.bags = [content_words(t) for t in tokens]
        df = Counter(chain.from_iterable(self.bags))
        n = len(comments) + 1
        self.weight = {w: math.log(n / d) ** 2 for w, d in df.items()}
        self.norms = [math.sqrt(sum(map(self.weight.__getitem__, bag))) or 1.0 for bag in self.bags]
        self.flat = [" ".join(c.text.split()) for c in comments]

    def similarity(self, i: int, j: int) -> float:
        """Cosine of the idf-weighted word sets."""
        shared = self.bags[i] & self.bags[j]
        if not shared:
            return 0.0
        return sum(map(self.weight.__getitem__, shared)) / (self.norms[i] * self.norms[j])


class _Inference:
    def __init__(self, discussion: Discussion) -> None:
        self.comments = discussion.comments
        self.tokens = [words(c.text, digits=True, split_compounds=True) for c in self.comments]
        self.scorer = _Scorer(self.comments, self.tokens)
        self.names = AuthorIndex()
        self.shingles = ShingleIndex(discussion.article.text)
        self.by_author: dict[str, list[int]] = {}
        self.parent: list[int | None] = []
        self.joined: dict[int, str] = {}
        self.pos = {c.id: i for i, c in enumerate(self.comments)}
        self.article_author = discussion.article.author
        self.article = discussion.article.text
        self._ordinary: set[str] | None = None
        self._makers: dict[str, tuple[int, list[int]]] = {}
        self._pairs: list[set[tuple[str, str]]] = []
        self._pair_counts: Counter[tuple[str, str]] | None = None  # built on first need
        self.article_names = AuthorIndex()
        if self.article_author:
            self.article_names.add(self.article_author)

    def is_word(self, word: str) -> bool:
        """Whether the discussion uses `word` as an ordinary word: written in lowercase in the
        article, or in a comment other than as its first word (where a name addressing
        someone stands). Such a word is no short form of a name."""
        if self._ordinary is None:
            self._ordinary = set(_LOWER_WORD.findall(self.article))
            for c in self.comments:
                self._ordinary.update(_LOWER_WORD.findall(_FIRST_WORD.sub("", c.text, count=1)))
        return word in self._ordinary

    def choose(self, author: str, pos: int, *, own_views: bool = False) -> tuple[int, float] | None:
        """Which earlier comment of `author` comment `pos` answers, and how sure that is. With
        `own_views` (their views named in the third person), only the comments where they
        state them: not their replies to someone, when they wrote any other comment."""
        cands = self.by_author.get(author, [])[-_CANDIDATES:]
        me = self.comments[pos].author
        if own_views:
            stated = [k for k in cands if not self._answers_someone(k)]
            cands = stated or cands
        if len(cands) <= 1:
            return (cands[0], 1.0) if cands else None
        scored = []
        for rank, k in enumerate(reversed(cands)):
            s = _W_RECENT / (1 + rank) + _W_SHARED * self.scorer.similarity(pos, k)
            p = self.parent[k]
            if p is not None and self.comments[p].author == me:
                s += _W_ANSWERED_ME
            scored.append((s, k))
        scored.sort(reverse=True)
        margin = scored[0][0] - scored[1][0]
        return scored[0][1], min(1.0, 0.6 + margin)

    def _answers_someone(self, k: int) -> bool:
        """Whether comment `k` replies to someone other than its own author."""
        p = self.parent[k]
        return p is not None and self.comments[p].author != self.comments[k].author

    def quote_source(self, text: str, named: str | None, pos: int) -> int | None:
        """The earlier comment a quotation comes from: by its words, preferring the author an
        attribution names; else, with a name alone, that author's likeliest comment."""
        me = self.comments[pos].author
        author = self._resolve(named, me) if named else None
        tokens = words(text, digits=True, split_compounds=True)
        if len(tokens) >= SHINGLE:
            found = self.shingles.hits(shingles(tokens))
            hits = {k: n for k, n in found.items() if self._other(k, me)}
            by_named = {k: n for k, n in hits.items() if self.comments[k].author == author}
            hits = by_named or hits
            if hits:
                return max(hits, key=lambda k: (hits[k], k))
        if len(tokens) >= 3:
            needle = " ".join(tokens)
            for k in range(pos - 1, max(-1, pos - 500), -1):
                if self._other(k, me) and needle in self._joined(k):
                    return k
        if author:
            chosen = self.choose(author, pos)
            return chosen[0] if chosen else None
        return None

    def _joined(self, k: int) -> str:
        """Comment k's words, space-separated (for short quotes), computed when first asked."""
        found = self.joined.get(k)
        if found is None:
            found = self.joined[k] = " ".join(self.tokens[k])
        return found

    def _other(self, k: int, me: str) -> bool:
        return self.comments[k].author != me

    def _resolve(self, name: str, me: str) -> str | None:
        ws = [k for k in (key(w) for w in name.split()) if k]
        hit = self.names.exact(ws) if ws else None
        if hit and hit[0] != me:
            return hit[0]
        return self.names.loose(ws[0], exclude=me) if len(ws) == 1 else None

    def copied_source(self, hits: dict[int, int], n_shingles: int, pos: int) -> int | None:
        """An earlier comment (by someone else) a run of this one's words was copied from.
        A comment that is nothing but a copy is a re-post, not a reply."""
        me = self.comments[pos].author
        best = [
            (n, k)
            for k, n in hits.items()
            if _COPIED_MIN_SHINGLES <= n < 0.8 * n_shingles and self._other(k, me)
        ]
        return max(best)[1] if best else None

    def text_links(self, pos: int, hashes: set[int], hits: dict[int, int]) -> list[ReplyLink]:
        """Links from what comment `pos` says; `hashes` are the shingles of its text and
        `hits` the earlier comments sharing them."""
        c = self.comments[pos]
        q = split_quotes(c.text) if ">" in c.text or "\n" in c.text else None
        own = q.own or c.text if q else c.text
        quoted = None
        if q and (q.text or q.author):
            quoted = self.quote_source(q.text, q.author, pos)
        if own == c.text:
            own_hashes = hashes
        else:
            own_hashes = shingles(words(own, digits=True, split_compounds=True))
        own_hits = hits if own == c.text else self.shingles.hits(own_hashes)
        copied = self.copied_source(own_hits, len(own_hashes), pos) if quoted is None else None
        out: list[ReplyLink] = []
        for author in leading_markers(own, self.names):
            if quoted is not None and self.comments[quoted].author == author:
                target, conf = quoted, 0.95
            elif copied is not None and self.comments[copied].author == author:
                target, conf = copied, 0.95
            else:
                found = self.choose(author, pos)
                if found is None:
                    continue
                target, conf = found[0], 0.9 * found[1]
            out.append(ReplyLink(self.comments[target].id, conf, "at-mention"))
        if out:
            return out
        if quoted is not None:
            return [ReplyLink(self.comments[quoted].id, 0.85, "quote")]
        named = addressed(own, self.names, me=c.author, is_word=self.is_word)
        to_article = self._to_article_author(own, named)
        if named and to_article and named[1] != "start":
            named = None  # "Hi Daniel, …" greets the article's author: a top-level comment
        if named and named[1] == "start":
            return self._addressed(named[0], pos, copied, 0.7)
        if copied is not None:
            return [ReplyLink(self.comments[copied].id, 0.75, "copied-sentence")]
        if named and named[1] == "part":
            return self._addressed(named[0], pos, None, _PARTIAL, "partial-name")
        if named:
            return self._addressed(named[0], pos, None, 0.5)
        if to_article:
            return []
        return self._unmarked(pos, own)

    def _to_article_author(self, own: str, named: tuple[str, str] | None) -> bool:
        """Whether the comment addresses the article's author by name ("Hi Daniel,", "I do not
        buy your theory, Marcus."), who may never comment."""
        if not self.article_author:
            return False
        if named is not None:
            return named[0] == self.article_author
        return addressed(own, self.article_names, me="") is not None

    def _unmarked(self, pos: int, own: str) -> list[ReplyLink]:
        """The weakest evidence, for a comment that names nobody it answers."""
        c = self.comments[pos]
        kind = argument_named(own)
        maker = self._maker(kind, pos) if kind else None
        if maker is not None:
            return [ReplyLink(self.comments[maker].id, _ARGUMENT, "argument-name")]
        out = []
        named = (
            ()
            if VIEW_WORDS.isdisjoint(self.tokens[pos])
            else views_named(
                own, self.names, me=c.author, article=self.article, is_word=self.is_word
            )
        )
        for author, view, sentence in named[:3]:
            found = self._stating(author, pos, view, sentence)
            if found is not None:
                target, sure = found
                out.append(
                    ReplyLink(self.comments[target].id, _THIRD_PERSON * sure, "third-person")
                )
        if out:
            return out
        prev = self.comments[pos - 1] if pos else None
        if c.starts_blank and prev is not None and prev.author != c.author and talks_back(own):
            return [ReplyLink(prev.id, _LOST_MARKER, "lost-marker")]
        return []

    def _stating(
        self, author: str, pos: int, kind: str | None, sentence: str = ""
    ) -> tuple[int, float] | None:
        """Which earlier comment of `author` a view named in the third person is: when the
        view word names an argument ("everything Michael Reynolds theorizes"), the latest of
        theirs that makes one (a theory); else as for a name (`choose`) among the comments
        where they state their views, not their replies to someone ("everything Keith argues"
        is about what Keith put forward, not his "@Moira: topped up, yes…")."""
        cands = self.by_author.get(author, [])[-_CANDIDATES:]
        if kind is not None:
            making = [k for k in cands if makes_argument(kind, self.comments[k].text)]
            if making:
                return making[-1], 1.0 if len(making) == 1 else 0.6
        echoed = self._echoed(sentence, cands)
        if echoed is not None:
            return echoed, 1.0
        return self.choose(author, pos, own_views=True)

    def _echoed(self, sentence: str, cands: list[int]) -> int | None:
        """The one comment among `cands` whose words the sentence naming the view repeats:
        the most two-word phrases in common ("Kerr claims nobody paid the levy" / "nobody
        paid it though"), counting only phrases with a word that is not a stop word and that
        at most ECHO_MAX_COMMENTS comments of the discussion hold (not the subject everybody
        writes about)."""
        if len(cands) < 2 or not sentence:
            return None
        if self._pair_counts is None:
            self._pairs = [_word_pairs(t) for t in self.tokens]
            self._pair_counts = Counter(chain.from_iterable(self._pairs))
        said = _word_pairs(words(sentence, digits=True, split_compounds=True))
        rare = {p for p in said if self._pair_counts[p] <= ECHO_MAX_COMMENTS}
        shared = sorted(((len(rare & self._pairs[k]), k) for k in cands), reverse=True)
        best, runner_up = shared[0][0], shared[1][0]
        return shared[0][1] if best > runner_up else None

    def _maker(self, kind: str, pos: int) -> int | None:
        """The one earlier comment by someone else that makes the argument `kind` ("bet"),
        when the article does not make it too."""
        if makes_argument(kind, self.article):
            return None
        scanned, found = self._makers.get(kind, (0, []))
        found = found + [
            k for k in range(scanned, pos) if makes_argument(kind, self.comments[k].text)
        ]
        self._makers[kind] = (pos, found)
        me = self.comments[pos].author
        others = [k for k in found if self.comments[k].author != me]
        return others[0] if len(others) == 1 else None

    def _addressed(
        self, author: str, pos: int, copied: int | None, base: float, evidence: str = "addressed"
    ) -> list[ReplyLink]:
        if copied is not None and self.comments[copied].author == author:
            return [ReplyLink(self.comments[copied].id, base + 0.1, evidence)]
        found = self.choose(author, pos)
        if found is None:
            return []
        return [ReplyLink(self.comments[found[0]].id, base * found[1], evidence)]


def infer_links(
    discussion: Discussion,
) -> tuple[dict[str, tuple[ReplyLink, ...]], dict[str, str]]:
    """Return (links, duplicates): comment id -> reply links (best first), and comment id ->
    id of the copy of it that is counted (`Thread.duplicates`). Every target precedes its
    source."""
    inf = _Inference(discussion)
    copies = Copies(discussion.comments, inf.scorer.flat)
    stack: list[Comment] = []  # the open ancestors when depth hints are given
    links: dict[str, tuple[ReplyLink, ...]] = {}
    for pos, c in enumerate(discussion.comments):
        hashes = shingles(inf.tokens[pos])
        hits = inf.shingles.hits(hashes)
        found: list[ReplyLink] = []
        if c.parent_id is not None and inf.pos.get(c.parent_id, pos) < pos:
            found = [ReplyLink(c.parent_id, 1.0, "platform")]
        elif c.depth is not None:
            while stack and (stack[-1].depth or 0) >= c.depth:
                stack.pop()
            if stack and c.depth > 0:
                found = [ReplyLink(stack[-1].id, 0.95, "indent")]
        elif any(inf.pos.get(q, pos) < pos for q in c.quotes):
            quoted = next(q for q in c.quotes if inf.pos.get(q, pos) < pos)
            found = [ReplyLink(quoted, 0.9, "quote")]
        elif not discussion.structure_exact:
            found = inf.text_links(pos, hashes, hits)
        if c.depth is not None:
            while stack and (stack[-1].depth or 0) >= c.depth:
                stack.pop()
            stack.append(c)
        answered = discussion.comments[inf.pos[found[0].target]].author if found else None
        earlier = copies.observe(pos, len(hashes), hits, answered)
        if earlier is not None and not found and links.get(discussion.comments[earlier].id):
            found = list(links[discussion.comments[earlier].id])  # a re-post answers the same
        if found:
            links[c.id] = tuple(found)
        inf.parent.append(inf.pos[found[0].target] if found else None)
        inf.by_author.setdefault(c.author, []).append(pos)
        inf.names.add(c.author)
        inf.shingles.add(pos, hashes)
    ids = [c.id for c in discussion.comments]
    return links, {ids[p]: ids[k] for p, k in sorted(copies.kept.items())}
