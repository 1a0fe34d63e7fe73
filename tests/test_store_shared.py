"""The database shared with other programs: a held write lock, a full disk, and a second player's open stay."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tuifeed.models import Clip, EventKind, Impression, ImpressionExit
from tuifeed.store import Store
from tuifeed.store.journal import FULL, LOCKED, Checkpoint, CloseStay, Event, Journal, Like, OpenStay, apply, new_key
from tuifeed.store.owner import Owner, process_started

AT = "2026-01-01T00:00:00.000+00:00"


def _clip(store: Store, clip_id: str = "c1") -> None:
    store.upsert_clips([Clip(id=clip_id, location=f"/clips/{clip_id}.mp4", duration_ms=4000)])


def _stay_writes(stay: str, clip_id: str = "c1") -> list[OpenStay | Checkpoint | Like | Event | CloseStay]:
    """What a stay of a few seconds writes: opened, a checkpoint, a like and a save during it, closed."""
    ended = Impression(
        clip_id, AT, "2026-01-01T00:00:03.000+00:00", 3000, 4000, 0, ImpressionExit.NEXT, liked=True, saved=True
    )
    return [
        OpenStay(stay, clip_id, AT, 4000, False),
        Checkpoint(stay, 2000, 0, "2026-01-01T00:00:02.000+00:00"),
        Like(new_key(), clip_id, True, "2026-01-01T00:00:02.500+00:00", stay),
        Event(new_key(), EventKind.SAVE, clip_id, True, "2026-01-01T00:00:02.600+00:00", stay),
        CloseStay(stay, ended),
    ]


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def holder(store: Store) -> Iterator[sqlite3.Connection]:
    """Another program's connection to the store's file (sqlite-utils, Datasette), idle until a test locks it."""
    connection = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    yield connection
    if connection.in_transaction:
        connection.rollback()
    connection.close()


def test_writes_under_a_held_lock_wait_and_then_land_once(store: Store, holder: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE held by another connection: writes return at once, say so calmly, and land when it ends."""
    _clip(store)
    journal = Journal(store)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE counters SET value = value WHERE name = 'seq'")
    stay = new_key()
    for write in _stay_writes(stay):
        journal.write(write)
    assert journal.pending == 5, "all kept, in order"
    assert journal.trouble == LOCKED
    assert journal.flush(0.5) is False, "nothing lands while the lock is held"
    holder.commit()
    assert journal.flush(10.0)
    assert journal.trouble is None
    assert _rows(Path(store.path), "SELECT key, dwell_ms, exit, liked, saved FROM impressions") == [
        (stay, 3000, "next", 1, 1)
    ]
    assert _rows(Path(store.path), "SELECT count(*) FROM likes") == [(1,)]
    assert _rows(Path(store.path), "SELECT count(*) FROM events") == [(1,)]
    journal.close()


def test_a_write_made_twice_is_one_row(store: Store) -> None:
    """Each write is keyed: applied again (a retry whose first try may have landed) it changes nothing."""
    _clip(store)
    writes = _stay_writes(new_key())
    for write in writes + writes:
        apply(store, write)
    assert _rows(Path(store.path), "SELECT count(*), max(seq) FROM impressions") == [(1, 3)]
    assert _rows(Path(store.path), "SELECT count(*) FROM likes") == [(1,)]
    assert _rows(Path(store.path), "SELECT count(*) FROM events") == [(1,)]


def test_a_lock_held_from_another_process_for_seconds(store: Store) -> None:
    """A real other process holds the write lock for 3 s; the session's writes all land, in order, after it."""
    _clip(store)
    code = (
        "import sqlite3, sys, time\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(3); db.commit()\n"
    )
    other = subprocess.Popen([sys.executable, "-c", code, store.path], stdout=subprocess.PIPE, text=True)
    assert other.stdout is not None and other.stdout.readline().strip() == "locked"
    journal = Journal(store)
    stays = [new_key() for _ in range(3)]
    for stay in stays:
        for write in _stay_writes(stay):
            journal.write(write)
    assert journal.trouble == LOCKED
    assert journal.pending > 0
    assert journal.flush(20.0)
    assert other.wait(10) == 0
    other.stdout.close()
    rows = _rows(Path(store.path), "SELECT key FROM impressions ORDER BY seq")
    assert [row[0] for row in rows] == stays
    journal.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB tmpfs (needs root to mount), unmounted afterwards."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_keeps_the_writes_until_there_is_room(small_disk: Path) -> None:
    """The disk fills up: writes wait with one calm line, and all land once a file is deleted."""
    store = Store(small_disk / "t.db")
    _clip(store)
    filler = small_disk / "filler"
    with filler.open("wb") as fill:
        try:
            while True:
                fill.write(b"\0" * 65536)
                fill.flush()
        except OSError:
            pass
    journal = Journal(store)
    stays = [new_key() for _ in range(40)]
    for stay in stays:
        for write in _stay_writes(stay):
            journal.write(write)
    assert journal.trouble == FULL
    assert journal.pending > 0
    filler.unlink()
    assert journal.flush(20.0)
    assert journal.trouble is None
    rows = _rows(small_disk / "t.db", "SELECT key, exit FROM impressions ORDER BY seq")
    assert rows == [(stay, "next") for stay in stays]
    journal.close()
    store.close()


def test_recovery_leaves_a_running_players_stay_open(store: Store) -> None:
    """Another process's open stay is not closed at start; once that process is gone, it is, as killed."""
    _clip(store)
    code = (
        "import sys\n"
        "from tuifeed.store import Store\n"
        "store = Store(sys.argv[1])\n"
        "store.open_impression('c1', '2026-01-01T00:00:00.000+00:00', 4000)\n"
        "print('open', flush=True); sys.stdin.read()\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", code, store.path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        assert store.recover_open_impressions() == 0
        [(pid, started)] = _rows(Path(store.path), "SELECT owner_pid, owner_started FROM impressions")
        assert pid == other.pid
        assert started == process_started(other.pid)
    finally:
        other.send_signal(signal.SIGKILL)
        other.wait(10)
        for stream in (other.stdin, other.stdout):
            if stream is not None:
                stream.close()
    assert store.recover_open_impressions() == 1
    assert _rows(Path(store.path), "SELECT exit FROM impressions") == [("killed",)]


def test_a_reused_pid_is_not_its_old_owner() -> None:
    """The same pid with another start time is another process: the owner it names is gone."""
    me = Owner.current()
    assert me.started is not None, "needs /proc"
    assert Owner(me.pid, me.started, me.run).running(me)
    assert not Owner(me.pid, me.started, "another run").running(me)
    parent = os.getppid()
    assert Owner(parent, process_started(parent)).running(me)
    assert not Owner(parent, "1").running(me)


def test_stays_from_before_owners_were_recorded_are_closed(store: Store) -> None:
    """An open row with no owner (written before the migration) is one a killed run left."""
    _clip(store)
    store.open_impression("c1", AT, 4000)
    store.db.execute("UPDATE impressions SET owner_pid = NULL, owner_started = NULL, owner_run = NULL")
    store.db.conn.commit()
    assert store.recover_open_impressions() == 1


def test_a_session_swipes_likes_mutes_and_unmutes_under_a_held_lock(store: Store, holder: sqlite3.Connection) -> None:
    """The feed's own calls never raise on a lock: the status says so, and once it is released all is there."""
    from ranker_stub import InOrder

    from tuifeed.feed import Feeds
    from tuifeed.models import MuteKind
    from tuifeed.player.fake import FakePlayer

    clips = [Clip(id=f"c{i}", location=f"/clips/c{i}.mp4", creator=f"cr{i}", duration_ms=10_000) for i in range(4)]
    store.upsert_clips(clips)
    feeds = Feeds(store, FakePlayer(), InOrder(clips), clips)
    session = feeds.for_you
    session.start()
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE counters SET value = value WHERE name = 'seq'")
    session.next()
    session.toggle_like()
    feeds.mute(session, MuteKind.CREATOR, "cr3")
    assert feeds.unmute(MuteKind.CREATOR, "cr3")
    session.next()
    assert session.status().trouble == LOCKED
    feeds.quit()
    holder.commit()
    assert feeds.journal.flush(10.0)
    assert session.status().trouble is None
    exits = [row[0] for row in _rows(Path(store.path), "SELECT exit FROM impressions ORDER BY seq")]
    assert exits == ["next", "next", "quit"]
    assert _rows(Path(store.path), "SELECT kind, subject, active FROM events ORDER BY seq") == [
        ("mute_creator", "cr3", 1),
        ("mute_creator", "cr3", 0),
    ]
    assert store.active(EventKind.MUTE_CREATOR) == set()
    feeds.journal.close()


def test_refresh_for_you_and_its_undo_never_wait_on_a_held_lock(store: Store, holder: sqlite3.Connection) -> None:
    """Refresh For You under another program's write lock: no error, no wait; the undo holds once it lands."""
    from ranker_stub import InOrder

    from tuifeed.feed import Feeds
    from tuifeed.player.fake import FakePlayer

    clips = [Clip(id=f"c{i}", location=f"/clips/c{i}.mp4", creator=f"cr{i}", duration_ms=10_000) for i in range(3)]
    store.upsert_clips(clips)
    feeds = Feeds(store, FakePlayer(), InOrder(clips), clips)
    feeds.for_you.start()
    feeds.refresh_for_you()  # lands at once: the database is free
    assert store.last_seq(EventKind.RESET) is not None
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE counters SET value = value WHERE name = 'seq'")
    assert feeds.undo() == "refresh"  # its removal waits for the lock, and the rebuild already leaves it out
    feeds.refresh_for_you()
    assert feeds.journal.pending == 2
    assert feeds.undo() == "refresh"
    holder.commit()
    assert feeds.journal.flush(10.0)
    assert _rows(Path(store.path), "SELECT count(*) FROM events WHERE kind = 'reset'") == [(0,)]
    feeds.quit()
    feeds.journal.close()


def test_a_write_the_database_refuses_for_good_is_logged_not_raised(store: Store) -> None:
    """A refused write (here a stay of a clip the store does not hold) never reaches the UI as an error."""
    journal = Journal(store)
    journal.write(OpenStay(new_key(), "no-such-clip", "2026-01-01T00:00:00.000+00:00", 1000, False))
    assert journal.pending == 0, "a write that can never land is not retried for ever"
    _clip(store)
    stay = new_key()
    for write in _stay_writes(stay):
        journal.write(write)
    assert _rows(Path(store.path), "SELECT key FROM impressions") == [(stay,)]
    journal.close()


def test_undoing_a_refresh_under_a_lock_keeps_what_was_learned_from_stays_still_waiting(
    store: Store, holder: sqlite3.Connection
) -> None:
    """Stays that ended under a lock are not in the store yet: the undo's rebuild still teaches them, in order."""
    from ranker_stub import InOrder

    from tuifeed.feed import Feeds
    from tuifeed.player.fake import FakePlayer

    clips = [Clip(id=f"c{i}", location=f"/clips/c{i}.mp4", creator=f"cr{i}", duration_ms=10_000) for i in range(4)]
    store.upsert_clips(clips)
    ranker = InOrder(clips)
    feeds = Feeds(store, FakePlayer(), ranker, clips)
    session = feeds.for_you
    session.start()
    session.next()  # lands: c0's stay is in the store
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE counters SET value = value WHERE name = 'seq'")
    session.next()  # c1's stay waits in the journal
    learned = [seen.clip_id for seen in ranker.observed]
    assert learned == ["c0", "c1"]
    feeds.refresh_for_you()
    assert feeds.undo() == "refresh"
    assert [seen.clip_id for seen in ranker.observed] == learned, "the undo forgot the stay still waiting"
    holder.commit()
    assert feeds.journal.flush(10.0)
    feeds.quit()
    feeds.journal.close()
