"""Messages the player's threads post to the feed screen (thread-safe via post_message)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ClipEnded(Message):
    """The clip with this player token reached its end."""

    token: int


@dataclass
class ClipFailed(Message):
    """The clip with this player token could not be played."""

    token: int
    reason: str
