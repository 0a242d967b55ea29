"""Settings that only the Discord bot reads, typed and loaded once from the environment.

They sit beside `bot.config.Settings` (shared with the CLI) rather than inside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import env_float, env_int, environment
from bot.core.errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class BotOptions:
    message_content: bool = False
    """Ask for the privileged Message Content intent: every message in a summary thread is then
    a question, and `history:` can read members' messages. Enable it in the Developer Portal too."""
    queue_size: int = 20
    """Summaries waiting at most; beyond that members are asked to try again shortly."""
    workers: int = 2
    """Summaries worked on at once."""
    progress_delay: float = 2.0
    """Seconds of work before the reply starts showing progress."""
    guild_ready_timeout: float = 2.0
    """How long start-up waits for guilds to stream in (discord.py's guild_ready_timeout)."""
    queue_url: str | None = None
    """CROSSTALK_QUEUE_URL: a Redis URL puts summaries on a queue for `crosstalk worker`
    processes (distributed mode); unset, the bot makes them itself."""
    job_timeout: float = 1200.0
    """CROSSTALK_JOB_TIMEOUT: seconds one summary may take in a worker before it is given up
    (longer than the 15 minutes of an interaction token: a late map is posted in the channel)."""
    heartbeat: float = 30.0
    """CROSSTALK_JOB_HEARTBEAT: a worker holding a job says so this often (a third of it, in
    fact); a job silent for longer is taken to be orphaned and retried by another worker."""

    @property
    def sweep_every(self) -> float:
        """How often each worker looks for orphaned jobs."""
        return max(1.0, self.heartbeat / 3)

    shards: tuple[int, tuple[int, ...] | None] | None = None
    """CROSSTALK_SHARDS: (shard count, the shard ids this process runs, None = all)."""


def _bool(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}.")


def _queue_url(env: Mapping[str, str]) -> str | None:
    url = env.get("CROSSTALK_QUEUE_URL", "").strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            f"CROSSTALK_QUEUE_URL must be a Redis URL (redis://host:6379/0), got {url!r}."
        )
    return url or None


def parse_shards(raw: str) -> tuple[int, tuple[int, ...] | None] | None:
    """CROSSTALK_SHARDS: `4` (this process runs all four shards) or `4:0,1` (shards 0 and 1
    of four; other processes run the rest)."""
    raw = raw.strip()
    if not raw:
        return None
    count_text, _, ids_text = raw.partition(":")
    try:
        count = int(count_text)
        ids = tuple(int(i) for i in ids_text.split(",")) if ids_text.strip() else None
    except ValueError:
        raise ConfigError(
            f"CROSSTALK_SHARDS must be a count, or a count and shard ids (4 or 4:0,1), got {raw!r}."
        ) from None
    if count < 1 or (ids is not None and (not ids or any(not 0 <= i < count for i in ids))):
        raise ConfigError(
            f"CROSSTALK_SHARDS: shard ids run from 0 to the count minus one, got {raw!r}."
        )
    return count, ids


def load_bot_options(env: Mapping[str, str] | None = None) -> BotOptions:
    """Read CROSSTALK_MESSAGE_CONTENT, CROSSTALK_QUEUE_SIZE, CROSSTALK_WORKERS,
    CROSSTALK_QUEUE_URL, CROSSTALK_JOB_TIMEOUT, CROSSTALK_JOB_HEARTBEAT and CROSSTALK_SHARDS."""
    env = environment() if env is None else env
    default = BotOptions()
    return BotOptions(
        message_content=_bool(env, "CROSSTALK_MESSAGE_CONTENT"),
        queue_size=env_int(env, "CROSSTALK_QUEUE_SIZE", default.queue_size),
        workers=env_int(env, "CROSSTALK_WORKERS", default.workers),
        queue_url=_queue_url(env),
        job_timeout=env_float(env, "CROSSTALK_JOB_TIMEOUT", default.job_timeout),
        heartbeat=env_float(env, "CROSSTALK_JOB_HEARTBEAT", default.heartbeat),
        shards=parse_shards(env.get("CROSSTALK_SHARDS", "")),
    )
