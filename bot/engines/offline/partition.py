"""Partition a signed graph into camps.

Two camps: the sign pattern of the eigenvector of the smallest eigenvalue of the signed
Laplacian (Kunegis et al. 2010), refined by local search on the correlation-clustering
objective: maximise agreement inside camps plus disagreement across them (x^T M x with
x in {-1, +1}). More camps: a camp is split again the same way only when the split raises the
objective by a clear margin (its members disagree among themselves).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh
from scipy.sparse.linalg import eigsh

DENSE_LIMIT = 150
"""Above this many nodes the eigenvector comes from Lanczos iteration, not a full solve."""
SPLIT_GAIN = 0.25
"""A further split must raise the objective by this share of the camp's total |weight|."""


def _refine(m: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Flip single nodes while one flip raises x^T M x (best flip first, ties by index)."""
    x = x.copy()
    for _ in range(10 * len(x) + 10):
        field = m @ x
        gain = -x * field  # flipping i changes the objective by 4 * gain[i]
        i = int(np.argmax(gain))
        if gain[i] <= 1e-12:
            break
        x[i] = -x[i]
    return x


def two_way(m: np.ndarray) -> np.ndarray:
    """Split the nodes of the symmetric signed matrix `m` in two: an array of +1 / -1.

    Deterministic: the eigenvector's sign is fixed so its largest entry is positive, and
    nodes with no weight at all go to +1."""
    n = len(m)
    if n == 0:
        return np.zeros(0)
    if n == 1 or not np.any(m):
        return np.ones(n)
    lap = np.diag(np.abs(m).sum(axis=1)) - m
    if n <= DENSE_LIMIT:
        v = eigh(lap, subset_by_index=[0, 0])[1][:, 0]
    else:
        # Lanczos on c*I - L: its top eigenvector is L's bottom one (c bounds L's spectrum).
        c = 2.0 * float(np.abs(m).sum(axis=1).max()) + 1.0
        start = np.linspace(1.0, 2.0, n)  # fixed start vector: deterministic
        v = eigsh(c * np.eye(n) - lap, k=1, which="LA", v0=start)[1][:, 0]
    k = int(np.argmax(np.abs(v)))
    if v[k] < 0:
        v = -v
    x = np.where(v < -1e-9, -1.0, 1.0)
    return _refine(m, x)


def objective(m: np.ndarray, labels: np.ndarray) -> float:
    """Agreement inside camps minus agreement across them (each pair counted once)."""
    same = labels[:, None] == labels[None, :]
    return float(np.triu(np.where(same, m, -m), 1).sum())


def split(m: np.ndarray, max_camps: int = 2) -> np.ndarray:
    """Camp number (0..k-1) of every node, k <= max_camps; camp 0 is the largest."""
    n = len(m)
    labels = np.zeros(n, dtype=int)
    if n == 0:
        return labels
    x = two_way(m)
    labels = np.where(x > 0, 0, 1)
    while len(set(labels.tolist())) < max_camps:
        best: tuple[float, int, np.ndarray] | None = None
        for camp in sorted(set(labels.tolist())):
            members = np.flatnonzero(labels == camp)
            if len(members) < 4:
                continue
            sub = m[np.ix_(members, members)]
            y = two_way(sub)
            if len(set(y.tolist())) < 2:
                continue
            gain = float(-np.triu(sub * (y[:, None] != y[None, :]), 1).sum()) * 2
            total = float(np.triu(np.abs(sub), 1).sum())
            if total > 0 and gain > SPLIT_GAIN * total and (best is None or gain > best[0]):
                best = (gain, camp, members[y < 0])
        if best is None:
            break
        labels[best[2]] = labels.max() + 1
    return _renumber(labels)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Largest camp first; ties by the first node (earliest author) in the camp."""
    camps = sorted(
        set(labels.tolist()), key=lambda c: (-(labels == c).sum(), np.argmax(labels == c))
    )
    mapping = {c: i for i, c in enumerate(camps)}
    return np.array([mapping[c] for c in labels.tolist()], dtype=int)
