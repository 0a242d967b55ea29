from bot.core.model import Article, Comment, Discussion
from bot.core.structure import conversations, subtree
from bot.core.thread import build_thread


def _disc(*rows: tuple[str, str | None]) -> Discussion:
    comments = tuple(
        Comment(id=f"c{i}", index=i, author=a, text=f"text {i}", parent_id=p)
        for i, (a, p) in enumerate(rows, start=1)
    )
    return Discussion(article=Article(text="x"), comments=comments)


def test_chains_interactions_exchanges_depths():
    d = _disc(
        ("ann", None), ("bob", "c1"), ("ann", "c2"), ("cat", None), ("bob", "c3"), ("dan", "c4")
    )
    t = build_thread(d)
    assert [c.comment_ids for c in t.chains] == [("c1", "c2", "c3", "c5"), ("c4", "c6")]
    assert t.chains[0].participants == ("ann", "bob")
    assert t.depths == {"c1": 0, "c2": 1, "c3": 2, "c4": 0, "c5": 3, "c6": 1}
    pairs = {(i.source, i.target): i.count for i in t.interactions}
    assert pairs == {("bob", "ann"): 2, ("ann", "bob"): 1, ("dan", "cat"): 1}
    assert len(t.exchanges) == 1
    e = t.exchanges[0]
    assert (e.a, e.b, e.count, e.comment_ids) == ("ann", "bob", 3, ("c2", "c3", "c5"))


def test_subtree_is_the_comment_and_everything_under_it() -> None:
    t = build_thread(_disc(("A", None), ("B", "c1"), ("C", "c2"), ("D", None), ("E", "c1")))
    children = t.children()
    assert sorted(subtree("c1", children)) == ["c1", "c2", "c3", "c5"]
    assert subtree("c3", children) == ["c3"]
    assert subtree("c4", children) == ["c4"]


def test_conversations_are_chains_with_a_reply_longest_first() -> None:
    t = build_thread(
        _disc(("A", None), ("B", None), ("C", "c2"), ("D", None), ("E", "c4"), ("F", "c5"))
    )
    assert [c.comment_ids for c in conversations(t.chains)] == [("c4", "c5", "c6"), ("c2", "c3")]
    assert conversations(build_thread(_disc(("A", None), ("B", None))).chains) == []


def test_every_target_of_a_reply_counts_and_a_copy_counts_once() -> None:
    """`@ann: @bob:` answers both: both pairs count, so both exchanges show (issue 12); a
    re-post counted as its twin adds no reply of its own."""
    text = "Both of you forget that the park already has lights that go off at ten at night."
    comments = (
        Comment(id="c1", index=1, author="ann", text="A skate park gives teenagers a place."),
        Comment(id="c2", index=2, author="bob", text="It will be noisy and unsupervised."),
        Comment(id="c3", index=3, author="cat", text=f"@ann: @bob: {text}"),
        Comment(id="c4", index=4, author="ann", text="@cat fair point about the lights."),
        Comment(id="c5", index=5, author="bob", text="@cat lights off does not mean people leave."),
        Comment(id="c6", index=6, author="cat", text=f"@ann: @bob: {text} Check the plan."),
    )
    t = build_thread(Discussion(article=Article(text="A park."), comments=comments))
    assert [link.target for link in t.links["c3"]] == ["c1", "c2"]
    assert t.duplicates == {"c3": "c6"}
    pairs = {(i.source, i.target): i.comment_ids for i in t.interactions}
    assert pairs == {
        ("cat", "ann"): ("c6",),
        ("cat", "bob"): ("c6",),
        ("ann", "cat"): ("c4",),
        ("bob", "cat"): ("c5",),
    }
    assert {(e.a, e.b, e.count) for e in t.exchanges} == {("ann", "cat", 2), ("bob", "cat", 2)}
