"""The Store: a small class over sqlite3 and sqlite-utils; every write is one atomic transaction.

Its own reads and writes are plain SQL on its connection, so opening it and playing never load
sqlite-utils (0.03 s of a launch); the migrations and `Store.db` (the sqlite-utils Database) load it
when first needed.

Threading: a Store holds one SQLite connection and must be used from the thread that opened it.
A worker thread (an import, say) opens its own Store on the same path; WAL mode lets them share.

File names are stored as valid UTF-8 text that turns back into the exact name: a byte that is not
UTF-8 (read with surrogateescape) is written ␛ and two hex digits, a ␛ itself ␛␛ (`db_text`, `path_of`).
Every other name is stored as it is, so sqlite-utils and Datasette read every row as text, and a name
and the folder it is in still share their beginning (the importer finds a folder's files by range).
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from array import array
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from datetime import UTC, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuifeed.errors import StoreError
from tuifeed.models import Clip, EventKind, Impression, ImpressionExit
from tuifeed.store.migrations import NAMES, SET_NAME, migration_set
from tuifeed.store.owner import Owner
from tuifeed.text import clean, is_clean

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_MS = 5000
"""How long a statement waits for another connection's write lock before failing as locked."""
MIGRATIONS_TABLE = "_sqlite_migrations"
"""Where sqlite-utils records the migrations it applied."""
_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}
_SAVEPOINTS = itertools.count()


@contextmanager
def _atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """A transaction (a savepoint when nested) whose outermost BEGIN is IMMEDIATE: it takes the write lock first.

    With WAL and a deferred BEGIN, a transaction that reads and then writes fails at once with "database
    is locked" when another connection (the prefetch or refresh thread) committed in between; waiting for
    the lock at BEGIN avoids that. Savepoints and rollbacks are those of sqlite-utils' `atomic`.
    """
    if conn.in_transaction:
        savepoint = f"tuifeed_{next(_SAVEPOINTS)}"
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended the whole transaction already
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        _rollback(conn)
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


@cache
def _database_class() -> type[Database]:
    """sqlite-utils' Database whose `atomic()` is `_atomic`; sqlite-utils loads here, on first use only."""
    from sqlite_utils import Database

    class _Database(Database):
        @contextmanager
        def atomic(self) -> Generator[Database, None, None]:
            """A transaction (a savepoint when nested) that holds the write lock from its start."""
            with _atomic(self.conn):
                yield self

    return _Database


ESCAPE = "\u241b"
"""␛ (SYMBOL FOR ESCAPE): starts an escaped byte of a file name in the database; rare in real names."""
_ESCAPED = re.compile(ESCAPE + "(" + ESCAPE + "|[89a-f][0-9a-f])")


def db_text(value: str) -> str:
    """A file name (maybe with surrogate escapes) as the valid UTF-8 text stored for it; `path_of` undoes it."""
    if ESCAPE not in value:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return value
    return "".join(_escape(char) for char in value)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"{ESCAPE}{code - 0xDC00:02x}"
    return ESCAPE * 2 if char == ESCAPE else char


def path_of(stored: str) -> str:
    """The file name `db_text` stored as `stored`, as Python names files (os.fsencode gives its bytes)."""
    if ESCAPE not in stored:
        return stored
    return _ESCAPED.sub(lambda found: ESCAPE if found[1] == ESCAPE else chr(0xDC00 + int(found[1], 16)), stored)


def _text(data: bytes) -> str:
    """TEXT as Python reads file names, so bytes that are not UTF-8 survive the round trip (~20% of a raw fetch)."""
    return data.decode("utf-8", "surrogateescape")


def utc_now() -> str:
    """The current time as ISO 8601 UTC with milliseconds, the format of every stored timestamp."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Store:
    """The person's clips and everything they did with them, in one SQLite file."""

    def __init__(self, path: str | Path, *, owner: Owner | None = None) -> None:
        """Open (creating if needed) the database at `path`, or ":memory:", and migrate it.

        An existing file is checked read-only first (cheaply unless this open writes: see `_check_intact`):
        a damaged one raises StoreError and is left exactly as it was. `owner` is the run recorded on the
        impressions this store opens (default: this process, as a new run).
        """
        self.path = str(path)
        self.owner = owner or Owner.current()
        try:
            if self.path != ":memory:":
                _check_intact(Path(self.path))
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path)
            """The connection; `execute` and `atomic` work on it, `db` wraps it in sqlite-utils."""
            self.conn.text_factory = _text
            self.conn.execute("PRAGMA recursive_triggers = on")  # as sqlite-utils sets it on its connections
            self.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            if self.path != ":memory:" and self.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.execute("PRAGMA journal_mode = wal")
            self.execute("PRAGMA foreign_keys = ON")
            if _migrations_due(self.conn):
                migration_set().apply(self.db)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot open the database ({error})") from error
        except OSError as error:
            raise StoreError(f"{self.path}: cannot open the database ({error.strerror or error})") from error

    @cached_property
    def db(self) -> Database:
        """The connection as a sqlite-utils Database, made on first use (opening and playing never need it)."""
        return _database_class()(self.conn, execute_plugins=False)

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Run one statement, as sqlite-utils' `execute` does: a write outside `atomic` commits at once."""
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = self.conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction:
                _rollback(self.conn)  # the failed statement's implicit transaction would capture later writes
            raise
        if (
            not was_in_transaction
            and self.conn.in_transaction
            and cursor.description is None
            and sql.lstrip().split(None, 1)[0].upper() not in _TRANSACTION_CONTROL
        ):
            self.conn.execute("COMMIT")
        return cursor

    def atomic(self) -> AbstractContextManager[None]:
        """A transaction (a savepoint when nested) that holds the write lock from its start; see `_atomic`."""
        return _atomic(self.conn)

    def close(self) -> None:
        """Close the connection; the Store must not be used afterwards."""
        self.conn.close()

    @contextmanager
    def waiting(self, milliseconds: int) -> Iterator[None]:
        """Within the block, a locked database fails after `milliseconds` (0: at once) rather than BUSY_MS."""
        self.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
        try:
            yield
        finally:
            self.execute(f"PRAGMA busy_timeout = {BUSY_MS}")

    def damaged(self, error: sqlite3.DatabaseError) -> StoreError:
        """The error to report for a query that failed with `error`: the full check says whether the file is damaged.

        The open checks only the header and schema (see `_check_intact`), so damage deeper in the file is
        found here, when a query reaches it.
        """
        if self.path == ":memory:":
            return StoreError(f"{self.path}: {error}")
        verdict = _full_check(Path(self.path))
        if verdict == "ok":
            return StoreError(f"{self.path}: a query failed ({error})")
        return StoreError(f"{self.path}: the database is damaged ({verdict}); nothing more was written to it")

    # -- clips -------------------------------------------------------------------------------------

    def upsert_clips(self, clips: Iterable[Clip]) -> None:
        """Insert or update clips by id, in one transaction; a clip seen again is no longer missing."""
        rows = [_clip_row(clip) for clip in clips]
        if not rows:
            return
        # One statement run over every row (a 5,000-clip feed refresh): the first import time is kept.
        columns = list(rows[0])
        updates = ", ".join(
            "imported_at = coalesce(nullif(clips.imported_at, ''), excluded.imported_at)"
            if column == "imported_at"
            else f"{column} = excluded.{column}"
            for column in columns
            if column != "id"
        )
        sql = (
            f"INSERT INTO clips ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}"
        )
        with self.atomic():
            self.conn.executemany(sql, [tuple(row.values()) for row in rows])

    def set_missing(self, clip_ids: Iterable[str], missing: bool = True) -> None:
        """Mark clips as missing (hidden from the feed, history kept) or present again."""
        with self.atomic():
            self.conn.executemany(
                "UPDATE clips SET missing = ? WHERE id = ?", [(int(missing), clip_id) for clip_id in clip_ids]
            )

    def clips(self, include_missing: bool = False) -> list[Clip]:
        """Every clip in the library, oldest import first; missing ones only when asked."""
        where = "" if include_missing else " WHERE missing = 0"
        return [_row_clip(row) for row in self.rows(f"SELECT * FROM clips{where} ORDER BY imported_at, id")]

    def clip(self, clip_id: str) -> Clip | None:
        """One clip by id, or None."""
        rows = list(self.rows("SELECT * FROM clips WHERE id = ?", [clip_id]))
        return _row_clip(rows[0]) if rows else None

    def clip_count(self, include_missing: bool = False) -> int:
        """How many clips the library holds."""
        sql = "SELECT count(*) FROM clips" + ("" if include_missing else " WHERE missing = 0")
        return int(self.execute(sql).fetchone()[0])

    # -- impressions -------------------------------------------------------------------------------

    def open_impression(
        self,
        clip_id: str,
        started_at: str,
        duration_ms: int | None,
        *,
        came_back: bool = False,
        key: str | None = None,
    ) -> int:
        """Record that a clip appeared on screen (`came_back`: by swiping back to it); returns the impression's id.

        The impression is owned by this store's run. With `key`, opening again with the same key returns the
        first one's id instead of a second row (a retried write).
        """
        with self.atomic():
            if key is not None and (known := self.stay_id(key)) is not None:
                return known
            return self._insert(
                "impressions",
                {
                    "clip_id": clip_id,
                    "started_at": started_at,
                    "duration_ms": duration_ms,
                    "came_back": int(came_back),
                    "owner_pid": self.owner.pid,
                    "owner_started": self.owner.started,
                    "owner_run": self.owner.run,
                    "key": key,
                },
            )

    def stay_id(self, key: str) -> int | None:
        """The id of the impression opened with `key`, or None."""
        row = self.execute("SELECT id FROM impressions WHERE key = ?", [key]).fetchone()
        return None if row is None else int(row[0])

    def checkpoint_impression(self, impression_id: int, dwell_ms: int, loops: int, at: str) -> None:
        """Save the dwell so far of an open impression, so a killed run loses only seconds."""
        with self.atomic():
            self.execute(
                "UPDATE impressions SET dwell_ms = ?, loops = ?, checkpoint_at = ? WHERE id = ? AND ended_at IS NULL",
                [dwell_ms, loops, at, impression_id],
            )

    def close_impression(self, impression_id: int, impression: Impression) -> None:
        """Close an open impression with its final values and the next sequence; closing twice changes nothing."""
        with self.atomic():
            if not self._is_open(impression_id):
                return
            self.execute(
                "UPDATE impressions SET ended_at = ?, dwell_ms = ?, duration_ms = ?, watch_ratio = ?, loops = ?, "
                "exit = ?, liked = ?, saved = ?, followed = ?, not_interested = ?, came_back = ?, seq = ? WHERE id = ?",
                [
                    impression.ended_at,
                    impression.dwell_ms,
                    impression.duration_ms,
                    impression.watch_ratio,
                    impression.loops,
                    impression.exit.value,
                    int(impression.liked),
                    int(impression.saved),
                    int(impression.followed),
                    int(impression.not_interested),
                    int(impression.came_back),
                    self._next_seq(),
                    impression_id,
                ],
            )

    def recover_open_impressions(self) -> int:
        """Close impressions a killed run left open, with their last checkpoint; returns how many.

        An impression whose owner still runs (another player on this database) is left open.
        """
        with self.atomic():
            rows = self.execute(
                "SELECT id, owner_pid, owner_started, owner_run FROM impressions WHERE ended_at IS NULL ORDER BY id"
            ).fetchall()
            open_ids = [
                row[0] for row in rows if row[1] is None or not Owner(row[1], row[2], row[3]).running(self.owner)
            ]
            for impression_id in open_ids:
                self.execute(
                    "UPDATE impressions SET ended_at = coalesce(checkpoint_at, started_at), exit = ?, seq = ?, "
                    "watch_ratio = CASE WHEN duration_ms > 0 THEN dwell_ms * 1.0 / duration_ms END WHERE id = ?",
                    [ImpressionExit.KILLED.value, self._next_seq(), impression_id],
                )
            return len(open_ids)

    def impressions(self, limit: int | None = None) -> list[Impression]:
        """Closed impressions in the order they ended; with `limit`, only the newest that many."""
        sql = (
            "SELECT clip_id, started_at, ended_at, dwell_ms, duration_ms, loops, exit, "
            "liked, saved, followed, not_interested, came_back, seq FROM impressions "
            "WHERE ended_at IS NOT NULL ORDER BY seq DESC, id DESC"
        )
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.execute(sql, params).fetchall()
        return [
            Impression(
                clip_id=row[0],
                started_at=row[1],
                ended_at=row[2],
                dwell_ms=row[3],
                duration_ms=row[4],
                loops=row[5],
                exit=ImpressionExit(row[6]),
                liked=bool(row[7]),
                saved=bool(row[8]),
                followed=bool(row[9]),
                not_interested=bool(row[10]),
                came_back=bool(row[11]),
                seq=row[12],
            )
            for row in reversed(rows)
        ]

    # -- likes -------------------------------------------------------------------------------------

    def record_like(
        self, clip_id: str, liked: bool, at: str, *, during: int | None = None, key: str | None = None
    ) -> None:
        """Record a like or an unlike of a clip; `during` names the open impression it happened in, if any.

        With `key`, recording again with the same key changes nothing (a retried write).
        """
        with self.atomic():
            if key is not None and self._has_key("likes", key):
                return
            row = {"clip_id": clip_id, "liked": int(liked), "at": at, "seq": self._next_seq(), "key": key}
            self._insert("likes", row)
            if during is not None:
                self._flag_stay(during, "liked", liked)

    def like_events(self) -> list[tuple[str, bool, str]]:
        """Every like and unlike as (clip_id, liked, at), oldest first."""
        rows = self.execute("SELECT clip_id, liked, at FROM likes ORDER BY id").fetchall()
        return [(row[0], bool(row[1]), row[2]) for row in rows]

    def liked_ids(self) -> set[str]:
        """Clips whose latest like event is a like."""
        sql = (
            "SELECT clip_id FROM likes l WHERE id = (SELECT max(id) FROM likes WHERE clip_id = l.clip_id) AND liked = 1"
        )
        return {row[0] for row in self.execute(sql).fetchall()}

    # -- the clip the next run opens on -------------------------------------------------------------

    def opening(self) -> Clip | None:
        """The clip the next run opens on, unless its file went missing: For You checks it is still allowed."""
        sql = "SELECT clips.* FROM opening JOIN clips ON clips.id = opening.clip_id WHERE clips.missing = 0"
        rows = list(self.rows(sql))
        return _row_clip(rows[0]) if rows else None

    def set_opening(self, clip_id: str | None) -> None:
        """Open the next run on `clip_id`, or as the feed would without one (None)."""
        with self.atomic():
            self.execute("DELETE FROM opening")
            if clip_id is not None:
                self.execute("INSERT INTO opening (id, clip_id) VALUES (1, ?)", [clip_id])

    # -- saves, follows, mutes, not interested, resets ---------------------------------------------

    def record_event(
        self,
        kind: EventKind,
        subject: str,
        active: bool,
        at: str,
        *,
        during: int | None = None,
        key: str | None = None,
    ) -> None:
        """Record a toggle such as (SAVE, clip_id, True) or (MUTE_TAG, "ocean", False).

        `during` names the open impression a save, follow or not-interested was made in: its flag is set in
        the same transaction, so a killed run keeps it. With `key`, recording again changes nothing.
        """
        with self.atomic():
            if key is not None and self._has_key("events", key):
                return
            row = {
                "kind": kind.value,
                "subject": subject,
                "active": int(active),
                "at": at,
                "seq": self._next_seq(),
                "key": key,
            }
            self._insert("events", row)
            if during is not None:
                self._flag_stay(during, _STAY_FLAGS[kind], active)

    def last_seq(self, kind: EventKind, *, excluding: str | None = None) -> int | None:
        """The sequence number of the newest event of this kind (the last reset, say), or None.

        `excluding` leaves out the event with that key (one taken back whose removal may not have landed).
        """
        sql = "SELECT max(seq) FROM events WHERE kind = ?" + ("" if excluding is None else " AND key IS NOT ?")
        row = self.execute(sql, [kind.value] if excluding is None else [kind.value, excluding]).fetchone()
        return None if row[0] is None else int(row[0])

    def drop_event(self, key: str) -> None:
        """Delete the event recorded with `key`; nothing happens when there is none (so doing it again is safe)."""
        with self.atomic():
            self.execute("DELETE FROM events WHERE key = ?", [key])

    def active(self, kind: EventKind) -> set[str]:
        """Subjects whose latest event of this kind is on (saved clips, followed creators, muted tags...).

        Subjects are cleaned like clips' text, so one another program wrote raw still matches the clip it names.
        """
        sql = (
            "SELECT subject FROM events e WHERE kind = ? AND active = 1 AND id = "
            "(SELECT max(id) FROM events WHERE kind = e.kind AND subject = e.subject)"
        )
        return {clean(row[0]) for row in self.execute(sql, [kind.value]).fetchall()}

    def events(self, kinds: Iterable[EventKind]) -> list[tuple[EventKind, str, bool, str]]:
        """Events of these kinds as (kind, subject, active, at), oldest first; subjects cleaned as in `active`."""
        wanted = [kind.value for kind in kinds]
        marks = ", ".join("?" * len(wanted))
        sql = f"SELECT kind, subject, active, at FROM events WHERE kind IN ({marks}) ORDER BY id"
        rows = self.execute(sql, wanted).fetchall()
        return [(EventKind(row[0]), clean(row[1]), bool(row[2]), row[3]) for row in rows]

    def _next_seq(self) -> int:
        """The next number of the sequence that orders stays, likes and events; call inside a transaction."""
        self.execute("UPDATE counters SET value = value + 1 WHERE name = 'seq'")
        return int(self.execute("SELECT value FROM counters WHERE name = 'seq'").fetchone()[0])

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row; returns its rowid."""
        sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
        return int(self.execute(sql, list(row.values())).lastrowid or 0)

    def _has_key(self, table: str, key: str) -> bool:
        return self.execute(f"SELECT 1 FROM {table} WHERE key = ?", [key]).fetchone() is not None

    def _is_open(self, impression_id: int) -> bool:
        row = self.execute("SELECT ended_at IS NULL FROM impressions WHERE id = ?", [impression_id]).fetchone()
        return bool(row and row[0])

    def _flag_stay(self, impression_id: int, column: str, value: bool) -> None:
        """Set what happened during an open stay (liked, saved...); a closed one keeps its record."""
        sql = f"UPDATE impressions SET {column} = ? WHERE id = ? AND ended_at IS NULL"
        self.execute(sql, [int(value), impression_id])

    def rows(self, sql: str, params: Iterable[Any] = ()) -> Generator[dict[str, Any]]:
        """Rows of a query as dicts (the clips, and commands and tests that inspect the store)."""
        cursor = self.execute(sql, list(params))
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))


_STAY_FLAGS = {EventKind.SAVE: "saved", EventKind.FOLLOW: "followed", EventKind.NOT_INTERESTED: "not_interested"}
"""The impression column each event kind made during a stay sets."""


def _check_intact(path: Path) -> None:
    """Raise StoreError when `path` exists but is not a sound SQLite database; it is only read.

    Every open reads the header and the schema (a few pages). The full `quick_check` reads every page
    (3 ms per MiB: 134 ms at 50,000 clips), so it runs only when this open is about to write: the file is
    not yet in WAL mode, or a migration is pending. Damage the cheap check cannot see surfaces as a
    failed query, which `Store.damaged` then confirms with the full check.

    Only SQLite opens the file: closing any other descriptor on it would drop every POSIX lock this
    process holds on it, and another process could then delete the WAL under our live connections.
    """
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            connection.execute("PRAGMA schema_version").fetchone()
            writes = connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal" or bool(
                _migrations_due(connection)
            )
            verdict = connection.execute("PRAGMA quick_check(1)").fetchone()[0] if writes else "ok"
    except sqlite3.OperationalError:
        return  # busy, read-only or locked: not damage; the real open says what it is
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: cannot open the database ({error}); the file was left untouched") from error
    except OSError:
        return  # unreadable: the real open says why
    if verdict != "ok":
        raise StoreError(f"{path}: the database is damaged ({verdict}); the file was left untouched")


def _migrations_due(connection: sqlite3.Connection) -> bool:
    """Whether sqlite-utils' migrations would change the database: one is pending, or their table needs making."""
    columns = connection.execute(f"PRAGMA table_info({MIGRATIONS_TABLE})").fetchall()
    if [column[1] for column in columns if column[5]] != ["id"]:
        return True
    sql = f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?"
    applied = {row[0] for row in connection.execute(sql, [SET_NAME])}
    return any(name not in applied for name in NAMES)


def _full_check(path: Path) -> str:
    """`PRAGMA quick_check` of the file, read-only: "ok", or what is damaged."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            return str(connection.execute("PRAGMA quick_check(1)").fetchone()[0])
    except sqlite3.DatabaseError as error:
        return str(error)


def _clip_row(clip: Clip) -> dict[str, Any]:
    return {
        "id": clip.id,
        "location": db_text(clip.location),
        "title": clip.title,
        "creator": clip.creator,
        "description": clip.description,
        "tags": json.dumps(list(clip.tags)),
        "sound": clip.sound,
        "duration_ms": clip.duration_ms,
        "width": clip.width,
        "height": clip.height,
        "popularity": clip.popularity,
        "imported_at": clip.imported_at or utc_now(),
        "published_at": clip.published_at,
        "source_id": clip.source_id,
        "source_url": clip.source_url,
        "embedding": None if clip.embedding is None else array("f", clip.embedding).tobytes(),
        "missing": 0,
    }


def _row_clip(row: dict[str, Any]) -> Clip:
    """A clips row as a Clip, its text cleaned: another program (sqlite-utils, an older tuifeed) may have written it."""
    embedding = row.get("embedding")
    title, creator, sound = row["title"] or "", row["creator"], row["sound"]
    description, tags = row["description"] or "", tuple(str(tag) for tag in json.loads(row["tags"] or "[]"))
    # One look at all the fields first: cleaning each one costs ~30% more on a 20,000-clip load.
    if not (is_clean(title, creator or "", sound or "", *tags) and is_clean(description, multiline=True)):
        title, description, tags = clean(title), clean(description, multiline=True), tuple(map(clean, tags))
        creator, sound = (None if value is None else clean(value) for value in (creator, sound))
    return Clip(
        id=row["id"],
        location=path_of(row["location"]),
        title=title,
        creator=creator,
        description=description,
        tags=tags,
        sound=sound,
        duration_ms=row["duration_ms"],
        width=row["width"],
        height=row["height"],
        popularity=row["popularity"],
        imported_at=row["imported_at"],
        published_at=row["published_at"],
        source_id=row["source_id"],
        source_url=row["source_url"],
        embedding=None if embedding is None else tuple(array("f", embedding).tolist()),
    )
