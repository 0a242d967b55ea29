"""The JSON contract of `crosstalk analyze --json` (DESIGN.md). Other tools read it: the
fields and meanings below are a promise; new fields may be added, none renamed."""

from __future__ import annotations

from typing import Any

from bot.core.model import Report

CONTRACT_VERSION = 1


def report_to_dict(report: Report) -> dict[str, Any]:
    thread = report.thread
    d = report.discussion
    art = d.article
    return {
        "contract_version": CONTRACT_VERSION,
        "engine": report.engine,
        "source": d.source,
        "headline": report.headline,
        "article": {"title": art.title, "author": art.author, "url": art.url, "text": art.text},
        "comments": [
            {
                "id": c.id,
                "index": c.index,
                "author": c.author,
                "text": c.text,
                "timestamp": c.timestamp,
                "depth": thread.depths.get(c.id, 0),
                "reply_to": [
                    {
                        "id": link.target,
                        "confidence": round(link.confidence, 3),
                        "evidence": link.evidence,
                    }
                    for link in thread.links.get(c.id, ())
                ],
                "duplicate_of": thread.duplicates.get(c.id),
            }
            for c in d.comments
        ],
        "chains": [
            {
                "id": ch.id,
                "comment_ids": list(ch.comment_ids),
                "participants": list(ch.participants),
            }
            for ch in thread.chains
        ],
        "interactions": [
            {"from": i.source, "to": i.target, "count": i.count, "comment_ids": list(i.comment_ids)}
            for i in thread.interactions
        ],
        "exchanges": [
            {"a": e.a, "b": e.b, "count": e.count, "comment_ids": list(e.comment_ids)}
            for e in thread.exchanges
        ],
        "sides": [
            {
                "label": s.label,
                "stance": s.stance,
                "authors": list(s.authors),
                "comment_ids": list(s.comment_ids),
                "summary": s.summary,
                "key_arguments": [
                    {
                        "point": k.point,
                        "count": k.count,
                        "comment_ids": list(k.comment_ids),
                        "authors": list(k.authors),
                        "quote": k.quote,
                        "quote_comment_id": k.quote_comment_id,
                    }
                    for k in s.key_arguments
                ],
            }
            for s in report.sides
        ],
        "side_threads": [
            {
                "label": t.label,
                "comment_ids": list(t.comment_ids),
                "participants": list(t.participants),
            }
            for t in report.side_threads
        ],
        "unanswered": list(report.unanswered),
        "warnings": list(d.warnings) + list(report.warnings),
    }
