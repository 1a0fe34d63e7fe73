"""Messages: what the player's threads post to a feed screen (thread-safe), and what screens ask of the app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tuifeed.feed import FeedSession


@dataclass
class ClipEnded(Message):
    """The clip with this player token reached its end."""

    token: int


@dataclass
class ClipFailed(Message):
    """The clip with this player token could not be played."""

    token: int
    reason: str


@dataclass
class OpenFeed(Message):
    """Play this feed (a page, a list from a row, search results) on top of the screen that asked."""

    session: FeedSession
