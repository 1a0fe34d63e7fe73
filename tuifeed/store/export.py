"""The person's history as records, read a row at a time, and `forget`, which deletes it and keeps the library.

Records come in stored order (sequence, then row id) for each kind in turn: impressions, likes, saves,
follows, mutes, not-interested, Refresh For You. Each toggle row is one record, so the history of on and off
is kept.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tuifeed.models import EventKind, MuteKind
from tuifeed.store.store import Store

KINDS = ("impression", "like", "save", "follow", "mute", "not_interested", "refresh")
"""Every kind of record, in the order they are exported."""
CLIP_FIELDS = (
    "title",
    "creator",
    "description",
    "tags",
    "sound",
    "duration_ms",
    "width",
    "height",
    "location",
    "source_url",
    "published_at",
    "imported_at",
)
"""The clip metadata carried by each record that is about a clip."""
_CLIP_COLUMNS = ", ".join(f"c.{name} AS clip_{name}" for name in CLIP_FIELDS)
_ORDER = "ORDER BY {t}.seq IS NULL, {t}.seq, {t}.id"
_HISTORY = ("impressions", "likes", "events")
"""The tables that hold the person's history; the rest is the library."""
_MUTES = {EventKind.mute(kind).value: kind for kind in MuteKind}


def records(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    """Every record of `kind` (one of KINDS), oldest first, one row read at a time."""
    if kind == "impression":
        sql = (
            "SELECT i.seq, i.id, i.clip_id, i.started_at, i.ended_at, i.dwell_ms, i.duration_ms, i.watch_ratio, "
            "i.loops, i.exit AS left, i.liked, i.saved, i.followed, i.not_interested, i.came_back, "
            f"{_CLIP_COLUMNS} FROM impressions i LEFT JOIN clips c ON c.id = i.clip_id {_ORDER.format(t='i')}"
        )
        rows = store.rows(sql)
    elif kind == "like":
        sql = (
            f"SELECT l.seq, l.id, l.clip_id, l.liked, l.at, {_CLIP_COLUMNS} FROM likes l "
            f"LEFT JOIN clips c ON c.id = l.clip_id {_ORDER.format(t='l')}"
        )
        rows = store.rows(sql)
    elif kind in ("save", "not_interested"):
        sql = (
            f"SELECT e.seq, e.id, e.subject AS clip_id, e.active, e.at, {_CLIP_COLUMNS} FROM events e "
            f"LEFT JOIN clips c ON c.id = e.subject WHERE e.kind = ? {_ORDER.format(t='e')}"
        )
        rows = store.rows(sql, [kind])
    elif kind == "follow":
        sql = (
            "SELECT e.seq, e.id, e.subject AS creator, e.active, e.at FROM events e "
            f"WHERE e.kind = ? {_ORDER.format(t='e')}"
        )
        rows = store.rows(sql, [EventKind.FOLLOW.value])
    elif kind == "mute":
        marks = ", ".join("?" * len(_MUTES))
        sql = (
            "SELECT e.seq, e.id, e.kind AS what, e.subject AS value, e.active, e.at FROM events e "
            f"WHERE e.kind IN ({marks}) {_ORDER.format(t='e')}"
        )
        rows = store.rows(sql, list(_MUTES))
    elif kind == "refresh":
        sql = f"SELECT e.seq, e.id, e.at FROM events e WHERE e.kind = ? {_ORDER.format(t='e')}"
        rows = store.rows(sql, [EventKind.RESET.value])
    else:
        raise ValueError(f"no such kind of record: {kind!r}")
    for row in rows:
        yield _record(kind, row)


def _record(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row as an exported record: its kind first, flags as booleans, the clip's metadata nested."""
    record: dict[str, Any] = {"kind": kind}
    clip: dict[str, Any] = {}
    for name, value in row.items():
        if name.startswith("clip_") and name != "clip_id":
            clip[name.removeprefix("clip_")] = json.loads(value) if name == "clip_tags" and value else value
        elif name in ("liked", "saved", "followed", "not_interested", "came_back", "active"):
            record[name] = bool(value)
        elif name == "what":
            record[name] = _MUTES[value].value
        else:
            record[name] = value
    if clip:
        record["clip"] = clip if clip.get("location") is not None else None
    return record


def all_records(store: Store) -> Iterator[dict[str, Any]]:
    """Every record of every kind, kind by kind in KINDS order."""
    for kind in KINDS:
        yield from records(store, kind)


@dataclass(frozen=True, slots=True)
class History:
    """How much history the store holds: what `forget` would delete."""

    impressions: int
    likes: int
    events: int
    open_stays: int = 0
    """Stays not yet closed: a tuifeed is playing on the file (or one was killed and has not been restarted)."""

    @property
    def empty(self) -> bool:
        """Whether there is nothing to forget."""
        return not (self.impressions or self.likes or self.events)


def history_size(store: Store) -> History:
    """Counts of the rows `forget` deletes."""
    counts = [int(store.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for table in _HISTORY]
    open_stays = store.execute("SELECT count(*) FROM impressions WHERE ended_at IS NULL").fetchone()[0]
    impressions, likes, events = counts
    return History(impressions, likes, events, int(open_stays))


def forget(store: Store) -> History:
    """Delete every stay, like, save, follow, mute, not-interested and refresh, and the clip the next run
    would open on (chosen from them), in one transaction.

    The library (clips, files, roots, remote sources, the cache) stays. What the recommender learned is
    rebuilt from this history at each start, so it starts fresh too. The file is vacuumed afterwards so
    the deleted rows do not linger in free pages or the write-ahead log.
    """
    size = history_size(store)
    with store.atomic():
        for table in _HISTORY:
            store.execute(f"DELETE FROM {table}")
        store.execute("DELETE FROM opening")  # chosen from that history
        store.execute("UPDATE counters SET value = 0 WHERE name = 'seq'")
    if store.path != ":memory:":
        try:
            store.execute("VACUUM")
            store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError as error:  # another tuifeed holds the file: the rows are gone all the same
            logging.getLogger(__name__).warning("forget: could not vacuum %s (%s)", store.path, error)
    return size
