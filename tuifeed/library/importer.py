"""The import pipeline: scan roots, skip what is unchanged, probe the rest in parallel, store clips.

UI-free and synchronous: progress goes out through a callback, cancellation comes in through
`should_stop`. Stages: scan (walk the roots) -> triage (compare with the files table by size, mtime
and sidecar mtime) -> analyse (hash, probe, read sidecars, fingerprint; in a pool of spawned worker
processes, one per core, since PyAV holds the GIL for much of its work) -> record (decide
added/updated/moved/duplicate, write clips and files in batches, one transaction each, on the
calling thread) -> sweep (mark what vanished as missing).

Threading: the Store is used only from the calling thread. A worker thread (the app's Import
screen) must open its own `Store(store.path)` and close it when done: one connection per thread.
Worker processes ignore SIGINT (the CLI turns Ctrl-C into `should_stop`) and exit by themselves
when the importing process dies, however it died.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TypeVar

from tuifeed.errors import LibraryError
from tuifeed.library.fingerprint import embedding
from tuifeed.library.identity import content_hash
from tuifeed.library.probe import ProbeError, ProbeResult, probe
from tuifeed.library.scan import ScannedFile, ScanProblem, SkippedLink, scan
from tuifeed.library.sidecar import (
    Metadata,
    from_container_tags,
    from_names,
    merge,
    read_info_json,
    read_nfo,
)
from tuifeed.models import Clip
from tuifeed.store import Store
from tuifeed.store.files import FileIndex, FileRow
from tuifeed.text import clean, display_path

_T = TypeVar("_T")

BATCH = 64
"""Analysed files written per transaction: an interrupted run loses at most this many."""
POOL_THRESHOLD = 32
"""Fewer files than this are analysed in the calling thread: starting worker processes costs ~0.3 s."""
ORPHAN_CHECK_S = 0.5
"""How often a worker process checks that the importing process is still alive."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A file that could not be imported or read in full, and why ("zero bytes", "not valid JSON", ...).

    `path` is the file's own name, whatever bytes it holds (show it with `display_path`); `reason`
    is clean text.
    """

    path: Path
    reason: str

    def as_dict(self) -> dict[str, str]:
        """`{path, reason}` with the path as valid UTF-8 (bytes that are not become U+FFFD)."""
        return {"path": os.fsencode(self.path).decode("utf-8", "replace"), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import run did; `missing` counts known files under the named roots not there now."""

    added: int = 0
    updated: int = 0
    """Known paths whose file changed (re-probed) or that reappeared after going missing."""
    unchanged: int = 0
    moved: int = 0
    duplicates: int = 0
    """Files whose content is already in the library at another path: one clip, one more location."""
    missing: int = 0
    failed: int = 0
    failures: tuple[Failure, ...] = ()
    warnings: tuple[Failure, ...] = ()
    """Files imported in part: a sidecar that could not be read, a value in it that was ignored or clamped."""
    links_skipped: int = 0
    """Symbolic links to videos or folders outside the roots, not followed (see `follow_links`)."""
    stopped: bool = False
    """True when `should_stop` ended the run early; nothing was marked missing then."""

    @property
    def found(self) -> int:
        """Video files this run found, whatever became of them."""
        return self.added + self.updated + self.unchanged + self.moved + self.duplicates + self.failed

    def as_dict(self) -> dict[str, object]:
        """The summary as plain JSON-ready data, failures as `{path, reason}` objects."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "moved": self.moved,
            "duplicates": self.duplicates,
            "missing": self.missing,
            "failed": self.failed,
            "failures": [item.as_dict() for item in self.failures],
            "warnings": [item.as_dict() for item in self.warnings],
            "links_skipped": self.links_skipped,
            "stopped": self.stopped,
        }


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """A progress report: `total` is None while scanning (then `done` counts files found so far)."""

    done: int
    total: int | None
    path: Path | None
    summary: ImportSummary


ProgressCallback = Callable[[ImportProgress], None]


@dataclass(frozen=True, slots=True)
class _Analysis:
    """A file hashed, probed and described, waiting for the recording thread to give it an id."""

    file: ScannedFile
    content_hash: str
    probed: ProbeResult
    clip: Clip
    warnings: tuple[Failure, ...] = ()


@dataclass(slots=True)
class _Writes:
    """What one batch will write, in one transaction: clips before the files that point at them."""

    clips: dict[str, Clip] = field(default_factory=dict)
    files: dict[str, FileRow] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    """Clips whose missing flag and location must follow their files after the writes."""


@dataclass(slots=True)
class _Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    duplicates: int = 0
    missing: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    links_skipped: int = 0

    def summary(self, stopped: bool = False) -> ImportSummary:
        return ImportSummary(
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            moved=self.moved,
            duplicates=self.duplicates,
            missing=self.missing,
            failed=len(self.failures),
            failures=tuple(self.failures),
            warnings=tuple(self.warnings),
            links_skipped=self.links_skipped,
            stopped=stopped,
        )


def import_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    follow_links: bool = False,
    workers: int | None = None,
) -> ImportSummary:
    """Import the video files under `paths` (folders recursively, or files) into `store`.

    Unchanged files are skipped without probing; moved files keep their clip; vanished ones are
    marked missing. Bad files never raise: they are listed in the summary's failures. Raises
    LibraryError only when none of `paths` exists nor was imported before. `workers` defaults to
    the number of cores.
    """
    return _Run(store, progress, should_stop, workers or os.cpu_count() or 1).run(
        [Path(os.path.abspath(path)) for path in paths], follow_links
    )


class _Run:
    """One import run: the state shared by its stages."""

    def __init__(
        self,
        store: Store,
        progress: ProgressCallback | None,
        should_stop: Callable[[], bool] | None,
        workers: int,
    ) -> None:
        self.store = store
        self.index = FileIndex(store)
        self.progress = progress
        self.should_stop = should_stop or (lambda: False)
        self.workers = workers
        self.tally = _Tally()
        self.seen: set[str] = set()
        self.roots: list[Path] = []
        self.done = 0
        self.total = 0

    def run(self, paths: list[Path], follow_links: bool) -> ImportSummary:
        present = []
        for path in dict.fromkeys(paths):
            if os.path.lexists(path) and not (path.is_dir() or path.is_file()):  # a device, a pipe, a socket
                self.tally.failures.append(Failure(path, "not a folder or a file"))
            elif os.path.lexists(path):
                present.append(path)
                self.roots.append(path)
            elif self.index.stamps(str(path)):
                self.roots.append(path)
                self.tally.failures.append(Failure(path, "not found (its clips are marked missing)"))
            else:
                self.tally.failures.append(Failure(path, "not found"))
        if not self.roots:
            reasons = [f"{display_path(failure.path)} {failure.reason}" for failure in self.tally.failures]
            raise LibraryError("nothing to import: " + ", ".join(reasons))
        for root in present:
            self.index.add_root(str(root))
        files, unreadable = self._scan(present, follow_links)
        if self.should_stop():
            return self.tally.summary(stopped=True)
        work = self._triage(files)
        if not self._analyse(work):
            return self.tally.summary(stopped=True)
        self._sweep(unreadable)
        return self.tally.summary()

    def _report(self, total: int | None, path: Path | None) -> None:
        if self.progress is not None:
            self.progress(ImportProgress(self.done, total, path, self.tally.summary()))

    def _scan(self, roots: list[Path], follow_links: bool) -> tuple[list[ScannedFile], list[str]]:
        files: list[ScannedFile] = []
        unreadable: list[str] = []
        for item in scan(roots, follow_links=follow_links):
            if isinstance(item, SkippedLink):
                self.tally.links_skipped += 1
                continue
            if isinstance(item, ScanProblem):
                self.tally.failures.append(Failure(item.path, item.reason))
                unreadable.append(str(item.path))
                continue
            if item.path in self.seen:
                continue
            self.seen.add(item.path)
            files.append(item)
            if len(files) % 256 == 0:
                self.done = len(files)
                self._report(None, Path(item.path))
                if self.should_stop():
                    break
        self.done = 0
        return files, unreadable

    def _triage(self, files: list[ScannedFile]) -> list[tuple[ScannedFile, FileRow | None]]:
        known: dict[str, tuple[int, int, int, bool]] = {}
        for root in self.roots:
            known.update(self.index.stamps(str(root)))
        work: list[tuple[ScannedFile, FileRow | None]] = []
        back: list[FileRow] = []
        for file in files:
            stamp = known.get(file.path)
            if stamp is None:
                work.append((file, None))
            elif stamp[:3] != (file.size, file.mtime_ns, file.meta_stamp):
                work.append((file, self.index.get(file.path)))
            elif stamp[3]:
                back.extend(row for row in [self.index.get(file.path)] if row is not None)
                self.tally.updated += 1
            else:
                self.tally.unchanged += 1
        if back:
            with self.index.transaction():
                self.index.set_missing((row.path for row in back), missing=False)
                self.index.refresh_clips(row.clip_id for row in back)
        self.total = len(files)
        self.done = len(files) - len(work)
        self._report(self.total, None)
        return work

    def _analyse(self, work: list[tuple[ScannedFile, FileRow | None]]) -> bool:
        """Analyse and record `work` (in worker processes when there is enough); False when stopped early."""
        files = [file for file, _ in work]
        if self.workers < 2 or len(work) < POOL_THRESHOLD:
            return self._record_all(work, map(analyse, files))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        ) as pool:
            try:
                return self._record_all(work, pool.map(analyse, files, chunksize=8))
            finally:
                pool.shutdown(cancel_futures=True)

    def _record_all(
        self, work: list[tuple[ScannedFile, FileRow | None]], results: Iterator[_Analysis | Failure]
    ) -> bool:
        for batch in _batches(zip(work, results, strict=True), BATCH):
            self._record(batch)
            if self.should_stop():
                return False
        return True

    def _record(self, batch: list[tuple[tuple[ScannedFile, FileRow | None], _Analysis | Failure]]) -> None:
        """Place a batch of analysed files and write them in one transaction."""
        writes = _Writes()
        for (_, row), result in batch:
            if isinstance(result, Failure):
                self.tally.failures.append(result)
            else:
                self.tally.warnings.extend(result.warnings)
                self._place(result, row, writes)
        with self.index.transaction():
            self.index.delete(writes.deleted)
            self.store.upsert_clips(writes.clips.values())
            self.index.put(writes.files.values())
            self.index.refresh_clips(writes.touched)
        for (file, _), _ in batch:
            self.done += 1
            self._report(self.total, Path(file.path))

    def _place(self, analysis: _Analysis, row: FileRow | None, writes: _Writes) -> None:
        """Decide which clip a new or changed file is: added, updated, moved or a duplicate."""
        digest = analysis.content_hash
        if row is not None:
            clip_id = row.clip_id
            if digest != row.content_hash and any(
                other.path != row.path and other.content_hash == row.content_hash and self._present(other)
                for other in self.index.of_clip(row.clip_id)
            ):
                clip_id = next((other.clip_id for other in self._with_hash(digest, writes)), digest)
            self.tally.updated += 1
            writes.touched.update((row.clip_id, clip_id))
            writes.clips[clip_id] = replace(analysis.clip, id=clip_id)
        else:
            matches = self._with_hash(digest, writes)
            if not matches:
                clip_id = digest
                self.tally.added += 1
                writes.clips[clip_id] = replace(analysis.clip, id=clip_id)
            else:
                clip_id = matches[0].clip_id
                writes.touched.add(clip_id)
                if any(self._present(other) for other in matches):
                    self.tally.duplicates += 1
                else:
                    self.tally.moved += 1
                    writes.deleted.extend(other.path for other in matches if self._under_roots(other.path))
                    writes.clips[clip_id] = replace(analysis.clip, id=clip_id)
        writes.files[analysis.file.path] = _file_row(analysis, clip_id)

    def _with_hash(self, digest: str, writes: _Writes) -> list[FileRow]:
        """Known files with this content, including those placed earlier in the same batch."""
        pending = [row for row in writes.files.values() if row.content_hash == digest]
        return [*self.index.with_hash(digest), *pending]

    def _present(self, row: FileRow) -> bool:
        """Whether a known location holds its file now: seen by this scan, or on disk outside it."""
        if self._under_roots(row.path):
            return row.path in self.seen
        return not row.missing and os.path.exists(row.path)

    def _under_roots(self, path: str) -> bool:
        return any(path == str(root) or path.startswith(str(root).rstrip("/") + "/") for root in self.roots)

    def _sweep(self, unreadable: list[str]) -> None:
        """Mark known files under the roots that this scan did not find as missing."""
        gone: list[str] = []
        for root in self.roots:
            for path in self.index.stamps(str(root)):
                if path not in self.seen and not any(path.startswith(folder + "/") for folder in unreadable):
                    gone.append(path)
        self.tally.missing = len(set(gone))
        if gone:
            rows = [row for path in gone if (row := self.index.get(path)) is not None]
            with self.index.transaction():
                self.index.set_missing((row.path for row in rows if not row.missing), missing=True)
                self.index.refresh_clips(row.clip_id for row in rows)


def analyse(file: ScannedFile) -> _Analysis | Failure:
    """Hash, probe and describe one file; a bad file comes back as a Failure, never as an exception."""
    path = Path(file.path)
    try:
        digest = content_hash(path)
        probed = probe(path)
    except ProbeError as error:
        return Failure(path, clean(error.reason))
    except PermissionError:
        return Failure(path, "unreadable: permission denied")
    except OSError as error:
        return Failure(path, clean(f"unreadable: {error.strerror or error}"))
    layers = describe_layers(file, probed)
    meta = merge(layer for _, layer in layers)
    clip = Clip(
        id="",
        location=file.path,
        title=meta.title or display_path(path.name),
        creator=meta.creator,
        description=meta.description or "",
        tags=meta.tags,
        sound=meta.sound,
        duration_ms=probed.duration_ms or meta.duration_ms,
        width=probed.width,
        height=probed.height,
        popularity=meta.popularity,
        published_at=meta.published_at,
        source_id=meta.source_id,
        source_url=meta.source_url,
        embedding=embedding(probed.thumbnails, meta.title or "", meta.description or "", meta.tags),
    )
    warnings = tuple(Failure(where, problem) for where, layer in layers for problem in layer.problems)
    return _Analysis(file, digest, replace(probed, thumbnails=()), clip, warnings)


def describe(file: ScannedFile, probed: ProbeResult) -> Metadata:
    """Everything the files say about a clip, most trusted first: .info.json, .nfo, tags, names."""
    return merge(layer for _, layer in describe_layers(file, probed))


def describe_layers(file: ScannedFile, probed: ProbeResult) -> list[tuple[Path, Metadata]]:
    """Each layer of description with the file it came from, most trusted first."""
    path = Path(file.path)
    readers = {".json": read_info_json, ".nfo": read_nfo}
    sidecars = [(side, readers[side.suffix.lower()](side)) for side in file.sidecars]
    return [*sidecars, (path, from_container_tags(probed.tags)), (path, from_names(path))]


def _start_worker(parent: int) -> None:
    """Worker processes leave Ctrl-C to the parent, which stops the run cleanly, and die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), name="orphan-watch", daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    """Exit as soon as the importing process is gone (SIGKILL, SIGTERM, a crash): it cannot tell us."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_S)
    os._exit(1)


def _file_row(analysis: _Analysis, clip_id: str) -> FileRow:
    file, probed = analysis.file, analysis.probed
    return FileRow(
        path=file.path,
        root=file.root,
        clip_id=clip_id,
        content_hash=analysis.content_hash,
        size=file.size,
        mtime_ns=file.mtime_ns,
        meta_stamp=file.meta_stamp,
        video_codec=probed.video_codec,
        audio_codec=probed.audio_codec,
        rotation=probed.rotation,
    )


def _batches(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
