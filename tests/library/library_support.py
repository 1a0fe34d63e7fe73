"""Clip files for the library tests: a corpus of good and bad files, made with PyAV, and what each must give."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from tuifeed.store import Store

INFO = {
    "id": "7301abc",
    "extractor_key": "TikTok",
    "title": "Borzoi zoomies",
    "description": "so fast #BorzoisOfTikTok #dogs",
    "tags": ["borzoi", "Dogs"],
    "uploader": "ana.dogs",
    "channel": "Ana",
    "track": "original sound - ana.dogs",
    "artist": "ana.dogs",
    "duration": 1.0,
    "view_count": 50_000,
    "like_count": 1_200,
    "timestamp": 1_700_000_000,
    "upload_date": "20231114",
    "webpage_url": "https://www.tiktok.com/@ana.dogs/video/7301abc",
}

UNICODE_NAME = "Ünïcødé \u2013 日本 clip"
"""A file name with accents, an en dash and CJK characters."""

NFO = """<?xml version="1.0" encoding="UTF-8"?>
<movie><title>Sunset from the pier</title><plot>Evening light #goldenhour</plot>
<studio>Pier Films</studio><tag>sea</tag><genre>Nature</genre><premiered>2021-06-05</premiered></movie>
"""


def make_clip(
    path: Path,
    *,
    size: tuple[int, int] = (64, 112),
    seconds: float = 1.0,
    codec: str | None = "libx264",
    audio: str | None = "aac",
    rotation: int = 0,
    fps: int = 15,
    hue: int = 0,
    metadata: dict[str, str] | None = None,
    container_format: str | None = None,
    video_first: bool = False,
    cover: bool = False,
) -> Path:
    """Encode a small clip: a moving colour gradient (none when `codec` is None), a tone, rotation, tags.

    The sound is the first track unless `video_first`; with `cover` the video is marked as the sound's
    cover picture (an attached picture, as in a music file).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format=container_format) as container:
        container.metadata.update(metadata or {})
        video = _add_video(container, codec, size, fps, rotation, cover) if codec is not None and video_first else None
        sound = container.add_stream(audio, rate=44100 if audio == "mp2" else 48000) if audio else None
        if codec is not None:
            video = video or _add_video(container, codec, size, fps, rotation, cover)
            _encode_video(container, video, seconds, fps, hue)
        if sound is not None:
            rate = sound.codec_context.sample_rate
            for start in range(0, int(seconds * rate), 1024):
                tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(start, start + 1024) / rate)
                frame = av.AudioFrame.from_ndarray(np.tile(tone, (2, 1)).astype(np.float32), "fltp", "stereo")
                frame.sample_rate = rate
                frame.pts = start
                container.mux(sound.encode(frame))
            container.mux(sound.encode(None))
    return path


def _add_video(
    container: av.container.OutputContainer, codec: str, size: tuple[int, int], fps: int, rotation: int, cover: bool
) -> av.VideoStream:
    video = container.add_stream(codec, rate=fps)
    if cover:
        video.disposition = av.stream.Disposition.attached_pic
    video.width, video.height = size
    video.pix_fmt = "yuvj420p" if codec == "mjpeg" else "yuv420p"
    if rotation:
        video.set_display_rotation(rotation)
    return video


def _encode_video(
    container: av.container.OutputContainer, video: av.VideoStream, seconds: float, fps: int, hue: int
) -> None:
    width, height = video.width, video.height
    yy, xx = np.mgrid[0:height, 0:width]
    for index in range(int(seconds * fps)):
        image = np.zeros((height, width, 3), np.uint8)
        image[..., hue % 3] = (xx * 4 + index * 9) % 256
        image[..., (hue + 1) % 3] = (yy * 2) % 256
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = index
        frame.time_base = Fraction(1, fps)
        container.mux(video.encode(frame))
    container.mux(video.encode(None))


def build_corpus(root: Path) -> None:
    """The mixed library of the tests: good clips of every kind, sidecars, and bad files."""
    make_clip(root / "phone" / "VID_0001.mp4", size=(64, 112))
    make_clip(root / "phone" / "landscape.mov", size=(112, 64), audio=None, hue=1)
    make_clip(root / "phone" / "rotated.mp4", size=(112, 64), rotation=90, hue=2)
    tiktok = make_clip(
        root / "tiktok" / "ana" / "Borzoi zoomies [7301abc].webm", codec="libvpx-vp9", audio="libopus", hue=1
    )
    (tiktok.parent / "Borzoi zoomies [7301abc].info.json").write_text(json.dumps(INFO), encoding="utf-8")
    make_clip(root / "shorts" / f"{UNICODE_NAME}.mkv", codec="mpeg4", audio="libmp3lame", hue=2)
    make_clip(root / "odd" / "name with spaces & 'quotes'.avi", codec="mjpeg", audio=None)
    make_clip(root / "odd" / "old phone.3gp", size=(128, 96), codec="h263", audio=None, hue=1)
    make_clip(root / "odd" / "broadcast.ts", codec="mpeg2video", audio="mp2", hue=2, container_format="mpegts")
    make_clip(root / "odd" / "deep" / "er" / "clip.m4v", hue=1, container_format="mp4")
    make_clip(root / "odd" / "camcorder.mpg", codec="mpeg1video", audio="mp2", fps=25, container_format="mpeg")
    make_clip(root / "odd" / "old flash.flv", codec="flv", audio="libmp3lame", hue=1, container_format="flv")
    make_clip(root / "odd" / "windows.wmv", codec="wmv2", audio=None, hue=2, container_format="asf")
    make_clip(root / "odd" / "open.ogv", codec="libvpx", audio=None, container_format="ogg")
    make_clip(root / "nfo" / "pier.mp4", size=(112, 64))
    (root / "nfo" / "pier.nfo").write_text(NFO, encoding="utf-8")
    make_clip(
        root / "tagged" / "tagged.mp4",
        metadata={"title": "Tagged title", "artist": "Tag Artist", "comment": "embedded #tagline"},
    )
    bad = root / "bad"
    bad.mkdir()
    (bad / "empty.mp4").write_bytes(b"")
    good = (root / "phone" / "VID_0001.mp4").read_bytes()
    (bad / "truncated.mp4").write_bytes(good[: len(good) // 2])
    (bad / "random.mp4").write_bytes(np.random.default_rng(7).bytes(4096))
    (bad / "notes.mkv").write_text("this is not a video\n", encoding="utf-8")
    make_clip(bad / "audio only.mp4", codec=None, seconds=0.5)
    (bad / "loop").symlink_to("..")
    (bad / "self.mp4").symlink_to("self.mp4")
    # Skipped without a word: hidden, partial downloads, other files.
    make_clip(root / ".hidden" / "secret.mp4")
    (root / "phone" / "VID_0002.mp4.part").write_bytes(good)
    (root / "phone" / "notes.txt").write_text("hi", encoding="utf-8")


GOOD = {
    "phone/VID_0001.mp4",
    "phone/landscape.mov",
    "phone/rotated.mp4",
    "tiktok/ana/Borzoi zoomies [7301abc].webm",
    f"shorts/{UNICODE_NAME}.mkv",
    "odd/name with spaces & 'quotes'.avi",
    "odd/old phone.3gp",
    "odd/broadcast.ts",
    "odd/deep/er/clip.m4v",
    "odd/camcorder.mpg",
    "odd/old flash.flv",
    "odd/windows.wmv",
    "odd/open.ogv",
    "nfo/pier.mp4",
    "tagged/tagged.mp4",
}
"""Relative paths of the corpus files that must import."""

BAD = {
    "bad/empty.mp4": "zero bytes",
    "bad/truncated.mp4": "truncated",
    "bad/random.mp4": "not a video",
    "bad/notes.mkv": "not a video",
    "bad/audio only.mp4": "no video track",
    "bad/loop": "symlink loop",
    "bad/self.mp4": "symlink loop",
}
"""Relative paths of the corpus files that must fail, with their reasons."""


def clips_by_path(store: Store, root: Path) -> dict[str, object]:
    """The store's clips keyed by location relative to `root`."""
    return {os.path.relpath(clip.location, root): clip for clip in store.clips(include_missing=True)}
