"""The project's TF-IDF set-up and the centrality measure built on it (offline engine,
retrieval)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


def tfidf(**options: Any) -> TfidfVectorizer:
    """A TF-IDF vectoriser that leaves out English stop words and damps repeated words
    (sublinear term frequency); `options` are TfidfVectorizer's, added to or replacing these."""
    return TfidfVectorizer(**{"stop_words": "english", "sublinear_tf": True, **options})


def centrality(texts: list[str], *, fallback: float = 0.0) -> np.ndarray:
    """Cosine similarity of each text's TF-IDF vector to the centroid of all of them;
    `fallback` for every text when nothing can be vectorised (only stop words, no words)."""
    try:
        x = normalize(tfidf().fit_transform(texts))
    except ValueError:
        return np.full(len(texts), fallback)
    centre = np.asarray(x.mean(axis=0)).ravel()
    return np.asarray(x @ centre).ravel()
