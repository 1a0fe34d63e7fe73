"""Probing a video file in-process with PyAV: streams, display size, tags and a few tiny frames.

This is the only module that imports `av`. PyAV releases the GIL while demuxing and decoding, so
several files can be probed at once from a thread pool.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

THUMB_SIZE = 32
"""Frames are returned as THUMB_SIZE x THUMB_SIZE RGB thumbnails."""
MOTION_GAP = 2
"""The second thumbnail is this many frames after the first, for a motion estimate."""
MIN_FRAMES = 3
"""libvlc shows no picture of a video track of fewer frames (measured on libvlc 3: one or two frames at 25 fps
failed, three played; a single frame under 3 s of sound failed too)."""

Thumbnail = npt.NDArray[np.uint8]

# One scaler per thread: libswscale reuses its context while the source size and format stay the same.
_local = threading.local()

# The first bytes of containers we know: a file that starts like one but cannot be opened is truncated.
_MAGIC = (b"\x1a\x45\xdf\xa3", b"RIFF", b"GIF8", b"\x00\x00\x01\xba")
_MP4_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"wide")


class ProbeError(Exception):
    """The file is not a playable video; `reason` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What a file holds, as far as the player and the recommender care."""

    duration_ms: int | None
    width: int
    """Display width: the stored width, or the height when the video is rotated a quarter turn."""
    height: int
    rotation: int
    """Degrees the video is rotated on display (0, 90, 180, 270)."""
    container: str
    video_codec: str
    audio_codec: str | None
    """None when the file has no audio track."""
    tags: dict[str, str] = field(default_factory=dict)
    """The container's metadata, keys lower-cased."""
    thumbnails: tuple[Thumbnail, ...] = ()
    """The first frame, a frame MOTION_GAP later, and a keyframe near the middle when there is one."""

    @property
    def has_audio(self) -> bool:
        """True when the file has an audio track."""
        return self.audio_codec is not None


def probe(path: Path) -> ProbeResult:
    """Open `path`, read its streams and decode a few frames; raise ProbeError for a bad file."""
    try:
        if path.stat().st_size == 0:
            raise ProbeError("zero bytes")
        container = av.open(str(path), metadata_errors="replace")
    except PermissionError as error:
        raise ProbeError("unreadable: permission denied") from error
    except (av.error.InvalidDataError, av.error.EOFError) as error:
        raise ProbeError("truncated" if _known_magic(path) else "not a video") from error
    except av.error.MemoryError as error:
        # FFmpeg allocates the tables a header declares before reading them: 4 billion entries fail here.
        raise ProbeError("damaged: its header declares impossible sizes") from error
    except av.error.FFmpegError as error:
        raise ProbeError(f"unreadable: {_cause(error)}") from error
    except OSError as error:
        raise ProbeError(f"unreadable: {error}") from error
    with container:
        # A cover picture is a video stream to FFmpeg; libvlc shows nothing of it.
        videos = [stream for stream in container.streams.video if not _is_cover(stream)]
        if not videos:
            raise ProbeError(
                "no video track (sound with a cover picture)" if container.streams.video else "no video track"
            )
        video = videos[0]
        if video.codec_context is None:
            raise ProbeError("no decoder for its video (damaged, or an unsupported codec)")
        video.thread_type = "NONE"
        # A damaged header can leave a track without a codec: it is no sound the player can give.
        audio = next(
            (stream.codec_context.codec.canonical_name for stream in container.streams.audio if stream.codec_context),
            None,
        )
        try:
            thumbnails, rotation, frames = _thumbnails(container, video)
        except av.error.FFmpegError as error:
            raise ProbeError(f"undecodable video: {_cause(error)}") from error
        if not thumbnails:
            raise ProbeError("truncated" if _known_magic(path) else "no decodable video frames")
        if frames < MIN_FRAMES:
            raise ProbeError(f"too short to show: {frames} frame{'s' if frames > 1 else ''} of video")
        width, height = video.codec_context.width, video.codec_context.height
        if rotation % 180:
            width, height = height, width
        return ProbeResult(
            duration_ms=_duration_ms(container, video),
            width=width,
            height=height,
            rotation=rotation,
            container=container.format.name,
            video_codec=video.codec_context.codec.canonical_name,
            audio_codec=audio,
            tags={str(key).lower(): str(value) for key, value in container.metadata.items()},
            thumbnails=tuple(thumbnails),
        )


def _thumbnails(container: av.container.InputContainer, video: av.VideoStream) -> tuple[list[Thumbnail], int, int]:
    """The thumbnails, the rotation, and how many frames were decoded (MIN_FRAMES at most)."""
    thumbnails: list[Thumbnail] = []
    rotation = 0
    frames = 0
    first_pts: int | None = None
    for index, frame in enumerate(container.decode(video)):
        frames = index + 1
        if index == 0:
            rotation = int(getattr(frame, "rotation", 0) or 0) % 360
            first_pts = frame.pts
        if index in (0, MOTION_GAP):
            thumbnails.append(_thumb(frame))
        if index >= MOTION_GAP:
            break
    middle = (container.duration or 0) // 2
    if thumbnails and middle > 0:
        container.seek(middle, backward=True)
        for frame in container.decode(video):
            if frame.pts is not None and first_pts is not None and frame.pts > first_pts:
                thumbnails.append(_thumb(frame))
            break
    return thumbnails, rotation, frames


def _thumb(frame: av.VideoFrame) -> Thumbnail:
    reformatter = getattr(_local, "reformatter", None)
    if reformatter is None:
        reformatter = _local.reformatter = av.video.reformatter.VideoReformatter()
    small = reformatter.reformat(
        frame, width=THUMB_SIZE, height=THUMB_SIZE, format="rgb24", interpolation="FAST_BILINEAR"
    )
    return np.asarray(small.to_ndarray(), np.uint8)


def _duration_ms(container: av.container.InputContainer, video: av.VideoStream) -> int | None:
    if container.duration and container.duration > 0:
        return int(container.duration // 1000)
    if video.duration and video.time_base:
        return int(video.duration * video.time_base * 1000)
    return None


def _is_cover(stream: av.VideoStream) -> bool:
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _cause(error: av.error.FFmpegError) -> str:
    """FFmpeg's words for the error, without its number and the file name the failure list shows already."""
    return str(error.strerror or error).lower()


def _known_magic(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            head = file.read(189)
    except OSError:
        return False
    is_ts = len(head) == 189 and head[0] == head[188] == 0x47
    return is_ts or head[4:8] in _MP4_BOXES or head.startswith(_MAGIC)
