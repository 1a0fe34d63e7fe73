"""Remote sources: their URLs and HTTP validators, and which clips each one held at its last refresh."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tuifeed.models import Clip
from tuifeed.store.store import Store, utc_now
from tuifeed.text import clean


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One remote source as stored: where it is, what kind of document it serves, and how it last went."""

    id: int
    url: str
    """As the person gave it, credentials included: never show it without redacting."""
    kind: str
    title: str
    added_at: str
    refreshed_at: str | None
    """When the source was last checked (fetched, or answered 304), whether or not that worked."""
    etag: str | None
    last_modified: str | None
    error: str | None
    """The one line of the last failed refresh, None after a good one."""
    moved_to: str | None
    """Where `url` permanently redirects (301, 308), without credentials; None when it does not."""
    clips: int = 0
    missing: int = 0


@dataclass(frozen=True, slots=True)
class SourceChanges:
    """What one refresh did to a source's clips."""

    added: int
    updated: int
    missing: int


def _source(source_id: int, url: str, kind: str, title: str, *rest: object) -> SourceRow:
    """A row as read back, its title cleaned: the database is a file any program may have written."""
    row = SourceRow(source_id, url, kind, clean(title), *rest)  # type: ignore[arg-type]
    return row if row.error is None else replace(row, error=clean(row.error))


_COLUMNS = "id, url, kind, title, added_at, refreshed_at, etag, last_modified, error, moved_to"


class SourceIndex:
    """The `remote_sources` and `remote_clips` tables of a Store; same thread rules as the Store."""

    def __init__(self, store: Store) -> None:
        """Work on the tables of `store` (migrated by the Store itself)."""
        self.store = store

    def add(self, url: str, kind: str) -> SourceRow:
        """Remember a source (adding it again keeps the first one) and return it."""
        with self.store.atomic():
            self.store.execute(
                "INSERT OR IGNORE INTO remote_sources (url, kind, added_at) VALUES (?, ?, ?)", [url, kind, utc_now()]
            )
        row = self.get(url)
        assert row is not None
        return row

    def get(self, url: str) -> SourceRow | None:
        """The source at exactly `url`, or None."""
        return self._one("url = ?", url)

    def by_id(self, source_id: int) -> SourceRow | None:
        """The source with this id, or None."""
        return self._one("id = ?", source_id)

    def all(self, *, counts: bool = True) -> list[SourceRow]:
        """Every source, in the order they were added, with clip counts (left at 0 without `counts`, which a
        refresh does not need: counting reads every row of a large source)."""
        if not counts:
            return [_source(*row) for row in self.store.execute(f"SELECT {_COLUMNS} FROM remote_sources ORDER BY id")]
        sql = (
            f"SELECT {', '.join('s.' + name.strip() for name in _COLUMNS.split(','))}, "
            "count(r.clip_id), coalesce(sum(r.missing), 0) FROM remote_sources s "
            "LEFT JOIN remote_clips r ON r.source_id = s.id GROUP BY s.id ORDER BY s.id"
        )
        return [_source(*row) for row in self.store.execute(sql).fetchall()]

    def clip_ids(self, source_id: int, include_missing: bool = False) -> list[str]:
        """The clips a source holds, in the source's own order."""
        sql = "SELECT clip_id FROM remote_clips WHERE source_id = ?" + ("" if include_missing else " AND missing = 0")
        return [row[0] for row in self.store.execute(sql + " ORDER BY position", [source_id]).fetchall()]

    def record(
        self, source_id: int, clips: Sequence[Clip], *, title: str, etag: str | None, last_modified: str | None
    ) -> SourceChanges:
        """Store a good refresh in one transaction: its clips join, clips it no longer lists become missing.

        A clip is missing from the feed only when no source lists it any more; its history stays.
        """
        with self.store.atomic():
            before = {
                row[0]: bool(row[1])
                for row in self.store.execute(
                    "SELECT clip_id, missing FROM remote_clips WHERE source_id = ?", [source_id]
                ).fetchall()
            }
            listed = {clip.id for clip in clips}
            known = {
                row[0]
                for row in self.store.execute(
                    "SELECT id FROM clips WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(listed))]
                )
            }
            self.store.upsert_clips(clips)
            self.store.conn.executemany(
                "INSERT INTO remote_clips (source_id, clip_id, position, missing) VALUES (?, ?, ?, 0) "
                "ON CONFLICT (source_id, clip_id) DO UPDATE SET position = excluded.position, missing = 0",
                [(source_id, clip.id, position) for position, clip in enumerate(clips)],
            )
            gone = [clip_id for clip_id, missing in before.items() if clip_id not in listed and not missing]
            self.store.conn.executemany(
                "UPDATE remote_clips SET missing = 1 WHERE source_id = ? AND clip_id = ?",
                [(source_id, clip_id) for clip_id in gone],
            )
            self._sync_missing(gone)
            self.store.execute(
                "UPDATE remote_sources SET title = ?, etag = ?, last_modified = ?, refreshed_at = ?, error = NULL "
                "WHERE id = ?",
                [title, etag, last_modified, utc_now(), source_id],
            )
        return SourceChanges(added=len(listed - known), updated=len(listed & known), missing=len(gone))

    def checked(self, source_id: int, error: str | None = None) -> None:
        """Note a refresh that changed no clips: a 304 (error None) or a failure with its one line."""
        with self.store.atomic():
            self.store.execute(
                "UPDATE remote_sources SET refreshed_at = ?, error = ? WHERE id = ?", [utc_now(), error, source_id]
            )

    def moved(self, source_id: int, target: str | None) -> None:
        """Remember where the source's URL permanently redirects (None: nowhere, ask the URL itself)."""
        with self.store.atomic():
            self.store.execute("UPDATE remote_sources SET moved_to = ? WHERE id = ?", [target, source_id])

    def remove(self, source_id: int) -> int:
        """Forget a source; its clips that no other source lists become missing (history stays). Returns how many."""
        with self.store.atomic():
            sql = "SELECT clip_id FROM remote_clips WHERE source_id = ?"
            clip_ids = [row[0] for row in self.store.execute(sql, [source_id])]
            self.store.execute("DELETE FROM remote_clips WHERE source_id = ?", [source_id])
            self.store.execute("DELETE FROM remote_sources WHERE id = ?", [source_id])
            return self._sync_missing(clip_ids)

    def _sync_missing(self, clip_ids: list[str]) -> int:
        """Mark missing the clips among `clip_ids` that no source lists as present now; returns how many."""
        orphans = [
            clip_id
            for clip_id in clip_ids
            if self.store.execute("SELECT 1 FROM remote_clips WHERE clip_id = ? AND missing = 0", [clip_id]).fetchone()
            is None
        ]
        self.store.set_missing(orphans)
        return len(orphans)

    def _one(self, where: str, value: object) -> SourceRow | None:
        row = self.store.execute(f"SELECT {_COLUMNS} FROM remote_sources WHERE {where}", [value]).fetchone()
        return None if row is None else _source(*row)
