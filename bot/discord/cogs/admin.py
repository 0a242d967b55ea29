"""`/crosstalk channels`, `/crosstalk settings`, `/crosstalk status`: where Crosstalk works and
how, for members with Manage Server. Discord hides the group from others by default; the
permission is checked again here, because server admins can override that default."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import CrosstalkError, InputError, Unavailable
from bot.discord.bot import NO_MENTIONS
from bot.engines.base import ContextWindow, EngineStatus
from bot.render.embeds import render_status
from bot.store import ChannelPolicy, GuildSettings

if TYPE_CHECKING:
    from bot.discord.bot import CrosstalkBot

REFUSAL = (
    "Sorry, only members with the **Manage Server** permission can change how Crosstalk works "
    "here. Anyone can use `/summarize`."
)


def describe_language(gs: GuildSettings, default: str | None) -> str:
    """The language summaries are written in: the server's, else CROSSTALK_LANGUAGE's."""
    if gs.language:
        return gs.language
    return f"{default} (CROSSTALK_LANGUAGE)" if default else "the discussion's own"


def describe_settings(gs: GuildSettings, default_language: str | None) -> list[tuple[str, str]]:
    return [
        ("Engine", gs.engine),
        ("Model", gs.model or "server default"),
        ("Language", describe_language(gs, default_language)),
        ("Visibility", gs.visibility),
        ("Summaries per member per hour", str(gs.user_rate_per_hour)),
        ("Summaries per server per hour", str(gs.guild_rate_per_hour)),
        ("Largest input", f"{gs.max_input_bytes / 1000:,.0f} KB"),
    ]


def describe_context(window: ContextWindow) -> tuple[str, bool]:
    """The context window the engine plans with beside the one the server states, if any; not
    good when the server's is smaller (requests sized for the engine's would be refused or
    cut)."""
    planned, model, served = window.planned, window.model, window.served
    if window.configured > planned:
        return (
            f"{planned:,} tokens (the server's window for {model}; LLM_CONTEXT_TOKENS is "
            f"{window.configured:,})",
            True,
        )
    text = f"{planned:,} tokens (LLM_CONTEXT_TOKENS)"
    if served is None or served == planned:
        return text, True
    if served < planned:
        return (
            f"{text}, but the server allows {model} only {served:,}: set LLM_CONTEXT_TOKENS to "
            f"{served} or less",
            False,
        )
    return f"{text}; the server allows {model} {served:,}", True


def describe_policy(policy: ChannelPolicy) -> str:
    allowed = ", ".join(f"<#{c}>" for c in policy.allowed)
    blocked = ", ".join(f"<#{c}>" for c in policy.blocked)
    lines = [
        f"Allowed: {allowed}" if allowed else "Allowed: every channel (no allow-list)",
        f"Blocked: {blocked}" if blocked else "Blocked: none",
    ]
    return "\n".join(lines)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Admin(commands.GroupCog, group_name="crosstalk"):
    """Configure Crosstalk for this server (Manage Server)."""

    def __init__(self, bot: CrosstalkBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        perms = interaction.permissions
        if perms.manage_guild or perms.administrator:
            return True
        raise app_commands.CheckFailure(REFUSAL)

    @app_commands.command(name="channels")
    @app_commands.describe(
        action="allow (adds to the allow-list), block, reset (forget its rule) or list",
        channel="The channel (default: this one)",
    )
    async def channels(
        self,
        interaction: discord.Interaction,
        action: Literal["allow", "block", "reset", "list"],
        channel: discord.TextChannel | None = None,
    ) -> None:
        """Choose the channels where Crosstalk works: allow, block, reset or list them."""
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        store = self.bot.store
        target = channel.id if channel else interaction.channel_id or 0
        if action == "allow":
            policy = await store.allow_channel(interaction.guild_id, target)
            head = f"Crosstalk now works in <#{target}>."
        elif action == "block":
            policy = await store.block_channel(interaction.guild_id, target)
            head = f"Crosstalk no longer works in <#{target}>."
        elif action == "reset":
            policy = await store.clear_channel(interaction.guild_id, target)
            head = f"<#{target}> follows the server's rules again."
        else:
            policy = await store.channel_policy(interaction.guild_id)
            head = "Where Crosstalk works:"
        await interaction.followup.send(
            f"{head}\n{describe_policy(policy)}", ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name="settings")
    @app_commands.describe(
        engine="auto = the language model when one is configured, else offline",
        model="Model name on the configured server (empty = the server default)",
        language="Language of the summaries, e.g. English, Deutsch (empty = the discussion's)",
        visibility="Whether summaries are public or only seen by whoever asked",
        user_rate="Summaries each member may ask for per hour",
        guild_rate="Summaries the whole server may ask for per hour",
        max_input_kb="Largest paste or file accepted, in KB",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        engine: Literal["auto", "offline", "llm"] | None = None,
        model: app_commands.Range[str, 1, 100] | None = None,
        language: app_commands.Range[str, 1, 40] | None = None,
        visibility: Literal["public", "private"] | None = None,
        user_rate: app_commands.Range[int, 1, 1000] | None = None,
        guild_rate: app_commands.Range[int, 1, 10000] | None = None,
        max_input_kb: app_commands.Range[int, 1, 50_000] | None = None,
    ) -> None:
        """Show or change how Crosstalk works here (engine, model, language, visibility, limits)."""
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        changes: dict[str, object] = {
            k: v
            for k, v in (
                ("engine", engine),
                ("model", model),
                ("language", language),
                ("visibility", visibility),
                ("user_rate_per_hour", user_rate),
                ("guild_rate_per_hour", guild_rate),
                ("max_input_bytes", max_input_kb * 1000 if max_input_kb else None),
            )
            if v is not None
        }
        cap = self.bot.settings.max_input_bytes
        if max_input_kb and max_input_kb * 1000 > cap:
            raise InputError(
                f"The bot's operator caps inputs at {cap // 1000:,} KB "
                "(CROSSTALK_MAX_INPUT_BYTES); choose that or less."
            )
        store = self.bot.store
        if changes:
            gs = await store.update_guild_settings(interaction.guild_id, **changes)
            title = "Settings saved"
        else:
            gs = await store.guild_settings(interaction.guild_id)
            title = "Current settings"
        await interaction.followup.send(
            embed=render_status(title, dict(describe_settings(gs, self.bot.settings.language))),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Settings, engine health and the job queue."""
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        gs = await self.bot.store.guild_settings(interaction.guild_id)
        engine = await self._engine_status(gs)
        window = describe_context(engine.context) if engine.context is not None else None
        healthy = engine.ok and (window is None or window[1])
        queue = self._queue_status()
        if self.bot.queue is not None:
            try:
                queue = await self.bot.queue.describe()
            except Unavailable as exc:
                queue, healthy = exc.message, False
        stats = await self.bot.store.stats()
        rows = [
            *describe_settings(gs, self.bot.settings.language),
            ("Engine health", engine.health),
            *([("Context window", window[0])] if window is not None else []),
            ("Queue", queue),
            (
                "Stored",
                f"{stats.get('reports', 0)} reports, {stats.get('guilds', 0)} servers "
                f"configured (schema v{stats.get('schema_version', '?')})",
            ),
            ("Gateway latency", f"{self.bot.latency * 1000:.0f} ms"),
        ]
        await interaction.followup.send(
            embed=render_status("Crosstalk status", dict(rows), ok=healthy),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    def _queue_status(self) -> str:
        q = self.bot.jobs.status()
        return (
            f"{q.waiting} waiting, {q.running} running ({q.workers} workers, room for "
            f"{q.capacity}); {q.done} done, {q.failed} failed since start"
        )

    async def _engine_status(self, gs: GuildSettings) -> EngineStatus:
        """The engine's own account of its health (an LLM engine asks its server); a setting
        that names an engine that cannot be built says why."""
        try:
            return await self.bot.engine_for(gs).status()
        except CrosstalkError as exc:
            return EngineStatus(exc.message, ok=False)


async def setup(bot: CrosstalkBot) -> None:
    await bot.add_cog(Admin(bot))
