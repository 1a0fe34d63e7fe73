"""Versioned schema migrations; each runs once, in its own transaction."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

SET_NAME = "tuifeed"
"""The migration set's name in sqlite-utils' `_sqlite_migrations` table."""
_STEPS: list[Callable[[Database], None]] = []


def _step(migration: Callable[[Database], None]) -> Callable[[Database], None]:
    """Register a migration, in the order they run; sqlite-utils loads only when `migration_set` is asked for."""
    _STEPS.append(migration)
    return migration


@_step
def m001_initial(db: Database) -> None:
    """Clips, impressions and likes: what the walking product records."""
    db.table("clips").create(
        {
            "id": str,
            "location": str,
            "title": str,
            "creator": str,
            "description": str,
            "tags": str,
            "sound": str,
            "duration_ms": int,
            "width": int,
            "height": int,
            "popularity": int,
            "imported_at": str,
            "embedding": bytes,
            "missing": int,
        },
        pk="id",
        not_null={"location"},
        defaults={"title": "", "description": "", "tags": "[]", "missing": 0},
    )
    db.table("impressions").create(
        {
            "id": int,
            "clip_id": str,
            "started_at": str,
            "ended_at": str,
            "dwell_ms": int,
            "duration_ms": int,
            "watch_ratio": float,
            "loops": int,
            "exit": str,
            "checkpoint_at": str,
        },
        pk="id",
        not_null={"clip_id", "started_at"},
        defaults={"dwell_ms": 0, "loops": 0},
        foreign_keys=[("clip_id", "clips", "id")],
    )
    db.table("impressions").create_index(["clip_id"])
    db.table("impressions").create_index(["ended_at"])
    db.table("likes").create(
        {"id": int, "clip_id": str, "liked": int, "at": str},
        pk="id",
        not_null={"clip_id", "liked", "at"},
        foreign_keys=[("clip_id", "clips", "id")],
    )
    db.table("likes").create_index(["clip_id"])


@_step
def m002_library_files(db: Database) -> None:
    """Library roots and file locations: where each clip lives on disk and how it looked last time."""
    db.table("library_roots").create({"path": str, "added_at": str}, pk="path", not_null={"added_at"})
    files = db.table("files")
    files.create(
        {
            "path": str,
            "root": str,
            "clip_id": str,
            "content_hash": str,
            "size": int,
            "mtime_ns": int,
            "meta_stamp": int,
            "missing": int,
            "video_codec": str,
            "audio_codec": str,
            "rotation": int,
        },
        pk="path",
        not_null={"root", "clip_id", "content_hash", "size", "mtime_ns"},
        defaults={"meta_stamp": 0, "missing": 0},
        foreign_keys=[("clip_id", "clips", "id")],
    )
    files.create_index(["clip_id"])
    files.create_index(["content_hash"])


@_step
def m003_clip_sources(db: Database) -> None:
    """Where a clip came from: publication time, the platform's id and page (from yt-dlp sidecars)."""
    clips = db.table("clips")
    clips.add_column("published_at", str)
    clips.add_column("source_id", str)
    clips.add_column("source_url", str)


@_step
def m004_feed_events(db: Database) -> None:
    """Saves, follows, mutes, not-interested and feed resets: one row per toggle, newest wins."""
    db.table("events").create(
        {"id": int, "kind": str, "subject": str, "active": int, "at": str},
        pk="id",
        not_null={"kind", "subject", "active", "at"},
    )
    db.table("events").create_index(["kind", "subject"])


@_step
def m005_stays_and_sequence(db: Database) -> None:
    """What happened during each stay, kept with its impression, and one sequence ordering every record.

    Rows from before take their flags from the likes and events inside the stay's time span, `came_back`
    from the exit of the stay before, and their sequence from their times: the best that old rows tell.
    """
    impressions = db.table("impressions")
    for column in ("liked", "saved", "followed", "not_interested", "came_back"):
        impressions.add_column(column, int, not_null_default=0)
    for name in ("impressions", "likes", "events"):
        db.table(name).add_column("seq", int)
        db.table(name).create_index(["seq"])
    db.execute(
        "UPDATE impressions SET came_back = coalesce("
        "(SELECT p.exit = 'previous' FROM impressions p WHERE p.id < impressions.id ORDER BY p.id DESC LIMIT 1), 0)"
    )
    during = "e.at BETWEEN impressions.started_at AND impressions.ended_at AND e.active = 1"
    db.execute(
        "UPDATE impressions SET "
        "liked = EXISTS (SELECT 1 FROM likes e WHERE e.clip_id = impressions.clip_id AND e.liked = 1 "
        "AND e.at BETWEEN impressions.started_at AND impressions.ended_at), "
        f"saved = EXISTS (SELECT 1 FROM events e WHERE e.kind = 'save' "
        f"AND e.subject = impressions.clip_id AND {during}), "
        f"not_interested = EXISTS (SELECT 1 FROM events e WHERE e.kind = 'not_interested' "
        f"AND e.subject = impressions.clip_id AND {during}), "
        "followed = EXISTS (SELECT 1 FROM events e JOIN clips c ON c.id = impressions.clip_id "
        f"WHERE e.kind = 'follow' AND e.subject = c.creator AND {during}) "
        "WHERE ended_at IS NOT NULL"
    )
    # On equal times a like or an event goes first: it was made while the stay that ended then was on screen.
    ordered = db.execute(
        "SELECT 'likes', id, at, 0 FROM likes UNION ALL SELECT 'events', id, at, 0 FROM events "
        "UNION ALL SELECT 'impressions', id, ended_at, 1 FROM impressions WHERE ended_at IS NOT NULL "
        "ORDER BY 3, 4, 2"
    ).fetchall()
    for seq, (name, row_id, _, _) in enumerate(ordered, start=1):
        db.execute(f"UPDATE {name} SET seq = ? WHERE id = ?", [seq, row_id])
    db.table("counters").create({"name": str, "value": int}, pk="name", not_null={"value"})
    db.table("counters").insert({"name": "seq", "value": len(ordered)})


@_step
def m006_remote_sources(db: Database) -> None:
    """Remote sources with their HTTP validators, which clips each holds, and the prefetch cache index."""
    db.table("remote_sources").create(
        {
            "id": int,
            "url": str,
            "kind": str,
            "title": str,
            "added_at": str,
            "refreshed_at": str,
            "etag": str,
            "last_modified": str,
            "error": str,
        },
        pk="id",
        not_null={"url", "kind", "added_at"},
        defaults={"title": ""},
    )
    db.table("remote_sources").create_index(["url"], unique=True)
    db.table("remote_clips").create(
        {"source_id": int, "clip_id": str, "position": int, "missing": int},
        pk=("source_id", "clip_id"),
        not_null={"position"},
        defaults={"missing": 0},
        foreign_keys=[("source_id", "remote_sources", "id"), ("clip_id", "clips", "id")],
    )
    db.table("remote_clips").create_index(["clip_id"])
    db.table("cache_entries").create(
        {"clip_id": str, "url": str, "file": str, "size": int, "complete": int, "used": int},
        pk="clip_id",
        not_null={"url", "file", "size", "complete", "used"},
        defaults={"size": 0, "complete": 0, "used": 0},
        foreign_keys=[("clip_id", "clips", "id")],
    )
    db.table("cache_entries").create_index(["used"])


_SEARCHED = "title, description, tags, creator, sound"
"""The clip columns full-text search looks in (tags as their JSON text: the tokenizer drops the punctuation)."""


@_step
def m007_clip_search(db: Database) -> None:
    """Full-text search over clips (SQLite FTS5), backfilled, and kept in step with `clips` by triggers.

    An external-content table: the index lives in `clips_fts`, the text stays in `clips`, and each
    trigger removes the old row's terms before adding the new row's, so an edit never leaves stale words.
    """
    db.execute(
        f"CREATE VIRTUAL TABLE clips_fts USING fts5({_SEARCHED}, content='clips', content_rowid='rowid', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute(f"INSERT INTO clips_fts (rowid, {_SEARCHED}) SELECT rowid, {_SEARCHED} FROM clips")
    old = ", ".join(f"old.{column}" for column in _SEARCHED.split(", "))
    new = ", ".join(f"new.{column}" for column in _SEARCHED.split(", "))
    remove = f"INSERT INTO clips_fts (clips_fts, rowid, {_SEARCHED}) VALUES ('delete', old.rowid, {old});"
    add = f"INSERT INTO clips_fts (rowid, {_SEARCHED}) VALUES (new.rowid, {new});"
    db.execute(f"CREATE TRIGGER clips_fts_insert AFTER INSERT ON clips BEGIN {add} END")
    db.execute(f"CREATE TRIGGER clips_fts_delete AFTER DELETE ON clips BEGIN {remove} END")
    db.execute(f"CREATE TRIGGER clips_fts_update AFTER UPDATE OF {_SEARCHED} ON clips BEGIN {remove} {add} END")


@_step
def m008_impression_owners(db: Database) -> None:
    """Who holds each open impression (pid, process start, run id), and a key per feed write so a retry is one row.

    Start-up closes only the open impressions whose owner is no longer running; a second player on the
    same database leaves the first one's alone. Rows from before have no owner and count as left behind.
    """
    impressions = db.table("impressions")
    impressions.add_column("owner_pid", int)
    impressions.add_column("owner_started", str)
    impressions.add_column("owner_run", str)
    for name in ("impressions", "likes", "events"):
        db.table(name).add_column("key", str)
        db.table(name).create_index(["key"], unique=True)


_PATH_COLUMNS = (
    ("clips", "location", "id"),
    ("files", "path", "path"),
    ("files", "root", "path"),
    ("library_roots", "path", "path"),
)
"""(table, column holding a file name, the column that finds its row)."""


@_step
def m009_file_names_as_text(db: Database) -> None:
    """File names that are not UTF-8, stored as their raw bytes before, become valid text (see `db_text`).

    So do names holding the escape character itself, which must now be written doubled to read back.
    """
    from tuifeed.store.store import db_text

    for table, column, key in _PATH_COLUMNS:
        rows = db.execute(f"SELECT CAST({key} AS BLOB), CAST({column} AS BLOB) FROM {table}").fetchall()
        for row_key, raw in rows:
            if raw is None or raw.isascii():
                continue
            stored = db_text(bytes(raw).decode("utf-8", "surrogateescape"))
            if stored.encode("utf-8") != raw:
                db.execute(f"UPDATE {table} SET {column} = ? WHERE CAST({key} AS BLOB) = ?", [stored, row_key])


@_step
def m010_source_moves(db: Database) -> None:
    """Where a remote source's URL has permanently moved (301, 308), so the next run asks the new place first."""
    db.table("remote_sources").add_column("moved_to", str)


@_step
def m011_opening(db: Database) -> None:
    """The clip the next run opens on: the one For You had lined up next when the last run ended."""
    db.table("opening").create(
        {"id": int, "clip_id": str}, pk="id", not_null={"clip_id"}, foreign_keys=[("clip_id", "clips", "id")]
    )


NAMES = tuple(step.__name__ for step in _STEPS)
"""Every migration's name, in order: the store opens without sqlite-utils when all of them are applied."""


@cache
def migration_set() -> Migrations:
    """The migrations as sqlite-utils' Migrations (`apply` runs those still pending)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(SET_NAME)
    for step in _STEPS:
        migrations()(step)
    return migrations
