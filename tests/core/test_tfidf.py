"""The shared TF-IDF set-up in bot.core.tfidf."""

import numpy as np

from bot.core.tfidf import centrality, tfidf


def test_tfidf_leaves_out_stop_words_and_takes_overrides() -> None:
    vec = tfidf(ngram_range=(1, 2))
    vec.fit(["the cats sleep", "the dogs bark"])
    vocab = set(vec.get_feature_names_out())
    assert "the" not in vocab
    assert "cats sleep" in vocab
    assert vec.sublinear_tf
    assert tfidf(stop_words=None).fit(["the cats"]).get_feature_names_out().tolist() == [
        "cats",
        "the",
    ]


def test_centrality_ranks_the_typical_text_first() -> None:
    texts = ["cats purr softly", "cats purr and sleep", "cats sleep", "rockets launch"]
    scores = centrality(texts)
    assert scores.shape == (4,)
    assert int(np.argmax(scores)) == 1
    assert float(scores[3]) < float(scores[2])


def test_centrality_fallback_when_nothing_can_be_vectorised() -> None:
    assert centrality(["the and", "of it"]).tolist() == [0.0, 0.0]
    assert centrality(["the and", "of it"], fallback=1.0).tolist() == [1.0, 1.0]
