"""Extractive text: the headline from the article, an attributed summary per side, labels.

Sentences are scored by cosine similarity to the centroid of their text's TF-IDF vectors
(the most representative sentences), and always kept verbatim.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from bot.core.model import KeyArgument
from bot.core.text import quoted, sentences, short, without_urls, words
from bot.core.tfidf import centrality
from bot.engines.offline.claims import claim_score
from bot.engines.offline.keypoints import units_of

THESIS_MARKER = 0.05
"""Headline score bonus per argument marker (because, should, cost, not…), up to four."""


def headline(article_text: str, limit: int = 3) -> str:
    """The article's thesis in two or three of its own sentences, in the article's order:
    its most central claims (TF-IDF centrality plus a bonus per argument marker), leaving out
    questions, exclamations, fragments and what it quotes from others (`>` lines)."""
    own = [ln for ln in article_text.splitlines() if not ln.lstrip().startswith(">")]
    found = [s for ln in own for s in sentences(ln)][:400]
    if not found:
        found = sentences(article_text)
    claims = [claim_score(s) for s in found]
    pool = [i for i, c in enumerate(claims) if c is not None]
    if len(pool) < 2:  # not argued enough to pick from: its opening sentences
        found = [s for s in found if len(words(s)) >= 4] or found
        return " ".join(found[:limit])
    scores = centrality([found[i] for i in pool])
    value = {
        i: float(scores[k]) + THESIS_MARKER * min(claims[i] or 0.0, 4.0) for k, i in enumerate(pool)
    }
    best = sorted(pool, key=lambda i: (-value[i], i))[:limit]
    return " ".join(found[i] for i in sorted(best))


def side_summary(
    comments: list[tuple[str, str, str]], points: tuple[KeyArgument, ...], limit: int = 3
) -> str:
    """Attributed extract: the most representative sentences of the side, one per author,
    most active authors first (`comments` = comment id, author, own text)."""
    units = [(u.author, u.sentence) for u in units_of(comments, min_words=6, max_words=50)]
    if not units:
        return ""
    cited = {k.quote for k in points}
    scores = centrality([s for _a, s in units[:3000]])
    activity: dict[str, int] = {}
    for _cid, a, _t in comments:
        activity[a] = activity.get(a, 0) + 1
    ranked: dict[str, list[tuple[float, int]]] = {}
    for i, (a, s) in enumerate(units[: len(scores)]):
        claim = claim_score(s, strict=False) is not None
        score = float(scores[i]) - (0.5 if s in cited else 0.0) - (0.0 if claim else 2.0)
        ranked.setdefault(a, []).append((-score, i))
    # Authors who made a claim speak for the side; the others only if nobody did.
    arguing = {a for a, r in ranked.items() if min(r)[0] < 1.0}
    parts: list[str] = []
    used: set[str] = set()
    for a in sorted(ranked, key=lambda a: (-activity[a], min(ranked[a]))):
        if arguing and a not in arguing:
            continue
        # The author's best sentence that nobody chosen before said word for word.
        pick = next((i for _s, i in sorted(ranked[a]) if units[i][1] not in used), None)
        if pick is None:
            continue
        used.add(units[pick][1])
        parts.append(f"{a}: {quoted(short(units[pick][1], 220))}")
        if len(parts) == limit:
            break
    return " ".join(parts)


def distinctive_terms(docs: list[str], n: int = 3) -> list[list[str]]:
    """For each document (all text of one side), the `n` terms it uses most more than the
    others do (smoothed log-odds of relative frequency)."""
    if not docs:
        return []
    docs = [without_urls(d) for d in docs]
    try:
        cv = CountVectorizer(
            stop_words="english", token_pattern=r"(?u)\b[^\W\d_]{3,}\b", ngram_range=(1, 2)
        )
        counts = cv.fit_transform(docs).toarray().astype(float)
    except ValueError:
        return [[] for _ in docs]
    vocab = cv.get_feature_names_out()
    total = counts.sum(axis=0)
    out = []
    for row in counts:
        rest = total - row
        own = (row + 0.5) / (row.sum() + 0.5 * len(vocab))
        other = (rest + 0.5) / (rest.sum() + 0.5 * len(vocab))
        score = np.log(own / other) * np.sqrt(row)
        # A term used once is no label, unless the side said too little to repeat anything.
        score[row < (2 if row.max() >= 2 else 1)] = -np.inf
        order = np.argsort(-score, kind="stable")[: 20 * n]  # vocabulary is alphabetical
        picked: list[str] = []
        for i in order:
            if not np.isfinite(score[i]) or len(picked) == n:
                break
            term = str(vocab[i])
            if any(term in p or p in term for p in picked):
                continue
            picked.append(term)
        out.append(picked)
    return out
