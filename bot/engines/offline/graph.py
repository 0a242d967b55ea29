"""The signed author graph: who agrees with whom, read from reply signs and vocabulary.

Nodes are the commenters and, when there is an article, the article (its author's node when
they comment, else the node `ARTICLE`), so that top-level comments take a position towards
it. An edge weight sums the
signs of the replies between two authors in both directions (`reply_sign`: 2p - 1 for p the
fitted probability that they are on the same side; a top-level comment's sign towards the
article counts half); a lexical term adds how much more alike two authors' own words are
(quoted text removed) than two authors on average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.core.model import Thread
from bot.core.tfidf import tfidf
from bot.engines.offline.signs import FEATURES, features_of, sign_of, strip_quoted

ARTICLE = "\x00article"
"""Node id of the article (cannot clash with an author name)."""

ARTICLE_WEIGHT = 0.5
"""A top-level comment's sign towards the article counts half a reply to a person."""
NEUTRAL = sign_of((0.0,) * len(FEATURES))
"""The sign of a reply with no cue at all, taken off top-level comments: a fitted model of
replies is not evidence that a plain comment under an article agrees with it."""


AGGREGATE = "linear"
"""How the signs of several replies between two people add up: "linear" (their sum, kept),
"sqrt" or "tanh" of the sum (diminishing returns). On 268 held-out IAC debates, two camps:
linear 0.763, tanh 0.734 balanced accuracy (docs/offline-engine.md)."""


@dataclass(frozen=True, slots=True)
class AuthorGraph:
    nodes: tuple[str, ...]
    """Authors in order of first appearance, then ARTICLE when the article has text and its
    author does not comment."""
    article_node: str | None
    """The node that stands for the article: its author when they comment, else ARTICLE
    (None without article text)."""
    signed: np.ndarray
    """Symmetric: summed reply signs between two nodes (> 0 agreement, < 0 disagreement)."""
    replies: np.ndarray
    """Symmetric: number of replies between two authors, either direction (top-level comments
    are not replies)."""
    lexical: np.ndarray
    """Symmetric: cosine similarity of the authors' own words minus the mean (diagonal 0)."""
    own_text: dict[str, str]
    """comment id -> the comment's text with what it quotes removed."""
    signs: dict[str, float]
    """comment id -> sign towards what it replies to (top-level: towards the article)."""

    def index(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.nodes)}


def own_texts(thread: Thread) -> dict[str, str]:
    """comment id -> its text with what it quotes of its parent (or of the article, for a
    top-level comment) removed."""
    d = thread.discussion
    by_id = d.by_id()
    article = d.article.text if d.article.text.strip() else None
    out: dict[str, str] = {}
    for c in d.comments:
        pid = thread.parent(c.id)
        parent = by_id.get(pid) if pid else None
        out[c.id] = strip_quoted(c.text, parent.text if parent else article)[0]
    return out


def build_graph(
    thread: Thread,
    *,
    with_signs: bool = True,
    skip: frozenset[str] = frozenset(),
) -> AuthorGraph:
    """`with_signs=False` treats every reply as a disagreement (the max-cut baseline). The
    comments in `skip` (side threads) give no reply sign."""
    d = thread.discussion
    by_id = d.by_id()
    has_article = bool(d.article.text.strip())
    # The article's author, when they comment, speaks for the article: one node for both.
    if has_article and d.article.author in d.authors:
        article_node: str | None = d.article.author
    else:
        article_node = ARTICLE if has_article else None
    nodes = tuple(d.authors) + ((ARTICLE,) if article_node == ARTICLE else ())
    idx = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    signed = np.zeros((n, n))
    replies = np.zeros((n, n))
    own_text: dict[str, str] = {}
    signs: dict[str, float] = {}
    for c in d.comments:
        pid = thread.parent(c.id)
        parent = by_id.get(pid) if pid else None
        parent_text = parent.text if parent else (d.article.text if has_article else None)
        text, quoted = strip_quoted(c.text, parent_text)
        own_text[c.id] = text
        if c.deleted or thread.duplicates.get(c.id) or c.id in skip:
            continue
        if parent is not None:
            if parent.author == c.author:
                continue
            s = sign_of(features_of(text, quoted)) if with_signs else -1.0
            target, weight = parent.author, 1.0
            i, j = idx[c.author], idx[target]
            replies[i, j] += 1
            replies[j, i] += 1
        elif article_node is not None and article_node != c.author:
            # A top-level comment is not a reply: only its cues count, against a neutral start.
            s = sign_of(features_of(text, quoted)) - NEUTRAL if with_signs else 0.0
            target, weight = article_node, ARTICLE_WEIGHT
        else:
            continue
        signs[c.id] = s
        i, j = idx[c.author], idx[target]
        signed[i, j] += weight * s
        signed[j, i] += weight * s
    if AGGREGATE == "sqrt":
        signed = np.sign(signed) * np.sqrt(np.abs(signed))
    elif AGGREGATE == "tanh":
        signed = np.tanh(signed)
    return AuthorGraph(
        nodes=nodes,
        article_node=article_node,
        signed=signed,
        replies=replies,
        lexical=_lexical(thread, nodes, own_text, article_node, skip),
        own_text=own_text,
        signs=signs,
    )


def _lexical(
    thread: Thread,
    nodes: tuple[str, ...],
    own_text: dict[str, str],
    article_node: str | None,
    skip: frozenset[str],
) -> np.ndarray:
    n = len(nodes)
    docs: dict[str, list[str]] = {a: [] for a in nodes}
    for c in thread.discussion.comments:
        if c.id not in skip:
            docs[c.author].append(own_text.get(c.id, ""))
    if article_node is not None:
        docs[article_node].append(thread.discussion.article.text)
    texts = [" ".join(docs[a]) for a in nodes]
    out = np.zeros((n, n))
    if n < 3 or not any(t.strip() for t in texts):
        return out
    vec = tfidf(min_df=2, token_pattern=r"(?u)\b[^\W\d_]{3,}\b")
    try:
        x = vec.fit_transform(texts)
    except ValueError:  # no word shared by two authors
        return out
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, 0.0)
    off = sim[~np.eye(n, dtype=bool)]
    out = sim - off.mean()
    np.fill_diagonal(out, 0.0)
    return out
