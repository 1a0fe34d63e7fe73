"""Library roots and file locations: which file on disk holds which clip, and how it looked last time.

Paths go in through `db_text` and come out through `path_of`: any bytes a file name holds survive, stored as
valid UTF-8 text (see `tuifeed.store.store`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from typing import Any

from tuifeed.store.store import Store, db_text, path_of, utc_now


@dataclass(frozen=True, slots=True)
class FileRow:
    """One location of a clip: a file under a library root, with the size and mtime last seen."""

    path: str
    root: str
    clip_id: str
    content_hash: str
    """Hash of the file's head, tail and size as last read; the clip id is the hash at first import."""
    size: int
    mtime_ns: int
    meta_stamp: int = 0
    """Newest mtime of the file's sidecars (.info.json, .nfo), 0 without any."""
    missing: bool = False
    video_codec: str | None = None
    audio_codec: str | None = None
    """None when the file has no audio track."""
    rotation: int = 0
    """Degrees the video is rotated on display."""


@dataclass(frozen=True, slots=True)
class RootInfo:
    """A library root with its file counts."""

    path: str
    added_at: str
    files: int
    missing: int


_UNDER = "path = CAST(? AS TEXT) OR (path > CAST(? AS TEXT) AND path < CAST(? AS TEXT))"
"""Paths at a prefix or below it, as a range the primary key answers; its parameters come from `_under`."""


def _under(prefix: str) -> list[str]:
    return [db_text(bound) for bound in (prefix, prefix.rstrip("/") + "/", prefix.rstrip("/") + "0")]


_COLUMNS = "path, root, clip_id, content_hash, size, mtime_ns, meta_stamp, missing, video_codec, audio_codec, rotation"


class FileIndex:
    """The `files` and `library_roots` tables of a Store, used by the importer; same thread rules."""

    def __init__(self, store: Store) -> None:
        """Work on the tables of `store` (migrated by the Store itself)."""
        self.store = store

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic transaction around several writes (clips and files together)."""
        with self.store.atomic():
            yield

    # -- roots -------------------------------------------------------------------------------------

    def add_root(self, path: str) -> None:
        """Remember a library root; adding it again changes nothing."""
        with self.store.atomic():
            self.store.execute(
                "INSERT OR IGNORE INTO library_roots (path, added_at) VALUES (CAST(? AS TEXT), ?)",
                [db_text(path), utc_now()],
            )

    def roots(self) -> list[RootInfo]:
        """Every library root with how many files it holds and how many of those are missing."""
        sql = (
            "SELECT r.path, r.added_at, count(f.path), coalesce(sum(f.missing), 0) FROM library_roots r "
            "LEFT JOIN files f ON f.root = r.path GROUP BY r.path ORDER BY r.path"
        )
        return [RootInfo(path_of(path), *rest) for path, *rest in self.store.execute(sql).fetchall()]

    def remove_root(self, path: str) -> int | None:
        """Forget a root and its file locations (clips and history stay); None when it is not a root.

        Clips left without any location are marked missing. Returns how many locations were forgotten.
        """
        with self.store.atomic():
            key = [db_text(path)]
            if self.store.execute("SELECT 1 FROM library_roots WHERE path = CAST(? AS TEXT)", key).fetchone() is None:
                return None
            clip_ids = [
                row[0] for row in self.store.execute("SELECT clip_id FROM files WHERE root = CAST(? AS TEXT)", key)
            ]
            self.store.execute("DELETE FROM files WHERE root = CAST(? AS TEXT)", key)
            self.store.execute("DELETE FROM library_roots WHERE path = CAST(? AS TEXT)", key)
            self.refresh_clips(clip_ids)
            return len(clip_ids)

    # -- files -------------------------------------------------------------------------------------

    def stamps(self, prefix: str) -> dict[str, tuple[int, int, int, bool]]:
        """(size, mtime_ns, meta_stamp, missing) of known files at `prefix` or below, by path; cheap."""
        sql = f"SELECT path, size, mtime_ns, meta_stamp, missing FROM files WHERE {_UNDER}"
        rows = self.store.execute(sql, _under(prefix))
        return {
            path_of(path): (size, mtime_ns, meta_stamp or 0, bool(missing))
            for path, size, mtime_ns, meta_stamp, missing in rows
        }

    def present_under(self, prefix: str) -> dict[str, str]:
        """The first present file at `prefix` or below of each clip that has one there, by clip id."""
        sql = f"SELECT clip_id, path FROM files WHERE missing = 0 AND ({_UNDER}) ORDER BY path"
        found: dict[str, str] = {}
        for clip_id, path in self.store.execute(sql, _under(prefix)):
            found.setdefault(clip_id, path_of(path))
        return found

    def get(self, path: str) -> FileRow | None:
        """The known file at `path`, or None."""
        sql = f"SELECT {_COLUMNS} FROM files WHERE path = CAST(? AS TEXT)"
        row = self.store.execute(sql, [db_text(path)]).fetchone()
        return None if row is None else _file_row(row)

    def with_hash(self, content_hash: str) -> list[FileRow]:
        """Known files whose content hash is `content_hash`."""
        rows = self.store.execute(f"SELECT {_COLUMNS} FROM files WHERE content_hash = ?", [content_hash])
        return [_file_row(row) for row in rows]

    def of_clip(self, clip_id: str) -> list[FileRow]:
        """Every known location of a clip, present ones first."""
        sql = f"SELECT {_COLUMNS} FROM files WHERE clip_id = ? ORDER BY missing, path"
        return [_file_row(row) for row in self.store.execute(sql, [clip_id])]

    def put(self, rows: Iterable[FileRow]) -> None:
        """Insert or replace file rows by path."""
        with self.store.atomic():
            self.store.conn.executemany(
                f"INSERT OR REPLACE INTO files ({_COLUMNS}) VALUES "
                f"(CAST(? AS TEXT), CAST(? AS TEXT), {', '.join('?' * 9)})",
                [(db_text(row.path), db_text(row.root), *astuple(row)[2:]) for row in rows],
            )

    def delete(self, paths: Iterable[str]) -> None:
        """Forget file rows by path."""
        with self.store.atomic():
            self.store.conn.executemany(
                "DELETE FROM files WHERE path = CAST(? AS TEXT)", [(db_text(path),) for path in paths]
            )

    def set_missing(self, paths: Iterable[str], missing: bool) -> None:
        """Mark file rows as missing (the file is not there now) or present again."""
        with self.store.atomic():
            self.store.conn.executemany(
                "UPDATE files SET missing = ? WHERE path = CAST(? AS TEXT)",
                [(int(missing), db_text(path)) for path in paths],
            )

    def refresh_clips(self, clip_ids: Iterable[str]) -> None:
        """Bring clips in line with their files: missing without a present file, located at a present one.

        Clips with no file rows at all (remote clips, say) are left alone unless they lost their last
        location here, in which case they are marked missing.
        """
        with self.store.atomic():
            for clip_id in set(clip_ids):
                present = self.store.execute(
                    "SELECT path FROM files WHERE clip_id = ? AND missing = 0 ORDER BY path", [clip_id]
                ).fetchall()
                paths = [path_of(row[0]) for row in present]
                if not paths:
                    self.store.execute("UPDATE clips SET missing = 1 WHERE id = ?", [clip_id])
                    continue
                self.store.execute(
                    "UPDATE clips SET missing = 0, location = CASE WHEN location IN "
                    f"({', '.join(['CAST(? AS TEXT)'] * len(paths))}) THEN location "
                    "ELSE CAST(? AS TEXT) END WHERE id = ?",
                    [*(db_text(path) for path in paths), db_text(paths[0]), clip_id],
                )


def _file_row(row: tuple[Any, ...]) -> FileRow:
    path, root, clip_id, content_hash, size, mtime_ns, meta_stamp, missing, video, audio, rotation = row
    return FileRow(
        path=path_of(str(path)),
        root=path_of(str(root)),
        clip_id=str(clip_id),
        content_hash=str(content_hash),
        size=int(size),
        mtime_ns=int(mtime_ns),
        meta_stamp=int(meta_stamp or 0),
        missing=bool(missing),
        video_codec=video,
        audio_codec=audio,
        rotation=int(rotation or 0),
    )
