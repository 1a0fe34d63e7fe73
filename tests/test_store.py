"""The Store on a real SQLite file: clips, impressions (open, checkpoint, close, recovery) and likes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from tuifeed.errors import StoreError
from tuifeed.models import Clip, EventKind, Impression, ImpressionExit
from tuifeed.store import Store
from tuifeed.store.migrations import migration_set


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


def test_opening_again_keeps_the_wal_of_live_connections(tmp_path: Path) -> None:
    """A second open in this process must not drop its locks: another process closing last would delete the WAL."""
    path = tmp_path / "t.db"
    store = Store(path)
    Store(path).close()  # the check on open reads the file: only through SQLite, which keeps this process's locks
    # Another process reads and closes: were our locks gone, its close would look like the last and delete the WAL.
    code = "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('SELECT 1 FROM clips').fetchall()"
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=30)
    assert path.with_name("t.db-wal").exists(), "the WAL was deleted under a live connection"
    assert store.clip_count() == 0
    store.close()


def test_a_failed_query_on_a_sound_file_is_not_called_damage(tmp_path: Path) -> None:
    """`damaged` runs the full check: a sound file gets "a query failed", not "damaged"."""
    store = Store(tmp_path / "t.db")
    try:
        error = store.damaged(sqlite3.OperationalError("no such column: x"))
    finally:
        store.close()
    assert "a query failed (no such column: x)" in str(error)
    assert "damaged" not in str(error)


def test_schema_is_queryable_with_plain_sqlite(store: Store) -> None:
    """The documented tables exist for people querying their own data."""
    store.upsert_clips([clip()])
    connection = sqlite3.connect(store.path)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"clips", "impressions", "likes"} <= tables
    connection.close()


def test_one_sequence_orders_stays_likes_and_events_with_equal_timestamps(store: Store) -> None:
    """Rows sharing one millisecond are ordered by the stored sequence, across the three tables."""
    at = "2026-01-01T00:00:00.000+00:00"
    store.upsert_clips([clip("a"), clip("b")])
    first = store.open_impression("a", at, 4000)
    store.record_like("a", True, at, during=first)
    store.close_impression(first, replace(closed("a", 100), started_at=at, ended_at=at, liked=True))
    store.record_event(EventKind.RESET, "for_you", True, at)
    second = store.open_impression("b", at, 4000)
    store.close_impression(second, replace(closed("b", 200), started_at=at, ended_at=at))
    rows = store.rows(
        "SELECT 'stay' AS what, seq FROM impressions UNION ALL SELECT 'like', seq FROM likes "
        "UNION ALL SELECT kind, seq FROM events ORDER BY seq"
    )
    assert [row["what"] for row in rows] == ["like", "stay", "reset", "stay"]
    reset = store.last_seq(EventKind.RESET)
    assert reset is not None
    assert [(i.clip_id, (i.seq or 0) > reset) for i in store.impressions()] == [("a", False), ("b", True)]
    assert store.last_seq(EventKind.SAVE) is None


def test_actions_during_a_stay_are_kept_with_it_even_if_the_run_is_killed(tmp_path: Path) -> None:
    """A like, a save, a follow and not-interested mark the open impression at once; recovery keeps them."""
    path = tmp_path / "t.db"
    store = Store(path)
    store.upsert_clips([clip("a", creator="ana")])
    stay = store.open_impression("a", "2026-01-01T00:00:00.000+00:00", 4000, came_back=True)
    store.record_like("a", True, "t1", during=stay)
    store.record_event(EventKind.SAVE, "a", True, "t2", during=stay)
    store.record_event(EventKind.FOLLOW, "ana", True, "t3", during=stay)
    store.record_event(EventKind.FOLLOW, "ana", False, "t4", during=stay)
    store.record_event(EventKind.NOT_INTERESTED, "a", True, "t5", during=stay)
    store.db.conn.close()  # killed

    reopened = Store(path)
    reopened.recover_open_impressions()
    [impression] = reopened.impressions()
    flags = (impression.liked, impression.saved, impression.followed, impression.not_interested)
    assert flags == (True, True, False, True)
    assert impression.came_back
    [like] = reopened.rows("SELECT seq FROM likes")
    assert impression.seq is not None and impression.seq > like["seq"]
    reopened.close()


def test_closing_records_the_stay_and_a_closed_stay_is_not_marked_later(store: Store) -> None:
    """close_impression writes what happened during the stay; a late `during` changes nothing once closed."""
    store.upsert_clips([clip("a")])
    stay = store.open_impression("a", "2026", 4000)
    store.close_impression(stay, replace(closed("a", 100), saved=True, came_back=True))
    store.record_like("a", True, "later", during=stay)
    [impression] = store.impressions()
    assert (impression.saved, impression.came_back, impression.liked) == (True, True, False)


def test_migration_fills_stays_and_sequence_from_older_rows(tmp_path: Path) -> None:
    """A database from before the sequence: flags come from the likes and events inside each stay, came_back
    from the exit before, and the sequence from the times (a like at a stay's end goes before the stay)."""
    path = tmp_path / "old.db"
    db = Database(path)
    migration_set().apply(db, stop_before="m005_stays_and_sequence")
    db.table("clips").insert_all(
        [{"id": "a", "location": "/a.mp4", "creator": "ana"}, {"id": "b", "location": "/b.mp4", "creator": "bo"}]
    )
    stays = [
        ("a", "2026-01-01T00:00:00.000", "2026-01-01T00:00:05.000", "next"),
        ("b", "2026-01-01T00:00:05.000", "2026-01-01T00:00:09.000", "previous"),
        ("a", "2026-01-01T00:00:09.000", "2026-01-01T00:00:12.000", "quit"),
    ]
    for clip_id, started, ended, exit_ in stays:
        db.table("impressions").insert({"clip_id": clip_id, "started_at": started, "ended_at": ended, "exit": exit_})
    db.table("likes").insert({"clip_id": "a", "liked": 1, "at": "2026-01-01T00:00:05.000"})
    db.table("events").insert_all(
        [
            {"kind": "follow", "subject": "bo", "active": 1, "at": "2026-01-01T00:00:06.000"},
            {"kind": "save", "subject": "a", "active": 1, "at": "2026-01-01T00:00:10.000"},
            {"kind": "reset", "subject": "for_you", "active": 1, "at": "2026-01-01T00:00:11.000"},
        ]
    )
    db.close()

    store = Store(path)
    impressions = store.impressions()
    assert [(i.liked, i.followed, i.saved, i.came_back) for i in impressions] == [
        (True, False, False, False),
        (False, True, False, False),
        (False, False, True, True),
    ]
    [like] = store.rows("SELECT seq FROM likes")
    assert like["seq"] < (impressions[0].seq or 0)
    reset = store.last_seq(EventKind.RESET)
    assert reset is not None and (impressions[1].seq or 0) < reset < (impressions[2].seq or 0)
    store.record_event(EventKind.SAVE, "b", True, "2026-02-01T00:00:00.000")
    assert store.last_seq(EventKind.SAVE) == 8  # seven old rows, then this one


def test_names_that_are_not_utf8_are_stored_as_text_that_reads_back(tmp_path: Path) -> None:
    """A path read with surrogate escapes goes in as valid UTF-8 text and comes back the same, in files,
    roots and clips."""
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
    with sqlite3.connect(database) as plain:  # as sqlite-utils and Datasette read it: strict UTF-8
        [(location, kind)] = plain.execute("SELECT location, typeof(location) FROM clips").fetchall()
        names = plain.execute("SELECT path, root FROM files UNION ALL SELECT path, '' FROM library_roots").fetchall()
    assert kind == "text"
    assert location == str(tmp_path) + "/caf\u241be9/clip \u241bff.mp4"
    assert all("\u241b" in name for name, _ in names)
    assert index.remove_root(folder) == 1
    assert store.clips() == []
    store.close()


@pytest.mark.parametrize(
    "name",
    [
        os.fsdecode(b"/v/caf\xe9.mp4"),
        "/v/\u241b.mp4",
        "/v/\u241b\u241bff and \u241bzz.mp4",
        os.fsdecode(b"/v/\xe2\x90\x9b\xff.mp4"),  # a real escape character, then a byte that is not UTF-8
        "/v/plain ascii.mp4",
        "/v/café 東京.mp4",
    ],
)
def test_every_name_reads_back_exactly(name: str) -> None:
    """db_text then path_of is the identity, escape characters and bytes that are not UTF-8 included."""
    from tuifeed.store.store import db_text, path_of

    stored = db_text(name)
    stored.encode("utf-8")  # valid text: no surrogate left
    assert path_of(stored) == name
    assert os.fsencode(path_of(stored)) == os.fsencode(name)


def test_raw_byte_names_of_older_databases_become_text(tmp_path: Path) -> None:
    """A database from before (names as raw bytes in TEXT) is migrated to the text form, losslessly."""
    from tuifeed.store.files import FileIndex

    database = tmp_path / "t.db"
    db = Database(database)
    migration_set().apply(db, stop_before="m009_file_names_as_text")
    raw = str(tmp_path).encode() + b"/caf\xe9/clip \xff.mp4"
    db.execute("INSERT INTO clips (id, location, title) VALUES ('c1', CAST(? AS TEXT), 'x')", [raw])
    db.execute(
        "INSERT INTO files (path, root, clip_id, content_hash, size, mtime_ns) "
        "VALUES (CAST(? AS TEXT), CAST(? AS TEXT), 'c1', 'h', 1, 2)",
        [raw, raw.rsplit(b"/", 1)[0]],
    )
    db.execute("INSERT INTO library_roots (path, added_at) VALUES (CAST(? AS TEXT), 't')", [raw.rsplit(b"/", 1)[0]])
    db.conn.commit()
    db.close()

    store = Store(database)
    [clip] = store.clips()
    assert os.fsencode(clip.location) == raw
    index = FileIndex(store)
    assert [os.fsencode(root.path) for root in index.roots()] == [raw.rsplit(b"/", 1)[0]]
    assert index.get(clip.location) is not None
    store.close()
    with sqlite3.connect(database) as plain:
        assert plain.execute("SELECT count(*) FROM clips WHERE location LIKE '%\u241bff.mp4'").fetchone() == (1,)


def test_the_opening_is_one_clip_of_the_library_and_goes_with_its_file(store: Store) -> None:
    """One opening at most, set again or cleared; a clip whose file went missing is no opening."""
    store.upsert_clips([clip("c1"), clip("c2")])
    assert store.opening() is None
    store.set_opening("c1")
    store.set_opening("c2")
    assert store.opening() == store.clip("c2")
    assert store.execute("SELECT count(*) FROM opening").fetchone()[0] == 1
    store.set_missing(["c2"])
    assert store.opening() is None
    store.set_missing(["c2"], missing=False)
    assert store.opening() == store.clip("c2")
    store.set_opening(None)
    assert store.opening() is None
    with pytest.raises(sqlite3.IntegrityError):
        store.set_opening("no-such-clip")
