"""Playback instrumentation for benchmarks: active only when $TUIFEED_STATS names a JSON file to write at exit.

`attach(app)` is called once at mount. Without the variable it returns at once and nothing is wrapped,
so a normal run pays nothing. With it, the video view's frame listeners, the driver's `write` and the
feed's next-clip action record monotonic timestamps (comparable across processes on Linux): every frame
shown (written by the frame pump, or painted by Textual while the video is covered), every swipe, when
each stay's dwell clock started on its first picture, the bytes sent to the terminal and the quality
step. CPU time and peak RSS are added when the process exits.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tuifeed.render.pump import Painted
    from tuifeed.ui.app import TuifeedApp

ENV_VAR = "TUIFEED_STATS"


class Recorder:
    """Collects the timestamps of one run and writes them as JSON."""

    def __init__(self, path: Path) -> None:
        """Record into memory; `write` saves to `path`."""
        self.path = path
        self.frames: list[tuple[float, int, int]] = []
        """(monotonic time, bytes written so far, quality step) at each frame shown."""
        self.swipes: list[tuple[float, int]] = []
        """(monotonic time, frames painted so far) at each swipe to the next clip."""
        self.pictures: list[tuple[float, str]] = []
        """(monotonic time, stay key) when each stay's first picture was shown and its dwell clock started."""
        self.bytes_written = 0
        self.dropped = 0
        self.mounted_at = time.monotonic()
        """When the app mounted (attach time): launch splits into start-up before it and the first frame after."""
        self._lock = threading.Lock()
        """Frames are counted on the pump's thread, Textual's writes on its writer thread."""

    def painted(self, painted: Painted, level: int, dropped: int) -> None:
        """A frame was shown; ``sent`` of its bytes went around Textual."""
        with self._lock:
            self.bytes_written += painted.sent
            self.dropped = dropped
            self.frames.append((painted.at, self.bytes_written, level))

    def swiped(self) -> None:
        """The person swiped to the next clip."""
        self.swipes.append((time.monotonic(), len(self.frames)))

    def pictured(self, stay: str) -> None:
        """The first picture of the stay with key `stay` was shown."""
        if not self.pictures or self.pictures[-1][1] != stay:
            self.pictures.append((time.monotonic(), stay))

    def wrote(self, data: str) -> None:
        """Text was handed to the terminal by Textual."""
        size = len(data.encode("utf-8", "replace"))
        with self._lock:
            self.bytes_written += size

    def summary(self) -> dict[str, Any]:
        """Everything recorded, plus this process's CPU seconds and peak RSS so far."""
        times = os.times()
        return {
            "frames": self.frames,
            "swipes": [
                {"at": at, "first_frame": self.frames[index][0] if index < len(self.frames) else None}
                for at, index in self.swipes
            ],
            "pictures": [{"at": at, "stay": stay} for at, stay in self.pictures],
            "bytes_written": self.bytes_written,
            "dropped": self.dropped,
            "mounted_at": self.mounted_at,
            "cpu_seconds": times.user + times.system,
            "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "exited_at": time.monotonic(),
        }

    def write(self) -> None:
        """Save the summary as JSON (atomically, so a reader never sees half a file)."""
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(self.summary()), encoding="utf-8")
        partial.replace(self.path)


def attach(app: TuifeedApp) -> Recorder | None:
    """Start recording `app` when $TUIFEED_STATS is set (call once, after the driver started); else no-op."""
    target = os.environ.get(ENV_VAR)
    if not target:
        return None
    recorder = Recorder(Path(target))
    video = app.feed.video
    next_clip = app.feed.action_next_clip
    session = app.feed.session
    picture_shown = session.picture_shown
    driver = app._driver

    def painted(frame: Painted) -> None:
        pump = video.pump
        recorder.painted(frame, pump.encoder.level if pump else 0, pump.dropped if pump else 0)

    def action_next_clip() -> None:
        recorder.swiped()
        next_clip()

    def recorded_picture_shown() -> None:
        picture_shown()
        recorder.pictured(session.status().stay)

    video.frame_listeners.append(painted)
    session.picture_shown = recorded_picture_shown  # type: ignore[method-assign]
    app.feed.action_next_clip = action_next_clip  # type: ignore[method-assign]
    if driver is not None:
        write = driver.write

        def counted_write(data: str) -> None:
            recorder.wrote(data)
            write(data)

        driver.write = counted_write  # type: ignore[method-assign]
    atexit.register(recorder.write)
    return recorder
