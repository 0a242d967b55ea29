"""The two databases the store runs on, behind one small interface: SQLite through aiosqlite
(the default: a file, one process or a few on one machine) and PostgreSQL through asyncpg (a
server that bots and workers on several machines share). `CROSSTALK_DB` chooses: a path, or a
`postgresql://` URL.

Queries are written once, with `?` placeholders, in the SQL both dialects accept
(`INSERT … ON CONFLICT … DO UPDATE`, `RETURNING`); only the schema's steps differ
(`bot.schema`). A database that cannot be reached raises `StoreUnavailable`, whose message a
member may read.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, ClassVar

import aiosqlite

from bot.core.errors import Unavailable

if TYPE_CHECKING:
    import asyncpg

Row = tuple[Any, ...]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
MIGRATION_LOCK = 0x43_52_4F_53  # "CROS": the advisory lock that serialises schema changes
CONNECT_TIMEOUT = 5.0
QUERY_TIMEOUT = 10.0


class StoreUnavailable(Unavailable):
    """The database did not answer (server down, network cut). Safe to show to a member."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Crosstalk cannot reach its database right now; please try again in a minute."
        )


def is_postgres(target: str) -> bool:
    return target.startswith(POSTGRES_SCHEMES)


def redact(url: str) -> str:
    """A database URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


class Database(ABC):
    """One database connection (or pool). Arguments are passed positionally, `?` in the SQL."""

    dialect: ClassVar[str]

    @abstractmethod
    async def execute(self, sql: str, *args: Any) -> None: ...

    @abstractmethod
    async def fetchone(self, sql: str, *args: Any) -> Row | None: ...

    @abstractmethod
    async def fetchall(self, sql: str, *args: Any) -> list[Row]: ...

    @abstractmethod
    def transaction(self) -> Any:
        """`async with db.transaction() as tx:` one transaction that no other process runs
        beside it (schema changes); `tx` is a Database."""

    @abstractmethod
    async def close(self) -> None: ...


class SqliteDatabase(Database):
    """One aiosqlite connection in autocommit mode; `transaction()` is `BEGIN IMMEDIATE`, which
    takes the file's write lock, so two processes never migrate at once."""

    dialect = "sqlite"

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    async def execute(self, sql: str, *args: Any) -> None:
        # Closed at once: a statement left open (`PRAGMA journal_mode=WAL` returns a row) keeps
        # a read snapshot, and another process's write then finds the file locked.
        async with self.db.execute(sql, args):
            pass

    async def fetchone(self, sql: str, *args: Any) -> Row | None:
        async with self.db.execute(sql, args) as cur:
            row = await cur.fetchone()
        return tuple(row) if row is not None else None

    async def fetchall(self, sql: str, *args: Any) -> list[Row]:
        async with self.db.execute(sql, args) as cur:
            return [tuple(r) for r in await cur.fetchall()]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        await self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            await self.db.rollback()
            raise
        await self.db.commit()

    async def close(self) -> None:
        await self.db.close()


def _numbered(sql: str) -> str:
    """`?` placeholders -> asyncpg's `$1, $2, …` (the store's SQL has no literal `?`)."""
    count = iter(range(1, 1000))
    return re.sub(r"\?", lambda _m: f"${next(count)}", sql)


def _unavailable(exc: BaseException) -> bool:
    import asyncpg

    return isinstance(
        exc,
        OSError
        | TimeoutError
        | asyncpg.PostgresConnectionError
        | asyncpg.InterfaceError
        | asyncpg.CannotConnectNowError,
    )


class PostgresDatabase(Database):
    """An asyncpg pool. Connection failures become `StoreUnavailable`."""

    dialect = "postgres"

    def __init__(self, pool: asyncpg.Pool | None, conn: asyncpg.Connection | None = None) -> None:
        self.pool = pool
        self.conn = conn  # set inside a transaction: every statement on that connection

    @classmethod
    async def connect(cls, url: str) -> PostgresDatabase:
        import asyncpg

        pool = await asyncpg.create_pool(
            url, min_size=1, max_size=10, timeout=CONNECT_TIMEOUT, command_timeout=QUERY_TIMEOUT
        )
        return cls(pool)

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        if self.conn is not None:
            yield self.conn
            return
        assert self.pool is not None
        try:
            async with self.pool.acquire(timeout=CONNECT_TIMEOUT) as conn:
                yield conn
        except Exception as exc:
            if _unavailable(exc):
                raise StoreUnavailable() from exc
            raise

    async def execute(self, sql: str, *args: Any) -> None:
        async with self._connection() as conn:
            await conn.execute(_numbered(sql), *args)

    async def fetchone(self, sql: str, *args: Any) -> Row | None:
        async with self._connection() as conn:
            row = await conn.fetchrow(_numbered(sql), *args)
        return tuple(row) if row is not None else None

    async def fetchall(self, sql: str, *args: Any) -> list[Row]:
        async with self._connection() as conn:
            return [tuple(r) for r in await conn.fetch(_numbered(sql), *args)]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        async with self._connection() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            yield PostgresDatabase(None, conn)

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
