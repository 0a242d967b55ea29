"""Follow-up questions in the thread under a summary, answered from the stored discussion:
messages that mention the bot (every message when the Message Content intent is on) and `/ask`.
Works across restarts: the report comes from the store."""

from __future__ import annotations

import contextlib
import logging
import re
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import CrosstalkError
from bot.core.model import Report
from bot.discord.bot import APOLOGY, NO_MENTIONS
from bot.discord.jobs import humanize_seconds

if TYPE_CHECKING:
    from bot.discord.bot import CrosstalkBot

log = logging.getLogger(__name__)

MAX_QUESTION = 1000
NOT_A_THREAD = (
    "Ask questions inside the thread under a Crosstalk summary: it is opened with every map."
)


def questions_per_hour(user_rate_per_hour: int) -> int:
    """Questions are cheap next to summaries: three per allowed summary, at least 30."""
    return max(30, 3 * user_rate_per_hour)


class Ask(commands.Cog):
    def __init__(self, bot: CrosstalkBot) -> None:
        self.bot = bot

    async def _limit(self, guild_id: int, user_id: int) -> str | None:
        gs = await self.bot.store.guild_settings(guild_id)
        n = questions_per_hour(gs.user_rate_per_hour)
        wait = await self.bot.limits.retry_after("question", user_id, n)
        if wait is not None:
            return (
                f"You have asked {n} questions in the last hour; "
                f"try again in {humanize_seconds(wait)}."
            )
        await self.bot.limits.hit("question", user_id)
        return None

    async def _answer(self, guild_id: int, report: Report, question: str) -> list[discord.Embed]:
        from bot.render.embeds import render_answer

        gs = await self.bot.store.guild_settings(guild_id)
        answer = await self.bot.answerer_for(gs).answer(report, question)
        by_id = report.discussion.by_id()
        cited = [by_id[c.comment_id] for c in answer.citations if c.comment_id in by_id]
        return render_answer(answer.text, cited)

    def _question(self, message: discord.Message) -> str:
        me = self.bot.user.id if self.bot.user else 0
        text = re.sub(rf"<@!?{me}>", " ", message.content)
        return " ".join(text.split())[:MAX_QUESTION]

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None or self.bot.user is None:
            return
        mentioned = any(u.id == self.bot.user.id for u in message.mentions)
        if not mentioned and not self.bot.options.message_content:
            return
        try:
            report = await self.bot.report_for_thread(message.channel.id)
            if report is None:
                return
            question = self._question(message)
            if not question:
                await message.reply(
                    "Ask me anything about the discussion, e.g. *what did the sceptics argue?*",
                    allowed_mentions=NO_MENTIONS,
                    mention_author=False,
                )
                return
            refusal = await self._limit(message.guild.id, message.author.id)
            if refusal:
                await message.reply(refusal, allowed_mentions=NO_MENTIONS, mention_author=False)
                return
            async with message.channel.typing():
                embeds = await self._answer(message.guild.id, report, question)
            await message.reply(embeds=embeds, allowed_mentions=NO_MENTIONS, mention_author=False)
        except CrosstalkError as exc:
            await self._safe_reply(message, exc.message)
        except Exception:
            log.exception(
                "follow-up failed (guild=%s channel=%s user=%s)",
                message.guild.id,
                message.channel.id,
                message.author.id,
            )
            await self._safe_reply(message, APOLOGY)

    async def _safe_reply(self, message: discord.Message, text: str) -> None:
        try:
            await message.reply(text, allowed_mentions=NO_MENTIONS, mention_author=False)
        except discord.HTTPException:
            log.warning("could not reply in channel %s", message.channel.id)

    @app_commands.command(name="ask")
    @app_commands.guild_only()
    @app_commands.describe(question="What you want to know about the discussion")
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION],
    ) -> None:
        """Ask about the discussion summarized in this thread; answers cite the comments."""
        if interaction.guild_id is None:
            return
        # loading a stored report can take a moment: acknowledge first
        await interaction.response.defer(thinking=True)
        try:
            await self._reply(interaction, interaction.guild_id, question)
        except Exception:
            # the apology must not inherit the public "thinking…" reply: remove it, so the
            # error handler's private message is the only trace
            with contextlib.suppress(discord.HTTPException, aiohttp.ClientError):
                await interaction.delete_original_response()
            raise

    async def _reply(self, interaction: discord.Interaction, guild_id: int, question: str) -> None:
        report = await self.bot.report_for_thread(interaction.channel_id or 0)
        refusal = (
            NOT_A_THREAD if report is None else await self._limit(guild_id, interaction.user.id)
        )
        if report is None or refusal:
            await interaction.delete_original_response()
            await self.bot.tell(interaction, refusal or NOT_A_THREAD)
            return
        embeds = await self._answer(guild_id, report, question)
        quoted = discord.utils.escape_markdown(" ".join(question.split()))
        await interaction.followup.send(
            content=f"> {quoted}", embeds=embeds, allowed_mentions=NO_MENTIONS
        )


async def setup(bot: CrosstalkBot) -> None:
    await bot.add_cog(Ask(bot))
