"""The Player protocol every engine meets, its listener, and the playback state."""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Protocol, TypeAlias

if TYPE_CHECKING:  # numpy loads with the first frame: play starts decoding before it has loaded
    import numpy as np
    from numpy.typing import NDArray

Frame: TypeAlias = "NDArray[np.uint8]"
"""A decoded picture, shape (height, width, 4), bytes in B, G, R, X order (libvlc's RV32)."""

FrameSizer = Callable[[int, int], tuple[int, int]]
"""Given a clip's display width and height in pixels, the frame size in pixels to decode it at."""

StillListener: TypeAlias = "Callable[[Frame], None]"
"""Hears a pre-rolled clip's first frame, on the engine's thread (on the caller's, when the clip was pre-rolled
before and its frame is there already): it must return at once and keep the frame unchanged (the engine paints
the same one when the clip starts)."""


class PlayerState(Enum):
    """Where the current clip is in its life."""

    IDLE = "idle"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"
    ERROR = "error"


class PlayerListener(Protocol):
    """Receives what an engine reports, on the engine's own threads.

    Implementations must return quickly and never call back into the player: hand the work to the UI
    loop (Textual's `post_message` or `call_soon_threadsafe`) and return.
    """

    def player_frame(self, token: int, frame: Frame) -> None:
        """A new picture of clip `token`; `frame` is only valid during the call."""

    def player_ended(self, token: int) -> None:
        """Clip `token` reached its end."""

    def player_error(self, token: int, message: str) -> None:
        """Clip `token` could not be played; `message` says why in one line."""


class Player(Protocol):
    """Plays one clip at a time, with the next one pre-rolled, and reports through a listener.

    Every method is called from the UI thread; none blocks for long.
    """

    def attach(self, listener: PlayerListener, sizer: FrameSizer) -> None:
        """Set who hears frames and events, and how big frames should be."""

    def play(self, location: str, aspect: tuple[int, int] | None = None) -> int:
        """Start playing a clip (at once if it was pre-rolled); returns the token its events carry."""

    def preroll(
        self, location: str, aspect: tuple[int, int] | None = None, on_still: StillListener | None = None
    ) -> None:
        """Prepare the clip expected next: decoded to its first frame (which `on_still` hears), paused and silent.

        Asked again for the clip it holds, it keeps decoding it; `on_still` hears its first frame all the same."""

    def replay(self) -> None:
        """Play the current clip again from the start (after it ended, for looping)."""

    def set_paused(self, paused: bool) -> None:
        """Pause or resume the current clip."""

    def seek(self, delta_ms: int) -> None:
        """Move the current clip's position by `delta_ms`, clamped to the clip."""

    def set_volume(self, volume: int) -> None:
        """Set the volume, 0 to 100."""

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute."""

    def set_rate(self, rate: float) -> None:
        """Set the playback speed, 1.0 being normal."""

    def position_ms(self) -> int:
        """The current clip's position in milliseconds (0 when unknown)."""

    def length_ms(self) -> int:
        """The current clip's length in milliseconds (0 when unknown)."""

    @property
    def state(self) -> PlayerState:
        """The current clip's state."""

    def close(self) -> None:
        """Stop everything and free the engine; nothing is reported afterwards."""


class _Unheard:
    """The listener of a player warmed before any view exists: a pre-rolled clip reports nothing until played."""

    def player_frame(self, token: int, frame: Frame) -> None:
        """Frames of a clip not yet on screen go nowhere."""

    def player_ended(self, token: int) -> None:
        """Nothing is on screen to end."""

    def player_error(self, token: int, message: str) -> None:
        """Nothing is on screen to fail; `play` reports a pre-rolled clip's failure again."""


class LaterSizer:
    """The sizes to decode at, for a clip pre-rolled before they are known (the display is not chosen yet).

    libvlc's thread asks at the clip's first frame and waits for `settle`, however long the display takes to
    choose (a slow terminal, a launch stopped with Ctrl-Z): a clip keeps the size of its first frame, so one
    decoded at a guess would stay that size. Settled with None, as a launch that fails must, a clip decodes at
    its own size.
    """

    def __init__(self) -> None:
        """Sizes not known yet."""
        self._ready = threading.Event()
        self._sizer: FrameSizer | None = None

    def settle(self, sizer: FrameSizer | None) -> None:
        """Decode at `sizer`'s sizes from now on (None: at each clip's own); only the first settling counts."""
        if not self._ready.is_set():
            self._sizer = sizer
            self._ready.set()

    def __call__(self, width: int, height: int) -> tuple[int, int]:
        """The size to decode a `width` x `height` clip at, once settled (libvlc's thread waits here)."""
        self._ready.wait()
        sizer = self._sizer
        return (width, height) if sizer is None else sizer(width, height)


def warm(
    player: Player,
    location: str,
    aspect: tuple[int, int] | None,
    sizer: FrameSizer,
    on_still: StillListener | None = None,
) -> None:
    """Pre-roll `location` on `player` before any view exists, decoding at `sizer`'s size: nothing is heard
    of it until it plays, but `on_still` (its first frame)."""
    player.attach(_Unheard(), sizer)
    player.preroll(location, aspect, on_still)
