"""The import pipeline against the generated corpus: every good clip described, every bad file named."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from library_support import BAD, GOOD, UNICODE_NAME, clips_by_path, make_clip

from tuifeed.library import ImportProgress, import_paths
from tuifeed.library.fingerprint import EMBEDDING_DIMS
from tuifeed.library.identity import content_hash
from tuifeed.store import Store


def test_every_good_clip_imports_and_every_bad_file_is_reported(store: Store, corpus: Path) -> None:
    """Good clips land in the store; bad ones are failures with their reason; nothing else is seen."""
    summary = import_paths(store, [corpus])
    clips = clips_by_path(store, corpus)
    assert set(clips) == GOOD
    assert {os.path.relpath(item.path, corpus): item.reason for item in summary.failures} == BAD
    assert (summary.added, summary.failed, summary.unchanged, summary.missing) == (len(GOOD), len(BAD), 0, 0)


def test_yt_dlp_sidecar_describes_the_clip(store: Store, corpus: Path) -> None:
    """Title, creator, sound, tags with hashtags, popularity, dates and source come from .info.json."""
    import_paths(store, [corpus])
    clip = clips_by_path(store, corpus)["tiktok/ana/Borzoi zoomies [7301abc].webm"]
    assert clip.title == "Borzoi zoomies"
    assert clip.creator == "ana.dogs"
    assert clip.sound == "original sound - ana.dogs"
    assert clip.tags == ("borzoi", "Dogs", "BorzoisOfTikTok")
    assert clip.popularity == 1_200
    assert clip.published_at == "2023-11-14T22:13:20+00:00"
    assert clip.source_id == "tiktok:7301abc"
    assert clip.source_url == "https://www.tiktok.com/@ana.dogs/video/7301abc"
    assert clip.description == "so fast #BorzoisOfTikTok #dogs"


def test_nfo_tags_and_names_fill_in_when_there_is_no_info_json(store: Store, corpus: Path) -> None:
    """.nfo, then container tags, then file and folder names describe clips."""
    import_paths(store, [corpus])
    clips = clips_by_path(store, corpus)
    pier = clips["nfo/pier.mp4"]
    assert (pier.title, pier.creator, pier.published_at) == (
        "Sunset from the pier",
        "Pier Films",
        "2021-06-05T00:00:00+00:00",
    )
    assert pier.tags == ("sea", "Nature", "goldenhour")
    tagged = clips["tagged/tagged.mp4"]
    assert (tagged.title, tagged.creator, tagged.tags) == ("Tagged title", "Tag Artist", ("tagline",))
    named = clips[f"shorts/{UNICODE_NAME}.mkv"]
    assert (named.title, named.creator) == (UNICODE_NAME, "shorts")


@pytest.mark.parametrize(
    ("path", "width", "height", "video_codec", "audio_codec", "rotation"),
    [
        ("phone/VID_0001.mp4", 64, 112, "h264", "aac", 0),
        ("phone/landscape.mov", 112, 64, "h264", None, 0),
        ("phone/rotated.mp4", 64, 112, "h264", "aac", 90),
        ("tiktok/ana/Borzoi zoomies [7301abc].webm", 64, 112, "vp9", "opus", 0),
        (f"shorts/{UNICODE_NAME}.mkv", 64, 112, "mpeg4", "mp3", 0),
        ("odd/name with spaces & 'quotes'.avi", 64, 112, "mjpeg", None, 0),
        ("odd/old phone.3gp", 128, 96, "h263", None, 0),
        ("odd/broadcast.ts", 64, 112, "mpeg2video", "mp2", 0),
        ("odd/camcorder.mpg", 64, 112, "mpeg1video", "mp2", 0),
        ("odd/old flash.flv", 64, 112, "flv1", "mp3", 0),
        ("odd/windows.wmv", 64, 112, "wmv2", None, 0),
        ("odd/open.ogv", 64, 112, "vp8", None, 0),
    ],
)
def test_probe_reads_display_size_codecs_and_audio(
    store: Store,
    corpus_template: Path,
    path: str,
    width: int,
    height: int,
    video_codec: str,
    audio_codec: str | None,
    rotation: int,
) -> None:
    """Display size (rotation applied), codecs and audio presence are recorded per file."""
    import_paths(store, [corpus_template / path])
    [clip] = store.clips()
    assert (clip.width, clip.height) == (width, height)
    assert clip.duration_ms is not None and 900 <= clip.duration_ms <= 1100
    [row] = store.rows("SELECT video_codec, audio_codec, rotation FROM files")
    assert (row["video_codec"], row["audio_codec"], row["rotation"]) == (video_codec, audio_codec, rotation)


def test_clip_id_is_the_content_hash_and_embedding_has_fixed_length(store: Store, corpus: Path) -> None:
    """A new clip's id is the hash of its head, tail and size; every clip has a full fingerprint."""
    import_paths(store, [corpus])
    clip = clips_by_path(store, corpus)["phone/VID_0001.mp4"]
    assert clip.id == content_hash(corpus / "phone/VID_0001.mp4")
    assert all(len(item.embedding or ()) == EMBEDDING_DIMS for item in store.clips())


def test_progress_reports_scan_then_every_file(store: Store, corpus: Path) -> None:
    """Progress ends at done == total with the final counts."""
    reports: list[ImportProgress] = []
    summary = import_paths(store, [corpus], progress=reports.append)
    last = reports[-1]
    assert last.total == last.done == len(GOOD) + len(BAD) - 2  # loops are found by the scan itself
    assert last.summary.added == summary.added
    assert [report.done for report in reports] == sorted(report.done for report in reports)


def test_should_stop_ends_the_run_and_the_next_run_resumes(store: Store, tmp_path: Path) -> None:
    """A stopped run keeps what it recorded and marks nothing missing; the next one finishes."""
    for index in range(70):
        make_clip(tmp_path / "many" / f"clip{index:02}.mp4", seconds=0.2, audio=None, metadata={"title": str(index)})
    recorded: list[int] = []
    first = import_paths(
        store,
        [tmp_path / "many"],
        progress=lambda report: recorded.append(report.done) if report.total else None,
        should_stop=lambda: bool(recorded and recorded[-1]),
    )
    assert first.stopped
    assert first.added == store.clip_count() == 64
    second = import_paths(store, [tmp_path / "many"])
    assert (second.added, second.unchanged, second.missing) == (6, 64, 0)


def test_explicitly_named_file_and_missing_path(store: Store, corpus: Path, tmp_path: Path) -> None:
    """A named file imports whatever its folder; a path that does not exist is a failure."""
    summary = import_paths(store, [corpus / "phone" / "VID_0001.mp4", tmp_path / "nowhere"])
    assert summary.added == 1
    assert [(item.path, item.reason) for item in summary.failures] == [(tmp_path / "nowhere", "not found")]


def test_nothing_to_import_raises(store: Store, tmp_path: Path) -> None:
    """When no named path exists and none was imported before, the run cannot happen."""
    from tuifeed.errors import LibraryError

    with pytest.raises(LibraryError, match="nothing to import"):
        import_paths(store, [tmp_path / "nowhere"])


def test_a_device_or_pipe_is_named_as_neither_folder_nor_file(store: Store, tmp_path: Path, corpus: Path) -> None:
    """/dev/null or a FIFO given to import: one failure saying what it is not; never read, never a silent zero."""
    import os

    from tuifeed.errors import LibraryError

    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    with pytest.raises(LibraryError, match=r"nothing to import: /dev/null not a folder or a file, .*nowhere not found"):
        import_paths(store, [Path("/dev/null"), tmp_path / "nowhere"])
    summary = import_paths(store, [fifo, corpus / "phone" / "VID_0001.mp4"])
    assert summary.added == 1
    assert [(item.path, item.reason) for item in summary.failures] == [(fifo, "not a folder or a file")]


MEDIA = Path(__file__).resolve().parents[2] / "media"


@pytest.mark.skipif(not any(MEDIA.glob("*.mp4")), reason="media/ has not been generated")
def test_bundled_media_imports_with_full_metadata(store: Store) -> None:
    """Every clip of the bundled library comes with title, creator, tags, sound, popularity and date."""
    summary = import_paths(store, [MEDIA])
    assert summary.failures == ()
    assert summary.added == len(list(MEDIA.glob("*.mp4")))
    for clip in store.clips():
        assert clip.title and clip.creator and clip.tags and clip.sound, clip
        assert clip.popularity is not None and clip.published_at and clip.duration_ms, clip
        assert clip.width and clip.height and clip.source_url, clip
