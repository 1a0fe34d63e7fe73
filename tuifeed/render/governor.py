"""Throughput-adaptive quality: steps the encoder down when the terminal cannot take the frame rate, up when it can."""

from __future__ import annotations

from typing import Final

_SMOOTHING: Final = 0.3
"""Weight of the newest frame in the moving averages."""
_BUSY_HIGH: Final = 0.85
"""Share of the frame interval spent blocked in writes above which quality steps down."""
_BUSY_TARGET: Final = 0.6
"""The share a step up must be predicted to stay under."""
_SETTLE_FRAMES: Final = 4
"""Frames to wait after a change before judging the new step."""
_UP_AFTER_FRAMES: Final = 45
"""Calm frames (about 1.5 s at 30 fps) before trying a better step."""
_UNKNOWN_GROWTH: Final = 1.6
"""Assumed growth of bytes per frame one step up, before that step has been measured."""


class Governor:
    """Chooses the quality step from how long the terminal kept each frame's write waiting.

    A terminal that takes bytes slower than we make them shows up as writes that block; the pump drops the
    frames that arrive meanwhile (never queues them), and the governor steps down until a frame fits in its
    interval again. It steps back up only when the better step's bytes (as last measured there) are
    predicted to fit at the throughput the terminal has shown. Encoding time does not count: a busy CPU
    (another program, a slow machine) is not helped by worse pictures, and measured 2-5 ms a frame.
    """

    def __init__(self, levels: int, interval: float) -> None:
        """Govern ``levels`` steps (0 best) for frames due every ``interval`` seconds."""
        self._levels = max(1, levels)
        self._interval = interval
        self.level = 0
        self._busy: float | None = None
        self._rate: float | None = None
        """Bytes per second the terminal took while our writes were blocked."""
        self._bytes: dict[int, float] = {}
        self._since_change = 0
        self._calm = 0
        self._up_after = _UP_AFTER_FRAMES
        self._stepped_up = False

    @property
    def busy(self) -> float:
        """Smoothed share of the frame interval spent blocked in writes (0 before any frame)."""
        return self._busy or 0.0

    def record(self, sent: int, write_seconds: float) -> int:
        """Account for one frame (bytes sent, seconds its write was blocked); returns the step to use next."""
        busy = write_seconds / self._interval
        self._busy = busy if self._busy is None else self._busy + _SMOOTHING * (busy - self._busy)
        if sent:
            known = self._bytes.get(self.level)
            self._bytes[self.level] = sent if known is None else known + _SMOOTHING * (sent - known)
            if write_seconds > 0:
                rate = sent / write_seconds
                self._rate = rate if self._rate is None else self._rate + _SMOOTHING * (rate - self._rate)
        self._since_change += 1
        if self._since_change < _SETTLE_FRAMES:
            return self.level
        if self._busy > _BUSY_HIGH and self.level < self._levels - 1:
            # A step up that did not hold makes the next attempt wait twice as long (no see-sawing).
            self._up_after = self._up_after * 2 if self._stepped_up else _UP_AFTER_FRAMES
            self._change(self.level + 1)
            self._stepped_up = False
        elif self._busy < _BUSY_TARGET and self.level > 0:
            self._calm += 1
            if self._calm >= self._up_after and self._predicted_busy(self.level - 1) < _BUSY_TARGET:
                self._change(self.level - 1)
                self._stepped_up = True
        else:
            self._calm = 0
        if self._since_change > self._up_after:
            self._stepped_up = False
        return self.level

    def _predicted_busy(self, level: int) -> float:
        """The busy share expected at ``level``, from its measured bytes and the terminal's throughput."""
        current = self._bytes.get(self.level)
        if current is None or not self._rate:
            return 0.0
        bytes_there = self._bytes.get(level, current * _UNKNOWN_GROWTH)
        return self.busy - current / self._rate / self._interval + bytes_there / self._rate / self._interval

    def _change(self, level: int) -> None:
        self.level = level
        self._since_change = 0
        self._calm = 0
        self._busy = None
