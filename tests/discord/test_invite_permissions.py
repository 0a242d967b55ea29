"""The permission integer in the invite link of docs/discord.md is exactly the table above it."""

import re
import warnings
from pathlib import Path

DOC = Path(__file__).parents[2] / "docs" / "discord.md"


def test_invite_permissions_match_the_documented_table() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # discord.py imports audioop
        import discord

    text = DOC.read_text()
    documented = {int(n) for n in re.findall(r"permissions=(\d+)", text)}
    wanted = discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
        create_public_threads=True,
        send_messages_in_threads=True,
    )
    assert documented == {wanted.value}
    assert f"`{wanted.value}`" in text
