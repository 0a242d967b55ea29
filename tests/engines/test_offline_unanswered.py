"""Unanswered arguments: which comments count, and the most argued come first."""

from bot.core.model import Article, Comment, Discussion
from bot.core.thread import build_thread
from bot.engines.offline.engine import analyze_thread
from bot.engines.offline.unanswered import strength, unanswered

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


def test_unanswered_means_no_one_from_another_side_answered() -> None:
    """The one definition (both engines): a reply from the author's own side does not answer
    an argument; one from another side or from Others does; without sides, anyone does."""
    from bot.engines.offline.unanswered import unanswered

    comments = (
        Comment(id="1", index=1, author="ann", text=STRONG),
        Comment(id="2", index=2, author="bob", text=STRONG + " Ann is right.", parent_id="1"),
        Comment(id="3", index=3, author="cat", text=STRONG.replace("less", "more")),
        Comment(
            id="4",
            index=4,
            author="dan",
            text="You are wrong, fees pay for real work.",
            parent_id="3",
        ),
        Comment(
            id="5", index=5, author="eve", text="@drone001, I already replied to you, look up."
        ),
    )
    d = Discussion(article=Article(text="Agents."), comments=comments, structure_exact=True)
    thread = build_thread(d)
    sides = {"ann": 0, "bob": 0, "cat": 1, "dan": 0}
    got = unanswered(thread, sides)
    assert "1" in got  # only bob, from ann's own side, replied
    assert "3" not in got  # dan, from another side, answered cat
    assert "5" not in got  # not an argument
    assert "1" not in unanswered(thread, {})  # no sides on the map: bob's reply answers it


def test_a_reply_to_a_reposted_argument_answers_the_copy_that_counts() -> None:
    """Issue 12: of an edited re-post the fuller copy counts; the reply the first copy got
    answers it, so the argument is not listed as unanswered."""
    article = Article(title="Agents", author="Dan", text="Real estate agents cost too much.")
    comments = (
        Comment(id="1", index=1, author="bob", text=STRONG),
        Comment(id="2", index=2, author="ann", text="@bob no, agents earn their fee."),
        Comment(id="3", index=3, author="bob", text=STRONG + " Sellers know it."),
        Comment(id="4", index=4, author="cat", text=STRONG.replace("Agents", "Brokers")),
    )
    thread = build_thread(Discussion(article=article, comments=comments))
    assert thread.duplicates == {"1": "3"}
    group = {"bob": 0, "ann": 1, "cat": 0}
    found = unanswered(thread, group, set(thread.duplicates))
    assert found == ("4",)
