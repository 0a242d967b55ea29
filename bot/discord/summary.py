"""One summary from request to hand-over: the checks (channel rules, rate limits), the
acknowledgement within Discord's 3 seconds, and the queue — the bot's own, or Redis for
`crosstalk worker` processes (`bot.discord.queue`). Making the map is `bot.discord.fulfil`.

Every entry point (the slash command, its modal, the context menu) ends here.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from typing import TYPE_CHECKING

import discord

from bot.core.errors import InputError
from bot.discord.bot import interaction_context
from bot.discord.fulfil import fulfil
from bot.discord.inputs import Source
from bot.discord.jobs import Refused, humanize_seconds
from bot.discord.reply import TOKEN_MARGIN, Reply, Target
from bot.store import ChannelPolicy, GuildSettings

if TYPE_CHECKING:
    from bot.discord.bot import CrosstalkBot

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 1.5
"""Seconds the pre-acknowledgement checks may take, so the 3-second deadline always holds."""


def permitted(policy: ChannelPolicy, channel: object, channel_id: int | None) -> bool:
    """A thread follows its parent channel: blocked if either is blocked, allowed if either is."""
    ids = [i for i in (channel_id, getattr(channel, "parent_id", None)) if i is not None]
    if any(i in policy.blocked for i in ids):
        return False
    return not policy.allowed or any(i in policy.allowed for i in ids)


def _limit_message(wait: float, what: str) -> str:
    until = int(time.time() + wait)
    return f"{what} Try again in {humanize_seconds(wait)} (<t:{until}:R>)."


async def _rate_refusal(
    bot: CrosstalkBot, user_id: int, guild_id: int, gs: GuildSettings
) -> str | None:
    wait = await bot.limits.retry_after("user", user_id, gs.user_rate_per_hour)
    if wait is not None:
        n = gs.user_rate_per_hour
        return _limit_message(wait, f"You have asked for {n} summaries in the last hour.")
    wait = await bot.limits.retry_after("guild", guild_id, gs.guild_rate_per_hour)
    if wait is not None:
        n = gs.guild_rate_per_hour
        return _limit_message(wait, f"This server has had {n} summaries in the last hour.")
    return None


def _token_alive(interaction: discord.Interaction) -> bool:
    return interaction.expires_at - discord.utils.utcnow() > TOKEN_MARGIN


async def summarize(
    bot: CrosstalkBot,
    interaction: discord.Interaction,
    source: Source,
    *,
    private: bool | None,
    give_back: str | None = None,
) -> None:
    """Check, acknowledge within 3 s, queue the work, and report back. `give_back` is text the
    member typed or pasted: if no map comes of it, it is returned to them privately as a file,
    so a refused or unreadable paste is never lost (by whoever finds out: here, or the work)."""
    handed_over = False
    try:
        handed_over = await _summarize(
            bot, interaction, source, private=private, give_back=give_back
        )
    finally:
        if give_back and not handed_over:
            await give_back_paste(bot, interaction, give_back)


async def give_back_paste(bot: CrosstalkBot, interaction: discord.Interaction, text: str) -> None:
    """Return what the member typed to them privately as a file (it is never lost)."""
    if bot.is_closed() or not _token_alive(interaction):
        return
    paste = discord.File(io.BytesIO(text.encode()), filename="your-paste.txt")
    try:
        await bot.tell(
            interaction,
            "Here is your paste back, to fix and send again with `/summarize file:`.",
            file=paste,
        )
    except discord.HTTPException:
        log.warning("could not give a paste back (%s)", interaction_context(interaction))


async def _summarize(
    bot: CrosstalkBot,
    interaction: discord.Interaction,
    source: Source,
    *,
    private: bool | None,
    give_back: str | None,
) -> bool:
    """The steps of `summarize`; True once the work is handed over (it then answers the
    member itself, failures and the paste included)."""
    if interaction.guild_id is None:
        raise InputError("Crosstalk works in servers, not in direct messages.")
    guild_id, user_id = interaction.guild_id, interaction.user.id
    try:
        gs, policy = await asyncio.wait_for(
            asyncio.gather(bot.store.guild_settings(guild_id), bot.store.channel_policy(guild_id)),
            CHECK_TIMEOUT,
        )
    except TimeoutError:
        raise Refused("Crosstalk is under heavy load; try again in a moment.") from None
    if not permitted(policy, interaction.channel, interaction.channel_id):
        await bot.tell(
            interaction,
            "Crosstalk is not enabled in this channel. A server admin can allow it with "
            "`/crosstalk channels`.",
        )
        return False
    refusal = await _rate_refusal(bot, user_id, guild_id, gs)
    if refusal:
        await bot.tell(interaction, refusal)
        return False
    private = gs.visibility == "private" if private is None else private
    await interaction.response.defer(thinking=True, ephemeral=private)
    reply = Reply(bot, Target.of(interaction, private=private))

    noted = asyncio.Event()  # the "Queued" note goes out before the job's own edits

    async def work() -> None:
        await noted.wait()
        await fulfil(bot, bot, reply, source, gs, give_back=give_back)

    try:
        future, ahead = await bot.hand_over(work, reply.target, source, gs, give_back)
    except Refused as exc:
        await reply.fail(exc.message)
        return False
    await bot.limits.hit("user", user_id)
    await bot.limits.hit("guild", guild_id)
    try:
        if ahead > 0:
            await reply.edit(
                f"Queued: {ahead} summar{'ies' if ahead != 1 else 'y'} ahead of yours…"
            )
    finally:
        noted.set()
    if future is not None:
        await future
    return True
