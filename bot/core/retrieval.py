"""Which comments best match a question: TF-IDF over the comments, cosine similarity."""

from __future__ import annotations

from sklearn.metrics.pairwise import linear_kernel

from bot.core.model import Discussion
from bot.core.tfidf import tfidf


def relevant_comments(discussion: Discussion, question: str, k: int = 6) -> list[tuple[str, float]]:
    """Up to `k` (comment id, score) pairs, best first; only comments sharing a term with the
    question (score > 0). Deleted and empty comments are never returned."""
    comments = [c for c in discussion.comments if not c.deleted and c.text.strip()]
    if not comments or not question.strip():
        return []
    docs = [f"{c.author} {c.text}" for c in comments]
    vectorizer = tfidf(strip_accents="unicode", ngram_range=(1, 2))
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # nothing but stop words / punctuation
        return []
    scores = linear_kernel(vectorizer.transform([question]), matrix).ravel()
    ranked = sorted(range(len(comments)), key=lambda i: (-scores[i], comments[i].index))
    return [(comments[i].id, float(scores[i])) for i in ranked[:k] if scores[i] > 0]
