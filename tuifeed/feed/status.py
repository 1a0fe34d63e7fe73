"""What the session tells the screen: the status of the clip on screen, and why it was chosen."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tuifeed.models import Clip
from tuifeed.recommend import Term

REPLAYING = "you have seen everything: replaying your favourites"
CAME_BACK = "you swiped back to it"
LINED_UP = "lined up next when you last quit"


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """Everything the info panel shows, as one value: equal statuses look the same."""

    clip: Clip | None
    """The clip on screen; None before the first clip, or when there is nothing to play."""
    stay: str = ""
    """Which stay this is (its key): a new value means a new clip appeared, even the same one."""
    liked: bool = False
    saved: bool = False
    followed: bool = False
    seen: int = 0
    """Clips shown in this round, the one on screen included."""
    total: int = 0
    """Clips this session may show: the library less what was hidden, muted or failed to play."""
    round: int = 1
    """1 until every clip was shown; then the feed replays, ranked again, and this counts up."""
    back: int = 0
    """How many clips the person swiped back from the newest."""
    position_ms: int = 0
    length_ms: int = 0
    paused: bool = False
    muted: bool = False
    volume: int = 100
    speed: float = 1.0
    auto_advance: bool = False
    title: str = "For You"
    """The feed's name: "For You", "Following", "@ana", "#ocean", "Liked"."""
    filters: str = ""
    """The filters on, in a few words, or "" when none is."""
    empty: str = ""
    """What to say when there is no clip on screen."""
    trouble: str | None = None
    """Why the feed's writes are waiting (a lock, a full disk), in one calm line; None while they land."""


@dataclass(frozen=True, slots=True)
class Why:
    """Why a clip is on screen: what chose it, what counts against it, and any hard filter."""

    clip: Clip
    chosen: tuple[str, ...]
    """Why it was chosen now, strongest first."""
    against: tuple[str, ...]
    """What counts against it, in the recommender's order."""
    filters: tuple[str, ...]
    """Rules that keep it out of the feed from now on (a mute made while it played, say)."""


def explain(
    clip: Clip,
    terms: Sequence[Term],
    *,
    came_back: bool,
    replaying: bool,
    reason: str | None = None,
    lined_up: bool = False,
) -> Why:
    """Sort the recommender's terms for `clip` into reasons for it, against it, and hard filters.

    The order within each group is the recommender's; how the clip got on screen comes first (swiped back
    to, a replay, or `lined_up` by the last run to open this one), and `reason` (why it is in the feed at
    all: "it is in your Liked list") before that.
    """
    chosen = [reason] if reason else []
    chosen += [CAME_BACK] if came_back else [REPLAYING] if replaying else [LINED_UP] if lined_up else []
    chosen += [term.text for term in terms if term.weight > 0]
    against = [term.text for term in terms if term.weight < 0 and math.isfinite(term.weight)]
    filters = [term.text for term in terms if term.weight == -math.inf]
    return Why(clip, tuple(chosen), tuple(against), tuple(filters))
