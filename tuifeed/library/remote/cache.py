"""The prefetch cache: remote clips downloaded ahead into the user cache directory, least recently used evicted.

Files are named by the clip id (a hash), never by the remote name, and are written as `<name>.part`
until complete, then renamed; a cut download resumes with Range. The index lives in SQLite
(`cache_entries`). Liked and saved clips, and the ones about to play, are never evicted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tuifeed.errors import NotDownloadable
from tuifeed.library.remote.urls import redact
from tuifeed.library.scan import VIDEO_EXTENSIONS
from tuifeed.models import Clip, EventKind
from tuifeed.store import Store
from tuifeed.store.cache import CacheIndex

if TYPE_CHECKING:
    from tuifeed.library.remote.client import RemoteClient


class PrefetchCache:
    """A folder of downloaded clips with a size cap; each call takes the calling thread's Store."""

    def __init__(self, folder: Path, cap_bytes: int, client: RemoteClient | Callable[[], RemoteClient]) -> None:
        """Keep at most `cap_bytes` of clips in `folder` (created when first needed), downloading with `client`.

        `client` may be a function giving it, so that it is made only when the first download starts.
        """
        self.folder = folder
        self.cap_bytes = cap_bytes
        self._client = client

    @property
    def client(self) -> RemoteClient:
        """The HTTP client downloads go through."""
        return self._client() if callable(self._client) else self._client

    def cached(self, store: Store, clip: Clip, *, touch: bool = True) -> Path | None:
        """The complete cached file of `clip`, marked as just used (with `touch`); None when it is not (all) there."""
        index = CacheIndex(store)
        entry = index.get(clip.id)
        if entry is None or not entry.complete:
            return None
        path = self.folder / entry.file
        if not path.is_file():
            index.remove([clip.id])
            return None
        if touch:
            index.touch(clip.id)
        return path

    def fetch(
        self,
        store: Store,
        clip: Clip,
        *,
        keep: Iterable[str] = (),
        should_stop: Callable[[], bool] = lambda: False,
        before_evict: Callable[[], object] = lambda: None,
    ) -> Path | None:
        """Download `clip` into the cache (resuming a `.part`), then evict down to the cap sparing `keep`.

        `before_evict` runs between the two (the library writes there which cached clips were played while
        the download ran). Returns the complete file, or None when `should_stop` ended the download early.
        Raises RemoteError when the download fails (what came so far stays, to resume), NotDownloadable when
        what came is an HLS playlist (nothing of it is kept).
        """
        done = self.cached(store, clip)
        if done is not None:
            return done
        index = CacheIndex(store)
        name = self.file_name(clip)
        path = self.folder / name
        part = path.with_name(name + ".part")
        self.folder.mkdir(parents=True, exist_ok=True)
        index.put(clip.id, clip.location, name, _size(part), complete=False)
        try:
            size = self.client.download(clip.location, part, should_stop=should_stop)
        finally:
            index.put(clip.id, clip.location, name, _size(part), complete=False)
        if size is None:
            return None
        if _is_playlist(part):
            part.unlink()
            index.remove([clip.id])
            raise NotDownloadable(redact(clip.location), "an HLS playlist, not a file: it can only stream")
        os.replace(part, path)
        index.put(clip.id, clip.location, name, size, complete=True)
        before_evict()
        self.evict(store, keep={clip.id, *keep})
        return path

    def evict(self, store: Store, keep: Iterable[str] = ()) -> list[str]:
        """Delete least recently used files until the cache fits its cap; liked, saved and `keep` stay.

        Returns the ids of the clips evicted.
        """
        index = CacheIndex(store)
        spared = store.liked_ids() | store.active(EventKind.SAVE) | set(keep)
        total = index.total_size()
        evicted: list[str] = []
        for entry in index.entries():
            if total <= self.cap_bytes:
                break
            if entry.clip_id in spared:
                continue
            for path in (self.folder / entry.file, self.folder / (entry.file + ".part")):
                path.unlink(missing_ok=True)
            total -= entry.size
            evicted.append(entry.clip_id)
        index.remove(evicted)
        return evicted

    @staticmethod
    def file_name(clip: Clip) -> str:
        """The cache file name of a clip: its id, with the URL's extension when it is a known video one."""
        if not re.fullmatch(r"[0-9a-f]{32}", clip.id):
            raise ValueError(f"not a remote clip id: {clip.id!r}")
        suffix = PurePosixPath(urlsplit(clip.location).path).suffix.lower()
        return clip.id + (suffix if suffix in VIDEO_EXTENSIONS else "")


def _is_playlist(path: Path) -> bool:
    """Whether the downloaded file is an (HLS) playlist: RFC 8216 has every one begin with #EXTM3U."""
    with path.open("rb") as file:
        return file.read(7) == b"#EXTM3U"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
