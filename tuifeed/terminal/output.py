"""TerminalOutput: the stream Textual draws on, shared with the video pump so their writes never interleave."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from typing import TextIO


class TerminalOutput(io.TextIOBase):
    """Wraps the terminal's text stream: Textual writes text through it, the video pump writes frame bytes.

    One lock orders the two, so a frame is never cut into by one of Textual's updates (or the other way
    round), and ``write_frame`` reports how long the terminal kept it waiting: the throughput signal the
    video's quality governor steps on.
    """

    def __init__(self, stream: TextIO) -> None:
        """Share ``stream`` (a text stream on the terminal, with a binary ``buffer`` beneath it)."""
        super().__init__()
        self._stream = stream
        self._lock = threading.Lock()
        self.frame_bytes = 0
        """Bytes of frames written so far."""

    def write(self, text: str) -> int:
        """Write Textual's text."""
        with self._lock:
            return self._stream.write(text)

    def flush(self) -> None:
        """Flush what Textual wrote (nothing once closed)."""
        with self._lock:
            if not self._stream.closed:
                self._stream.flush()

    def write_frame(self, data: bytes, wanted: Callable[[], bool]) -> float | None:
        """Write a frame's bytes unless ``wanted()`` turned false before the lock was ours; seconds blocked.

        ``wanted`` is checked under the lock, after everything Textual queued before it has been written:
        once the video is covered, no frame lands on top of what covers it.
        """
        with self._lock:
            if not wanted():
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
