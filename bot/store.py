"""SQLite persistence: guild settings, channel rules, stored reports for follow-up questions.

One `Store` per process, opened at start-up (`await Store.open(settings.db_path)`), injected
where needed and closed once. Reports are stored as contract JSON (`bot.core.contract`), so a
report written by an older version is still read after an upgrade. The schema evolves through
`MIGRATIONS`, applied in order and recorded in `schema_version`; never edit a shipped step,
append a new one.
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

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: guild settings and channel rules
    (
        """CREATE TABLE guild_settings (
            guild_id INTEGER PRIMARY KEY,
            engine TEXT NOT NULL DEFAULT 'auto',
            model TEXT,
            language TEXT,
            visibility TEXT NOT NULL DEFAULT 'public',
            user_rate_per_hour INTEGER NOT NULL DEFAULT 10,
            max_input_bytes INTEGER NOT NULL DEFAULT 2000000
        )""",
        """CREATE TABLE channel_rules (
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            rule TEXT NOT NULL CHECK (rule IN ('allow', 'block')),
            PRIMARY KEY (guild_id, channel_id)
        )""",
    ),
    # 2: stored reports, found again by the thread opened under them
    (
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            guild_id INTEGER,
            channel_id INTEGER NOT NULL,
            message_id INTEGER,
            thread_id INTEGER,
            created_at REAL NOT NULL,
            engine TEXT NOT NULL,
            report BLOB NOT NULL
        )""",
        "CREATE INDEX reports_by_thread ON reports (thread_id)",
    ),
    # 3: a per-guild rate limit next to the per-user one
    ("ALTER TABLE guild_settings ADD COLUMN guild_rate_per_hour INTEGER NOT NULL DEFAULT 60",),
)
SCHEMA_VERSION = len(MIGRATIONS)

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


async def migrate(db: aiosqlite.Connection, *, target: int | None = None) -> int:
    """Bring the schema up to `target` (default: the latest), one recorded step at a time;
    returns the version reached."""
    target = len(MIGRATIONS) if target is None else target
    await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    async with db.execute("SELECT MAX(version) FROM schema_version") as cur:
        row = await cur.fetchone()
    current = row[0] if row and row[0] is not None else 0
    if current > len(MIGRATIONS):
        raise InputError(
            f"The database is at schema version {current}, newer than this Crosstalk "
            f"({len(MIGRATIONS)}); upgrade Crosstalk or point CROSSTALK_DB elsewhere."
        )
    for version in range(current + 1, target + 1):
        # One transaction per step: a failed step leaves the previous version intact.
        await db.execute("BEGIN")
        try:
            for statement in MIGRATIONS[version - 1]:
                await db.execute(statement)
            await db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        except BaseException:
            await db.rollback()
            raise
        await db.commit()
        current = version
    return current


class Store:
    """Async access to the database. Create with `await Store.open(path)`."""

    CACHED_REPORTS = 8
    """Recently read reports kept decoded: every question in a thread needs its report, and
    decoding a 20,000-comment report takes about a second."""

    def __init__(self, db: aiosqlite.Connection, path: str) -> None:
        self._db = db
        self.path = path
        self._cache: OrderedDict[int, Report] = OrderedDict()

    @classmethod
    async def open(cls, path: str) -> Store:
        """Open (creating it and its folder if need be) and migrate the database at `path`.
        A path that cannot hold a database raises `ConfigError` naming CROSSTALK_DB."""
        if path != ":memory:":
            path = str(Path(path).expanduser())
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _unusable(path, exc) from None
        try:
            # isolation_level=None: transactions are explicit (see `migrate`); writes autocommit.
            db = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise _unusable(path, exc) from None
        try:
            try:
                await db.execute("PRAGMA journal_mode=WAL")
                await db.execute("PRAGMA busy_timeout=5000")
            except sqlite3.Error as exc:
                raise _unusable(path, exc) from None
            await migrate(db)
        except BaseException:
            await db.close()
            raise
        return cls(db, path)

    async def close(self) -> None:
        await self._db.close()

    async def schema_version(self) -> int:
        async with self._db.execute("SELECT MAX(version) FROM schema_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    # --- guild settings ------------------------------------------------------------------

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        cols = ", ".join(_SETTING_NAMES)
        async with self._db.execute(
            f"SELECT {cols} FROM guild_settings WHERE guild_id = ?", (guild_id,)
        ) as cur:
            row = await cur.fetchone()
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
        values = tuple(getattr(new, c) for c in cols)
        await self._db.execute(
            f"INSERT OR REPLACE INTO guild_settings ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)})",
            values,
        )
        return new

    # --- channels ------------------------------------------------------------------------

    async def channel_policy(self, guild_id: int) -> ChannelPolicy:
        async with self._db.execute(
            "SELECT channel_id, rule FROM channel_rules WHERE guild_id = ? ORDER BY channel_id",
            (guild_id,),
        ) as cur:
            rows = await cur.fetchall()
        return ChannelPolicy(
            allowed=tuple(c for c, rule in rows if rule == "allow"),
            blocked=tuple(c for c, rule in rows if rule == "block"),
        )

    async def _set_rule(self, guild_id: int, channel_id: int, rule: str | None) -> ChannelPolicy:
        if rule is None:
            await self._db.execute(
                "DELETE FROM channel_rules WHERE guild_id = ? AND channel_id = ?",
                (guild_id, channel_id),
            )
        else:
            await self._db.execute(
                "INSERT OR REPLACE INTO channel_rules (guild_id, channel_id, rule) "
                "VALUES (?, ?, ?)",
                (guild_id, channel_id, rule),
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
        cur = await self._db.execute(
            "INSERT INTO reports (guild_id, channel_id, message_id, thread_id, created_at, "
            "engine, report) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (guild_id, channel_id, message_id, thread_id, time.time(), report.engine, blob),
        )
        report_id = cur.lastrowid
        await cur.close()
        assert report_id is not None
        if thread_id is not None:
            self._cache.pop(thread_id, None)
        return report_id

    async def attach_thread(self, report_id: int, thread_id: int) -> None:
        cur = await self._db.execute(
            "UPDATE reports SET thread_id = ? WHERE id = ?", (thread_id, report_id)
        )
        updated = cur.rowcount
        await cur.close()
        if updated != 1:
            raise KeyError(f"no stored report with id {report_id}")
        self._cache.pop(thread_id, None)

    async def report_for_thread(self, thread_id: int) -> Report | None:
        """The latest report whose follow-up thread is `thread_id`, or None."""
        if thread_id in self._cache:
            self._cache.move_to_end(thread_id)
            return self._cache[thread_id]
        async with self._db.execute(
            "SELECT report FROM reports WHERE thread_id = ? ORDER BY id DESC LIMIT 1",
            (thread_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        report = await asyncio.to_thread(_decode, row[0])
        self._cache[thread_id] = report
        while len(self._cache) > self.CACHED_REPORTS:
            self._cache.popitem(last=False)
        return report

    async def stats(self) -> dict[str, int]:
        """Counts for `/crosstalk status`: reports stored, guilds configured (settings or
        channel rules), and the schema version."""
        async with self._db.execute(
            "SELECT (SELECT COUNT(*) FROM reports), (SELECT COUNT(*) FROM ("
            "SELECT guild_id FROM guild_settings UNION SELECT guild_id FROM channel_rules))"
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return {
            "reports": int(row[0]),
            "guilds": int(row[1]),
            "schema_version": await self.schema_version(),
        }
