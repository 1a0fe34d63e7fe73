"""Versioned schema migrations; each runs once, in its own transaction."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("tuifeed")


@migrations()
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


@migrations()
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


@migrations()
def m003_clip_sources(db: Database) -> None:
    """Where a clip came from: publication time, the platform's id and page (from yt-dlp sidecars)."""
    clips = db.table("clips")
    clips.add_column("published_at", str)
    clips.add_column("source_id", str)
    clips.add_column("source_url", str)


@migrations()
def m004_feed_events(db: Database) -> None:
    """Saves, follows, mutes, not-interested and feed resets: one row per toggle, newest wins."""
    db.table("events").create(
        {"id": int, "kind": str, "subject": str, "active": int, "at": str},
        pk="id",
        not_null={"kind", "subject", "active", "at"},
    )
    db.table("events").create_index(["kind", "subject"])


@migrations()
def m005_remote_sources(db: Database) -> None:
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
