"""Pasted text -> Discussion. (Minimal: `Name: text` paragraphs; see issue 2 for the shapes.)"""

from __future__ import annotations

import re

from bot.core.errors import InputError
from bot.core.model import Article, Comment, Discussion

_LINE = re.compile(r"^(?P<author>[\w .\-]{1,40}):\s+(?P<text>\S.*)$")


def parse_paste(text: str) -> Discussion:
    lines = text.strip().splitlines()
    article_lines: list[str] = []
    comments: list[Comment] = []
    for line in lines:
        m = _LINE.match(line)
        if m:
            i = len(comments) + 1
            comments.append(
                Comment(id=f"c{i}", index=i, author=m["author"].strip(), text=m["text"].strip())
            )
        elif comments and line.strip():
            last = comments[-1]
            comments[-1] = Comment(
                id=last.id,
                index=last.index,
                author=last.author,
                text=f"{last.text}\n{line.strip()}",
            )
        elif not comments:
            article_lines.append(line)
    if not comments:
        raise InputError("No comments found: this does not look like a discussion.")
    body = "\n".join(article_lines).strip()
    title = body.splitlines()[0].strip() if body else None
    return Discussion(
        article=Article(title=title, text=body), comments=tuple(comments), source="plain"
    )
