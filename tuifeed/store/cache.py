"""The prefetch cache index: which remote clips have a file in the cache, how big, and how recently used."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tuifeed.store.store import Store


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One clip's file in the cache: complete, or a `.part` still being downloaded."""

    clip_id: str
    url: str
    file: str
    """The file's name inside the cache directory (a hash, never a remote name)."""
    size: int
    complete: bool
    used: int
    """Use order: a larger number was played or downloaded more recently (a counter, not a clock)."""


class CacheIndex:
    """The `cache_entries` table of a Store; same thread rules as the Store."""

    def __init__(self, store: Store) -> None:
        """Work on the table of `store` (migrated by the Store itself)."""
        self.store = store

    def get(self, clip_id: str) -> CacheEntry | None:
        """The cache entry of a clip, or None."""
        row = self.store.execute(
            "SELECT clip_id, url, file, size, complete, used FROM cache_entries WHERE clip_id = ?", [clip_id]
        ).fetchone()
        return None if row is None else _entry(row)

    def entries(self) -> list[CacheEntry]:
        """Every entry, least recently used first."""
        rows = self.store.execute("SELECT clip_id, url, file, size, complete, used FROM cache_entries ORDER BY used")
        return [_entry(row) for row in rows]

    def put(self, clip_id: str, url: str, file: str, size: int, complete: bool) -> None:
        """Record a clip's file (started, grown or finished) and make it the most recently used."""
        with self.store.atomic():
            self.store.execute(
                "INSERT INTO cache_entries (clip_id, url, file, size, complete, used) VALUES (?, ?, ?, ?, ?, "
                "(SELECT coalesce(max(used), 0) + 1 FROM cache_entries)) ON CONFLICT (clip_id) DO UPDATE SET "
                "url = excluded.url, file = excluded.file, size = excluded.size, complete = excluded.complete, "
                "used = excluded.used",
                [clip_id, url, file, size, int(complete)],
            )

    def touch(self, clip_id: str) -> None:
        """Make a clip's entry the most recently used (it is about to play)."""
        with self.store.atomic():
            self.store.execute(
                "UPDATE cache_entries SET used = (SELECT coalesce(max(used), 0) + 1 FROM cache_entries) "
                "WHERE clip_id = ?",
                [clip_id],
            )

    def remove(self, clip_ids: Iterable[str]) -> None:
        """Forget entries (their files are deleted by the cache)."""
        with self.store.atomic():
            self.store.conn.executemany(
                "DELETE FROM cache_entries WHERE clip_id = ?", [(clip_id,) for clip_id in clip_ids]
            )

    def total_size(self) -> int:
        """Bytes held by every entry, complete or not."""
        return int(self.store.execute("SELECT coalesce(sum(size), 0) FROM cache_entries").fetchone()[0])


def _entry(row: tuple[Any, ...]) -> CacheEntry:
    clip_id, url, file, size, complete, used = row
    return CacheEntry(str(clip_id), str(url), str(file), int(size), bool(complete), int(used))
