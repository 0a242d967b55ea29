"""The Markdown map: counts agree with their numbers, conversations come before lone comments."""

from dataclasses import replace

from reports import addressed_reply_report

from bot.core.model import Article, Comment, Discussion, KeyArgument, Report
from bot.core.thread import build_thread
from bot.render.markdown import render_markdown


def _report(*rows: tuple[str, str | None]) -> Report:
    comments = tuple(
        Comment(
            id=f"c{i}", index=i, author=a, text=f"Comment number {i} says something.", parent_id=p
        )
        for i, (a, p) in enumerate(rows, start=1)
    )
    d = Discussion(article=Article(title="T", text="An article."), comments=comments)
    return Report(engine="offline", thread=build_thread(d))


def test_one_is_singular_and_lone_comments_are_counted_not_listed() -> None:
    text = render_markdown(_report(("ann", None), ("bob", None), ("cat", "c2"), ("dan", None)))
    assert "_4 comments · 4 commenters · 3 reply chains · engine: offline_" in text
    chains = text.split("## Reply chains", 1)[1]
    assert "- 2 comments, bob, cat:" in chains
    assert "- 2 comments nobody replied to" in chains
    assert "Comment number 1" not in chains
    assert "1 comments" not in text


def test_no_reply_at_all_says_so() -> None:
    text = render_markdown(_report(("ann", None)))
    assert "_1 comment · 1 commenter · 1 reply chain · engine: offline_" in text
    assert "No conversations: nobody replied to anybody." in text
    assert "- 1 comment nobody replied to" in text


def test_a_repost_is_shown_once_with_a_note() -> None:
    """Issue 12: the edited re-post is one comment; the map says so and which copy counts."""
    text = "Rejecting the ceasefire would be madness, another winter of shelling cities."
    comments = (
        Comment(id="c1", index=1, author="Sophie", text=text),
        Comment(id="c2", index=2, author="Georg", text="Accepting it is the only sane choice."),
        Comment(id="c3", index=3, author="Sophie", text=text + " And no third truce after."),
    )
    d = Discussion(article=Article(title="T", text="An article."), comments=comments)
    out = render_markdown(Report(engine="offline", thread=build_thread(d)))
    assert "## Posted twice\n\n- Sophie posted #1 again as #3, edited: counted once, as #3" in out


def test_excerpts_leave_out_the_address_in_front() -> None:
    """An unanswered argument or a chain's opening reads from its words, not from the
    `Name:` / `@Name:` that addressed it (the comment's text itself is kept whole)."""
    report = addressed_reply_report()
    out = render_markdown(report)
    assert "- #2 Janet: The seller's agent becomes a dual agent" in out
    assert "“Agents earn their fee on the paperwork.”" in out
    assert "Kristina: *" not in out
    assert report.thread.discussion.comments[1].text.startswith("Kristina: *")


def test_who_responded_to_whom_has_one_blank_line_under_its_heading() -> None:
    text = render_markdown(_report(("ann", None), ("bob", "c1")))
    assert "## Who responded to whom\n\nMost replies:\n- bob → ann: 1" in text
    alone = render_markdown(_report(("ann", None)))
    assert "## Who responded to whom\n\nNobody replied to anybody" in alone


def test_long_lists_of_names_are_counted_after_eight() -> None:
    people = tuple(f"user{i}" for i in range(30))
    point = KeyArgument(
        point="Grief is not a contest",
        comment_ids=("c1",),
        authors=people[:12],
        quote="Comment number 1 says something.",
        quote_comment_id="c1",
        against=people[12:],
    )
    report = replace(_report(("ann", None)), positions=(point,), sides_note="No sides.")
    text = render_markdown(report)
    assert "(user0, user1, user2, user3, user4, user5, user6, user7 and 4 more)" in text
    assert (
        "disputed by user12, user13, user14, user15, user16, user17, user18, user19 and 10 more"
        in text
    )
    nine = replace(point, authors=people[:9], against=())
    assert "user8)" in render_markdown(replace(report, positions=(nine,)))  # not "and 1 more"
