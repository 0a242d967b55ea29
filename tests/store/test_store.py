import asyncio
import sqlite3
from pathlib import Path

import aiosqlite
import pytest
import pytest_asyncio

from bot.config import load_settings
from bot.core.contract import report_to_dict
from bot.core.errors import InputError
from bot.database import SqliteDatabase
from bot.schema import POSTGRES_MIGRATIONS
from bot.store import MIGRATIONS, SCHEMA_VERSION, ChannelPolicy, GuildSettings, Store, migrate
from tests.servers import PostgresServer, free_port


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh database lives: a SQLite path, or a new database on the session's
    PostgreSQL server; the same tests run on both."""
    if request.param == "sqlite":
        return str(tmp_path / "deep" / "dir" / "crosstalk.db")
    return request.getfixturevalue("postgres_server").new_database()


@pytest_asyncio.fixture
async def store(target: str):
    s = await Store.open(target)
    yield s
    await s.close()


@pytest.mark.asyncio
async def test_open_creates_parent_dirs_uses_wal_and_latest_schema(tmp_path: Path):
    path = tmp_path / "a" / "b" / "x.db"
    s = await Store.open(str(path))
    try:
        assert path.exists()
        assert await s.schema_version() == SCHEMA_VERSION
    finally:
        await s.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [r[0] for r in raw.execute("SELECT version FROM schema_version ORDER BY 1")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.asyncio
async def test_path_comes_from_crosstalk_db(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CROSSTALK_DB", str(tmp_path / "env" / "bot.db"))
    s = await Store.open(load_settings(dotenv=False).db_path)
    await s.close()
    assert (tmp_path / "env" / "bot.db").exists()


@pytest.mark.asyncio
async def test_a_version_1_database_is_migrated_forward(tmp_path: Path):
    path = str(tmp_path / "old.db")
    async with aiosqlite.connect(path, isolation_level=None) as db:
        assert await migrate(SqliteDatabase(db), target=1) == 1
        await db.execute(
            "INSERT INTO guild_settings (guild_id, engine, visibility, user_rate_per_hour) "
            "VALUES (7, 'offline', 'private', 3)"
        )
        await db.execute("INSERT INTO channel_rules VALUES (7, 100, 'block')")
        async with db.execute("SELECT name FROM sqlite_master WHERE name = 'reports'") as cur:
            assert await cur.fetchone() is None
    s = await Store.open(path)
    try:
        assert await s.schema_version() == SCHEMA_VERSION
        settings = await s.guild_settings(7)
        assert settings == GuildSettings(
            guild_id=7, engine="offline", visibility="private", user_rate_per_hour=3
        )
        assert settings.guild_rate_per_hour == 60  # the column added in step 3
        assert (await s.channel_policy(7)).blocked == (100,)
        assert await s.report_for_thread(1) is None  # the reports table exists now
    finally:
        await s.close()


@pytest.mark.asyncio
async def test_a_newer_database_is_refused_clearly(tmp_path: Path):
    path = str(tmp_path / "new.db")
    s = await Store.open(path)
    await s.close()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION + 1,))
    with pytest.raises(InputError, match="newer than this Crosstalk"):
        await Store.open(path)


@pytest.mark.asyncio
async def test_a_failing_migration_step_leaves_the_previous_version(tmp_path: Path, monkeypatch):
    import bot.schema

    broken = (*MIGRATIONS, ("CREATE TABLE extra (x)", "THIS IS NOT SQL"))
    monkeypatch.setattr(bot.schema, "MIGRATIONS", broken)
    path = str(tmp_path / "x.db")
    with pytest.raises(sqlite3.OperationalError):
        await Store.open(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == len(
            MIGRATIONS
        )
        assert raw.execute("SELECT name FROM sqlite_master WHERE name='extra'").fetchone() is None


@pytest.mark.asyncio
async def test_guild_settings_default_update_and_survive_reopen(target: str):
    path = target
    s = await Store.open(path)
    assert await s.guild_settings(1) == GuildSettings(guild_id=1)
    new = await s.update_guild_settings(1, engine="LLM", model=" llama3 ", user_rate_per_hour=4)
    assert (new.engine, new.model, new.user_rate_per_hour) == ("llm", "llama3", 4)
    new = await s.update_guild_settings(1, language="fr", model="default")
    assert (new.engine, new.model, new.language) == ("llm", None, "fr")
    assert await s.guild_settings(2) == GuildSettings(guild_id=2)
    await s.close()
    s = await Store.open(path)
    try:
        assert await s.guild_settings(1) == new
    finally:
        await s.close()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"engine": "gpt"}, "engine must be one of auto, offline, llm"),
        ({"visibility": "secret"}, "visibility must be one of public, private"),
        ({"user_rate_per_hour": 0}, "user_rate_per_hour must be between 1 and 1,000"),
        ({"guild_rate_per_hour": "5"}, "guild_rate_per_hour must be a whole number"),
        ({"max_input_bytes": True}, "max_input_bytes must be a whole number"),
        ({"max_input_bytes": 10**9}, "max_input_bytes must be between"),
        ({"language": "x" * 41}, "language must be one line"),
        ({"colour": "red"}, "Unknown setting colour"),
    ],
)
async def test_bad_settings_are_refused_with_a_clear_message(store, changes, message):
    with pytest.raises(InputError) as info:
        await store.update_guild_settings(5, **changes)
    assert message in info.value.message
    assert await store.guild_settings(5) == GuildSettings(guild_id=5)


def test_channel_policy_permits():
    assert ChannelPolicy(allowed=(), blocked=()).permits(1)
    assert not ChannelPolicy(allowed=(), blocked=(1,)).permits(1)
    assert ChannelPolicy(allowed=(2,), blocked=()).permits(2)
    assert not ChannelPolicy(allowed=(2,), blocked=()).permits(3)
    assert not ChannelPolicy(allowed=(2,), blocked=(2,)).permits(2)


@pytest.mark.asyncio
async def test_channel_rules_allow_block_clear(store):
    assert await store.channel_policy(9) == ChannelPolicy(allowed=(), blocked=())
    p = await store.allow_channel(9, 20)
    p = await store.allow_channel(9, 10)
    assert p == ChannelPolicy(allowed=(10, 20), blocked=())
    assert not p.permits(30)
    p = await store.block_channel(9, 20)
    assert p == ChannelPolicy(allowed=(10,), blocked=(20,))
    p = await store.allow_channel(9, 20)
    assert p.permits(20)
    p = await store.clear_channel(9, 20)
    assert p == ChannelPolicy(allowed=(10,), blocked=())
    assert await store.channel_policy(8) == ChannelPolicy(allowed=(), blocked=())


@pytest.mark.asyncio
async def test_reports_saved_attached_and_found_after_restart(target: str, report):
    path = target
    s = await Store.open(path)
    rid = await s.save_report(guild_id=1, channel_id=2, message_id=3, thread_id=None, report=report)
    assert await s.report_for_thread(44) is None
    await s.attach_thread(rid, 44)
    with pytest.raises(KeyError):
        await s.attach_thread(rid + 100, 45)
    await s.save_report(guild_id=None, channel_id=5, message_id=None, thread_id=46, report=report)
    await s.update_guild_settings(1, visibility="private")
    await s.block_channel(2, 3)
    assert await s.stats() == {"reports": 2, "guilds": 2, "schema_version": SCHEMA_VERSION}
    await s.close()
    s = await Store.open(path)
    try:
        back = await s.report_for_thread(44)
        assert back == report
        assert report_to_dict(back) == report_to_dict(report)
        assert await s.report_for_thread(46) == report
    finally:
        await s.close()


@pytest.mark.asyncio
async def test_latest_report_for_a_thread_wins(store, report):
    from dataclasses import replace

    await store.save_report(guild_id=1, channel_id=2, message_id=3, thread_id=7, report=report)
    newer = replace(report, headline="Updated.")
    await store.save_report(guild_id=1, channel_id=2, message_id=4, thread_id=7, report=newer)
    assert (await store.report_for_thread(7)).headline == "Updated."


@pytest.mark.asyncio
async def test_a_damaged_stored_report_gives_a_clear_error(tmp_path: Path, report):
    path = str(tmp_path / "d.db")
    s = await Store.open(path)
    await s.save_report(guild_id=1, channel_id=2, message_id=3, thread_id=8, report=report)
    await s.close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE reports SET report = x'00ff'")
    s = await Store.open(path)
    try:
        with pytest.raises(InputError, match="damaged"):
            await s.report_for_thread(8)
    finally:
        await s.close()


@pytest.mark.asyncio
async def test_reports_read_again_come_from_the_cache_until_replaced(store, report):
    from dataclasses import replace

    rid = await store.save_report(
        guild_id=1, channel_id=2, message_id=3, thread_id=None, report=report
    )
    await store.attach_thread(rid, 70)
    first = await store.report_for_thread(70)
    assert await store.report_for_thread(70) is first  # decoded once
    newer = replace(report, headline="Newer.")
    await store.save_report(guild_id=1, channel_id=2, message_id=4, thread_id=70, report=newer)
    assert (await store.report_for_thread(70)).headline == "Newer."
    for n in range(Store.CACHED_REPORTS + 1):
        await store.save_report(
            guild_id=1, channel_id=2, message_id=n, thread_id=100 + n, report=report
        )
        await store.report_for_thread(100 + n)
    assert len(store._cache) == Store.CACHED_REPORTS


@pytest.mark.asyncio
async def test_concurrent_writers_share_one_connection(store, report):
    import asyncio

    ids = await asyncio.gather(
        *(
            store.save_report(
                guild_id=1, channel_id=n, message_id=n, thread_id=500 + n, report=report
            )
            for n in range(10)
        ),
        *(store.update_guild_settings(n, user_rate_per_hour=n + 1) for n in range(1, 6)),
    )
    assert sorted(ids[:10]) == list(range(1, 11))
    assert (await store.guild_settings(5)).user_rate_per_hour == 6
    assert (await store.stats())["reports"] == 10


@pytest.mark.asyncio
async def test_an_unusable_path_is_a_clear_config_error(tmp_path: Path):
    from bot.core.errors import ConfigError

    (tmp_path / "a_folder.db").mkdir()
    with pytest.raises(ConfigError, match="Set CROSSTALK_DB"):
        await Store.open(str(tmp_path / "a_folder.db"))
    (tmp_path / "not_a_db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match="not_a_db as the Crosstalk database"):
        await Store.open(str(tmp_path / "not_a_db"))
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="Set CROSSTALK_DB"):
        await Store.open(str(tmp_path / "file" / "sub" / "x.db"))


@pytest.mark.asyncio
async def test_in_memory_database():
    s = await Store.open(":memory:")
    try:
        await s.allow_channel(1, 2)
        assert (await s.channel_policy(1)).allowed == (2,)
    finally:
        await s.close()


@pytest.mark.asyncio
async def test_a_report_stored_by_another_process_replaces_the_cached_one(target: str, report):
    """Workers store reports beside the bot: a cached report is checked against the database,
    so a newer one for the same thread is read, not the copy in memory."""
    from dataclasses import replace

    bot_store, worker_store = await Store.open(target), await Store.open(target)
    try:
        await worker_store.save_report(
            guild_id=1, channel_id=2, message_id=3, thread_id=80, report=report
        )
        assert await bot_store.report_for_thread(80) == report
        newer = replace(report, headline="Made by a worker.")
        await worker_store.save_report(
            guild_id=1, channel_id=2, message_id=4, thread_id=80, report=newer
        )
        assert (await bot_store.report_for_thread(80)).headline == "Made by a worker."
    finally:
        await bot_store.close()
        await worker_store.close()


@pytest.mark.asyncio
async def test_processes_starting_together_migrate_once(target: str):
    stores = await asyncio.gather(*(Store.open(target) for _ in range(4)))
    try:
        versions = await stores[0]._db.fetchall("SELECT version FROM schema_version ORDER BY 1")
        assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1))
    finally:
        for s in stores:
            await s.close()


@pytest.mark.asyncio
async def test_postgres_schema_and_a_newer_database_refused(postgres_server: PostgresServer):
    url = postgres_server.new_database()
    s = await Store.open(url)
    try:
        assert await s.schema_version() == SCHEMA_VERSION == len(POSTGRES_MIGRATIONS)
        big = 2**63 - 1  # Discord ids are 64-bit
        await s.allow_channel(big, big - 1)
        assert (await s.channel_policy(big)).allowed == (big - 1,)
        await s._db.execute("INSERT INTO schema_version VALUES (?)", SCHEMA_VERSION + 1)
    finally:
        await s.close()
    with pytest.raises(InputError, match="newer than this Crosstalk"):
        await Store.open(url)


@pytest.mark.asyncio
async def test_a_failing_postgres_step_leaves_the_previous_version(
    postgres_server: PostgresServer, monkeypatch
):
    import asyncpg

    import bot.schema

    broken = (*POSTGRES_MIGRATIONS, ("CREATE TABLE extra (x int)", "THIS IS NOT SQL"))
    monkeypatch.setattr(bot.schema, "POSTGRES_MIGRATIONS", broken)
    url = postgres_server.new_database()
    with pytest.raises(asyncpg.PostgresSyntaxError):
        await Store.open(url)
    conn = await asyncpg.connect(url)
    try:
        assert await conn.fetchval("SELECT MAX(version) FROM schema_version") == SCHEMA_VERSION
        assert await conn.fetchval("SELECT to_regclass('extra')") is None
    finally:
        await conn.close()


@pytest.mark.asyncio
async def test_an_unreachable_postgres_is_a_clear_config_error():
    from bot.core.errors import ConfigError

    port = free_port()  # nothing listens there
    with pytest.raises(ConfigError) as info:
        await Store.open(f"postgresql://crosstalk:secret@127.0.0.1:{port}/crosstalk")
    assert "Check CROSSTALK_DB" in info.value.message
    assert "secret" not in info.value.message  # the password is never shown
