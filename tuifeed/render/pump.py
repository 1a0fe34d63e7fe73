"""FramePump: encodes the newest frame and writes it to the terminal on its own thread; late frames are dropped."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Protocol

from tuifeed.render.color import Frame
from tuifeed.render.encoder import Encoder, Picture
from tuifeed.render.fit import Fit
from tuifeed.render.governor import Governor

log = logging.getLogger(__name__)

SYNC_START: Final = b"\x1b[?2026h"
SYNC_END: Final = b"\x1b[?2026l"
"""DEC private mode 2026 (synchronized output): the terminal shows the frame only once all of it arrived."""


class FrameSink(Protocol):
    """Where frame bytes go: the terminal, shared with Textual so that writes never interleave."""

    def write_frame(self, data: bytes, wanted: Callable[[], bool]) -> float | None:
        """Write ``data`` if ``wanted()`` still holds once the terminal is ours; seconds blocked, or None."""

    def hold_frames(self) -> None:
        """Write no frame until Textual's next update (it is repainting the picture's cells)."""

    def write_final(self, data: bytes) -> None:
        """Write what clears the terminal of the video as it goes away (while the app still has the screen)."""


@dataclass(frozen=True, slots=True)
class Painted:
    """What the pump did with one frame."""

    picture: Picture
    direct: bool
    """True when the pump wrote the cells itself; False when Textual must paint them (covered)."""
    sent: int
    """Bytes written to the terminal for this frame."""
    at: float
    """time.monotonic() when the frame was done."""
    still: bool = False
    """The frame was offered as a new clip's pre-rolled still."""


@dataclass(frozen=True, slots=True)
class _Job:
    frame: Frame
    fit: Fit
    left: int
    top: int
    still: bool
    place: int


class FramePump:
    """Owns an encoder; frames offered from any thread are encoded and written in order on the pump's thread.

    A frame offered while the previous one is still being encoded or written replaces any frame waiting
    (it is dropped, never queued), so a slow terminal costs frames, not latency. While ``direct`` is off
    (something covers the video) nothing touches the cells: the encoder returns only what lives outside
    them and ``painted`` hands the picture to Textual instead. The governor picks the encoder's quality
    step from how long each frame's write was blocked.

    Each frame is offered fitted to the view's place on screen, and carries the number of that place:
    once the view has ``moved``, a frame fitted to where it was is neither taken nor written (its cells
    would land where the view no longer is, over what is there now).
    """

    def __init__(
        self,
        encoder: Encoder,
        sink: FrameSink | None,
        painted: Callable[[Painted], None],
        *,
        interval: float,
        sync: bool,
    ) -> None:
        """Write through ``sink`` (None: Textual paints every frame), telling ``painted`` about each frame."""
        self.encoder = encoder
        self.governor = Governor(encoder.levels, interval)
        self._sink = sink
        self._painted = painted
        self._sync = sync
        self._ready = threading.Condition()
        self._job: _Job | None = None
        self._direct = sink is not None
        self._forget = False
        self._closed = False
        self._place = 0
        """The number of the view's place on screen: frames fitted to an older one are not shown."""
        self.dropped = 0
        """Frames replaced before the pump got to them."""
        self._thread = threading.Thread(target=self._run, name="tuifeed-frame-pump", daemon=True)
        self._thread.start()

    @property
    def direct(self) -> bool:
        """Whether the pump writes cells itself (only with a sink, and while nothing covers the video)."""
        return self._direct

    def set_direct(self, direct: bool) -> None:
        """Let the pump write cells, or stop it before anything else is drawn over them (UI thread)."""
        with self._ready:
            self._direct = direct and self._sink is not None
            self._forget = True

    def forget(self) -> None:
        """The screen no longer shows what the pump sent (resize, repaint): send the next frame whole."""
        with self._ready:
            self._forget = True

    @property
    def place(self) -> int:
        """The number of the view's place on screen (see `moved`)."""
        return self._place

    def moved(self) -> int:
        """The view is somewhere else on screen (or about to be): frames fitted to where it was are not shown,
        the next one is sent whole. Returns the new place's number, for the frames fitted to it (UI thread)."""
        with self._ready:
            self._place += 1
            self._forget = True
            self._job = None
            return self._place

    def offer(self, frame: Frame, fit: Fit, left: int, top: int, still: bool = False, place: int = 0) -> None:
        """Queue ``frame`` (owned by the pump from now on) to be shown in ``fit`` with its box at (left, top),
        worked out for the view's place numbered ``place``; ignored if the view has moved since.

        A ``still`` (a new clip's first picture) is never replaced by a later frame before it is shown.
        """
        with self._ready:
            if place != self._place:
                return
            if self._job is not None:
                self.dropped += 1
                still = still or self._job.still
            self._job = _Job(frame, fit, left, top, still, place)
            self._ready.notify()

    def close(self) -> None:
        """Stop the thread after the frame in hand, then clear the terminal of the encoder's state.

        Frames offered afterwards are ignored.
        """
        with self._ready:
            self._closed = True
            self._job = None
            self._ready.notify()
        self._thread.join(timeout=5)
        if self._thread.is_alive():  # stuck writing to a terminal that reads nothing: leave it be
            return
        farewell = self.encoder.farewell()
        if farewell and self._sink is not None:
            try:
                self._sink.write_final(farewell)
            except OSError:
                log.exception("frame pump: the terminal could not be cleared")

    def _run(self) -> None:
        while True:
            with self._ready:
                while self._job is None and not self._closed:
                    self._ready.wait()
                if self._closed:
                    return
                job, self._job = self._job, None
                direct, forget, self._forget = self._direct, self._forget, False
            assert job is not None
            try:
                self._show(job, direct, forget)
            except Exception:
                log.exception("frame pump: a frame could not be shown")
                self.encoder.unsent()

    def _show(self, job: _Job, direct: bool, forget: bool) -> None:
        encoder = self.encoder
        if forget:
            encoder.forget()
        data = encoder.encode(job.frame, job.fit, job.left, job.top, direct)
        blocked: float | None = 0.0
        if data and self._sink is None:
            encoder.unsent()
            data = b""
        elif data and self._sink is not None:
            if self._sync:
                data = SYNC_START + data + SYNC_END
            # Checked once the terminal is ours: a move (Textual renders the view's new place) comes before the
            # update that paints it is written, so a frame for the old place never lands after that update.
            blocked = self._sink.write_frame(data, lambda: (self._direct or not direct) and job.place == self._place)
            if blocked is None:  # covered or moved meanwhile: what the encoder believes is on screen is not
                encoder.unsent()
                if job.place != self._place:
                    return  # fitted to where the view was: the view offers its newest frame again, fitted anew
                direct, data = False, b""
        if direct:
            encoder.level = self.governor.record(len(data), blocked or 0.0)
        picture = encoder.picture()
        if picture is not None:
            self._painted(Painted(picture, direct, len(data), time.monotonic(), job.still))
