import numpy as np

from bot.engines.offline.partition import objective, split, two_way


def _factions(n: int = 8) -> np.ndarray:
    """Nodes 0..n/2-1 agree among themselves and so do the rest; the halves disagree."""
    half = n // 2
    m = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                m[i, j] = 1.0 if (i < half) == (j < half) else -1.0
    return m


def test_two_way_recovers_factions() -> None:
    x = two_way(_factions())
    assert len(set(x[:4])) == 1 and len(set(x[4:])) == 1 and x[0] != x[4]


def test_split_stops_at_two_when_camps_agree_inside() -> None:
    labels = split(_factions(), max_camps=4)
    assert sorted(set(labels.tolist())) == [0, 1]


def test_split_finds_a_third_camp_that_quarrels_with_both() -> None:
    m = np.zeros((9, 9))
    for i in range(9):
        for j in range(9):
            if i != j:
                m[i, j] = 1.0 if i // 3 == j // 3 else -1.0
    labels = split(m, max_camps=4)
    assert len(set(labels.tolist())) == 3
    assert [len(set(labels[k : k + 3].tolist())) for k in (0, 3, 6)] == [1, 1, 1]
    assert objective(m, labels) > objective(m, np.zeros(9, dtype=int))


def test_no_weights_one_camp() -> None:
    assert split(np.zeros((3, 3))).tolist() == [0, 0, 0]
