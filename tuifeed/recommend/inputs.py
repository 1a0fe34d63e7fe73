"""What the recommender is told: a clip's features and how the person reacted to one showing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from tuifeed.models import Clip, Impression

Embedding = Sequence[float] | npt.NDArray[np.floating[Any]]
"""Any fixed-length content vector; vectors of another length than the first one seen are ignored."""


@dataclass(frozen=True, slots=True)
class ClipFeatures:
    """What the recommender knows about one clip; every field but `id` may be missing."""

    id: str
    creator: str | None = None
    tags: tuple[str, ...] = ()
    """Hashtags, with or without the leading `#`; matched case-insensitively."""
    sound: str | None = None
    duration: float | None = None
    """Length in seconds."""
    popularity: float | None = None
    """A platform count (likes, else views) from a sidecar."""
    embedding: Embedding | None = field(default=None, compare=False)
    imported_at: float | None = None
    """Unix seconds when the clip entered the library; feeds the freshness and zeitgeist prior."""

    @classmethod
    def from_clip(cls, clip: Clip) -> ClipFeatures:
        """Describe a stored `Clip` (milliseconds and ISO times converted)."""
        return cls(
            id=clip.id,
            creator=clip.creator,
            tags=clip.tags,
            sound=clip.sound,
            duration=clip.duration_ms / 1000 if clip.duration_ms else None,
            popularity=clip.popularity,
            embedding=clip.embedding,
            imported_at=_unix_seconds(clip.imported_at),
        )


@dataclass(frozen=True, slots=True)
class Feedback:
    """One showing of one clip as it ended: how long the person stayed and what they did."""

    clip_id: str
    dwell: float
    """Seconds on screen while not paused; above `duration` when the clip looped."""
    duration: float | None = None
    """Clip length in seconds; when None the length from `ClipFeatures` is used."""
    liked: bool = False
    saved: bool = False
    followed: bool = False
    """The person followed the creator from this clip (a reward; call `Recommender.follow` for the boost)."""
    not_interested: bool = False
    """Hides the clip and strongly demotes its creator, sound and tags."""
    skipped_back: bool = False
    """The person came back to this clip after swiping past it."""
    rewatch: bool = False
    """The person restarted the clip on purpose."""

    @classmethod
    def from_impression(
        cls,
        impression: Impression,
        *,
        liked: bool = False,
        saved: bool = False,
        followed: bool = False,
        not_interested: bool = False,
        skipped_back: bool = False,
        rewatch: bool = False,
    ) -> Feedback:
        """Build feedback from a stored impression plus the actions recorded during it."""
        return cls(
            clip_id=impression.clip_id,
            dwell=impression.dwell_ms / 1000,
            duration=impression.duration_ms / 1000 if impression.duration_ms else None,
            liked=liked,
            saved=saved,
            followed=followed,
            not_interested=not_interested,
            skipped_back=skipped_back,
            rewatch=rewatch or (impression.loops > 0 and impression.duration_ms is None),
        )


def _unix_seconds(iso: str | None) -> float | None:
    """Parse an ISO 8601 time (naive means UTC) into unix seconds, or None."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
