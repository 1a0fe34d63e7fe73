"""VideoView: paints the player's frames as half-block cells; fast when uncovered, safe when covered.

Frames arrive on libvlc's vout thread through `accept_frame`, which fits and encodes them there (numpy,
no per-cell objects) and hands the result to the UI loop with a non-blocking `call_soon_threadsafe`,
dropping frames the UI has not caught up with. Only rows that changed are repainted.

Fast path: each picture row is one pre-encoded ANSI string inside a single Segment. Textual's compositor
would cut such a string mid-escape if another widget overlapped the row, so while anything covers the
video (a toast, a modal screen) the view paints the same frame from runs of real styled Segments.
"""

from __future__ import annotations

import asyncio
import threading
import time

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tuifeed.player import Frame
from tuifeed.render import (
    ColorMode,
    ColorSystem,
    EncodedFrame,
    Fit,
    FrameEncoder,
    Runs,
    fit_box,
    resample_nearest,
)

_BLANK = Style(bgcolor="black")
_STYLE_CACHE_LIMIT = 50_000


class VideoView(Widget):
    """The picture of the clip on screen, centred and letterboxed in the widget."""

    DEFAULT_CSS = """
    VideoView {
        width: 1fr;
        height: 1fr;
        background: black;
    }
    """

    def __init__(self, mode: ColorMode, fps: int = 30, *, id: str | None = None) -> None:
        """Paint frames in colour `mode`, at most `fps` a second."""
        super().__init__(id=id)
        self._encoder = FrameEncoder(mode)
        self._min_interval = 1.0 / fps
        self._box = (0, 0)
        self._frame: EncodedFrame | None = None
        self._pending: EncodedFrame | None = None
        self._lock = threading.Lock()
        """Guards the pending frame shared by the decoder thread and the UI loop."""
        self._encoding = threading.Lock()
        self._due = 0.0
        """When the next frame may be taken; frames are paced on this schedule, not on arrival times."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._styles: dict[tuple[int, int], Style] = {}
        self._runs: tuple[EncodedFrame, Runs] | None = None
        self._awaiting_picture = False
        self.covered = False
        """True while something overlaps the video; the view then paints with styled segments."""
        self.frames_painted = 0
        """Frames that reached the screen, for benchmarks."""

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()

    def on_resize(self) -> None:
        self._box = (self.size.width, self.size.height)
        self.refresh()

    # -- any thread --------------------------------------------------------------------------------

    def frame_size(self, width: int, height: int) -> tuple[int, int]:
        """The pixel size to decode a `width` x `height` clip at to fill this view (called by the player)."""
        cols, rows = self._box
        return fit_box(width, height, max(cols, 2), max(rows, 1)).pixel_size

    def accept_frame(self, frame: Frame) -> None:
        """Take a decoded frame (libvlc's vout thread): fit, encode and hand it to the UI loop.

        Serialised, because a pre-rolled clip's first frame is handed over from the UI thread while
        libvlc may already repaint it from its own.
        """
        with self._encoding:
            encoded = self._encode(frame)
        if encoded is None or self._loop is None:
            return
        with self._lock:
            dropped, self._pending = self._pending, encoded
            if dropped is not None:
                self._pending = encoded.coalesce(dropped)
        if dropped is None:
            self._loop.call_soon_threadsafe(self._consume)

    def _encode(self, frame: Frame) -> EncodedFrame | None:
        """The frame fitted to the view and encoded, or None when it is due later or there is no room."""
        now = time.monotonic()
        # A quarter-frame of slack: a 30 fps source jitters around 33 ms, and a strict `>= 1/fps`
        # test against the last arrival dropped every early frame (about 19 of 30 a second painted).
        if now < self._due - self._min_interval / 4:
            return None
        self._due = max(self._due, now - self._min_interval) + self._min_interval
        cols, rows = self._box
        height, width = frame.shape[:2]
        fit = fit_box(width, height, cols, rows)
        if fit.cols == 0:
            return None
        if (width, height) != fit.pixel_size:
            frame = resample_nearest(frame, *fit.pixel_size)
        return self._encoder.encode(frame)

    # -- UI thread ---------------------------------------------------------------------------------

    class PictureShown(Message):
        """The first frame after `expect_picture` reached the screen."""

    def expect_picture(self) -> None:
        """A new clip started: announce its first frame with a PictureShown message."""
        self._awaiting_picture = True

    def set_covered(self, covered: bool) -> None:
        """Switch between the fast and the safe painting path, repainting the whole picture."""
        if covered != self.covered:
            self.covered = covered
            self.refresh()

    def _consume(self) -> None:
        with self._lock:
            frame, self._pending = self._pending, None
        if frame is None:
            return
        previous, self._frame = self._frame, frame
        self.frames_painted += 1
        if self._awaiting_picture:
            self._awaiting_picture = False
            self.post_message(self.PictureShown())
        if previous is None or previous.keys.shape != frame.keys.shape or self.covered:
            self.refresh()
            return
        fit = self._fit()
        changed = frame.changed.nonzero()[0]
        if len(changed):
            # Whole widget rows: a narrower region makes the compositor crop the line, and cropping
            # measures the pre-encoded ANSI text char by char (slow) and cuts it mid-escape (wrong).
            width = self.size.width
            self.refresh(*(Region(0, fit.y + int(row), width, 1) for row in changed))

    def _fit(self) -> Fit:
        frame = self._frame
        if frame is None:
            return Fit(0, 0, 0, 0)
        width, height = self.size
        cols, rows = min(frame.cols, width), min(frame.rows, height)
        return Fit(cols, rows, (width - cols) // 2, (height - rows) // 2)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        frame = self._frame
        fit = self._fit()
        row = y - fit.y
        if frame is None or not 0 <= row < fit.rows:
            return Strip([Segment(" " * width, _BLANK)], width)
        left = [Segment(" " * fit.x, _BLANK)] if fit.x else []
        right_cells = width - fit.x - fit.cols
        right = [Segment(" " * right_cells, _BLANK)] if right_cells > 0 else []
        if fit.cols == frame.cols and not self.covered:
            return Strip([*left, Segment(frame.lines[row]), *right], width)
        middle = [
            Segment("▀" * length, self._style(frame.mode.system, fg, bg))
            for length, fg, bg in self._runs_of(frame).row(row)
        ]
        return Strip([*left, *middle, *right], width).crop(0, width)

    def _runs_of(self, frame: EncodedFrame) -> Runs:
        if self._runs is None or self._runs[0] is not frame:
            self._runs = (frame, frame.runs())
        return self._runs[1]

    def _style(self, system: ColorSystem, fg: int, bg: int) -> Style:
        style = self._styles.get((fg, bg))
        if style is None:
            if len(self._styles) > _STYLE_CACHE_LIMIT:
                self._styles.clear()
            if system is ColorSystem.TRUECOLOR:
                colors = (
                    Color.from_rgb(fg >> 16, (fg >> 8) & 255, fg & 255),
                    Color.from_rgb(bg >> 16, (bg >> 8) & 255, bg & 255),
                )
            else:
                colors = Color.from_ansi(fg), Color.from_ansi(bg)
            style = self._styles[(fg, bg)] = Style(color=colors[0], bgcolor=colors[1])
        return style
