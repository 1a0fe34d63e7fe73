"""Playback instrumentation for benchmarks: active only when $TUIFEED_STATS names a JSON file to write at exit.

`attach(app)` is called once at mount. Without the variable it returns at once and nothing is wrapped,
so a normal run pays nothing. With it, the app's display hook, its driver's `write` and the feed's
next-clip action are wrapped to record monotonic timestamps (comparable across processes on Linux):
every screen flush that shows a new video frame, every swipe, and the bytes sent to the terminal.
CPU time and peak RSS are added when the process exits.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tuifeed.ui.app import TuifeedApp

ENV_VAR = "TUIFEED_STATS"


class Recorder:
    """Collects the timestamps of one run and writes them as JSON."""

    def __init__(self, path: Path) -> None:
        """Record into memory; `write` saves to `path`."""
        self.path = path
        self.frames: list[tuple[float, int]] = []
        """(monotonic time, bytes written so far) at each screen flush that showed a new video frame."""
        self.swipes: list[tuple[float, int]] = []
        """(monotonic time, frames painted so far) at each swipe to the next clip."""
        self.bytes_written = 0
        self._last_painted = 0

    def displayed(self, painted: int) -> None:
        """A screen flush happened; it counts as a painted frame if the view consumed a new frame since."""
        if painted != self._last_painted:
            self._last_painted = painted
            self.frames.append((time.monotonic(), self.bytes_written))

    def swiped(self) -> None:
        """The person swiped to the next clip."""
        self.swipes.append((time.monotonic(), len(self.frames)))

    def wrote(self, data: str) -> None:
        """Text was handed to the terminal."""
        self.bytes_written += len(data.encode("utf-8", "replace"))

    def summary(self) -> dict[str, Any]:
        """Everything recorded, plus this process's CPU seconds and peak RSS so far."""
        times = os.times()
        return {
            "frames": self.frames,
            "swipes": [
                {"at": at, "first_frame": self.frames[index][0] if index < len(self.frames) else None}
                for at, index in self.swipes
            ],
            "bytes_written": self.bytes_written,
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
    display_hook = app.post_display_hook
    next_clip = app.feed.action_next_clip
    driver = app._driver

    def post_display_hook() -> None:
        display_hook()
        recorder.displayed(video.frames_painted)

    def action_next_clip() -> None:
        recorder.swiped()
        next_clip()

    app.post_display_hook = post_display_hook  # type: ignore[method-assign]
    app.feed.action_next_clip = action_next_clip  # type: ignore[method-assign]
    if driver is not None:
        write = driver.write

        def counted_write(data: str) -> None:
            recorder.wrote(data)
            write(data)

        driver.write = counted_write  # type: ignore[method-assign]
    atexit.register(recorder.write)
    return recorder
