"""The Library service: local import, remote sources and the prefetch cache, behind one object the CLI builds.

Threading: a Store is one SQLite connection per thread, so the Library keeps the database path and
opens a Store for each call on the calling thread, except on the thread that built it (the UI's),
where one Store is kept: `playable_location` runs there at every swipe, and opening a Store costs
~5 ms; it only reads there. Which cached clip was used (a write, for the least recently used order)
is noted and written later, off the swipe: by the prefetch thread before each download and before the
eviction that ends it (only a download evicts), and whatever is still noted by `close`, on the closing
thread. So with prefetching off no thread runs and no write is made per swipe: nothing is evicted while
no download happens, and the uses are written once, at quit (a kill loses them: those clips then count
as used before this run).
Refreshes may run on any worker thread; prefetching runs on one background thread of its own, with its
own Store, and reports through the listener (the UI turns reports into messages). Probes (is a clip's
server there?) run on a thread of their own, which needs no Store, so that a probe never waits behind a
download. The HTTP client is shared (httpx's pool is thread-safe); it is made on first use, and the
remote readers are loaded then too: a run that plays local clips only never loads httpx or feedparser
(about 0.1 s of start-up).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from tuifeed import locations
from tuifeed.config import Config
from tuifeed.errors import NotDownloadable, RemoteError, RemoteUnreachable, StoreError
from tuifeed.library.remote.cache import PrefetchCache
from tuifeed.library.remote.urls import is_remote, origin, redact
from tuifeed.models import Clip, SourceKind
from tuifeed.store import Store
from tuifeed.store.cache import CacheIndex
from tuifeed.store.files import FileIndex
from tuifeed.store.sources import SourceIndex, SourceRow

if TYPE_CHECKING:
    from tuifeed.library.importer import ImportSummary, ProgressCallback
    from tuifeed.library.remote.client import RemoteClient
    from tuifeed.library.remote.refresh import RefreshResult

log = logging.getLogger("tuifeed.library")


@dataclass(frozen=True, slots=True)
class PrefetchReport:
    """One prefetch finished: the clip's cached file, or the one-line error (URL redacted)."""

    clip_id: str
    path: Path | None = None
    error: str | None = None


PrefetchListener = Callable[[PrefetchReport], None]
"""Called on the prefetch thread: post a message from it, never touch the UI."""


class Reach(StrEnum):
    """What a probe of a clip's server found."""

    ANSWERS = "answers"
    """The server sent the clip's first byte: the clip is there."""
    FAILS = "fails"
    """The server answered with an error for the clip (404, 5xx), or TLS failed."""
    UNREACHABLE = "unreachable"
    """No server answered: the network or the server is gone."""
    DOWNLOAD = "download"
    """The server sent the clip but ignores Range requests, so libvlc cannot seek in a stream of it (an mp4
    with its index at the end fails): the clip can only play once downloaded."""


@dataclass(frozen=True, slots=True)
class ProbeReport:
    """One probe finished: what it found for the clip, with the one-line error (URL redacted) unless it answered."""

    clip_id: str
    reach: Reach
    error: str | None = None


ProbeListener = Callable[[ProbeReport], None]
"""Called on the probe thread: post a message from it, never touch the UI."""


class Library:
    """The person's clips wherever they live: local folders, remote sources, and a cache for what plays next."""

    def __init__(
        self,
        database: str | Path,
        *,
        cache_dir: Path,
        cache_bytes: int,
        prefetch_count: int = 3,
        refresh_after: timedelta | None = timedelta(hours=1),
        client: RemoteClient | None = None,
    ) -> None:
        """A library on the SQLite file `database`; `client` defaults to a RemoteClient with default limits."""
        self.database = str(database)
        self._client = client
        self._client_lock = threading.Lock()
        self._home = threading.get_ident()
        self._home_store: Store | None = None
        self.cache = PrefetchCache(cache_dir, cache_bytes, lambda: self.client)
        self.prefetch_count = prefetch_count if cache_bytes > 0 else 0
        self.refresh_after = refresh_after
        self.listener: PrefetchListener | None = None
        self.probe_listener: ProbeListener | None = None
        self._unreachable: frozenset[str] = frozenset()
        """Origins whose last request got no answer; replaced whole (never mutated), so any thread may read it."""
        self._routes: dict[str, str] = {}
        """URL -> the server a redirect took its request to, where it got no answer; replaced whole, like
        `_unreachable`."""
        self._reach_lock = threading.Lock()
        self._probes: list[Clip] = []
        self._reporting = False
        """The probe thread is handing a report to `probe_listener` (its clip is off `_probes` already)."""
        self._probing = threading.Condition()
        self._prober: threading.Thread | None = None
        self._wanted: list[Clip] = []
        self._streams: set[str] = set()
        """Clips found to be streams (HLS playlists) this run: never downloaded ahead again."""
        self._needed: list[Clip] = []
        """Clips that can only play from the cache (`need`): first in `_wanted`, whatever a swipe wishes."""
        self._used: list[str] = []
        """Cached clips about to play, whose use is still to be written (before a download and before its
        eviction, or at close)."""
        self._changed = threading.Condition()
        self._closing = False
        self._worker: threading.Thread | None = None

    @classmethod
    def from_config(cls, config: Config, database: str | Path) -> Library:
        """The library as config.toml's [remote] section sets it up, caching in the user cache directory."""
        minutes = config.remote.refresh_after_minutes
        return cls(
            database,
            cache_dir=locations.cache_dir() / "clips",
            cache_bytes=config.remote.cache_mb * 2**20,
            prefetch_count=config.remote.prefetch,
            refresh_after=timedelta(minutes=minutes) if minutes else None,
        )

    @property
    def client(self) -> RemoteClient:
        """The one HTTP client, made on first use (from any thread)."""
        with self._client_lock:
            if self._client is None:
                from tuifeed.library.remote.client import RemoteClient

                self._client = RemoteClient()
            return self._client

    @property
    def unreachable(self) -> frozenset[str]:
        """The servers (`scheme://host:port`, see `origin`) whose last request got no answer: the uncached clips
        whose requests go there (see `server`) are skipped until one of their requests is answered again."""
        return self._unreachable

    @property
    def offline(self) -> bool:
        """Whether some server is known to be unreachable (each server is judged on its own)."""
        return bool(self._unreachable)

    def server(self, clip: Clip) -> str:
        """The server (see `origin`) a remote clip's request goes to, as far as is known: where a redirect took
        it when it got no answer there, else the clip's own."""
        return self._routes.get(clip.location) or origin(clip.location)

    def cut_off(self, clip: Clip) -> bool:
        """Whether `clip` is remote and the server its request goes to is known to be unreachable."""
        return is_remote(clip.location) and self.server(clip) in self._unreachable

    def note_reach(self, url: str, *, answered: bool, server: str = "") -> None:
        """Record what a request for `url` found: a server answered (with anything), or `server` did not.

        `server` is where the request got no answer when a redirect took it off `url`'s own server (a CDN,
        say): that server is the unreachable one, and `url` is known to go there until a request for it is
        answered (then both its own server and that one count as answering).
        """
        own = origin(url)
        with self._reach_lock:
            if answered:
                self._unreachable = self._unreachable - {own, self._routes.get(url, own)}
                self._routes = {key: where for key, where in self._routes.items() if key != url}
                return
            where = server or own
            self._unreachable = self._unreachable | {where}
            if where != own:
                self._routes = {**self._routes, url: where}

    def close(self) -> None:
        """Stop prefetching (a download in progress keeps its `.part` to resume), write the uses of cached clips
        still noted (on this thread), and close the HTTP client.

        A probe under way is not waited for (it holds no Store, and its thread is a daemon): quitting never
        waits on a server that does not answer, and a probe ending after this reports nothing.
        """
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        with self._probing:
            self._probing.notify_all()
        if self._worker is not None:
            self._worker.join(timeout=5)
        if self._prober is not None:
            self._prober.join(timeout=0.1)
        try:
            if self._used:  # what the prefetch thread did not take (it takes none once closing) is written here
                with self._store() as store:
                    self._record_uses(store)
        except (sqlite3.Error, StoreError) as error:  # the person is leaving: the order is only a little older
            log.warning("cannot record which cached clips were played: %s", error)
        with self._client_lock:
            if self._client is not None:
                self._client.close()
        if self._home_store is not None and threading.get_ident() == self._home:
            self._home_store.close()
            self._home_store = None

    # -- local folders -----------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
        follow_links: bool = False,
    ) -> ImportSummary:
        """Import local folders or files (see `tuifeed.library.import_paths`), on the calling thread."""
        from tuifeed.library.importer import import_paths  # PyAV loads only when there is something to import

        with self._store() as store:
            return import_paths(store, paths, progress=progress, should_stop=should_stop, follow_links=follow_links)

    def export_manifest(self, folder: Path) -> tuple[Path, int]:
        """Write `tuifeed-library.json` beside the imported clips of `folder`; its path and clip count.

        A clip imported first from elsewhere is listed at its copy in `folder`.
        """
        from tuifeed.library.manifest import write_manifest

        with self._store() as store:
            here = FileIndex(store).present_under(os.path.abspath(folder))
            clips = [replace(clip, location=here[clip.id]) for clip in store.clips() if clip.id in here]
            return write_manifest(clips, folder)

    # -- remote sources ----------------------------------------------------------------------------

    def add_remote(self, url: str, kind: SourceKind | None = None) -> RefreshResult:
        """Add a remote source (its kind found from the document unless given) and store its clips."""
        from tuifeed.library.remote.refresh import add_source

        with self._store() as store:
            return self._note(add_source(store, self.client, url, kind))

    def remotes(self) -> list[SourceRow]:
        """Every remote source with its clip counts and last refresh."""
        with self._store() as store:
            return SourceIndex(store).all()

    def source(self, url: str) -> SourceRow | None:
        """The source added as `url`, or None."""
        with self._store() as store:
            return SourceIndex(store).get(url)

    def remote_clips(self, url: str) -> list[Clip]:
        """The present clips of the source `url`, in the source's order."""
        with self._store() as store:
            source = SourceIndex(store).get(url)
            if source is None:
                return []
            return [clip for clip_id in SourceIndex(store).clip_ids(source.id) if (clip := store.clip(clip_id))]

    def remove_remote(self, url: str) -> int | None:
        """Forget a source; returns how many of its clips went missing, None when `url` is not a source."""
        with self._store() as store:
            index = SourceIndex(store)
            source = index.get(url)
            return None if source is None else index.remove(source.id)

    def refresh(self, urls: Iterable[str] | None = None, *, due_only: bool = False) -> list[RefreshResult]:
        """Refresh the sources `urls` (default: all), one after another; a failing one never stops the rest.

        With `due_only`, only sources last refreshed longer ago than `refresh_after` (the start-up refresh).
        The remote readers load only when a source is to be fetched: a start with none due loads no HTTP.
        """
        wanted = None if urls is None else set(urls)
        results = []
        with self._store() as store:
            sources = [
                source
                for source in SourceIndex(store).all(counts=False)
                if (wanted is None or source.url in wanted) and (not due_only or self._due(source))
            ]
            if sources:
                from tuifeed.library.remote.refresh import refresh_source

                results = [self._note(refresh_source(store, self.client, source)) for source in sources]
        return results

    def _due(self, source: SourceRow) -> bool:
        if self.refresh_after is None:
            return False
        if source.refreshed_at is None:
            return True
        return datetime.now(UTC) - datetime.fromisoformat(source.refreshed_at) >= self.refresh_after

    def _note(self, result: RefreshResult) -> RefreshResult:
        if result.error is None or result.unreachable:
            self.note_reach(result.source, answered=result.error is None, server=result.server)
        return result

    # -- playback ----------------------------------------------------------------------------------

    def playable_location(self, clip: Clip) -> str | None:
        """What the player should open: the cached file when complete, else the URL to stream.

        None when the clip's server is unreachable and the clip is not cached: skip it (the feeds tell the
        person once).
        A local clip is its own location.
        """
        if not is_remote(clip.location):
            return clip.location
        with self._store() as store:
            cached = self.cache.cached(store, clip, touch=False)
        if cached is None:
            return None if self.cut_off(clip) else clip.location
        with self._changed:
            # Noted, not written: written before the next download (the prefetch thread, woken after the
            # swipe's picture) or at close, so a swipe makes no write and wakes no thread.
            self._used.append(clip.id)
        return str(cached)

    def prefetch(self, clips: Sequence[Clip]) -> None:
        """Download the first `prefetch_count` remote clips of `clips` (the queue's next ones) in the background.

        Each call replaces the wish list: a download no longer wanted stops (its `.part` stays).
        Returns at once; each finished download is reported to `listener`.
        """
        wanted = [clip for clip in clips if is_remote(clip.location) and clip.id not in self._streams]
        wanted = wanted[: self.prefetch_count]
        with self._changed:
            self._wanted = self._with_needed(wanted)
            self._wake()

    def need(self, clip: Clip) -> bool:
        """Download the remote `clip` before any clip wished for ahead, and keep it wanted until it is done or
        has failed, whatever later wish lists say (its server cannot stream it: `Reach.DOWNLOAD`).

        Returns at once (False when the cache is off: then it cannot play); the report goes to `listener`.
        """
        if self.cache.cap_bytes <= 0:
            return False
        with self._changed:
            if all(needed.id != clip.id for needed in self._needed):
                self._needed.append(clip)
            self._wanted = self._with_needed(self._wanted)
            self._wake()
        return True

    def _with_needed(self, wanted: list[Clip]) -> list[Clip]:
        """`wanted` behind the needed clips (each once); hold `_changed`."""
        needed = {clip.id for clip in self._needed}
        return [*self._needed, *(clip for clip in wanted if clip.id not in needed)]

    def check(self, clip: Clip) -> bool:
        """Probe the server of the remote clip `clip` in the background: one request for its first byte.

        Returns at once; the probe also records whether the clip's server is reachable (`unreachable`), and
        its report goes to `probe_listener`. A clip
        already waiting for its probe is not asked twice: False then (and when closing), True when queued.
        """
        with self._probing:
            if self._closing or any(waiting.id == clip.id for waiting in self._probes):
                return False
            self._probes.append(clip)
            self._probing.notify_all()
            if self._prober is None:
                self._prober = threading.Thread(target=self._probe_loop, name="tuifeed-probe", daemon=True)
                self._prober.start()
            return True

    def wait_for_probes(self, timeout: float) -> bool:
        """Block until every asked probe has reported (tests); False on timeout."""
        with self._probing:
            return self._probing.wait_for(lambda: not self._probes and not self._reporting, timeout)

    def _probe_loop(self) -> None:
        while True:
            with self._probing:
                self._probing.wait_for(lambda: self._closing or bool(self._probes))
                if self._closing:
                    return
                clip = self._probes[0]
            try:
                report = self._probe(clip)
            except Exception:  # a bug in one probe must not stop the later ones, nor leave its clip unanswered
                log.exception("probe of %s failed", redact(clip.location))
                report = ProbeReport(clip.id, Reach.FAILS, f"{redact(clip.location)}: the probe failed")
            with self._probing:
                # Off the list before the report is handed over: an ask made while the report is handled
                # (a swipe on the UI thread) is a new probe, not one taken for already waiting.
                self._probes.remove(clip)
                self._reporting = True
            try:
                if self.probe_listener is not None and not self._closing:
                    self.probe_listener(report)
            except Exception:
                log.exception("the probe listener failed")
            finally:
                with self._probing:
                    self._reporting = False
                    self._probing.notify_all()

    def _probe(self, clip: Clip) -> ProbeReport:
        try:
            seekable = self.client.probe(clip.location)
        except RemoteUnreachable as error:
            self.note_reach(clip.location, answered=False, server=error.server)
            log.info("probe: %s", error)
            return ProbeReport(clip.id, Reach.UNREACHABLE, str(error))
        except RemoteError as error:
            self.note_reach(clip.location, answered=True)  # a server answered, if only with an error
            log.info("probe: %s", error)
            return ProbeReport(clip.id, Reach.FAILS, str(error))
        self.note_reach(clip.location, answered=True)
        return ProbeReport(clip.id, Reach.ANSWERS if seekable else Reach.DOWNLOAD)

    def _wake(self) -> None:
        """Tell the prefetch thread there is work (starting it the first time); hold `_changed`."""
        self._changed.notify_all()
        if (self._wanted or self._used) and self._worker is None and not self._closing:
            self._worker = threading.Thread(target=self._prefetch_loop, name="tuifeed-prefetch", daemon=True)
            self._worker.start()

    def wait_for_prefetch(self, timeout: float) -> bool:
        """Block until every wanted clip is cached or has failed (tests, benchmarks); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._wanted, timeout)

    def _prefetch_loop(self) -> None:
        store = Store(self.database)
        try:
            while True:
                with self._changed:
                    self._changed.wait_for(lambda: self._closing or bool(self._wanted) or bool(self._used))
                    if self._closing:
                        return
                    clip = self._wanted[0] if self._wanted else None
                    keep = [wanted.id for wanted in self._wanted]
                self._record_uses(store)
                if clip is None:
                    continue
                report = self._download(store, clip, keep)
                if report is not None and self.listener is not None:
                    self.listener(report)
                with self._changed:
                    if report is not None:  # done or failed: a later prefetch() asking again tries again
                        self._wanted = [wanted for wanted in self._wanted if wanted.id != clip.id]
                        self._needed = [needed for needed in self._needed if needed.id != clip.id]
                    self._changed.notify_all()
        finally:
            store.close()

    def _record_uses(self, store: Store) -> None:
        """Write the uses of cached clips noted so far, in the order they were played, with `store` (this thread's)."""
        with self._changed:
            used, self._used = self._used, []
        index = CacheIndex(store)
        for clip_id in used:
            index.touch(clip_id)

    def _download(self, store: Store, clip: Clip, keep: list[str]) -> PrefetchReport | None:
        """Fetch one clip; None when it stopped being wanted mid-way."""

        def unwanted() -> bool:
            if self._closing or all(c.id != clip.id for c in self._wanted):
                return True
            # A clip that can only play downloaded goes first: a download ahead stops for it, keeping its .part.
            needed = self._needed
            return bool(needed) and all(c.id != clip.id for c in needed)

        cached = self.cache.cached(store, clip)
        if cached is not None:  # no request made: says nothing about the network
            return PrefetchReport(clip.id, path=cached)
        try:
            path = self.cache.fetch(
                store, clip, keep=keep, should_stop=unwanted, before_evict=lambda: self._record_uses(store)
            )
        except RemoteError as error:
            if isinstance(error, NotDownloadable):
                self._streams.add(clip.id)
            if isinstance(error, RemoteUnreachable):
                self.note_reach(clip.location, answered=False, server=error.server)
            log.info("prefetch failed: %s", error)
            return PrefetchReport(clip.id, error=str(error))
        except OSError as error:  # the cache directory is full or unwritable: the clip still streams
            log.warning("prefetch cannot write the cache %s: %s", self.cache.folder, error)
            shown = redact(clip.location)
            return PrefetchReport(
                clip.id, error=f"{shown}: cannot write the cache {self.cache.folder}: {error.strerror}"
            )
        if path is None:
            return None
        self.note_reach(clip.location, answered=True)
        return PrefetchReport(clip.id, path=path)

    @contextmanager
    def _store(self) -> Iterator[Store]:
        if threading.get_ident() == self._home:
            if self._home_store is None:
                self._home_store = Store(self.database)
            yield self._home_store
            return
        store = Store(self.database)
        try:
            yield store
        finally:
            store.close()
