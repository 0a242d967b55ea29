"""Sentence vectors from static word embeddings that ship inside a package: nothing is
downloaded, ever.

The vectors are wordllama's (MIT): 256-dimension token embeddings distilled from Llama 2's,
shipped in its wheel (`wordllama/weights/l2_supercat_256.safetensors`, 16 MB) with their
tokenizer. wordllama 0.4.0.post1 looks for the tokenizer in a folder that does not exist and
then tries the network; loading with `cache_dir` = the package's own folder and
`disable_download=True` finds both files where the wheel put them, or fails loudly.

A text's vector is the IDF-weighted sum of its tokens' vectors, unit length: IDF is counted
over the texts embedded together, so what every sentence of a thread says (its topic) weighs
little and what sets a sentence apart weighs much. English stop words and punctuation count
for nothing. Words are tokenized once each (lower-cased, with the leading space the tokenizer
expects) and their token ids cached, which is several times faster than tokenizing every
sentence. How well the vectors tell key points apart is measured in docs/offline-engine.md.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

DIM = 256
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_MAX_CACHED_WORDS = 200_000


class Vectors:
    """The loaded token vectors, their tokenizer and the per-word cache of token ids."""

    def __init__(self, embedding: np.ndarray, tokenizer: Any) -> None:
        self.embedding = np.ascontiguousarray(embedding, dtype=np.float32)
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        vocab: dict[str, int] = tokenizer.get_vocab()
        weight = np.ones(self.embedding.shape[0], dtype=np.float32)
        for token, i in vocab.items():
            bare = token.lstrip("▁")
            if not any(ch.isalnum() for ch in bare) or (
                token.startswith("▁") and bare.lower() in ENGLISH_STOP_WORDS
            ):
                weight[i] = 0.0
        self.keep = weight
        """1 for a token that carries meaning, 0 for punctuation and English stop words."""
        self._ids: dict[str, list[int]] = {}
        self._lock = threading.Lock()  # analyses may run in several threads of one process

    def token_ids(self, words: Sequence[str]) -> list[list[int]]:
        """Each word's token ids (as the tokenizer reads it after a space), cached."""
        with self._lock:
            new = list(dict.fromkeys(w for w in words if w not in self._ids))
            if new:
                if len(self._ids) + len(new) > _MAX_CACHED_WORDS:
                    self._ids.clear()
                encoded = self.tokenizer.encode_batch_fast(
                    [" " + w for w in new], add_special_tokens=False
                )
                for w, e in zip(new, encoded, strict=True):
                    self._ids[w] = list(e.ids)
            return [self._ids[w] for w in words]


@lru_cache(maxsize=1)
def model() -> Vectors:
    """The shipped vectors, loaded once per process (about 0.4 s, 40 MB)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import wordllama  # its import calls logging.basicConfig(level=INFO): undone below

    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)
    root.setLevel(level)
    inference = wordllama.WordLlama.load(
        config="l2_supercat", dim=DIM, cache_dir=Path(wordllama.__file__).parent,
        disable_download=True,
    )  # fmt: skip
    return Vectors(inference.embedding, inference.tokenizer)


def token_counts(texts: Sequence[str], vectors: Vectors | None = None) -> sp.csr_matrix:
    """(texts × vocabulary) token counts of the lower-cased words of each text."""
    v = vectors or model()
    split = [_WORD.findall(t.lower()) for t in texts]
    flat = [w for ws in split for w in ws]
    ids_of = dict(zip(flat, v.token_ids(flat), strict=True))
    indptr = [0]
    ids: list[int] = []
    for ws in split:
        for w in ws:
            ids.extend(ids_of[w])
        indptr.append(len(ids))
    counts = sp.csr_matrix(
        (np.ones(len(ids), dtype=np.float32), np.asarray(ids, dtype=np.int64), indptr),
        shape=(len(texts), v.embedding.shape[0]),
    )
    counts.sum_duplicates()
    return counts


def sentence_vectors(
    texts: Sequence[str], *, centre: float = 0.0, common: Collection[str] = ()
) -> np.ndarray:
    """One unit-length row of DIM floats per text (a zero row for a text with no word that
    counts). `centre`: the share of the texts' mean vector to subtract (1 = all of it), so
    that what they all share (their topic) is taken out and what sets them apart compared.
    `common`: words (lower case) weighted as if every text held them, e.g. those of the
    discussion's title: what all of it is about sets no sentence apart."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    v = model()
    counts = token_counts(texts, v)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    if common:
        df[[i for ids in v.token_ids(sorted(common)) for i in ids]] = len(texts)
    idf = (np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0).astype(np.float32) * v.keep
    out = _unit(np.asarray(counts.multiply(idf[None, :]).tocsr() @ v.embedding, np.float32))
    if centre:  # of unit vectors: a sentence with few words is not pulled to minus the mean
        out = _unit(out - float(centre) * out.mean(axis=0))
    return out


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 1e-9)
