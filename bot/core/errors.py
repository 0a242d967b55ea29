"""Errors. A `CrosstalkError` carries a message a user may read; anything else is a bug,
logged with context and shown to the user only as a short apology."""

from __future__ import annotations


class CrosstalkError(Exception):
    """Base of every error whose message is safe and useful to show to a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(CrosstalkError):
    """The input cannot be read as a discussion: empty, binary, too large, not a thread."""


class FetchError(CrosstalkError):
    """A link could not be fetched, or was refused (unsafe address, too large, wrong type)."""


class EngineError(CrosstalkError):
    """An analysis engine failed in a way the caller may fall back from."""


class Unreachable(CrosstalkError):
    """A server Crosstalk needs (Discord) could not be reached: the network, not a bug."""


class ConfigError(CrosstalkError):
    """A setting is missing or malformed; the message names the variable and the fix."""


class Unavailable(CrosstalkError):
    """A service Crosstalk depends on (its database, its job queue) did not answer. The member
    is told; the log says which and why (the cause is chained)."""
