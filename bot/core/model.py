"""The data model: frozen values parsed once at the boundary, passed inward.

A `Discussion` is what ingest produces: the article and its comments as they were found, with
whatever structural hints the source gave (an exact platform parent, an indentation depth).
A `Thread` is what the core derives from it: the reply links with their evidence, duplicates,
chains, interactions. A `Report` is what an engine adds on top: headline, sides, key arguments,
unanswered arguments. `bot.core.contract` turns a Report into the JSON contract of DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Article:
    """The thing being discussed. Every field but `text` may be unknown."""

    title: str | None = None
    author: str | None = None
    url: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment as found in the source.

    `id` is stable within a discussion (platform id, or `c<index>` for pastes); `index` is the
    1-based order of appearance. `parent_id` is set only when the source states the parent
    exactly (a platform API, nested HTML, Discord reply references); `depth` is the nesting
    level a source showed through indentation (0 = top level), when it showed one.
    """

    id: str
    index: int
    author: str
    text: str
    parent_id: str | None = None
    depth: int | None = None
    timestamp: str | None = None
    deleted: bool = False
    quotes: tuple[str, ...] = ()
    """Ids of earlier comments this one quotes, when the source marks quotes exactly
    (Discourse quote asides): a reply signal weaker than `parent_id`."""
    starts_blank: bool = False
    """The text began after an empty line where the paste's other comments begin at once:
    where a copy dropped an `@Name` link, it leaves exactly that gap."""


def unknown_author(index: int) -> str:
    """The name given to the author of comment `index` when the source withholds it (a deleted
    account). Each such comment gets its own name: they are not one person replying to all."""
    return f"[deleted #{index}]"


@dataclass(frozen=True, slots=True)
class Discussion:
    """An article and its comments in order of appearance, as ingest found them."""

    article: Article
    comments: tuple[Comment, ...]
    source: str = "paste"
    """How it was read: a paste shape ("wordpress", "outline", "chat", "plain") or a platform."""
    warnings: tuple[str, ...] = ()
    structure_exact: bool = False
    """True when the source gives every comment's parent exactly, top level included (a
    platform API or nested HTML): then nothing is inferred from the text."""

    def by_id(self) -> dict[str, Comment]:
        return {c.id: c for c in self.comments}

    @property
    def authors(self) -> tuple[str, ...]:
        """Distinct authors in order of first appearance."""
        seen: dict[str, None] = {}
        for c in self.comments:
            seen.setdefault(c.author, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class ReplyLink:
    """`target` is the id of the comment replied to; `evidence` names the signal used
    ("platform", "indent", "at-mention", "quote", "addressed", "copied-sentence", ...)."""

    target: str
    confidence: float
    evidence: str


@dataclass(frozen=True, slots=True)
class Chain:
    """A separate conversation: a root comment and everything that replies to it, transitively."""

    id: str
    comment_ids: tuple[str, ...]
    participants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Interaction:
    """Author `source` replied to author `target` `count` times, in `comment_ids`."""

    source: str
    target: str
    count: int
    comment_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Exchange:
    """A back-and-forth between two authors: replies in both directions."""

    a: str
    b: str
    count: int
    comment_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Thread:
    """The reply structure the core derived from a Discussion."""

    discussion: Discussion
    links: dict[str, tuple[ReplyLink, ...]] = field(default_factory=dict)
    """comment id -> what it replies to, best first; absent or empty = top level."""
    duplicates: dict[str, str] = field(default_factory=dict)
    """comment id -> id of its copy that is counted, when the same author posted the same
    comment twice (as it was, or edited): the longer copy, or of two the same length the
    later one. The copy mapped here is left out of sides, counts and key arguments."""
    chains: tuple[Chain, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    exchanges: tuple[Exchange, ...] = ()
    depths: dict[str, int] = field(default_factory=dict)
    """comment id -> depth in the reply tree (0 = top level)."""

    def parent(self, comment_id: str) -> str | None:
        links = self.links.get(comment_id)
        return links[0].target if links else None

    def children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for c in self.discussion.comments:
            p = self.parent(c.id)
            if p is not None:
                out.setdefault(p, []).append(c.id)
        return out


@dataclass(frozen=True, slots=True)
class KeyArgument:
    """A point a side makes, who makes it, and one verbatim quote checked against the source."""

    point: str
    comment_ids: tuple[str, ...]
    authors: tuple[str, ...]
    quote: str
    quote_comment_id: str | None = None
    against: tuple[str, ...] = ()
    """Commenters who replied to one of its comments to dispute it (never among `authors`)."""

    @property
    def count(self) -> int:
        return len(self.authors)


@dataclass(frozen=True, slots=True)
class Side:
    label: str
    stance: str
    authors: tuple[str, ...]
    comment_ids: tuple[str, ...]
    summary: str
    key_arguments: tuple[KeyArgument, ...] = ()
    neutral: bool = False
    """The group of commenters in no camp (neutral, undecided, off-topic): named and
    summarised like a side, drawn in the no-side colour."""


@dataclass(frozen=True, slots=True)
class SideThread:
    """An off-topic quarrel or other noise, named instead of mixed into a side."""

    label: str
    comment_ids: tuple[str, ...]
    participants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything Crosstalk says about a discussion. Engines fill the analysis fields."""

    engine: str
    thread: Thread
    headline: str = ""
    sides: tuple[Side, ...] = ()
    unanswered: tuple[str, ...] = ()
    side_threads: tuple[SideThread, ...] = ()
    warnings: tuple[str, ...] = ()
    sides_confidence: float | None = None
    """How well the sides are supported: the estimated probability that the two opposing
    blocs place at least three commenters in four on their true side (balanced over the two
    blocs), calibrated on labelled debates; 0 when the discussion is not an argument. None
    when the engine does not compute it."""
    sides_note: str = ""
    """One line on the sides, the same in every rendering: why there are none, or how well
    the ones shown are supported."""
    positions: tuple[KeyArgument, ...] = ()
    """When the engine shows no sides: the positions people take, each with who takes it
    (the key arguments of the whole discussion)."""

    @property
    def discussion(self) -> Discussion:
        return self.thread.discussion
