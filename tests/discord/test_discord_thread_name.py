"""The name of the questions thread opened under a summary (at most 100 characters)."""

from bot.core.model import Article, Discussion, Report, Thread
from bot.discord.fulfil import _thread_name


def _report(title: str | None) -> Report:
    return Report("offline", Thread(Discussion(Article(title=title), ())))


def test_thread_name_is_the_title_on_one_line() -> None:
    assert _thread_name(_report("Agents:\n  worth  it?")) == "Questions: Agents: worth it?"
    assert _thread_name(_report(None)) == "Questions: this discussion"


def test_a_long_title_is_cut_at_a_word_within_100_characters() -> None:
    name = _thread_name(_report("word, " * 30))
    assert len(name) <= 100
    assert name.startswith("Questions: word, word,")
    assert name.endswith("word,…")  # the thread name keeps the comma before the ellipsis
