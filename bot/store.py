"""Persistence: guild settings, channel rules, stored reports for follow-up questions, in SQLite
(the default) or PostgreSQL (`CROSSTALK_DB=postgresql://…`, shared by bots and workers on any
machine), through the same queries (`bot.database`) and the same migrations (`bot.schema`).

One `Store` per process, opened at start-up (`await Store.open(settings.db_path)`), injected
where needed and closed once. Reports are stored as contract JSON (`bot.core.contract`), so a
report written by an older version is still read after an upgrade.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.contract import report_from_dict, report_to_dict
from bot.core.errors import ConfigError, InputError
from bot.core.model import Report
from bot.database import (
    Database,
    PostgresDatabase,
    SqliteDatabase,
    StoreUnavailable,
    is_postgres,
    redact,
)
from bot.schema import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ChannelPolicy",
    "GuildSettings",
    "Store",
    "StoreUnavailable",
    "migrate",
]

ENGINES = ("auto", "offline", "llm")
VISIBILITIES = ("public", "private")


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """What an admin chose for one server; defaults until they choose."""

    guild_id: int
    engine: str = "auto"  # auto | offline | llm
    model: str | None = None
    language: str | None = None
    visibility: str = "public"  # public | private
    user_rate_per_hour: int = 10
    guild_rate_per_hour: int = 60
    max_input_bytes: int = 2_000_000


_SETTING_NAMES = tuple(f.name for f in fields(GuildSettings) if f.name != "guild_id")


@dataclass(frozen=True, slots=True)
class ChannelPolicy:
    """Where the bot may work in one server: blocked channels never; with an allow-list,
    only the listed channels; with none, everywhere."""

    allowed: tuple[int, ...] = ()
    blocked: tuple[int, ...] = ()

    def permits(self, channel_id: int) -> bool:
        if channel_id in self.blocked:
            return False
        return not self.allowed or channel_id in self.allowed


def _optional_text(name: str, value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text.")
    value = value.strip()
    if not value or value.lower() in ("default", "none"):
        return None
    if len(value) > limit or any(ch.isspace() and ch != " " for ch in value):
        raise ValueError(f"{name} must be one line of at most {limit} characters.")
    return value


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:,} and {high:,}, got {value:,}.")
    return value


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.strip().lower() not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value.strip().lower()


def validate_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise setting changes; `ValueError` with a user-readable message."""
    unknown = sorted(set(changes) - set(_SETTING_NAMES))
    if unknown:
        raise ValueError(
            f"Unknown setting {', '.join(unknown)}; known: {', '.join(_SETTING_NAMES)}."
        )
    checks = {
        "engine": lambda v: _choice("engine", v, ENGINES),
        "visibility": lambda v: _choice("visibility", v, VISIBILITIES),
        "model": lambda v: _optional_text("model", v, 200),
        "language": lambda v: _optional_text("language", v, 40),
        "user_rate_per_hour": lambda v: _whole("user_rate_per_hour", v, 1, 1000),
        "guild_rate_per_hour": lambda v: _whole("guild_rate_per_hour", v, 1, 10_000),
        "max_input_bytes": lambda v: _whole("max_input_bytes", v, 1_000, 50_000_000),
    }
    return {name: checks[name](value) for name, value in changes.items()}


def _encode(report: Report) -> bytes:
    text = json.dumps(report_to_dict(report), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def _decode(blob: bytes) -> Report:
    try:
        data = json.loads(zlib.decompress(blob).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("A stored report is damaged and cannot be read.") from exc
    return report_from_dict(data)


def _unusable(path: str, exc: Exception) -> ConfigError:
    return ConfigError(
        f"Cannot use {path} as the Crosstalk database ({exc}). Set CROSSTALK_DB to a file "
        "in a folder the bot can write to."
    )


WAL_TRIES = 100
"""Switching a new file to WAL needs it to itself for a moment, and SQLite answers "database
is locked" at once, without the busy timeout, while another process opening it holds it:
processes starting together (a bot and its workers) try again, 0.1 s apart, up to 10 s."""


async def _wal(db: SqliteDatabase) -> None:
    for attempt in range(WAL_TRIES):
        try:
            if await db.fetchone("PRAGMA journal_mode") != ("wal",):
                await db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_TRIES - 1:
                raise
            await asyncio.sleep(0.1)


class Store:
    """Async access to the database. Create with `await Store.open(target)`."""

    CACHED_REPORTS = 8
    """Recently read reports kept decoded: every question in a thread needs its report, and
    decoding a 20,000-comment report takes about a second."""

    def __init__(self, db: Database, path: str) -> None:
        self._db = db
        self.path = path
        """The SQLite file, or the PostgreSQL URL without its password."""
        self._cache: OrderedDict[int, tuple[int, Report]] = OrderedDict()
        """thread id -> (report id, report); checked against the database on each read, since
        another process (a worker) may have stored a newer report for the thread."""

    @classmethod
    async def open(cls, target: str) -> Store:
        """Open and migrate the database: `target` is a SQLite path (created with its folder
        if need be) or a `postgresql://` URL. One that cannot be used raises `ConfigError`
        naming CROSSTALK_DB."""
        if is_postgres(target):
            return await cls._open_postgres(target)
        path = target
        if path != ":memory:":
            path = str(Path(path).expanduser())
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _unusable(path, exc) from None
        try:
            # isolation_level=None: transactions are explicit (see `migrate`); writes autocommit.
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise _unusable(path, exc) from None
        db = SqliteDatabase(conn)
        try:
            try:
                await db.execute("PRAGMA busy_timeout=5000")
                await _wal(db)
            except sqlite3.Error as exc:
                raise _unusable(path, exc) from None
            await migrate(db)
        except BaseException:
            await db.close()
            raise
        return cls(db, path)

    @classmethod
    async def _open_postgres(cls, url: str) -> Store:
        shown = redact(url)
        try:
            db = await PostgresDatabase.connect(url)
        except Exception as exc:  # refused, unknown host, bad password, no such database
            raise ConfigError(
                f"Cannot use {shown} as the Crosstalk database ({type(exc).__name__}: {exc}). "
                "Check CROSSTALK_DB and that the PostgreSQL server is running."
            ) from None
        try:
            await migrate(db)
        except BaseException:
            await db.close()
            raise
        return cls(db, shown)

    async def close(self) -> None:
        await self._db.close()

    async def schema_version(self) -> int:
        return await schema_version(self._db)

    # --- guild settings ------------------------------------------------------------------

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        cols = ", ".join(_SETTING_NAMES)
        row = await self._db.fetchone(
            f"SELECT {cols} FROM guild_settings WHERE guild_id = ?", guild_id
        )
        if row is None:
            return GuildSettings(guild_id=guild_id)
        return GuildSettings(guild_id, *row)

    async def update_guild_settings(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Validate and store `changes`; returns the settings now in force. Bad values raise
        `InputError` with a message an admin can act on."""
        try:
            checked = validate_changes(changes)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        new = replace(await self.guild_settings(guild_id), **checked)
        cols = ("guild_id", *_SETTING_NAMES)
        await self._db.execute(
            f"INSERT INTO guild_settings ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)}) ON CONFLICT (guild_id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in _SETTING_NAMES),
            *(getattr(new, c) for c in cols),
        )
        return new

    # --- channels ------------------------------------------------------------------------

    async def channel_policy(self, guild_id: int) -> ChannelPolicy:
        rows = await self._db.fetchall(
            "SELECT channel_id, rule FROM channel_rules WHERE guild_id = ? ORDER BY channel_id",
            guild_id,
        )
        return ChannelPolicy(
            allowed=tuple(c for c, rule in rows if rule == "allow"),
            blocked=tuple(c for c, rule in rows if rule == "block"),
        )

    async def _set_rule(self, guild_id: int, channel_id: int, rule: str | None) -> ChannelPolicy:
        if rule is None:
            await self._db.execute(
                "DELETE FROM channel_rules WHERE guild_id = ? AND channel_id = ?",
                guild_id,
                channel_id,
            )
        else:
            await self._db.execute(
                "INSERT INTO channel_rules (guild_id, channel_id, rule) VALUES (?, ?, ?) "
                "ON CONFLICT (guild_id, channel_id) DO UPDATE SET rule = excluded.rule",
                guild_id,
                channel_id,
                rule,
            )
        return await self.channel_policy(guild_id)

    async def allow_channel(self, guild_id: int, channel_id: int) -> ChannelPolicy:
        """Add the channel to the allow-list (and lift a block on it)."""
        return await self._set_rule(guild_id, channel_id, "allow")

    async def block_channel(self, guild_id: int, channel_id: int) -> ChannelPolicy:
        """Block the channel (and take it off the allow-list)."""
        return await self._set_rule(guild_id, channel_id, "block")

    async def clear_channel(self, guild_id: int, channel_id: int) -> ChannelPolicy:
        """Forget any rule for the channel."""
        return await self._set_rule(guild_id, channel_id, None)

    # --- reports -------------------------------------------------------------------------

    async def save_report(
        self,
        *,
        guild_id: int | None,
        channel_id: int,
        message_id: int | None,
        thread_id: int | None,
        report: Report,
    ) -> int:
        """Store a report; returns its id (for `attach_thread` once the thread exists)."""
        blob = await asyncio.to_thread(_encode, report)
        row = await self._db.fetchone(
            "INSERT INTO reports (guild_id, channel_id, message_id, thread_id, created_at, "
            "engine, report) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            guild_id,
            channel_id,
            message_id,
            thread_id,
            time.time(),
            report.engine,
            blob,
        )
        assert row is not None
        if thread_id is not None:
            self._cache.pop(thread_id, None)
        return int(row[0])

    async def attach_thread(self, report_id: int, thread_id: int) -> None:
        row = await self._db.fetchone(
            "UPDATE reports SET thread_id = ? WHERE id = ? RETURNING id", thread_id, report_id
        )
        if row is None:
            raise KeyError(f"no stored report with id {report_id}")
        self._cache.pop(thread_id, None)

    async def report_for_thread(self, thread_id: int) -> Report | None:
        """The latest report whose follow-up thread is `thread_id`, or None."""
        row = await self._db.fetchone("SELECT MAX(id) FROM reports WHERE thread_id = ?", thread_id)
        if row is None or row[0] is None:
            return None
        report_id = int(row[0])
        cached = self._cache.get(thread_id)
        if cached is not None and cached[0] == report_id:
            self._cache.move_to_end(thread_id)
            return cached[1]
        blob = await self._db.fetchone("SELECT report FROM reports WHERE id = ?", report_id)
        assert blob is not None
        report = await asyncio.to_thread(_decode, bytes(blob[0]))
        self._cache[thread_id] = (report_id, report)
        self._cache.move_to_end(thread_id)
        while len(self._cache) > self.CACHED_REPORTS:
            self._cache.popitem(last=False)
        return report

    # --- deployment facts ----------------------------------------------------------------

    async def meta(self, key: str) -> str | None:
        row = await self._db.fetchone("SELECT value FROM meta WHERE key = ?", key)
        return None if row is None else str(row[0])

    async def set_meta(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            key,
            value,
        )

    async def stats(self) -> dict[str, int]:
        """Counts for `/crosstalk status`: reports stored, guilds configured (settings or
        channel rules), and the schema version."""
        row = await self._db.fetchone(
            "SELECT (SELECT COUNT(*) FROM reports), (SELECT COUNT(*) FROM ("
            "SELECT guild_id FROM guild_settings UNION SELECT guild_id FROM channel_rules) AS g)"
        )
        assert row is not None
        return {
            "reports": int(row[0]),
            "guilds": int(row[1]),
            "schema_version": await self.schema_version(),
        }
