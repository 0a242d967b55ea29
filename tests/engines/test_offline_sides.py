"""Who goes to Others: authors with no signal, or placed by words alone and unclearly."""

from __future__ import annotations

import numpy as np
import pytest

from bot.engines.offline.graph import AuthorGraph
from bot.engines.offline.sides import camp_matrix, find_camps, two_blocs

NODES = ("a", "b", "c", "d", "e", "f", "g")


def _graph() -> AuthorGraph:
    n = len(NODES)
    ix = {name: i for i, name in enumerate(NODES)}
    signed = np.zeros((n, n))
    lexical = np.zeros((n, n))

    def put(m: np.ndarray, x: str, y: str, w: float) -> None:
        m[ix[x], ix[y]] = m[ix[y], ix[x]] = w

    # Two camps: {a, c} against {b, d}.
    put(signed, "a", "b", -2.0)
    put(signed, "c", "d", -2.0)
    put(signed, "a", "c", 2.0)
    put(signed, "b", "d", 2.0)
    put(signed, "a", "d", -2.0)
    put(signed, "b", "c", -2.0)
    # e: words alone, equally close to both camps -> undecided.
    put(lexical, "e", "a", 0.1)
    put(lexical, "e", "b", 0.1)
    # f: replies pulling both ways equally -> stays in a camp (it has reply evidence).
    put(signed, "f", "a", 0.3)
    put(signed, "f", "b", 0.3)
    # g: nothing at all -> others.
    return AuthorGraph(
        nodes=NODES,
        article_node=None,
        signed=signed,
        replies=(signed != 0).astype(float),
        lexical=lexical,
        own_text={},
        signs={},
    )


def test_others_holds_only_the_unplaced() -> None:
    camps = find_camps(_graph(), max_camps=2)
    assert set(camps.others) == {"e", "g"}
    placed = {a for camp in camps.camps for a in camp}
    assert placed == {"a", "b", "c", "d", "f"}
    together = [set(camp) for camp in camps.camps]
    assert any({"a", "c"} <= camp for camp in together)
    assert any({"b", "d"} <= camp for camp in together)
    assert not any({"a", "b"} <= camp for camp in together)


def test_clear_words_place_a_commenter() -> None:
    g = _graph()
    i, a = NODES.index("e"), NODES.index("a")
    lexical = g.lexical.copy()
    lexical[i, a] = lexical[a, i] = 0.5
    camps = find_camps(
        AuthorGraph(g.nodes, None, g.signed, g.replies, lexical, {}, {}), max_camps=2
    )
    assert "e" not in camps.others
    assert any({"a", "e"} <= set(camp) for camp in camps.camps)


def test_camp_matrix_words_only_between_strangers_and_replies_lean_to_disagreement() -> None:
    g = _graph()
    a, b, e = NODES.index("a"), NODES.index("b"), NODES.index("e")
    lexical = g.lexical.copy()
    lexical[a, b] = lexical[b, a] = 0.4  # a and b reply to each other: their words are ignored
    replies = g.replies.copy()
    replies[a, b] = replies[b, a] = 3.0
    graph = AuthorGraph(g.nodes, None, g.signed, replies, lexical, {}, {})
    m = camp_matrix(graph, lexical_weight=1.0, reply_offset=0.1)
    assert m[a, b] == m[b, a] == pytest.approx(-2.3)
    assert m[e, a] == pytest.approx(0.1)  # e never replied to a: words count
    everywhere = camp_matrix(graph, lexical_weight=1.0, reply_offset=0.0, strangers_only=False)
    assert everywhere[a, b] == pytest.approx(-1.6)
    assert np.allclose(everywhere, everywhere.T)


def test_camps_merge_into_two_blocs_by_what_lies_between_them() -> None:
    # Camps 0 and 2 agree, both fight 1 and 3; 1 and 3 agree.
    between = np.array(
        [
            [5.0, -3.0, 2.0, -1.0],
            [-3.0, 4.0, -2.0, 1.5],
            [2.0, -2.0, 3.0, -2.5],
            [-1.0, 1.5, -2.5, 2.0],
        ]
    )
    assert two_blocs(between) == (0, 1, 0, 1)
    assert two_blocs(np.array([[1.0]])) == (0,)
    assert two_blocs(np.zeros((0, 0))) == ()
    # Two camps that agree more than they fight are one bloc.
    assert two_blocs(np.array([[2.0, 0.5], [0.5, 2.0]])) == (0, 0)


def test_find_camps_says_which_camps_oppose() -> None:
    camps = find_camps(_graph(), max_camps=2)
    assert camps.blocs == (0, 1)
