"""The Store on a real SQLite file: clips, impressions (open, checkpoint, close, recovery) and likes."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from tuifeed.errors import StoreError
from tuifeed.models import Clip, Impression, ImpressionExit
from tuifeed.store import Store


def clip(clip_id: str = "c1", **fields: object) -> Clip:
    return Clip(id=clip_id, location=f"/clips/{clip_id}.mp4", **fields)  # type: ignore[arg-type]


def closed(clip_id: str, dwell_ms: int, exit: ImpressionExit = ImpressionExit.NEXT) -> Impression:
    return Impression(
        clip_id, "2026-01-01T00:00:00.000+00:00", "2026-01-01T00:00:05.000+00:00", dwell_ms, 4000, 1, exit
    )


def test_clips_round_trip(store: Store) -> None:
    """Every field of a clip survives the database, tags and embedding included."""
    original = clip(
        title="Waves",
        creator="ana",
        tags=("ocean", "blue"),
        sound="lofi-3",
        duration_ms=9000,
        width=360,
        height=640,
        popularity=1200,
        embedding=(0.5, -1.0, 2.0),
    )
    store.upsert_clips([original])
    [loaded] = store.clips()
    assert loaded == replace(original, imported_at=loaded.imported_at)
    assert loaded.embedding == (0.5, -1.0, 2.0)
    assert loaded.imported_at is not None


def test_upsert_keeps_first_import_time(store: Store) -> None:
    """Re-importing a clip updates it but keeps when it first arrived."""
    store.upsert_clips([clip(title="old", imported_at="2026-01-01T00:00:00.000+00:00")])
    store.upsert_clips([clip(title="new", imported_at="2026-06-01T00:00:00.000+00:00")])
    [loaded] = store.clips()
    assert loaded.title == "new"
    assert loaded.imported_at == "2026-01-01T00:00:00.000+00:00"


def test_missing_clips_are_hidden_but_kept(store: Store) -> None:
    """A missing clip leaves the feed's list but not the database."""
    store.upsert_clips([clip("a"), clip("b")])
    store.set_missing(["a"])
    assert [c.id for c in store.clips()] == ["b"]
    assert {c.id for c in store.clips(include_missing=True)} == {"a", "b"}
    assert store.clip_count() == 1


def test_impression_is_closed_once(store: Store) -> None:
    """Closing writes the final values; a second close changes nothing."""
    store.upsert_clips([clip()])
    impression_id = store.open_impression("c1", "2026-01-01T00:00:00.000+00:00", 4000)
    assert store.impressions() == []
    store.close_impression(impression_id, closed("c1", 6000))
    store.close_impression(impression_id, closed("c1", 1, ImpressionExit.QUIT))
    [row] = store.rows("SELECT dwell_ms, watch_ratio, loops, exit FROM impressions")
    assert row == {"dwell_ms": 6000, "watch_ratio": 1.5, "loops": 1, "exit": "next"}


def test_killed_run_is_recovered_from_its_checkpoint(tmp_path: Path) -> None:
    """An impression left open by a killed run is closed at the next start with its last checkpoint."""
    path = tmp_path / "t.db"
    store = Store(path)
    store.upsert_clips([clip()])
    impression_id = store.open_impression("c1", "2026-01-01T00:00:00.000+00:00", 4000)
    store.checkpoint_impression(impression_id, 2500, 0, "2026-01-01T00:00:02.500+00:00")
    store.db.conn.close()  # the process dies: no close_impression

    reopened = Store(path)
    assert reopened.recover_open_impressions() == 1
    assert reopened.recover_open_impressions() == 0
    [impression] = reopened.impressions()
    assert impression.exit is ImpressionExit.KILLED
    assert impression.dwell_ms == 2500
    assert impression.ended_at == "2026-01-01T00:00:02.500+00:00"
    [row] = reopened.rows("SELECT watch_ratio FROM impressions")
    assert row["watch_ratio"] == pytest.approx(0.625)
    reopened.close()


def test_impressions_newest_limit_in_order(store: Store) -> None:
    """`limit` keeps the newest impressions, returned oldest first."""
    store.upsert_clips([clip()])
    for dwell in (1, 2, 3):
        store.close_impression(store.open_impression("c1", "2026", 4000), closed("c1", dwell))
    assert [i.dwell_ms for i in store.impressions(limit=2)] == [2, 3]


def test_likes_record_every_toggle(store: Store) -> None:
    """Each like and unlike is a row; liked_ids follows the latest."""
    store.upsert_clips([clip("a"), clip("b")])
    store.record_like("a", True, "t1")
    store.record_like("b", True, "t2")
    store.record_like("a", False, "t3")
    assert store.liked_ids() == {"b"}
    assert store.like_events() == [("a", True, "t1"), ("b", True, "t2"), ("a", False, "t3")]


def test_wal_mode_on_files(store: Store) -> None:
    """File databases use WAL, so a reader and the app can share them."""
    [row] = store.rows("PRAGMA journal_mode")
    assert row["journal_mode"] == "wal"


def test_corrupt_database_is_one_clear_error(tmp_path: Path) -> None:
    """A file that is not a database raises StoreError naming it."""
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"bad\.db: cannot open the database"):
        Store(path)


def test_schema_is_queryable_with_plain_sqlite(store: Store) -> None:
    """The documented tables exist for people querying their own data."""
    store.upsert_clips([clip()])
    connection = sqlite3.connect(store.path)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"clips", "impressions", "likes"} <= tables
    connection.close()


def test_names_that_are_not_utf8_are_stored_as_their_bytes(tmp_path: Path) -> None:
    """A path read with surrogate escapes goes in and comes back the same, in files, roots and clips."""
    from tuifeed.store.files import FileIndex, FileRow

    folder = os.fsdecode(str(tmp_path).encode() + b"/caf\xe9")  # Latin-1, as an old camera might write
    path = folder + os.fsdecode(b"/clip \xff.mp4")
    database = tmp_path / "t.db"
    store = Store(database)
    index = FileIndex(store)
    index.add_root(folder)
    store.upsert_clips([Clip(id="c" * 32, location=path, title="clip")])
    index.put([FileRow(path=path, root=folder, clip_id="c" * 32, content_hash="c" * 32, size=1, mtime_ns=2)])
    store.close()

    store = Store(database)
    index = FileIndex(store)
    assert [clip.location for clip in store.clips()] == [path]
    assert index.get(path) is not None and list(index.stamps(folder)) == [path]
    assert [root.path for root in index.roots()] == [folder]
    raw = store.db.execute("SELECT CAST(location AS BLOB), typeof(location) FROM clips").fetchone()
    assert raw == (os.fsencode(path), "text")
    assert index.remove_root(folder) == 1
    assert store.clips() == []
    store.close()
