"""The person's lists as the store keeps them: liked, saved, history with dwell, mutes with their time."""

from __future__ import annotations

from dataclasses import dataclass

from tuifeed.models import WATCHED_RATIO, Clip, EventKind, ImpressionExit, MuteKind
from tuifeed.store.store import Store, _row_clip
from tuifeed.text import clean

_LATEST = "e.id = (SELECT max(id) FROM events WHERE kind = e.kind AND subject = e.subject)"
"""The newest event of its kind and subject, the one that says whether a toggle is on."""


@dataclass(frozen=True, slots=True)
class Marked:
    """A clip in a list (liked, saved) and when it was put there."""

    clip: Clip
    at: str


@dataclass(frozen=True, slots=True)
class Watch:
    """One stay on a clip, as History shows it."""

    clip: Clip
    ended_at: str
    dwell_ms: int
    watch_ratio: float | None
    """Dwell over the clip's length; above 1 when it looped; None when the length is unknown."""
    loops: int

    @property
    def watched(self) -> bool:
        """Whether this stay saw (nearly) the whole clip: History's "watched" marker."""
        return self.loops > 0 or (self.watch_ratio or 0.0) >= WATCHED_RATIO


@dataclass(frozen=True, slots=True)
class Mute:
    """A creator, tag or sound the person muted, and when."""

    kind: MuteKind
    value: str
    at: str


def liked(store: Store) -> list[Marked]:
    """Clips whose latest like event is a like, the newest like first; missing clips left out."""
    sql = (
        "SELECT c.*, l.at AS marked_at FROM likes l JOIN clips c ON c.id = l.clip_id "
        "WHERE l.id = (SELECT max(id) FROM likes WHERE clip_id = l.clip_id) AND l.liked = 1 AND c.missing = 0 "
        "ORDER BY l.seq DESC, l.id DESC"
    )
    return [Marked(_row_clip(row), row["marked_at"]) for row in store.rows(sql)]


def saved(store: Store) -> list[Marked]:
    """Saved clips, the newest save first; missing clips left out."""
    sql = (
        "SELECT c.*, e.at AS marked_at FROM events e JOIN clips c ON c.id = e.subject "
        f"WHERE e.kind = ? AND e.active = 1 AND {_LATEST} AND c.missing = 0 ORDER BY e.seq DESC, e.id DESC"
    )
    return [Marked(_row_clip(row), row["marked_at"]) for row in store.rows(sql, [EventKind.SAVE.value])]


def history(store: Store, limit: int = 500) -> list[Watch]:
    """The newest `limit` closed stays, newest first; clips that could not play, and missing clips, left out."""
    sql = (
        "SELECT c.*, i.ended_at AS stay_ended, i.dwell_ms AS stay_dwell, i.watch_ratio AS stay_ratio, "
        "i.loops AS stay_loops FROM impressions i JOIN clips c ON c.id = i.clip_id "
        "WHERE i.ended_at IS NOT NULL AND i.exit != ? AND c.missing = 0 ORDER BY i.seq DESC, i.id DESC LIMIT ?"
    )
    return [
        Watch(_row_clip(row), row["stay_ended"], row["stay_dwell"], row["stay_ratio"], row["stay_loops"])
        for row in store.rows(sql, [ImpressionExit.ERROR.value, limit])
    ]


def watched_ids(store: Store) -> set[str]:
    """Clips the person has watched (nearly) to the end, or looped, at least once."""
    sql = "SELECT DISTINCT clip_id FROM impressions WHERE ended_at IS NOT NULL AND (loops > 0 OR watch_ratio >= ?)"
    return {row["clip_id"] for row in store.rows(sql, [WATCHED_RATIO])}


def mutes(store: Store) -> list[Mute]:
    """Every mute in force, the newest first."""
    kinds = {EventKind.mute(kind).value: kind for kind in MuteKind}
    marks = ", ".join("?" * len(kinds))
    sql = (
        f"SELECT kind, subject, at FROM events e WHERE kind IN ({marks}) AND active = 1 AND {_LATEST} "
        "ORDER BY e.seq DESC, e.id DESC"
    )
    return [Mute(kinds[row["kind"]], clean(row["subject"]), row["at"]) for row in store.rows(sql, list(kinds))]
