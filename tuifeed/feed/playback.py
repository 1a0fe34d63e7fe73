"""Playback: how the one player plays, shared by every feed, and which feed's clip it holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuifeed.feed.session import FeedSession


@dataclass
class Playback:
    """Sound, speed and auto-advance hold across clips and feeds; `owner` is the feed the player plays for."""

    volume: int = 100
    muted: bool = False
    speed: float = 1.0
    auto_advance: bool = False
    owner: FeedSession | None = None
    """The feed whose clip the player holds; another feed takes the player by playing its own clip."""
