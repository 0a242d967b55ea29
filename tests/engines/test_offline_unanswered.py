"""Unanswered arguments: which comments count, and the most argued come first."""

from bot.core.model import Article, Comment, Discussion
from bot.core.thread import build_thread
from bot.engines.offline.engine import analyze_thread
from bot.engines.offline.unanswered import strength

WEAK = "Our neighbourhood has three agencies on the main street and they all look busy today."
STRONG = (
    "Agents should charge less because listing a house online costs almost nothing now. "
    "If the fee stayed at five percent while the work shrank, sellers would pay more for less. "
    "That is why flat-fee brokers will win unless the lobby protects the old commission."
)


def test_strength_grows_with_what_is_argued() -> None:
    assert strength(STRONG) > strength(WEAK) > 0
    assert strength("Thanks!") == 0
    assert strength("Why would anyone pay that much?") == 0


def test_most_argued_unanswered_comment_comes_first() -> None:
    article = Article(title="Agents", author="Dan", text="Real estate agents cost too much.")
    comments = (
        Comment(id="1", index=1, author="ann", text=WEAK),
        Comment(id="2", index=2, author="bob", text=STRONG),
        Comment(id="3", index=3, author="cat", text="Thanks for writing this up, great read!"),
    )
    report = analyze_thread(build_thread(Discussion(article=article, comments=comments)))
    assert report.unanswered[:2] == ("2", "1")
    assert "3" not in report.unanswered
