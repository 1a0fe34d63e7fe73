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
_MARKER: Final = 16
"""Longest write that is only a marker (Textual writes its sync start and end on their own)."""
HOLD_SECONDS: Final = 0.2


class TerminalOutput(io.TextIOBase):
    """Wraps the terminal's text stream: Textual writes text through it, the video pump writes frame bytes.

    One lock orders the two, so a frame is never cut into by one of Textual's updates (or the other way
    round), and ``write_frame`` reports how long the terminal kept it waiting: the throughput signal the
    video's quality governor steps on.

    Frames are drawn only while Textual has the alternate screen: the stream itself tells (it carries
    Textual's ``ESC[?1049h`` and ``ESC[?1049l``), so a frame still in flight when the app exits or is
    suspended never lands on the shell's screen.
    """

    def __init__(self, stream: TextIO) -> None:
        """Share ``stream`` (a text stream on the terminal, with a binary ``buffer`` beneath it)."""
        super().__init__()
        self._stream = stream
        self._lock = threading.Lock()
        self.frame_bytes = 0
        """Bytes of frames written so far."""
        self.alternate_screen = False
        """Whether the last screen switch Textual wrote was onto the alternate screen."""
        self._updates = 0
        """Textual updates written so far (writes longer than a sync marker)."""
        self._held: tuple[int, float] | None = None

    def write(self, text: str) -> int:
        """Write Textual's text."""
        with self._lock:
            if _SCREEN_SWITCH in text:
                self.alternate_screen = text.rfind(_ENTER) > text.rfind(_LEAVE)
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
        once the video is covered, no frame lands on top of what covers it.
        """
        with self._lock:
            if self._held is not None:
                updates, until = self._held
                if self._updates <= updates and time.monotonic() < until:
                    return None
                self._held = None
            if not (self.alternate_screen and wanted()):
                return None
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
