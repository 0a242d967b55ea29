"""Reports for the rendering tests, built through the real core (build_thread on comments
with exact parents) plus hand-made sides, so they do not depend on any engine."""

from __future__ import annotations

import random

from bot.core.model import Article, Comment, Discussion, KeyArgument, Report, Side, SideThread
from bot.core.thread import build_thread

ODD_NAMES = (
    "@everyone",
    "**bold**_guy_",
    "<@123456789012345678>",
    "`code`",
    "~~strike~~",
    "||spoiler||",
    "> quoter",
    "[link](https://evil.test)",
    "émile😀" * 3,
    "@here",
)


def make_report(
    *,
    commenters: int = 12,
    comments: int = 60,
    sides: int = 3,
    arguments_per_side: int = 3,
    quote_chars: int = 120,
    names: tuple[str, ...] = (),
    seed: int = 1,
    engine: str = "offline",
) -> Report:
    rng = random.Random(seed)
    authors = list(names) + [f"user{n}" for n in range(commenters - len(names))]
    rows: list[Comment] = []
    for i in range(1, comments + 1):
        parent = f"c{rng.randrange(1, i)}" if i > 1 and rng.random() < 0.7 else None
        text = " ".join(
            rng.choice(["Cars", "@everyone", "are", "**loud**.", "Buses", "win.", "_really_"])
            for _ in range(max(quote_chars // 6, 3))
        )
        rows.append(
            Comment(id=f"c{i}", index=i, author=rng.choice(authors), text=text, parent_id=parent)
        )
    discussion = Discussion(
        article=Article(title="Cars in cities @everyone", author="Jo", url="https://x.test/a"),
        comments=tuple(rows),
        warnings=("Some comments were hidden.",),
    )
    thread = build_thread(discussion)
    out_sides = []
    for s in range(sides):
        members = tuple(a for n, a in enumerate(authors) if n % sides == s)
        ids = tuple(c.id for c in rows if c.author in members)
        args = []
        for a in range(arguments_per_side):
            quoted = rows[(s * 7 + a) % len(rows)]
            args.append(
                KeyArgument(
                    point=f"Point {a} of side {s}: {quoted.text[:80]}",
                    comment_ids=ids[:3],
                    authors=members[: 1 + a % max(len(members), 1)],
                    quote=quoted.text,
                    quote_comment_id=quoted.id,
                )
            )
        out_sides.append(
            Side(
                label=f"Side {s} {names[s % len(names)] if names else ''}".strip(),
                stance=f"Side {s} believes things. " * 3,
                authors=members,
                comment_ids=ids,
                summary=f"Summary of side {s}. " * 5,
                key_arguments=tuple(args),
            )
        )
    parents = {c.id: thread.parent(c.id) for c in rows}
    answered = {p for p in parents.values() if p}
    return Report(
        engine=engine,
        thread=thread,
        headline="Cars should be banned from city centres. Buses would do.",
        sides=tuple(out_sides),
        unanswered=tuple(c.id for c in rows if c.id not in answered),
        side_threads=(
            SideThread(
                label="Off topic: football", comment_ids=("c1",), participants=(authors[0],)
            ),
        ),
        warnings=("The engine saw a long thread.",),
    )


def addressed_reply_report() -> Report:
    """Two comments, the second opening with the address `Kristina: *` and left unanswered."""
    comments = (
        Comment(
            id="c1", index=1, author="Kristina", text="Agents earn their fee on the paperwork."
        ),
        Comment(
            id="c2",
            index=2,
            author="Janet",
            text="Kristina: * The seller's agent becomes a dual agent when the buyer has none.",
            parent_id="c1",
        ),
    )
    d = Discussion(article=Article(title="T", text="An article."), comments=comments)
    return Report(engine="offline", thread=build_thread(d), unanswered=("c2",))
