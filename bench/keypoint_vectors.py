"""Which sentence vectors group key arguments best: side by side on IBM ArgKP.

    .venv/bin/python bench/keypoint_vectors.py ../shared/data/labeled/ibm_argkp

The engine's key-argument extraction runs unchanged except for the sentence vectors it is
given (each centred on the side like the engine's; only the shipped kind gives the topic's
words less weight). For each kind of vector, MATCH (with DENSITY = MATCH - 0.05 and SPENT =
MATCH - 0.2, the engine's spacing) is chosen on the dev split (the sum of the three scores),
then the test split is scored with that choice: test was not tuned on.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from bot.core.tfidf import tfidf
from bot.engines.offline import keypoints
from bot.engines.offline.embeddings import model, sentence_vectors
from bot.eval.keypoints import evaluate

Vectors = Callable[..., np.ndarray]


def _centred(x: np.ndarray, centre: float) -> np.ndarray:
    x = normalize(np.asarray(x, dtype=np.float64))
    return normalize(x - float(centre) * x.mean(axis=0)) if centre else x


def tfidf_vectors(texts: Sequence[str], *, centre: float = 0.0, **_: object) -> np.ndarray:
    """The previous engine's vectors: TF-IDF, stop words out (dense, for the same code)."""
    return _centred(
        tfidf(token_pattern=r"(?u)\b[^\W\d_]{2,}\b").fit_transform(texts).toarray(), centre
    )


def lsa_vectors(texts: Sequence[str], *, centre: float = 0.0, **_: object) -> np.ndarray:
    """TF-IDF reduced to 100 latent dimensions (scikit-learn's TruncatedSVD)."""
    x = tfidf(token_pattern=r"(?u)\b[^\W\d_]{2,}\b").fit_transform(texts)
    k = max(1, min(100, x.shape[1] - 1, x.shape[0] - 1))
    return _centred(TruncatedSVD(k, random_state=0).fit_transform(x), centre)


def mean_vectors(texts: Sequence[str], *, centre: float = 0.0, **_: object) -> np.ndarray:
    """wordllama's own sentence vectors: the plain mean of the tokens' vectors."""
    v = model()
    out = []
    for t in texts:
        ids = [i for w in re.findall(r"\S+", t) for i in v.token_ids([w])[0]] or [0]
        out.append(v.embedding[ids].mean(axis=0))
    return _centred(np.array(out), centre)


KINDS: dict[str, Vectors] = {
    "TF-IDF (previous engine)": tfidf_vectors,
    "TF-IDF + LSA 100": lsa_vectors,
    "wordllama, mean of tokens": mean_vectors,
    "wordllama, IDF-weighted, stop words out, title words common (shipped)": sentence_vectors,
}
GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


def set_thresholds(match: float) -> None:
    keypoints.MATCH, keypoints.DENSITY, keypoints.SPENT = match, match - 0.05, match - 0.2


def totals(root: Path, split: str) -> tuple[int, int, int, str]:
    line = next(x for x in evaluate(root, split=split).splitlines() if x.startswith(f"{split} ("))
    nums = [int(n) for n in re.findall(r"= (\d+)%", line)]
    return nums[0], nums[1], int(re.search(r"precision (\d+)%", line).group(1)), line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    shipped = keypoints.sentence_vectors, keypoints.MATCH, keypoints.DENSITY, keypoints.SPENT
    try:
        for name, kind in KINDS.items():
            keypoints.sentence_vectors = kind
            best = None
            for match in GRID:
                set_thresholds(match)
                maj, quote, prec, _line = totals(args.path, "dev")
                if best is None or maj + quote + prec > best[0]:
                    best = (maj + quote + prec, match, maj, quote, prec)
            assert best is not None
            _s, match, maj, quote, prec = best
            set_thresholds(match)
            tmaj, tquote, tprec, _line = totals(args.path, "test")
            print(
                f"{name:<70} MATCH {match:.2f} | dev {maj}/{quote}/{prec} | "
                f"test majority {tmaj}%, quote {tquote}%, precision {tprec}%"
            )
    finally:
        (keypoints.sentence_vectors, keypoints.MATCH, keypoints.DENSITY, keypoints.SPENT) = shipped


if __name__ == "__main__":
    main()
