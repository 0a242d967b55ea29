"""The JSON contract of `crosstalk analyze --json` (DESIGN.md). Other tools read it: the
fields and meanings below are a promise; new fields may be added, none renamed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bot.core.errors import InputError
from bot.core.model import (
    Article,
    Chain,
    Comment,
    Discussion,
    Exchange,
    Interaction,
    KeyArgument,
    ReplyLink,
    Report,
    Side,
    SideThread,
    Thread,
)

CONTRACT_VERSION = 1


def report_to_dict(report: Report) -> dict[str, Any]:
    """The contract as plain JSON-ready data. `report_from_dict` reads it back."""
    thread = report.thread
    d = report.discussion
    art = d.article
    return {
        "contract_version": CONTRACT_VERSION,
        "engine": report.engine,
        "source": d.source,
        "structure_exact": d.structure_exact,
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
                "parent_id": c.parent_id,
                "source_depth": c.depth,
                "deleted": c.deleted,
                "quotes": list(c.quotes),
                "starts_blank": c.starts_blank,
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
                "neutral": s.neutral,
                "key_arguments": [_key_argument(k) for k in s.key_arguments],
            }
            for s in report.sides
        ],
        "sides_confidence": (
            None if report.sides_confidence is None else round(report.sides_confidence, 3)
        ),
        "sides_note": report.sides_note,
        "positions": [_key_argument(k) for k in report.positions],
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
        "source_warnings": list(d.warnings),
    }


def _key_argument(k: KeyArgument) -> dict[str, Any]:
    return {
        "point": k.point,
        "count": k.count,
        "comment_ids": list(k.comment_ids),
        "authors": list(k.authors),
        "quote": k.quote,
        "quote_comment_id": k.quote_comment_id,
        "against": list(k.against),
    }


# --- reading the contract back -------------------------------------------------------------
# Stored reports are contract JSON, so follow-ups survive restarts and upgrades. Reading is
# tolerant of what older versions left out (optional fields default) and strict about what
# would break a reader later: wrong types and references to comments that do not exist.

_T = TypeVar("_T")


def _bad(where: str, what: str) -> InputError:
    return InputError(f"This is not a valid Crosstalk report: {where} {what}.")


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(where, "must be an object")
    return value


def _list(value: Any, where: str, *, optional: bool = True) -> list[Any]:
    if value is None and optional:
        return []
    if not isinstance(value, list):
        raise _bad(where, "must be a list")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _bad(where, "must be a string")
    return value


def _opt_str(value: Any, where: str) -> str | None:
    return None if value is None else _str(value, where)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(where, "must be a whole number")
    return value


def _strs(value: Any, where: str) -> tuple[str, ...]:
    return tuple(_str(v, f"{where}[{n}]") for n, v in enumerate(_list(value, where)))


def _items(data: dict[str, Any], key: str, read: Callable[[dict[str, Any], str], _T]) -> list[_T]:
    return [
        read(_obj(v, f"{key}[{n}]"), f"{key}[{n}]") for n, v in enumerate(_list(data.get(key), key))
    ]


def _known(ids: tuple[str, ...], known: set[str], where: str) -> tuple[str, ...]:
    for n, cid in enumerate(ids):
        if cid not in known:
            raise _bad(f"{where}[{n}]", f"names comment {cid!r}, which is not in the report")
    return ids


def report_from_dict(data: Any) -> Report:
    """The exact inverse of `report_to_dict`: `report_to_dict(report_from_dict(d)) == d` for
    any `d` it produced. Missing optional fields take their defaults; anything malformed
    raises `InputError` naming the field."""
    data = _obj(data, "the report")
    version = data.get("contract_version", CONTRACT_VERSION)
    _int(version, "contract_version")
    art = _obj(data.get("article") or {}, "article")
    article = Article(
        title=_opt_str(art.get("title"), "article.title"),
        author=_opt_str(art.get("author"), "article.author"),
        url=_opt_str(art.get("url"), "article.url"),
        text=_str(art.get("text", ""), "article.text"),
    )
    raw_comments = [
        _obj(v, f"comments[{n}]") for n, v in enumerate(_list(data.get("comments"), "comments"))
    ]
    comments: list[Comment] = []
    seen: set[str] = set()
    for n, rc in enumerate(raw_comments, start=0):
        where = f"comments[{n}]"
        cid = _str(rc.get("id"), f"{where}.id")
        if cid in seen:
            raise _bad(f"{where}.id", f"repeats the id {cid!r}")
        seen.add(cid)
        depth = rc.get("source_depth")
        comments.append(
            Comment(
                id=cid,
                index=_int(rc.get("index", n + 1), f"{where}.index"),
                author=_str(rc.get("author"), f"{where}.author"),
                text=_str(rc.get("text", ""), f"{where}.text"),
                parent_id=_opt_str(rc.get("parent_id"), f"{where}.parent_id"),
                depth=None if depth is None else _int(depth, f"{where}.source_depth"),
                timestamp=_opt_str(rc.get("timestamp"), f"{where}.timestamp"),
                deleted=bool(rc.get("deleted", False)),
                quotes=_strs(rc.get("quotes"), f"{where}.quotes"),
                starts_blank=bool(rc.get("starts_blank", False)),
            )
        )
    links: dict[str, tuple[ReplyLink, ...]] = {}
    duplicates: dict[str, str] = {}
    depths: dict[str, int] = {}
    for n, (rc, c) in enumerate(zip(raw_comments, comments, strict=True)):
        where = f"comments[{n}]"
        found = []
        for m, rl in enumerate(_list(rc.get("reply_to"), f"{where}.reply_to")):
            lw = f"{where}.reply_to[{m}]"
            rl = _obj(rl, lw)
            target = _known((_str(rl.get("id"), f"{lw}.id"),), seen, f"{lw}.id")[0]
            conf = rl.get("confidence", 1.0)
            if isinstance(conf, bool) or not isinstance(conf, int | float):
                raise _bad(f"{lw}.confidence", "must be a number")
            found.append(
                ReplyLink(target, float(conf), _str(rl.get("evidence", ""), f"{lw}.evidence"))
            )
        if found:
            links[c.id] = tuple(found)
        dup = _opt_str(rc.get("duplicate_of"), f"{where}.duplicate_of")
        if dup is not None:
            duplicates[c.id] = _known((dup,), seen, f"{where}.duplicate_of")[0]
        depths[c.id] = _int(rc.get("depth", 0), f"{where}.depth")

    def chain(o: dict[str, Any], w: str) -> Chain:
        return Chain(
            id=_str(o.get("id"), f"{w}.id"),
            comment_ids=_known(_strs(o.get("comment_ids"), f"{w}.comment_ids"), seen, w),
            participants=_strs(o.get("participants"), f"{w}.participants"),
        )

    def interaction(o: dict[str, Any], w: str) -> Interaction:
        return Interaction(
            source=_str(o.get("from"), f"{w}.from"),
            target=_str(o.get("to"), f"{w}.to"),
            count=_int(o.get("count"), f"{w}.count"),
            comment_ids=_known(_strs(o.get("comment_ids"), f"{w}.comment_ids"), seen, w),
        )

    def exchange(o: dict[str, Any], w: str) -> Exchange:
        return Exchange(
            a=_str(o.get("a"), f"{w}.a"),
            b=_str(o.get("b"), f"{w}.b"),
            count=_int(o.get("count"), f"{w}.count"),
            comment_ids=_known(_strs(o.get("comment_ids"), f"{w}.comment_ids"), seen, w),
        )

    def key_argument(o: dict[str, Any], w: str) -> KeyArgument:
        qid = _opt_str(o.get("quote_comment_id"), f"{w}.quote_comment_id")
        if qid is not None:
            _known((qid,), seen, f"{w}.quote_comment_id")
        return KeyArgument(
            point=_str(o.get("point"), f"{w}.point"),
            comment_ids=_known(_strs(o.get("comment_ids"), f"{w}.comment_ids"), seen, w),
            authors=_strs(o.get("authors"), f"{w}.authors"),
            quote=_str(o.get("quote", ""), f"{w}.quote"),
            quote_comment_id=qid,
            against=_strs(o.get("against", []), f"{w}.against"),
        )

    def side(o: dict[str, Any], w: str) -> Side:
        return Side(
            label=_str(o.get("label"), f"{w}.label"),
            stance=_str(o.get("stance", ""), f"{w}.stance"),
            authors=_strs(o.get("authors"), f"{w}.authors"),
            comment_ids=_known(_strs(o.get("comment_ids"), f"{w}.comment_ids"), seen, w),
            summary=_str(o.get("summary", ""), f"{w}.summary"),
            neutral=o.get("neutral") is True,
            key_arguments=tuple(
                key_argument(_obj(k, f"{w}.key_arguments[{m}]"), f"{w}.key_arguments[{m}]")
                for m, k in enumerate(_list(o.get("key_arguments"), f"{w}.key_arguments"))
            ),
        )

    def side_thread(o: dict[str, Any], w: str) -> SideThread:
        return SideThread(
            label=_str(o.get("label"), f"{w}.label"),
            comment_ids=_known(_strs(o.get("comment_ids"), f"{w}.comment_ids"), seen, w),
            participants=_strs(o.get("participants"), f"{w}.participants"),
        )

    confidence = data.get("sides_confidence")
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float)
    ):
        raise _bad("sides_confidence", "must be a number or null")
    source_warnings = _strs(data.get("source_warnings"), "source_warnings")
    warnings = _strs(data.get("warnings"), "warnings")
    if warnings[: len(source_warnings)] == source_warnings:
        warnings = warnings[len(source_warnings) :]
    discussion = Discussion(
        article=article,
        comments=tuple(comments),
        source=_str(data.get("source", "paste"), "source"),
        warnings=source_warnings,
        structure_exact=data.get("structure_exact") is True,
    )
    thread = Thread(
        discussion=discussion,
        links=links,
        duplicates=duplicates,
        chains=tuple(_items(data, "chains", chain)),
        interactions=tuple(_items(data, "interactions", interaction)),
        exchanges=tuple(_items(data, "exchanges", exchange)),
        depths=depths,
    )
    return Report(
        engine=_str(data.get("engine", "unknown"), "engine"),
        thread=thread,
        headline=_str(data.get("headline", ""), "headline"),
        sides=tuple(_items(data, "sides", side)),
        unanswered=_known(_strs(data.get("unanswered"), "unanswered"), seen, "unanswered"),
        side_threads=tuple(_items(data, "side_threads", side_thread)),
        warnings=warnings,
        sides_confidence=None if confidence is None else float(confidence),
        sides_note=_str(data.get("sides_note", ""), "sides_note"),
        positions=tuple(_items(data, "positions", key_argument)),
    )
