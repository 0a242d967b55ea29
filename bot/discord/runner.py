"""`crosstalk run` (also `python -m bot run`): start the Discord bot with DISCORD_TOKEN."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

import aiohttp

from bot.config import Settings
from bot.core.errors import ConfigError, Unreachable
from bot.discord.logs import configure_logging
from bot.discord.options import BotOptions, load_bot_options

log = logging.getLogger(__name__)

NO_TOKEN = (
    "DISCORD_TOKEN is not set: put the bot token from the Discord Developer Portal in the "
    "environment or in .env (see docs/discord.md)."
)


async def run_bot(settings: Settings, options: BotOptions) -> None:
    import discord

    from bot.discord.bot import make_bot

    if not settings.discord_token:
        raise ConfigError(NO_TOKEN)
    async with make_bot(settings, options) as bot:
        # `docker stop` (and any supervisor) asks with SIGTERM: close as Ctrl-C does, so the
        # gateway, the job queue, the analysis processes and the database are shut cleanly
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(bot.close()))
        try:
            await bot.start(settings.discord_token)
        except discord.LoginFailure:
            raise ConfigError(
                "Discord refused DISCORD_TOKEN: copy the token again from the Developer Portal "
                "(Bot → Reset Token)."
            ) from None
        except aiohttp.ClientConnectorError as exc:  # the network, not a bug
            why = (
                "connection refused"
                if isinstance(exc.os_error, ConnectionRefusedError)
                else exc.os_error.strerror or type(exc.os_error).__name__
            )
            hint = (
                f"check DISCORD_API_BASE ({settings.discord_api_base})"
                if settings.discord_api_base
                else "check this machine's network connection"
            )
            raise Unreachable(
                f"Could not reach Discord at {exc.host}:{exc.port} ({why}): {hint}."
            ) from None
        except discord.PrivilegedIntentsRequired:
            raise ConfigError(
                "CROSSTALK_MESSAGE_CONTENT is on but the Message Content intent is not enabled "
                "for this application: enable it in the Developer Portal (Bot → Privileged "
                "Gateway Intents) or unset CROSSTALK_MESSAGE_CONTENT."
            ) from None


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Handler for `crosstalk run`; returns the exit status."""
    if not settings.discord_token:
        raise ConfigError(NO_TOKEN)
    options = load_bot_options()
    configure_logging(debug=bool(args.debug), secrets=(settings.discord_token or "",))
    try:
        asyncio.run(run_bot(settings, options))
    except KeyboardInterrupt:
        log.info("stopped")
    return 0


def worker_command(args: argparse.Namespace, settings: Settings) -> int:
    """Handler for `crosstalk worker`; returns the exit status."""
    from bot.discord.worker import run_worker

    if args.concurrency < 1:
        raise ConfigError("--concurrency must be at least 1.")
    options = load_bot_options()
    configure_logging(debug=bool(args.debug), secrets=(settings.discord_token or "",))
    try:
        asyncio.run(run_worker(settings, options, concurrency=args.concurrency))
    except KeyboardInterrupt:
        log.info("stopped")
    return 0
