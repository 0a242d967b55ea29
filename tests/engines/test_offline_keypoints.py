"""Key arguments grouped by meaning, with stance: a rebuttal never makes the point it rebuts."""

from __future__ import annotations

import asyncio

from bot.core.model import Article, Comment, Discussion
from bot.core.thread import build_thread
from bot.engines.offline import OfflineEngine
from bot.engines.offline.embeddings import sentence_vectors
from bot.engines.offline.keypoints import key_arguments, topic_words

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


def test_among_points_made_as_often_the_general_statement_is_quoted() -> None:
    """One commenter each: the statement that reads as a position is taken before the
    personal story that came first."""
    rows = [
        ("c1", "ann", "I posted my house on craigslist and sold it in a week without any agent."),
        ("c2", "bob", "Selling a house without an agent is easy and saves the whole commission."),
    ]
    first = key_arguments(rows, max_points=1)[0]
    assert first.quote == rows[1][2] and first.authors == ("bob",)


def test_the_titles_words_set_no_sentence_apart() -> None:
    """Two sentences that share only the discussion's subject ("real estate agents") are
    far less alike once the title's words weigh as if every sentence held them."""
    texts = [
        "Real estate agents only deal with real estate agents.",
        "Buyers in Canada do sign with real estate agents.",
        "Zillow estimates are off by twenty percent in most markets.",
        "Selling your house without a realtor is easy these days.",
    ]
    plain = sentence_vectors(texts)
    topic = topic_words("Has the Internet killed real estate agents yet?")
    assert {"real", "estate", "agents", "agent", "internet"} <= topic and "the" not in topic
    titled = sentence_vectors(texts, common=topic)
    assert float(titled[0] @ titled[1]) < float(plain[0] @ plain[1]) - 0.1


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
