"""Damaged media found by benchmarks/media_fuzz.py: each imports or fails with a reason, never stops the import."""

from __future__ import annotations

from pathlib import Path

from library_support import make_clip

from tuifeed.library.importer import import_paths
from tuifeed.library.probe import probe
from tuifeed.store import Store


def _cut_before_last_stsd(path: Path) -> Path:
    """The file cut inside its last track's header, before the sample description naming the codec."""
    data = path.read_bytes()
    path.write_bytes(data[: data.rfind(b"stsd") - 4])
    return path


def test_a_track_without_a_codec_does_not_stop_the_import(store: Store, tmp_path: Path) -> None:
    """An MP4 cut inside its sound track's header: that track has no codec; the video imports, silent."""
    library = tmp_path / "library"
    damaged = _cut_before_last_stsd(make_clip(library / "cut.mp4", video_first=True))
    make_clip(library / "good.mp4", hue=1)
    summary = import_paths(store, [library], workers=1)
    assert (summary.added, summary.failed) == (2, 0)
    probed = probe(damaged)
    assert (probed.audio_codec, probed.video_codec, probed.width) == (None, "h264", 64)


def test_a_video_track_without_a_codec_is_a_failure_with_its_reason(store: Store, tmp_path: Path) -> None:
    """An MP4 cut inside its video track's header fails with a reason; the good file beside it is in."""
    library = tmp_path / "library"
    _cut_before_last_stsd(make_clip(library / "cut.mp4"))
    make_clip(library / "good.mp4", hue=1)
    summary = import_paths(store, [library], workers=1)
    assert summary.added == 1
    assert [(item.path.name, item.reason) for item in summary.failures] == [
        ("cut.mp4", "no decoder for its video (damaged, or an unsupported codec)")
    ]


def test_reasons_name_the_damage_not_ffmpeg_numbers_or_the_path(store: Store, tmp_path: Path) -> None:
    """A transport stream cut short is 'truncated'; a header declaring 4 billion entries is 'damaged'."""
    library = tmp_path / "library"
    stream = make_clip(library / "cut.ts", codec="mpeg2video", audio="mp2", container_format="mpegts")
    stream.write_bytes(stream.read_bytes()[:512])
    declared = make_clip(library / "declared.mp4")
    data = bytearray(declared.read_bytes())
    entries = data.find(b"stts") + 8
    data[entries : entries + 4] = b"\xff\xff\xff\xff"
    declared.write_bytes(bytes(data))
    summary = import_paths(store, [library], workers=1)
    assert sorted((item.path.name, item.reason) for item in summary.failures) == [
        ("cut.ts", "truncated"),
        ("declared.mp4", "damaged: its header declares impossible sizes"),
    ]


def test_sound_with_a_cover_picture_is_not_a_clip(store: Store, tmp_path: Path) -> None:
    """A music file's cover is a video stream to FFmpeg, but libvlc shows nothing: it is not imported."""
    library = tmp_path / "library"
    make_clip(library / "song.mp4", codec="mjpeg", fps=1, cover=True)
    make_clip(library / "good.mp4")
    summary = import_paths(store, [library], workers=1)
    assert summary.added == 1
    assert [(item.path.name, item.reason) for item in summary.failures] == [
        ("song.mp4", "no video track (sound with a cover picture)")
    ]


def test_a_clip_of_fewer_frames_than_libvlc_shows_is_not_imported(store: Store, tmp_path: Path) -> None:
    """One or two frames of video (a 0.04 s clip) give libvlc no picture: listed, not imported; three are in."""
    library = tmp_path / "library"
    for frames in (1, 2, 3):
        make_clip(library / f"{frames}.mp4", seconds=frames / 10, fps=10)
    summary = import_paths(store, [library], workers=1)
    assert summary.added == 1
    assert sorted((item.path.name, item.reason) for item in summary.failures) == [
        ("1.mp4", "too short to show: 1 frame of video"),
        ("2.mp4", "too short to show: 2 frames of video"),
    ]
