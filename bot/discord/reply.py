"""Answering one interaction through Discord's REST API alone: the interaction's webhook while
its token lives (15 minutes), the channel — or the member's direct messages, for a private
summary — after. Whichever process holds the work (the bot itself, or a `crosstalk worker` on
another machine) talks to Discord the same way, from a `Target` that travels with the job.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import asdict, dataclass
from typing import Any, cast

import discord

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
"""Every message the bot sends quotes people: nothing in it may ping anyone."""
TOKEN_LIFE = dt.timedelta(minutes=15)
TOKEN_MARGIN = dt.timedelta(seconds=60)
"""Closer than this to the end of the token's life, post to the channel instead."""
ORIGINAL = cast(int, "@original")
"""Discord's name for an interaction's first reply; discord.py puts it in the URL as given."""


@dataclass(frozen=True, slots=True)
class Target:
    """Who asked, where, and how to answer them: plain data (a job carries it as JSON). The
    token is the interaction's, valid 15 minutes; never the bot's."""

    application_id: int
    interaction_id: int
    token: str
    guild_id: int
    channel_id: int
    user_id: int
    private: bool
    in_thread: bool
    """The command was used inside a thread: the map's questions go to that thread."""
    command: str

    @classmethod
    def of(cls, interaction: discord.Interaction, *, private: bool) -> Target:
        command = interaction.command.qualified_name if interaction.command else "summarize"
        return cls(
            application_id=interaction.application_id,
            interaction_id=interaction.id,
            token=interaction.token,
            guild_id=interaction.guild_id or 0,
            channel_id=interaction.channel_id or 0,
            user_id=interaction.user.id,
            private=private,
            in_thread=isinstance(interaction.channel, discord.Thread),
            command=command,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        return cls(**data)

    @property
    def expires_at(self) -> dt.datetime:
        return discord.utils.snowflake_time(self.interaction_id) + TOKEN_LIFE

    def context(self) -> str:
        """Where the interaction happened, for logs. Never includes its token."""
        return (
            f"guild={self.guild_id} channel={self.channel_id} user={self.user_id} "
            f"command={self.command!r}"
        )


def ping(user_id: int) -> discord.AllowedMentions:
    """Mentions for a message that must reach the member who asked (the map or the failure,
    once the interaction has expired): that member alone; no everyone, roles or replies."""
    return discord.AllowedMentions(
        everyone=False, users=[discord.Object(user_id)], roles=False, replied_user=False
    )


class Reply:
    """Everything a summary says to the member who asked for it, over REST. `client` needs no
    gateway: a logged-in `discord.Client` is enough (the bot is one)."""

    def __init__(self, client: discord.Client, target: Target) -> None:
        self.client = client
        self.target = target
        # what discord.py's Interaction.followup builds: the application's webhook for this
        # interaction (type 3), which may send ephemeral messages
        self.webhook = discord.Webhook.from_state(
            {"id": target.application_id, "type": 3, "token": target.token},
            state=client._connection,
        )

    @property
    def mention(self) -> str:
        return f"<@{self.target.user_id}>"

    def alive(self) -> bool:
        return self.target.expires_at - discord.utils.utcnow() > TOKEN_MARGIN

    def channel(self, channel_id: int | None = None) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(
            channel_id or self.target.channel_id, guild_id=self.target.guild_id
        )

    async def _late(self) -> discord.abc.Messageable:
        """Where to post once the token is dead: the member's DMs for a private summary."""
        if self.target.private:
            return await self.client.create_dm(discord.Object(self.target.user_id))
        return self.channel()

    async def edit(self, content: str) -> None:
        """Replace the reply's text (a status line); nothing once the token is dead."""
        if self.alive():
            await self.webhook.edit_message(ORIGINAL, content=content, allowed_mentions=NO_MENTIONS)

    async def tell(self, message: str, **kwargs: Any) -> None:
        """A short private message to the member (the reply has been deferred)."""
        await self.webhook.send(
            message, ephemeral=True, allowed_mentions=NO_MENTIONS, wait=True, **kwargs
        )

    async def fail(self, message: str) -> None:
        """Replace the reply with the failure; once its token is dead, tell the member in the
        channel (or privately, for a private summary)."""
        try:
            if self.alive():
                await self.webhook.edit_message(
                    ORIGINAL,
                    content=f"⚠️ {message}",
                    embeds=[],
                    attachments=[],
                    allowed_mentions=NO_MENTIONS,
                )
                return
            target = await self._late()
            await target.send(
                f"⚠️ {self.mention}, your summary could not be made: {message}",
                allowed_mentions=ping(self.target.user_id),
            )
        except discord.HTTPException:
            log.warning("could not report a failure (%s)", self.target.context())

    async def give_back(self, text: str) -> None:
        """Return what the member typed to them privately as a file (it is never lost)."""
        if not self.alive():
            return
        paste = discord.File(io.BytesIO(text.encode()), filename="your-paste.txt")
        try:
            await self.tell(
                "Here is your paste back, to fix and send again with `/summarize file:`.",
                file=paste,
            )
        except discord.HTTPException:
            log.warning("could not give a paste back (%s)", self.target.context())

    async def post_map(
        self, pages: list[list[discord.Embed]], png: bytes | None, graph_file: str, at: int
    ) -> int:
        """Post the map (as the interaction's reply while its token lives, else as channel or
        direct messages), the picture attached to message `at`; returns the first message's
        id."""

        def files_for(i: int) -> list[discord.File]:
            return [discord.File(io.BytesIO(png), filename=graph_file)] if png and i == at else []

        if self.alive():
            first = await self.webhook.edit_message(
                ORIGINAL,
                content=None,
                embeds=pages[0],
                attachments=files_for(0),
                allowed_mentions=NO_MENTIONS,
            )
            for i, page in enumerate(pages[1:], start=1):
                await self.webhook.send(
                    embeds=page,
                    files=files_for(i),
                    ephemeral=self.target.private,
                    allowed_mentions=NO_MENTIONS,
                    wait=True,
                )
            return first.id
        target = await self._late()
        intro = f"The debate map {self.mention} asked for:"
        sent = await target.send(
            content=intro,
            embeds=pages[0],
            files=files_for(0),
            allowed_mentions=ping(self.target.user_id),
        )
        for i, page in enumerate(pages[1:], start=1):
            await target.send(embeds=page, files=files_for(i), allowed_mentions=NO_MENTIONS)
        return sent.id

    async def open_thread(self, message_id: int, name: str) -> int:
        """A public thread under the map's first message; returns its id. (Through the HTTP
        route itself: a message object would want the guild from a gateway cache that a
        worker does not have.)"""
        data = await self.client.http.start_thread_with_message(
            self.target.channel_id, message_id, name=name, auto_archive_duration=1440
        )
        return int(data["id"])

    async def post(self, channel_id: int, text: str) -> None:
        await self.channel(channel_id).send(text, allowed_mentions=NO_MENTIONS)
