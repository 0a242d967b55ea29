"""Report -> Markdown for the terminal and for files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.core.model import Comment, KeyArgument, Report
from bot.core.structure import conversations, repost_note, reposts
from bot.core.text import plural, quoted, short, without_marker
from bot.render.wording import unanswered_rule

NAMES_SHOWN = 8
"""Names listed for who makes or disputes a point; the rest are counted ("and 19 more")."""


def _names(names: Sequence[str]) -> str:
    if len(names) <= NAMES_SHOWN + 1:  # "and 1 more" would take the room of the name
        return ", ".join(names)
    return f"{', '.join(names[:NAMES_SHOWN])} and {len(names) - NAMES_SHOWN} more"


def _points(points: Sequence[KeyArgument], by_id: Mapping[str, Comment]) -> list[str]:
    """Key arguments (or positions) as bullets: the point, who makes it, the quote."""
    out: list[str] = []
    for k in points:
        who = _names(k.authors)
        against = f"; disputed by {_names(k.against)}" if k.against else ""
        out += ["", f"- **{k.point}** — {plural(k.count, 'commenter')} ({who}){against}"]
        if k.quote:
            ref = by_id.get(k.quote_comment_id or "")
            cite = f" — #{ref.index} {ref.author}" if ref else ""
            out.append(f"  > {short(k.quote, 300, trim='')}{cite}")
    return out


def render_markdown(report: Report) -> str:
    d = report.discussion
    t = report.thread
    by_id = d.by_id()
    out: list[str] = []
    title = d.article.title or "Discussion"
    out.append(f"# {title}")
    meta = [
        plural(len(d.comments), "comment"),
        plural(len(d.authors), "commenter"),
        plural(len(t.chains), "reply chain"),
        f"engine: {report.engine}",
    ]
    if d.article.author:
        meta.insert(0, f"by {d.article.author}")
    out.append("_" + " · ".join(meta) + "_")
    if report.headline:
        out += ["", "## What the article claims", "", report.headline]
    if report.sides:
        out += ["", "## Sides"]
        if report.sides_note:
            out += ["", f"_{report.sides_note}_"]
        for s in report.sides:
            out += [
                "",
                f"### {s.label} ({plural(len(s.authors), 'commenter')})",
                "",
                f"**Stance:** {s.stance}",
                "",
                f"**Members:** {', '.join(s.authors)}",
            ]
            if s.summary:
                out += ["", s.summary]
            out += _points(s.key_arguments, by_id)
    elif report.positions or report.sides_note:
        out += ["", "## Positions taken"]
        if report.sides_note:
            out += ["", f"_{report.sides_note}_"]
        out += _points(report.positions, by_id)
    out += ["", "## Who responded to whom"]
    if t.exchanges:
        out += ["", "Main exchanges:"]
        out += [f"- {e.a} ↔ {e.b}: {plural(e.count, 'reply', 'replies')}" for e in t.exchanges[:10]]
    if t.interactions:
        out += ["", "Most replies:"]
        out += [f"- {i.source} → {i.target}: {i.count}" for i in t.interactions[:10]]
    if not t.exchanges and not t.interactions:
        out += ["", "Nobody replied to anybody: every comment stands alone."]
    if report.unanswered:
        out += [
            "",
            "## Unanswered arguments",
            "",
            f"_{unanswered_rule(report).capitalize()}; strongest first._",
            "",
        ]
        for cid in report.unanswered[:15]:
            c = by_id[cid]
            out.append(f"- #{c.index} {c.author}: {short(without_marker(c.text), trim='')}")
        if len(report.unanswered) > 15:
            out.append(f"- … and {len(report.unanswered) - 15} more")
    out += ["", "## Reply chains", ""]
    talks = conversations(t.chains)
    if not talks:
        out.append("No conversations: nobody replied to anybody.")
    for ch in talks[:20]:
        opening = short(without_marker(by_id[ch.comment_ids[0]].text), 80, trim="")
        out.append(
            f"- {plural(len(ch.comment_ids), 'comment')}, {', '.join(ch.participants[:6])}"
            f"{' …' if len(ch.participants) > 6 else ''}: {quoted(opening)}"
        )
    tail = []
    if len(talks) > 20:
        tail.append(f"… and {plural(len(talks) - 20, 'more conversation')}")
    if len(t.chains) > len(talks):
        tail.append(f"{plural(len(t.chains) - len(talks), 'comment')} nobody replied to")
    if tail:
        out.append("- " + "; ".join(tail))
    if report.side_threads:
        out += ["", "## Side threads", ""]
        out += [f"- {s.label}: {', '.join(s.participants)}" for s in report.side_threads]
    copies = reposts(d, t.duplicates)
    if copies:
        out += ["", "## Posted twice", ""]
        for copy, kept, edited in copies:
            c, k = by_id[copy], by_id[kept]
            out.append("- " + repost_note(k.author, c, k, edited))
    warnings = list(d.warnings) + list(report.warnings)
    if warnings:
        out += ["", "## Warnings", ""] + [f"- {w}" for w in warnings]
    return "\n".join(out) + "\n"
