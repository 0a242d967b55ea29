"""Runs of `Label:` paragraphs inside one comment of a plain paste.

A comment may hold paragraphs that open with `Label:` and are no comments: a labelled list
("The Right: … / The Left: … / Conclusion: …"), a scripted dialogue ("A: … / D: … / A: …"), a
quote announced by the paragraph before it ("Reminds me of a quote from Swingers" then
"Mike: … / Rob: …", "the prophets you speak of:" then "Exodus 21: …"). `quoted_runs` finds such
runs; a header inside one is dropped, so its paragraph stays in the comment that holds it.

A run opens inside a comment: its own text starts with a label (after any `@Name` marker), or
one of its paragraphs ends with a colon, or its whole text names a quote/scene/dialogue and
leads into it. It goes on over the label paragraphs that follow; a new label only right after
another label, a label already used in the run also after plain paragraphs (in a `Me:`
quote-and-answer). Every header name in a run must open no paragraph outside it (a commenter
speaks elsewhere too; a list item or a script line does not). What is kept: a two-voice script
(three labels, one voice speaking again; four turns after an announcement), a list of distinct
labels closed by a label that is no name, a cited place after a colon. docs/ingest.md lists
the cases each rule was built on and those it must leave alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bot.ingest.paste_shapes import Header

LABEL = re.compile(r"^\s*(?P<a>[^\s:]{1,20}(?: [^\s:]{1,20})?):\s")
"""A paragraph that opens with a label of one or two words (header or not)."""
_MARKER = re.compile(r"^@[^\s:,]+[:,]?\s+(?:-\s+)?")
_ANNOUNCE = re.compile(
    r"\b(?:quote|quoting|scene|dialogue|dialog|conversation|transcript|script)s?\b", re.I
)
"""A paragraph that names what follows: a quote, a scene, a dialogue."""
_ANNOUNCE_STEMS = ("quot", "scene", "dialog", "conversation", "script")


def _announces(text: str) -> bool:
    """Names a quote or a scene and leads into it: no full stop, question or exclamation at
    its end ("Reminds me of a quote from Swingers (about a breakup)", not "Great quote.")."""
    if re.search(r"[.?!]\W*$", text):
        return False
    low = text.lower()  # substring tests first: the regex is slow on every paragraph
    return any(stem in low for stem in _ANNOUNCE_STEMS) and bool(_ANNOUNCE.search(text))


_REFERENCE = re.compile(r"\s\d+(?:[:.]\d+)?$")
"""A label that cites a numbered place ("Exodus 21", "Article 5"), not a person."""
_NOT_RUN_LABELS = {"edit", "edited", "update", "updated", "ps", "p.s", "note", "eta", "tl;dr"}
"""Labels that close a comment's own text rather than list or quote anything."""


@dataclass(frozen=True, slots=True)
class _Para:
    start: int
    blank_before: bool
    text: str
    """The paragraph's text (for a header, its text after the name)."""
    header: int | None
    label: str | None
    """The header's author, or the label the paragraph opens with."""


def strip_markers(text: str, authors: list[str]) -> str:
    """`text` without the `@Name` reply markers it opens with (`@Kristina Chodorow, …`)."""
    while text.startswith("@"):
        for name in authors:  # longest first: names may hold spaces
            if text[1:].startswith(name):
                rest = text[1 + len(name) :]
                m = re.match(r"[:,]?\s+(?:-\s+)?", rest)
                if m:
                    text = rest[m.end() :]
                    break
        else:
            m = _MARKER.match(text)
            if not m:
                return text
            text = text[m.end() :]
    return text


def run_label(text: str) -> str | None:
    """The label a paragraph opens with, unless it is an edit note ("Edit:", "Gold Edit:")."""
    m = LABEL.match(text)
    if not m or any(
        w.strip("#*").rstrip(".") in _NOT_RUN_LABELS for w in m["a"].casefold().split()
    ):
        return None
    return m["a"]


def _paragraphs(lines: list[str], headers: list[Header]) -> list[_Para]:
    at = {h.start: k for k, h in enumerate(headers)}
    out: list[_Para] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start, k = i, at.get(i)
        i += 1
        while i < len(lines) and lines[i].strip() and i not in at:
            i += 1
        body = "\n".join(s.strip() for s in lines[start + 1 : i])
        blank = start == 0 or not lines[start - 1].strip()
        if k is not None:
            text = f"{headers[k].first_text}\n{body}".strip()
            out.append(_Para(start, blank, text, k, headers[k].author))
        else:
            text = f"{lines[start].strip()}\n{body}".strip()
            out.append(_Para(start, blank, text, None, run_label(text) if ":" in text else None))
    return out


def _collect(paras: list[_Para], j: int, names: set[str], *, dialogue: bool) -> list[int]:
    """The paragraphs (positions in `paras`) of the run that may start at paras[j]: in a
    dialogue at most two voices, in a list a new label each time."""
    out: list[int] = []
    names, fresh, quoting = set(names), True, False
    for p in range(j, len(paras)):
        para = paras[p]
        if para.label is None or not para.blank_before:
            if para.header is not None:
                break
            fresh = False  # plain text: only a voice already heard may come back
            continue
        new = para.label not in names
        if (new and not fresh) or (dialogue and len(names | {para.label}) > 2):
            break
        if not fresh and para.header is not None and not quoting:
            break  # after plain text a name speaks again only in a `Me:` quote-and-answer
        quoting = quoting or para.header is None
        if not dialogue and not new:
            break
        out.append(p)
        names.add(para.label)
        fresh = True
    return out


def _settle(
    paras: list[_Para], run: list[int], seen: set[str], counts: Counter[str], *, first_free: bool
) -> list[int]:
    """Cut the run after its last closing paragraph (a label that is no header, or a voice
    heard before in the run), and before a header whose name speaks outside the run."""
    while True:
        names, last_close = set(seen), -1
        for n, p in enumerate(run):
            label = paras[p].label or ""
            if paras[p].header is None or label in names:
                last_close = n
            names.add(label)
        keep = run[: max(last_close + 1, 1 if first_free else 0)]
        inside = Counter(paras[p].label for p in keep if paras[p].header is not None)
        cut = next(
            (
                n
                for n, p in enumerate(keep)
                if inside[paras[p].label] != counts[paras[p].label or ""]
            ),
            None,
        )
        if cut is None:
            return keep
        run = keep[:cut]


def _opened_by_label(paras: list[_Para], p: int, first: str, counts: Counter[str]) -> list[int]:
    """A comment whose text opens with `first:`: the script or list that goes on after it
    (three labels at least, the first one included)."""
    for dialogue in (True, False):
        found = _collect(paras, p + 1, {first}, dialogue=dialogue)
        run = _settle(paras, found, {first}, counts, first_free=False)
        if len(run) + 1 >= 3:
            return run
    return []


def _announced(paras: list[_Para], p: int, counts: Counter[str]) -> list[int]:
    """After a paragraph that ends with a colon, or a comment whose whole text names a quote
    or a scene: a dialogue of two voices taking four turns or more (two people who speak
    nowhere else may well answer each other three times). After a colon also a cited
    numbered place (`Exodus 21:`) whose text is no reply (`@Name`)."""
    text = paras[p].text.rstrip()
    ends = text.endswith(":") and not LABEL.match(text + " ")
    whole = paras[p].header is not None and "\n" not in text
    if not ends and not (whole and _announces(text)):
        return []
    found = _collect(paras, p + 1, set(), dialogue=True)
    run = _settle(paras, found, set(), counts, first_free=ends)
    heads = [paras[q].label or "" for q in run if paras[q].header is not None]
    if len(heads) >= 4 and len(set(heads)) < len(heads):
        return run  # two voices taking turns
    cited = len(run) == 1 and heads and _REFERENCE.search(heads[0])
    if ends and cited and not paras[run[0]].text.startswith("@"):
        return run  # "the prophets you speak of:" then "Exodus 21: When you buy…"
    return []


def quoted_runs(lines: list[str], headers: list[Header]) -> set[int]:
    """Positions (in `headers`) of the headers that are lines of a run inside a comment."""
    if not headers:
        return set()
    counts = Counter(h.author for h in headers)
    authors = sorted(counts, key=len, reverse=True)
    paras = _paragraphs(lines, headers)
    out: set[int] = set()
    p = 0
    while p < len(paras):
        para = paras[p]
        run: list[int] = []
        if para.start < headers[0].start:
            p += 1
            continue  # the article: what it announces is not inside a comment
        if para.header is not None and ":" in headers[para.header].first_text:
            first = run_label(strip_markers(headers[para.header].first_text, authors))
            if first:
                run = _opened_by_label(paras, p, first, counts)
        if not run:
            run = _announced(paras, p, counts)
        out.update(h for q in run if (h := paras[q].header) is not None)
        p = run[-1] + 1 if run else p + 1
    return out
