"""`/summarize` (text, file, link, channel history, or a modal for long pastes) and the message
context menu "Summarize discussion"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import inputs
from bot.discord.summary import give_back_paste, summarize

if TYPE_CHECKING:
    from bot.discord.bot import CrosstalkBot

MODAL_FIELDS = 5
FIELD_CHARS = 4000


class PasteModal(discord.ui.Modal, title="Summarize a discussion"):
    """Up to five boxes of 4,000 characters: paste the article and its comments in order."""

    def __init__(self, bot: CrosstalkBot, *, private: bool | None) -> None:
        super().__init__(timeout=15 * 60)
        self.bot = bot
        self.private = private
        self.parts: list[discord.ui.TextInput[PasteModal]] = []
        for i in range(MODAL_FIELDS):
            part: discord.ui.TextInput[PasteModal] = discord.ui.TextInput(
                label="Article and comments" if i == 0 else f"Continued ({i + 1} of 5)",
                style=discord.TextStyle.paragraph,
                max_length=FIELD_CHARS,
                required=i == 0,
                placeholder="Paste the article, then the comments in order…" if i == 0 else None,
            )
            self.parts.append(part)
            self.add_item(part)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        text = "\n".join(p.value for p in self.parts if p.value)
        source = inputs.Source("text", text=text)
        await summarize(self.bot, interaction, source, private=self.private, give_back=text)

    # Modal's own signature: discord.py's Modal drops the `item` of BaseView.on_error
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        await self.bot.report_error(interaction, error)


class Summarize(commands.Cog):
    def __init__(self, bot: CrosstalkBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name="Summarize discussion", callback=self.summarize_message
        )
        self.menu.guild_only = True
        self.menu.allowed_contexts = app_commands.AppCommandContext(guild=True)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(name="summarize")
    @app_commands.guild_only()
    @app_commands.describe(
        text="A short paste: the article, then the comments (for long ones, leave everything "
        "empty and a form opens)",
        file="A saved page or export: .txt, .md, .html or .json",
        url="A link to an article with comments",
        history="Map this channel's last N messages instead (2–500)",
        private="Only you see the summary (default: the server's setting)",
    )
    async def summarize_command(
        self,
        interaction: discord.Interaction,
        text: str | None = None,
        file: discord.Attachment | None = None,
        url: str | None = None,
        history: app_commands.Range[int, 2, inputs.MAX_HISTORY] | None = None,
        private: bool | None = None,
    ) -> None:
        """Map the debate in a discussion: sides, key arguments, who answered whom."""
        given = [
            name
            for name, v in (("text", text), ("file", file), ("url", url), ("history", history))
            if v is not None
        ]
        if len(given) > 1:
            await self.bot.tell(
                interaction, f"Give one input at a time, not {' and '.join(given)}."
            )
            if text:
                await give_back_paste(self.bot, interaction, text)
            return
        if not given:
            await interaction.response.send_modal(PasteModal(self.bot, private=private))
            return
        await summarize(
            self.bot,
            interaction,
            self._source(interaction, text, file, url, history),
            private=private,
            give_back=text,
        )

    @staticmethod
    def _source(
        interaction: discord.Interaction,
        text: str | None,
        file: discord.Attachment | None,
        url: str | None,
        history: int | None,
    ) -> inputs.Source:
        if text is not None:
            return inputs.Source("text", text=text)
        if file is not None:
            return inputs.Source.file(file)
        if url is not None:
            return inputs.Source("url", url=url)
        return inputs.Source(
            "history",
            limit=history or 0,
            before=interaction.id,
            name=getattr(interaction.channel, "name", None),
        )

    async def summarize_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """Summarize the discussion in this message: its attachment, its link or its text."""
        attachment = next(
            (a for a in message.attachments if a.filename.lower().endswith(inputs.FILE_TYPES)),
            None,
        )
        content = message.content.strip()
        link = inputs.first_link(content)
        if attachment is not None:
            source = inputs.Source.file(attachment)
        elif link is not None and len(content) - len(link) < 200:
            source = inputs.Source("url", url=link)
        elif not content:
            source = inputs.Source(
                "refused",
                text="That message has no text, link or .txt/.md/.html/.json attachment to read.",
            )
        else:
            source = inputs.Source("text", text=content)
        await summarize(self.bot, interaction, source, private=None)


async def setup(bot: CrosstalkBot) -> None:
    await bot.add_cog(Summarize(bot))
