"""Follow-up questions about a report (Discord threads under a summary, `/ask`).

`answer_question` retrieves the comments closest to the question (TF-IDF, in bot.core), then,
with a model, asks for a short answer that cites comments as (#n, author) and checks every
citation against the discussion; without a model, or when the model fails, it quotes the
best-matching comments with their number and author. It always returns an Answer.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

from bot.core.errors import InputError
from bot.core.model import Comment, Report
from bot.core.retrieval import relevant_comments
from bot.core.text import short
from bot.engines.llm.packing import comment_line
from bot.engines.llm.schemas import ANSWER
from bot.llm.prompts import load_prompt, nonce
from bot.llm.provider import ChatModel, LLMError
from bot.llm.structured import StructuredChat
from bot.llm.tokens import truncate_tokens

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
RETRIEVE = 8
PER_COMMENT_TOKENS = 400
_CITE = re.compile(r"\(#(\d+)(?:,\s*([^)]*))?\)")


@dataclass(frozen=True, slots=True)
class Citation:
    index: int
    comment_id: str
    author: str


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    citations: tuple[Citation, ...]
    from_model: bool = False
    """False when the text is the retrieved comments quoted, not a model's answer."""


def quoted_answer(found: list[Comment]) -> Answer:
    if not found:
        return Answer("No comment in this discussion matches that question.", ())
    lines = ["The comments that best match your question:"]
    lines += [f"> {short(c.text, 300, trim='')} — (#{c.index}, {c.author})" for c in found[:3]]
    return Answer("\n".join(lines), tuple(Citation(c.index, c.id, c.author) for c in found[:3]))


def check_citations(text: str, cited: list[int], by_index: dict[int, Comment]) -> Answer:
    """Drop citations of comments that do not exist; correct the author of the others."""

    def fix(m: re.Match[str]) -> str:
        c = by_index.get(int(m.group(1)))
        return f"(#{c.index}, {c.author})" if c else ""

    text = " ".join(_CITE.sub(fix, text).split())
    numbers = [int(m.group(1)) for m in _CITE.finditer(text)] + [n for n in cited if n in by_index]
    order = list(dict.fromkeys(numbers))
    return Answer(
        text,
        tuple(Citation(n, by_index[n].id, by_index[n].author) for n in order),
        from_model=True,
    )


async def answer_question(
    report: Report, question: str, *, chat: ChatModel | StructuredChat | None = None
) -> Answer:
    """Answer `question` from the discussion behind `report` (see the module docstring).

    `chat` is the session's model client; pass the same StructuredChat each time to keep what it
    learnt about the server's structured-output support."""
    question = " ".join(question.split())
    if not question:
        raise InputError("Ask a question about the discussion, e.g. “who disagrees with the fee?”")
    question = question[:MAX_QUESTION_CHARS]
    d = report.discussion
    by_id = d.by_id()
    hits = await asyncio.to_thread(relevant_comments, d, question, RETRIEVE)
    found = [by_id[i] for i, _score in hits]
    if chat is None or not found:
        return quoted_answer(found)
    thread = report.thread
    lines = []
    for c in found:
        parent_id = thread.parent(c.id)
        text = truncate_tokens(" ".join(c.text.split()), PER_COMMENT_TOKENS)
        lines.append(comment_line(c, by_id.get(parent_id) if parent_id else None, text))
    data = "\n".join(lines)
    title = d.article.title or "(untitled)"
    messages = load_prompt("answer").render(
        title=title, nonce=nonce(data + question), question=question, comments=data
    )
    try:
        structured = chat if isinstance(chat, StructuredChat) else StructuredChat(chat)
        result = await structured.ask(messages, name="answer", schema=ANSWER, max_tokens=600)
    except LLMError as exc:
        log.warning("answer call failed: %s", exc)
        return quoted_answer(found)
    by_index = {c.index: c for c in d.comments}
    answer = check_citations(result["answer"], result["citations"], by_index)
    return answer if answer.text else quoted_answer(found)
