"""The database schema, as numbered steps applied in order and recorded in `schema_version`:
never edit a shipped step, append a new one. Each step is written for SQLite and for
PostgreSQL (Discord ids are 64-bit: BIGINT there; reports are BYTEA); both lists have the same
steps, and the store's queries read both alike."""

from __future__ import annotations

from bot.core.errors import InputError
from bot.database import Database

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
    # 4: small facts about the deployment (the fingerprint of the registered commands)
    ("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",),
)
"""SQLite (the default)."""

POSTGRES_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE guild_settings (
            guild_id BIGINT PRIMARY KEY,
            engine TEXT NOT NULL DEFAULT 'auto',
            model TEXT,
            language TEXT,
            visibility TEXT NOT NULL DEFAULT 'public',
            user_rate_per_hour INTEGER NOT NULL DEFAULT 10,
            max_input_bytes INTEGER NOT NULL DEFAULT 2000000
        )""",
        """CREATE TABLE channel_rules (
            guild_id BIGINT NOT NULL,
            channel_id BIGINT NOT NULL,
            rule TEXT NOT NULL CHECK (rule IN ('allow', 'block')),
            PRIMARY KEY (guild_id, channel_id)
        )""",
    ),
    (
        """CREATE TABLE reports (
            id BIGSERIAL PRIMARY KEY,
            guild_id BIGINT,
            channel_id BIGINT NOT NULL,
            message_id BIGINT,
            thread_id BIGINT,
            created_at DOUBLE PRECISION NOT NULL,
            engine TEXT NOT NULL,
            report BYTEA NOT NULL
        )""",
        "CREATE INDEX reports_by_thread ON reports (thread_id)",
    ),
    ("ALTER TABLE guild_settings ADD COLUMN guild_rate_per_hour INTEGER NOT NULL DEFAULT 60",),
    ("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",),
)

SCHEMA_VERSION = len(MIGRATIONS)


def steps_for(db: Database) -> tuple[tuple[str, ...], ...]:
    return MIGRATIONS if db.dialect == "sqlite" else POSTGRES_MIGRATIONS


async def schema_version(db: Database) -> int:
    row = await db.fetchone("SELECT MAX(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


async def migrate(db: Database, *, target: int | None = None) -> int:
    """Bring the schema up to `target` (default: the latest), one recorded step at a time, each
    in its own transaction (a failed step leaves the previous version intact) that no other
    process runs beside (the version is read again inside it: bots and workers starting
    together migrate once). Returns the version reached."""
    steps = steps_for(db)
    target = len(steps) if target is None else target
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    current = await schema_version(db)
    if current > len(steps):
        raise InputError(
            f"The database is at schema version {current}, newer than this Crosstalk "
            f"({len(steps)}); upgrade Crosstalk or point CROSSTALK_DB elsewhere."
        )
    for version in range(current + 1, target + 1):
        async with db.transaction() as tx:
            if await schema_version(tx) >= version:
                continue
            for statement in steps[version - 1]:
                await tx.execute(statement)
            await tx.execute("INSERT INTO schema_version (version) VALUES (?)", version)
    return max(current, target)
