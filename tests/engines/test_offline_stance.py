"""Stance lines: a position towards the article only with evidence, then counted replies."""

from __future__ import annotations

from bot.core.model import Article, Comment, Discussion
from bot.core.thread import build_thread
from bot.engines.offline.graph import build_graph
from bot.engines.offline.stance import Counts, _evidence, argues, stance_line


def test_stance_evidence_reads_as_a_sentence() -> None:
    assert _evidence(Counts(14, 0, 0, 0), ["Side B"]) == (
        "Its members push back on Side B in 14 replies."
    )
    assert _evidence(Counts(1, 1, 0, 0), ["Side B"]) == (
        "Its members push back on Side B in one reply and back each other up in one other."
    )
    none = _evidence(Counts(0, 0, 0, 0), ["Side A"])
    assert "0" not in none and none.endswith(".")


def test_an_article_that_only_asks_argues_nothing() -> None:
    assert not argues("Should the city accept the ceasefire offer? What do you think?")
    assert argues("The ceasefire should be accepted because the shelling costs lives every day.")


def _thread(article: str, rows: list[tuple[str, str | None, str]], author: str | None = None):
    comments = tuple(
        Comment(f"c{i}", i, a, t, parent_id=p) for i, (a, p, t) in enumerate(rows, start=1)
    )
    return build_thread(Discussion(Article(author=author, text=article), comments))


ROWS = [
    ("ann", None, "Exactly. Rents will fall once the supply of homes grows enough."),
    ("bob", None, "I agree, zoning is the reason homes cost so much in this city."),
    ("cat", None, "No, the developers will build luxury flats that nobody here can afford."),
    ("dan", "c3", "Wrong, new flats of any kind free up older homes for everybody else."),
]


def _line(article: str, members: set[str], author: str | None = None) -> str:
    t = _thread(article, ROWS, author)
    side_of = {"ann": 0, "bob": 0, "dan": 0, "cat": 1}
    n = 0 if "ann" in members else 1
    return stance_line(n, members, t, build_graph(t), side_of, ["Side A", "Side B"])


def test_with_the_article_only_on_explicit_cues() -> None:
    claim = "Cities should build more homes, because rents fall when the supply of homes grows."
    line = _line(claim, {"ann", "bob", "dan"})
    assert line.startswith("Agrees with the article: 2 of its comments")
    assert "push back on Side B in one reply" in line
    # One opening "No," is not enough to say a side disputes the article.
    other = _line(claim, {"cat"})
    assert not other.startswith(("Disputes", "Agrees", "With"))


def test_no_side_is_with_an_article_that_only_asks() -> None:
    line = _line("Should cities build more homes? What do you think?", {"ann", "bob", "dan"})
    assert "article" not in line


def test_the_article_author_speaks_for_the_article() -> None:
    claim = "Cities should build more homes, because rents fall when the supply of homes grows."
    line = _line(claim, {"cat"}, author="cat")
    assert line.startswith("With the article: its author, cat, is on this side.")
