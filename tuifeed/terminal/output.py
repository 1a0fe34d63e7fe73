"""TerminalOutput: the stream Textual draws on, shared with the video pump so their writes never interleave."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from typing import Final, TextIO

_SCREEN_SWITCH: Final = "\x1b[?1049"
_ENTER: Final = "\x1b[?1049h"
_LEAVE: Final = "\x1b[?1049l"
_SYNC_START: Final = "\x1b[?2026h"
_SYNC_END: Final = "\x1b[?2026l"
_MARKER: Final = 16
"""Longest write that is only a marker (Textual writes its sync start and end on their own)."""
HOLD_SECONDS: Final = 0.2
UPDATE_WAIT: Final = 0.2
"""Longest a frame waits for Textual to close a synchronized update it opened."""


class TerminalOutput(io.TextIOBase):
    """Wraps the terminal's text stream: Textual writes text through it, the video pump writes frame bytes.

    One lock orders the two, so a frame is never cut into by one of Textual's updates (or the other way
    round), and ``write_frame`` reports how long the terminal kept it waiting: the throughput signal the
    video's quality governor steps on.

    Frames are drawn only while Textual has the alternate screen: the stream itself tells (it carries
    Textual's ``ESC[?1049h`` and ``ESC[?1049l``), so a frame still in flight when the app exits or is
    suspended never lands on the shell's screen.

    The first look (tuifeed.first_look) is on the alternate screen before Textual starts: Textual's own
    switch onto it is then dropped, since a terminal may clear the screen for it (xterm's 1049 says "clearing
    it first"), blanking the picture until Textual paints, and save the cursor again, in the alternate
    screen, for the shell's prompt to come back to.

    Nor does a frame land inside one of Textual's synchronized updates: Textual writes the update's
    ``ESC[?2026h``, its text and ``ESC[?2026l`` as three writes, and a frame that came between them was
    drawn as part of Textual's update (in a real kitty its rows mixed with Textual's). A frame waits, at
    most ``UPDATE_WAIT``, for the update to close.
    """

    def __init__(self, stream: TextIO) -> None:
        """Share ``stream`` (a text stream on the terminal, with a binary ``buffer`` beneath it)."""
        super().__init__()
        self._stream = stream
        self._lock = threading.Lock()
        self._update_closed = threading.Condition(self._lock)
        self.frame_bytes = 0
        """Bytes of frames written so far."""
        self.alternate_screen = False
        """Whether the last screen switch Textual wrote was onto the alternate screen."""
        self._updates = 0
        """Textual updates written so far (writes longer than a sync marker)."""
        self._held: tuple[int, float] | None = None
        self.in_update = False
        """Textual has opened a synchronized update and not yet closed it."""

    def write(self, text: str) -> int:
        """Write Textual's text."""
        with self._lock:
            if text == _ENTER and self.alternate_screen:
                return len(text)
            if _SCREEN_SWITCH in text:
                self.alternate_screen = text.rfind(_ENTER) > text.rfind(_LEAVE)
            if _SYNC_START in text or _SYNC_END in text:
                self.in_update = text.rfind(_SYNC_START) > text.rfind(_SYNC_END)
                if not self.in_update:
                    self._update_closed.notify_all()
            written = self._stream.write(text)
            if len(text) > _MARKER:
                self._updates += 1
            return written

    def hold_frames(self) -> None:
        """Textual is painting the picture's cells: write no frame until that update has been written.

        Textual queues its updates for its writer thread while frames go out at once, so a repaint could
        otherwise land after a newer frame and leave older rows on screen. The hold lapses after
        ``HOLD_SECONDS`` in case Textual drops the update.
        """
        with self._lock:
            self._held = (self._updates, time.monotonic() + HOLD_SECONDS)

    def flush(self) -> None:
        """Flush what Textual wrote (nothing once closed)."""
        with self._lock:
            if not self._stream.closed:
                self._stream.flush()

    def write_frame(self, data: bytes, wanted: Callable[[], bool]) -> float | None:
        """Write a frame's bytes unless ``wanted()`` turned false before the lock was ours (or the app left
        the alternate screen); seconds blocked, or None when not written.

        ``wanted`` is checked under the lock, after everything Textual queued before it has been written:
        once the video is covered, no frame lands on top of what covers it. A frame is not written
        inside a synchronized update of Textual's that stays open longer than ``UPDATE_WAIT``.
        """
        with self._lock:
            if not self._update_done():
                return None
            if self._held is not None:
                updates, until = self._held
                if self._updates <= updates and time.monotonic() < until:
                    return None
                self._held = None
            if not (self.alternate_screen and wanted()):
                return None
            return self._write_bytes(data)

    def write_final(self, data: bytes) -> None:
        """Write what leaves the terminal clean of the video (no hold applies), while the app has the screen."""
        with self._lock:
            if self._update_done() and self.alternate_screen and not self._stream.closed:
                self._write_bytes(data)

    def _update_done(self) -> bool:
        """Wait (the lock held, released while waiting) for Textual's open update to close; False if it stays open."""
        return self._update_closed.wait_for(lambda: not self.in_update, timeout=UPDATE_WAIT)

    def _write_bytes(self, data: bytes) -> float:
        self._stream.flush()
        started = time.perf_counter()
        self._stream.buffer.write(data)
        self._stream.buffer.flush()
        self.frame_bytes += len(data)
        return time.perf_counter() - started

    def fileno(self) -> int:
        """The terminal's file descriptor."""
        return self._stream.fileno()

    def isatty(self) -> bool:
        """Whether the stream is a terminal."""
        return self._stream.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The stream's text encoding."""
        return self._stream.encoding

    def close(self) -> None:
        """Close the wrapped stream."""
        with self._lock:
            self._stream.close()
        super().close()

    @property
    def closed(self) -> bool:
        """Whether the wrapped stream is closed."""
        return self._stream.closed
