"""Key arguments grouped by meaning, with stance: a rebuttal never makes the point it rebuts."""

from __future__ import annotations

import asyncio

from bot.core.model import Article, Comment, Discussion
from bot.core.thread import build_thread
from bot.engines.offline import OfflineEngine
from bot.engines.offline.keypoints import key_arguments

FEES = [  # one point in three wordings: agents/realtors, charge/fees, too much/too high
    ("c1", "ann", "Agents charge much too much for what they really do."),
    ("c2", "bob", "Realtors charge way too much for what they actually do."),
    ("c3", "cat", "The fees realtors charge are too high for such little work."),
]
RISK = [
    ("c4", "dan", "Selling without a professional exposes you to legal risk and lawsuits."),
    ("c5", "eve", "Without an agent you may miss legal problems in the contract and get sued."),
]


def test_paraphrases_are_one_point_made_by_several_commenters() -> None:
    """bob and cat share one content word ("charge"): TF-IDF would call them different;
    their meaning is the same point. The legal-risk sentences stay apart."""
    points = key_arguments(FEES + RISK, max_points=2)
    assert len(points) == 2
    fee = points[0]
    assert {"bob", "cat"} <= set(fee.authors) and not {"dan", "eve"} & set(fee.authors)
    assert len(fee.point.split()) <= 8 and fee.quote in [t for _c, _a, t in FEES]


def test_a_reply_that_disputes_a_point_is_counted_against_it() -> None:
    rebuttal = ("c6", "fay", "Wrong, realtors charge way too little for what they actually do.")
    rows = [*FEES, *RISK, rebuttal]
    alone = key_arguments(rows, max_points=2)
    assert "fay" in alone[0].authors  # by its words alone the rebuttal looks like the point
    points = key_arguments(rows, max_points=2, disputes={"c2": [("c6", "fay")]})
    fee = next(k for k in points if "bob" in k.authors)
    assert "fay" not in fee.authors and "c6" not in fee.comment_ids
    assert fee.against == ("fay",)


def test_language_the_offline_engine_cannot_write_is_a_warning() -> None:
    d = Discussion(
        article=Article(text="Agents cost too much."),
        comments=tuple(
            Comment(id=c, index=n, author=a, text=t) for n, (c, a, t) in enumerate(FEES, 1)
        ),
    )
    thread = build_thread(d)
    engine = OfflineEngine()
    german = asyncio.run(engine.analyze(thread, language="Deutsch"))
    assert any("cannot write the map in Deutsch" in w for w in german.warnings)
    english = asyncio.run(engine.analyze(thread, language="English"))
    assert not any("cannot write" in w for w in english.warnings)
    assert not any("cannot write" in w for w in asyncio.run(engine.analyze(thread)).warnings)
