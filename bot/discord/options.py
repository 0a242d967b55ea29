"""Settings that only the Discord bot reads, typed and loaded once from the environment.

They sit beside `bot.config.Settings` (shared with the CLI) rather than inside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import env_int, environment
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


def _bool(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}.")


def load_bot_options(env: Mapping[str, str] | None = None) -> BotOptions:
    """Read CROSSTALK_MESSAGE_CONTENT, CROSSTALK_QUEUE_SIZE and CROSSTALK_WORKERS."""
    env = environment() if env is None else env
    default = BotOptions()
    return BotOptions(
        message_content=_bool(env, "CROSSTALK_MESSAGE_CONTENT"),
        queue_size=env_int(env, "CROSSTALK_QUEUE_SIZE", default.queue_size),
        workers=env_int(env, "CROSSTALK_WORKERS", default.workers),
    )
