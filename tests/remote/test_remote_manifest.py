"""tuifeed-library.json: reading any JSON safely, and export-manifest -> a static server -> the same library."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from loopback import LoopbackServer
from servers import python_http_server

from tuifeed.library.fingerprint import EMBEDDING_DIMS
from tuifeed.library.manifest import FILE_NAME, BadManifest, read_manifest
from tuifeed.library.remote.urls import is_remote
from tuifeed.library.service import Library
from tuifeed.models import SourceKind
from tuifeed.store import Store

BASE = "http://127.0.0.1:8000/lib/tuifeed-library.json"

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
_CLIP = st.fixed_dictionaries(
    {"url": st.text(max_size=30) | st.integers()},
    optional={
        key: _JSON
        for key in ("title", "creator", "tags", "sound", "duration", "popularity", "embedding", "width", "published")
    },
)


@given(st.dictionaries(st.sampled_from(["format", "version", "title", "clips"]), _JSON) | _JSON)
def test_any_json_is_read_or_refused_cleanly(data: object) -> None:
    """Whatever the JSON, the reader returns clips or raises BadManifest, nothing else."""
    with contextlib.suppress(BadManifest):
        read_manifest(json.dumps(data).encode(), BASE)


@given(st.lists(_CLIP, max_size=6))
def test_clips_with_any_fields_are_kept_or_skipped_by_name(items: list[dict[str, object]]) -> None:
    """Each clip is either read (http(s) location, cleaned text) or skipped with its number."""
    parsed = read_manifest(json.dumps({"clips": items}).encode(), BASE)
    assert len(parsed.clips) + len(parsed.skipped) == len(items)
    assert all(is_remote(clip.location) for clip in parsed.clips)
    assert all(skipped.startswith("clip ") for skipped in parsed.skipped)


@given(st.integers(), st.integers())
def test_any_whole_number_as_popularity_or_duration_is_stored(popularity: int, duration: int) -> None:
    """A count or duration past SQLite's 64 bits is clamped or dropped at entry, so storing the clip never fails."""
    document = {"clips": [{"url": "a.mp4", "popularity": popularity, "duration": duration}]}
    clips = read_manifest(json.dumps(document).encode(), BASE).clips
    store = Store(":memory:")
    try:
        store.upsert_clips(clips)
        assert [(clip.popularity, clip.duration_ms) for clip in store.clips()] == [
            (clip.popularity, clip.duration_ms) for clip in clips
        ]
    finally:
        store.close()


def test_bad_documents_are_refused() -> None:
    """Not JSON, no clips list, another format, a newer version: each one a clear cause."""
    for content, cause in [
        (b"{oops", "malformed JSON"),
        (b"[1, 2]", 'no "clips" list'),
        (b'{"format": "other", "clips": []}', "not 'tuifeed-library'"),
        (b'{"version": 9, "clips": []}', "newer than this tuifeed reads"),
    ]:
        with pytest.raises(BadManifest, match=cause):
            read_manifest(content, BASE)


def test_fields_and_unsafe_urls() -> None:
    """Every documented field is read; a file: URL and a clip with bad types are skipped by number."""
    vector = [0.5] * EMBEDDING_DIMS
    document = {
        "format": "tuifeed-library",
        "version": 1,
        "title": "Mine",
        "clips": [
            {
                "url": "a b.mp4",
                "title": "A",
                "creator": "ana",
                "tags": ["#Sea", "sea"],
                "sound": "lofi-3",
                "duration": 14.25,
                "popularity": 9,
                "embedding": vector,
                "width": 360,
                "height": 640,
            },
            {"url": "file:///etc/passwd"},
            {"url": "b.mp4", "popularity": "many"},
        ],
    }
    parsed = read_manifest(json.dumps(document).encode(), BASE)
    [clip] = parsed.clips
    assert clip.location == "http://127.0.0.1:8000/lib/a b.mp4"
    assert (clip.title, clip.creator, clip.tags, clip.sound) == ("A", "ana", ("Sea",), "lofi-3")
    assert (clip.duration_ms, clip.popularity, clip.width, clip.height) == (14_250, 9, 360, 640)
    assert clip.embedding == tuple(vector)
    assert [line.split(":")[0] for line in parsed.skipped] == ["clip 2", "clip 3"]


def test_malformed_manifest_over_http_is_one_line(server: LoopbackServer, library: Library) -> None:
    """A broken manifest: one line naming the source and the cause; nothing added."""
    server.add("/lib/tuifeed-library.json", b'{"clips": [', "application/json")
    result = library.add_remote(server.url("/lib/tuifeed-library.json"))
    assert result.error is not None and result.error.startswith(server.url("/lib/tuifeed-library.json") + ": malformed")
    assert library.remotes() == []


def test_export_serve_and_add_round_trip(tmp_path: Path, library: Library, media_clips: list[Path]) -> None:
    """Import a folder, export its manifest, serve it with http.server: the remote clips say the same."""
    folder = tmp_path / "share"
    (folder / "sub dir").mkdir(parents=True)
    for clip in media_clips[:2]:
        shutil.copy(clip, folder / clip.name)
        shutil.copy(clip.with_suffix(".info.json"), folder / clip.with_suffix(".info.json").name)
    shutil.copy(media_clips[2], folder / "sub dir" / media_clips[2].name)
    library.import_paths([folder])
    path, count = library.export_manifest(folder)
    assert (path, count) == (folder / FILE_NAME, 3)
    with python_http_server(folder) as base:
        result = library.add_remote(f"{base}/{FILE_NAME}")
        assert result.error is None and result.kind is SourceKind.MANIFEST, result.line()
        remote = library.remote_clips(f"{base}/{FILE_NAME}")
    from tuifeed.store import Store

    store = Store(library.database)
    try:
        local = {Path(clip.location).name: clip for clip in store.clips() if not is_remote(clip.location)}
    finally:
        store.close()
    assert len(remote) == 3
    for clip in remote:
        twin = local[clip.location.rpartition("/")[2].replace("%20", " ")]
        assert (clip.title, clip.creator, clip.sound, set(clip.tags), clip.duration_ms, clip.popularity) == (
            twin.title,
            twin.creator,
            twin.sound,
            set(twin.tags),
            twin.duration_ms,
            twin.popularity,
        )
        assert clip.embedding is not None and twin.embedding is not None
        assert max(abs(a - b) for a, b in zip(clip.embedding, twin.embedding, strict=True)) < 1e-4
    assert any("/sub%20dir/" in clip.location for clip in remote)
