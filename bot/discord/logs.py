"""Logging for the bot: secrets never reach a log line.

discord.py logs request URLs at debug level, and interaction/webhook URLs carry the
interaction token; the bot token could appear in an exception. `RedactSecrets` rewrites every
record that passes through a handler it is attached to.
"""

from __future__ import annotations

import logging
import re

_TOKEN_URL = re.compile(r"(/(?:webhooks|interactions)/\d+/)[A-Za-z0-9_.\-]+")
_BOT_TOKEN_SHAPE = re.compile(r"\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}\b")
REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    """Replaces the bot token, interaction/webhook tokens in URLs, and token-shaped strings."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = _TOKEN_URL.sub(lambda m: m.group(1) + REDACTED, text)
        return _BOT_TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        clean = self.redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def configure_logging(*, debug: bool, secrets: tuple[str, ...]) -> None:
    """One stream handler for the process, with secrets redacted; discord.py at INFO at most."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("discord").setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("discord.http").setLevel(logging.INFO)
    logging.getLogger("discord.gateway").setLevel(logging.INFO)
