"""Journal: the feed's writes, tried at once without waiting, else kept in order and retried by a thread.

The database is shared with the person's own tools (sqlite-utils, Datasette) and lives on a disk that
can fill up. A write that meets a lock or a full disk must not freeze the UI nor be lost: it goes into
this journal, and a writer thread with its own connection retries it with backoff until it lands.
Writes after it queue behind it, so they land in the order they were made. Every write carries a key
(a stay's, a like's, an event's), so one retried after a failure that left its outcome unclear is
still one row. The UI reads `trouble` (one calm line, or None) through the session's status; it never
sees an exception.

Threading: `write`, `flush` and `close` are called on the thread that owns the main Store; the
writer thread touches only its own Store, and shares with the caller only the deque under `_lock`.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass

from tuifeed.errors import StoreError
from tuifeed.models import EventKind, Impression
from tuifeed.store.store import Store

FIRST_RETRY = 0.05
"""Seconds before the first retry; each retry after waits twice as long, up to LONGEST_RETRY."""
LONGEST_RETRY = 1.0
WRITER_WAIT_MS = 200
"""How long one try of the writer thread waits on a lock: short, so a closing app is never held long."""
LOCKED = "Database in use elsewhere: saving soon"
FULL = "Disk full: kept, saved when there is room"
FAILING = "Cannot save just now: retrying"
_log = logging.getLogger(__name__)


def new_key() -> str:
    """A fresh key for one write (a stay, a like, an event)."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class OpenStay:
    """A clip appeared on screen."""

    stay: str
    clip_id: str
    started_at: str
    duration_ms: int | None
    came_back: bool


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The dwell so far of an open stay."""

    stay: str
    dwell_ms: int
    loops: int
    at: str


@dataclass(frozen=True, slots=True)
class CloseStay:
    """A stay ended."""

    stay: str
    impression: Impression


@dataclass(frozen=True, slots=True)
class Like:
    """A like or an unlike, made during the stay `during` if any."""

    key: str
    clip_id: str
    liked: bool
    at: str
    during: str | None


@dataclass(frozen=True, slots=True)
class Event:
    """A save, a follow, a mute, a not-interested (on or off), made during the stay `during` if any."""

    key: str
    kind: EventKind
    subject: str
    active: bool
    at: str
    during: str | None


@dataclass(frozen=True)
class DropEvent:
    """Take back the event written with `key` (the undo of a Refresh For You), whether or not it has landed."""

    key: str


@dataclass(frozen=True, slots=True)
class Opening:
    """The clip the next run opens on (None: none in particular)."""

    clip_id: str | None


Write = OpenStay | Checkpoint | CloseStay | Like | Event | DropEvent | Opening


def apply(store: Store, write: Write) -> None:
    """Do one write in `store`; doing it again changes nothing (raises sqlite3 errors as they come)."""
    if isinstance(write, OpenStay):
        store.open_impression(
            write.clip_id, write.started_at, write.duration_ms, came_back=write.came_back, key=write.stay
        )
    elif isinstance(write, Checkpoint):
        if (stay := store.stay_id(write.stay)) is not None:
            store.checkpoint_impression(stay, write.dwell_ms, write.loops, write.at)
    elif isinstance(write, CloseStay):
        if (stay := store.stay_id(write.stay)) is not None:
            store.close_impression(stay, write.impression)
    elif isinstance(write, Like):
        during = None if write.during is None else store.stay_id(write.during)
        store.record_like(write.clip_id, write.liked, write.at, during=during, key=write.key)
    elif isinstance(write, DropEvent):
        store.drop_event(write.key)
    elif isinstance(write, Opening):
        store.set_opening(write.clip_id)
    else:
        during = None if write.during is None else store.stay_id(write.during)
        store.record_event(write.kind, write.subject, write.active, write.at, during=during, key=write.key)


def trouble_of(error: sqlite3.Error) -> str:
    """The calm line for what stopped a write."""
    text = str(error).lower()
    if "full" in text:
        return FULL
    if "locked" in text or "busy" in text:
        return LOCKED
    return FAILING


class Journal:
    """The feed's writes to one store, in order, none lost and none twice, never waiting on a lock."""

    def __init__(self, store: Store) -> None:
        """Writes go to `store` directly while it takes them; the writer thread opens its own on the same file."""
        self.store = store
        self._pending: deque[Write] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._closing = False
        self.trouble: str | None = None
        """One calm line while writes are waiting (a lock, a full disk), else None."""
        self.retries = 0
        """How many tries failed since the journal was made (for tests and benchmarks)."""

    @property
    def pending(self) -> int:
        """How many writes wait to land."""
        with self._lock:
            return len(self._pending)

    def write(self, write: Write) -> None:
        """Make `write` now if the store takes it at once, else keep it for the writer thread."""
        with self._lock:
            if not self._pending:
                try:
                    with self.store.waiting(0):
                        apply(self.store, write)
                except sqlite3.OperationalError as error:
                    self._note(error)
                except sqlite3.Error:
                    # Refused for good (a damaged page, a broken constraint): retrying cannot help, and the UI
                    # must not see it; the writer thread treats such a write the same way.
                    _log.exception("a write was refused and dropped: %r", write)
                    return
                else:
                    return
            self._keep(write)
            self._start()
            self._wake.notify()

    def flush(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for every kept write to land; returns whether all did."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.wait(min(left, 0.1))
            return True

    def close(self, timeout: float = 10.0) -> None:
        """Let the kept writes land (up to `timeout` seconds), then stop the writer thread.

        What still could not land is logged: the stay on screen stays open with its last checkpoint
        and is closed as killed at the next start, as after a kill.
        """
        landed = self.flush(timeout)
        with self._lock:
            self._closing = True
            lost = list(self._pending)
            self._pending.clear()
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=WRITER_WAIT_MS / 1000 + 1.0)
        if not landed:
            _log.error("%d writes could not be saved (%s): %r", len(lost), self.trouble, lost)

    def waiting_stays(self) -> list[Impression]:
        """The ended stays whose records have not landed yet, oldest first (a rebuild from the store lacks them)."""
        with self._lock:
            return [write.impression for write in self._pending if isinstance(write, CloseStay)]

    def _keep(self, write: Write) -> None:
        """Queue `write`; a checkpoint replaces the stay's previous one still waiting (only the newest counts)."""
        if isinstance(write, Checkpoint) and self._pending:
            last = self._pending[-1]
            if isinstance(last, Checkpoint) and last.stay == write.stay:
                self._pending[-1] = write
                return
        self._pending.append(write)

    def _note(self, error: sqlite3.Error) -> None:
        """A try failed: say so once, in the calm line, and in the log."""
        self.retries += 1
        line = trouble_of(error)
        if line != self.trouble:
            _log.warning("a write is waiting: %s", error)
        self.trouble = line

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="tuifeed-journal", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        """The writer thread: land the oldest kept write, retrying with backoff, until none is left."""
        store: Store | None = None
        delay = FIRST_RETRY
        try:
            while True:
                with self._lock:
                    while not self._pending and not self._closing:
                        self._wake.wait()
                    if self._closing:
                        return
                    write = self._pending[0]
                try:
                    if store is None:
                        store = Store(self.store.path, owner=self.store.owner)
                    with store.waiting(WRITER_WAIT_MS):
                        apply(store, write)
                except (sqlite3.OperationalError, StoreError) as error:
                    with self._lock:
                        self._note(error if isinstance(error, sqlite3.Error) else sqlite3.OperationalError(str(error)))
                        self._wake.wait(delay)
                    delay = min(delay * 2, LONGEST_RETRY)
                    continue
                except sqlite3.Error:
                    _log.exception("a write was refused and dropped: %r", write)
                delay = FIRST_RETRY
                with self._lock:
                    if self._pending and self._pending[0] is write:
                        self._pending.popleft()
                    if not self._pending:
                        self.trouble = None
                    self._wake.notify_all()
        finally:
            if store is not None:
                store.close()
