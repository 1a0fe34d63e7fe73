"""A fake Player for fast tests: synthetic frames on demand, ends and errors when told."""

from __future__ import annotations

import numpy as np

from tuifeed.player.base import Frame, FrameSizer, PlayerListener, PlayerState, StillListener


class FakePlayer:
    """Meets the Player protocol without libvlc; a test drives time with `emit_frame` and `finish`."""

    def __init__(self, length_ms: int = 10_000) -> None:
        self.listener: PlayerListener | None = None
        self.sizer: FrameSizer = lambda width, height: (width, height)
        self.length = length_ms
        self.position = 0
        self.token = 0
        self.location: str | None = None
        self.prerolled: str | None = None
        self.paused = False
        self.volume = 100
        self.muted = False
        self.rate = 1.0
        self.played: list[str] = []
        self._state = PlayerState.IDLE

    def attach(self, listener: PlayerListener, sizer: FrameSizer) -> None:
        """Set who hears frames and events, and how big frames should be."""
        self.listener = listener
        self.sizer = sizer

    def play(self, location: str, aspect: tuple[int, int] | None = None) -> int:
        """Start a clip and show its first frame at once."""
        self.token += 1
        self.location = location
        self.played.append(location)
        self.position = 0
        self.paused = False
        self._state = PlayerState.PLAYING
        self.emit_frame(aspect)
        return self.token

    def preroll(
        self, location: str, aspect: tuple[int, int] | None = None, on_still: StillListener | None = None
    ) -> None:
        """Remember which clip was pre-rolled; `on_still` hears its first frame at once."""
        self.prerolled = location
        if on_still is not None:
            on_still(self._frame(aspect))

    def replay(self) -> None:
        """Start the current clip over."""
        self.position = 0
        self._state = PlayerState.PLAYING

    def set_paused(self, paused: bool) -> None:
        """Pause or resume."""
        self.paused = paused
        self._state = PlayerState.PAUSED if paused else PlayerState.PLAYING

    def seek(self, delta_ms: int) -> None:
        """Move the position, clamped to the clip."""
        self.position = max(0, min(self.length, self.position + delta_ms))

    def set_volume(self, volume: int) -> None:
        """Set the volume."""
        self.volume = volume

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute."""
        self.muted = muted

    def set_rate(self, rate: float) -> None:
        """Set the speed."""
        self.rate = rate

    def position_ms(self) -> int:
        """The position the test set."""
        return self.position

    def length_ms(self) -> int:
        """The length given at construction."""
        return self.length

    @property
    def state(self) -> PlayerState:
        """The state the test drove it into."""
        return self._state

    def close(self) -> None:
        """Forget the listener."""
        self.listener = None

    def emit_frame(self, aspect: tuple[int, int] | None = None) -> None:
        """Send the listener a gradient frame sized by the sizer, different on every call."""
        if self.listener is not None:
            self.listener.player_frame(self.token, self._frame(aspect))

    def _frame(self, aspect: tuple[int, int] | None) -> Frame:
        width, height = self.sizer(*(aspect or (9, 16)))
        ys, xs = np.mgrid[0:height, 0:width]
        frame = np.zeros((height, width, 4), np.uint8)
        frame[..., 0] = (xs * 255 // max(1, width - 1)).astype(np.uint8)
        frame[..., 1] = (ys * 255 // max(1, height - 1)).astype(np.uint8)
        frame[..., 2] = (self.token * 40 + self.position) % 256
        return frame

    def finish(self) -> None:
        """Make the current clip reach its end."""
        self.position = self.length
        self._state = PlayerState.ENDED
        if self.listener is not None:
            self.listener.player_ended(self.token)

    def fail(self, message: str) -> None:
        """Make the current clip fail."""
        self._state = PlayerState.ERROR
        if self.listener is not None:
            self.listener.player_error(self.token, message)
