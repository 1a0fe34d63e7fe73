"""Messages: what the player's and the library's threads post (thread-safe), and what screens ask of the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from tuifeed.feed import FeedSession

if TYPE_CHECKING:
    from tuifeed.library.remote.refresh import RefreshResult
    from tuifeed.library.service import PrefetchReport, ProbeReport


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


@dataclass
class Prefetched(Message):
    """A download ahead finished or failed (posted from the library's prefetch thread)."""

    report: PrefetchReport


@dataclass
class Probed(Message):
    """A probe of a clip's server reported (posted from the library's probe thread)."""

    report: ProbeReport


@dataclass
class RemotesRefreshed(Message):
    """A refresh of the remote libraries ran (posted from its worker); `asked`: by the person, not at start."""

    results: list[RefreshResult]
    asked: bool
    error: str | None = None
    """Why the refresh could not run at all."""
