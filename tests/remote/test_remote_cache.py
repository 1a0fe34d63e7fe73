"""The prefetch cache over loopback: Range resume after a cut, `.part` then rename, LRU eviction at the cap."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from loopback import LoopbackServer

from tuifeed.errors import RemoteError
from tuifeed.library.remote.cache import PrefetchCache
from tuifeed.library.remote.client import RemoteClient
from tuifeed.library.remote.entries import make_clip
from tuifeed.library.sidecar import Metadata
from tuifeed.models import Clip, EventKind
from tuifeed.store import Store
from tuifeed.store.cache import CacheIndex


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "tuifeed.db")
    yield store
    store.close()


def _stored(store: Store, url: str) -> Clip:
    clip = make_clip(url, Metadata(title=url.rpartition("/")[2]))
    store.upsert_clips([clip])
    return clip


def test_cut_connection_resumes_with_range(server: LoopbackServer, client: RemoteClient, tmp_path: Path) -> None:
    """Cut after 100 kB, the next try asks for bytes=100000- and the file comes out byte-exact."""
    body = Path("media").resolve().joinpath("candyswirl-02.mp4").read_bytes()
    server.add("/c/a.mp4", body, "video/mp4", cut_after=100_000, cuts=1)
    part = tmp_path / "a.part"
    assert client.download(server.url("/c/a.mp4"), part) == len(body)
    assert part.read_bytes() == body
    first, second = server.requests("/c/a.mp4")
    assert "range" not in first.headers
    assert second.headers["range"] == "bytes=100000-"
    assert second.headers["accept-encoding"] == "identity"


def test_a_stopped_download_resumes_in_a_later_fetch(
    server: LoopbackServer, client: RemoteClient, db: Store, tmp_path: Path, media_clips: list[Path]
) -> None:
    """Stopped half-way, the `.part` stays in the index; the next fetch resumes it and renames it."""
    body = media_clips[1].read_bytes()
    server.add("/c/b.mp4", body, "video/mp4")
    cache = PrefetchCache(tmp_path / "cache", 10**9, client)
    clip = _stored(db, server.url("/c/b.mp4"))
    assert cache.fetch(db, clip, should_stop=lambda: True) is None
    entry = CacheIndex(db).get(clip.id)
    assert entry is not None and not entry.complete and 0 < entry.size < len(body)
    assert (tmp_path / "cache" / f"{clip.id}.mp4.part").stat().st_size == entry.size
    path = cache.fetch(db, clip)
    assert path == tmp_path / "cache" / f"{clip.id}.mp4"
    assert path.read_bytes() == body and not path.with_name(path.name + ".part").exists()
    assert server.requests("/c/b.mp4")[-1].headers["range"] == f"bytes={entry.size}-"
    assert cache.cached(db, clip) == path


def test_a_server_without_range_restarts_cleanly(
    server: LoopbackServer, client: RemoteClient, tmp_path: Path, media_clips: list[Path]
) -> None:
    """A 200 to a Range request means starting over: the `.part` is rewritten, not appended to."""
    body = media_clips[0].read_bytes()

    def whole(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server.routes["/c/plain.mp4"] = whole
    part = tmp_path / "plain.part"
    part.write_bytes(b"stale bytes from before")
    assert client.download(server.url("/c/plain.mp4"), part) == len(body)
    assert part.read_bytes() == body


def test_an_already_complete_part_is_accepted_on_416(
    server: LoopbackServer, client: RemoteClient, tmp_path: Path
) -> None:
    """A `.part` that already holds every byte gets 416 with the total: it is complete."""
    server.add("/c/done.mp4", b"x" * 5000, "video/mp4")
    part = tmp_path / "done.part"
    part.write_bytes(b"x" * 5000)
    assert client.download(server.url("/c/done.mp4"), part) == 5000


def test_cut_on_every_try_keeps_what_came(server: LoopbackServer, client: RemoteClient, tmp_path: Path) -> None:
    """A connection cut on every try: one clear line, and the `.part` keeps its bytes for later."""
    server.add("/c/flaky.mp4", b"v" * 500_000, "video/mp4", cut_after=1000, cuts=99)
    part = tmp_path / "flaky.part"
    with pytest.raises(RemoteError, match="connection cut"):
        client.download(server.url("/c/flaky.mp4"), part)
    assert part.stat().st_size == 3000  # three tries, each resumed where the last one stopped


def test_eviction_at_the_cap_spares_liked_saved_and_recent(
    server: LoopbackServer, client: RemoteClient, db: Store, tmp_path: Path
) -> None:
    """Four 10 kB clips into a 25 kB cache: least recently used go first; liked, saved and the newest stay."""
    clips = []
    for name in "abcd":
        server.add(f"/c/{name}.mp4", name.encode() * 10_000, "video/mp4")
        clips.append(_stored(db, server.url(f"/c/{name}.mp4")))
    a, b, c, d = clips
    cache = PrefetchCache(tmp_path / "cache", 25_000, client)
    db.record_like(a.id, True, "2025-01-01T00:00:00.000+00:00")
    db.record_event(EventKind.SAVE, b.id, True, "2025-01-01T00:00:00.000+00:00")
    for clip in (a, b, c):
        cache.fetch(db, clip)
    assert {entry.clip_id for entry in CacheIndex(db).entries()} == {a.id, b.id, c.id}  # over the cap: c plays next
    cache.fetch(db, d)
    assert {entry.clip_id for entry in CacheIndex(db).entries()} == {a.id, b.id, d.id}  # c is the oldest unpinned
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == sorted(
        f"{clip.id}.mp4" for clip in (a, b, d)
    )
    db.record_like(a.id, False, "2025-01-02T00:00:00.000+00:00")
    assert cache.evict(db) == [a.id]
    assert cache.cached(db, a) is None and cache.cached(db, d) is not None


def test_recently_played_outlives_older_downloads(
    server: LoopbackServer, client: RemoteClient, db: Store, tmp_path: Path
) -> None:
    """Order comes from a use counter: the clip played last is evicted last."""
    clips = []
    for name in "xyz":
        server.add(f"/c/{name}.mp4", name.encode() * 10_000, "video/mp4")
        clips.append(_stored(db, server.url(f"/c/{name}.mp4")))
    x, y, z = clips
    cache = PrefetchCache(tmp_path / "cache", 25_000, client)
    cache.fetch(db, x)
    cache.fetch(db, y)
    assert cache.cached(db, x) is not None  # x played: now the most recent
    cache.fetch(db, z)
    assert {entry.clip_id for entry in CacheIndex(db).entries()} == {x.id, z.id}


def test_cache_names_come_from_hashes(db: Store, client: RemoteClient, tmp_path: Path) -> None:
    """A remote name full of `../` never reaches the file system; odd extensions are dropped."""
    clip = _stored(db, "http://h/%2E%2E/%2E%2E/etc/evil.sh")
    assert PrefetchCache.file_name(clip) == clip.id
    assert PrefetchCache.file_name(_stored(db, "http://h/x/clip.WEBM")).endswith(".webm")
    with pytest.raises(ValueError, match="not a remote clip id"):
        PrefetchCache.file_name(Clip(id="../../x", location="http://h/a.mp4"))
