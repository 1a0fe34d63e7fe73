"""FirstLook: the first clip's first frame, drawn on the terminal while the UI is still loading."""

from __future__ import annotations

import logging
import os
import signal
import sys
import termios
import threading
from collections.abc import Callable, Sequence
from types import FrameType, ModuleType
from typing import Any, Final

from tuifeed.player import Frame
from tuifeed.render.layout import plan as layout_plan
from tuifeed.render.plan import RenderKind, RenderPlan
from tuifeed.render.pump import SYNC_END, SYNC_START
from tuifeed.terminal import TerminalOutput

log = logging.getLogger(__name__)

ENTER: Final = "\x1b[?1049h\x1b[?25l"
"""Onto the alternate screen (which saves the shell's cursor), the cursor hidden: as Textual sets it up."""
LEAVE: Final = "\x1b[0m\x1b[?25h\x1b[?1049l"
BLACK: Final = "\x1b[40m"
"""The feed screen's black, as Textual paints it."""
SWITCH_INTERVAL: Final = 0.0005
"""Seconds another thread waits, at most, for the interpreter while the look waits for its frame.

libvlc's video thread hands the first frame over through Python callbacks (its format, then a picture
buffer, then the display), and the main thread, busy importing, kept the interpreter a whole switch interval
(5 ms by default) before each of them could run.
"""
_LEAVING: Final = (signal.SIGTERM, signal.SIGHUP)
"""Signals that end tuifeed, as the app ends on them, while the look is on screen (before the app's own handlers)."""


class FirstLook:
    """Draws the first clip's pre-rolled still where the feed screen will show it, before Textual has loaded.

    libvlc has the first frame decoded (about 0.2 s after launch) well before Textual is imported and has
    mounted and painted the feed (about 0.3 s): a person sees the picture that much sooner. The frame
    arrives on libvlc's thread (`show`); the main thread draws it as its next import begins, or at
    `hand_over` at the latest. Only then does the terminal go onto the alternate screen, cleared to the
    feed's black, with typed keys unechoed (they wait for the app). The app then paints the same picture
    in the same cells, with the rest of the screen around it; `close` leaves the terminal as the look found
    it, should the app never have taken it. While the look is on screen, SIGTERM and SIGHUP end tuifeed
    cleanly at `hand_over` (the app quits on them the same way), and Ctrl-C and Ctrl-Z are keys like any other,
    as they are in the app: they wait for it, which quits or suspends on them, and nothing typed is lost.

    Why the main thread: drawn on a thread of its own, a frame that encodes in 5 ms took 30-85 ms, as
    numpy lets go of the GIL in its loops and the importing main thread then kept it for a whole switch
    interval each time.
    """

    @classmethod
    def start(cls, output: TerminalOutput, plan: RenderPlan, *, panel: bool, keys: int) -> FirstLook | None:
        """A look waiting for its frame; None where none can be drawn (kitty images are placed by the app)."""
        return cls(output, plan, panel=panel, keys=keys) if plan.kind is RenderKind.HALFBLOCK else None

    def __init__(self, output: TerminalOutput, plan: RenderPlan, *, panel: bool, keys: int) -> None:
        """Draw on ``output`` as ``plan`` says, the screen laid out with or without the info ``panel``;
        ``keys`` is the terminal's input (raw from the picture until `hand_over`)."""
        self._output = output
        self._plan = plan
        self._panel = panel
        self._keys = keys
        self._modes: list[Any] | None = None
        """The input's modes before the look changed them; None while unchanged."""
        self._lock = threading.Lock()
        self._still: tuple[Frame, tuple[int, int] | None] | None = None
        self._due = True
        """No picture has been drawn, and the app has not taken over."""
        self._main = threading.get_ident()
        self._handlers: dict[int, Any] = {}
        """The signal handlers in place before the look's own, while the look is on screen."""
        self._leaving = False
        """SIGTERM or SIGHUP came while the look was on screen."""
        self._switch_interval: float | None = sys.getswitchinterval()
        """The interpreter's switch interval before the look shortened it; None once it is back."""
        sys.setswitchinterval(min(self._switch_interval, SWITCH_INTERVAL))
        self._finder = _AtEachImport(self._draw_if_due)
        # Rebound, never changed in place: an import under way in another thread goes on over the old list.
        sys.meta_path = [self._finder, *sys.meta_path]

    def show(self, frame: Frame, size: tuple[int, int] | None) -> None:
        """Take ``frame``, the first of a clip of ``size`` pixels (None: unknown), to draw unless the app has
        taken over. Any thread; returns at once. Only the first frame offered is kept, and never changed."""
        with self._lock:
            if self._still is None and self._due:
                self._still = (frame, size)

    def hand_over(self) -> bool:
        """Draw the frame if it came and is not drawn yet, then stop and give the keys back their modes.

        The main thread, as the app is about to take the terminal. False: SIGTERM or SIGHUP came while the
        look was on screen, so tuifeed ends instead (`close` then puts the terminal back).
        """
        self._draw_if_due()
        if self._leaving:
            return False
        self._stop(leave=False)
        return True

    def close(self) -> None:
        """Leave the terminal as the look found it, unless the app took it over and has left it already."""
        self._stop(leave=True)

    def _stop(self, *, leave: bool) -> None:
        """Draw nothing more; with ``leave``, off the alternate screen unless the app has left it already."""
        with self._lock:
            self._due = False
            self._still = None
        sys.meta_path = [finder for finder in sys.meta_path if finder is not self._finder]
        if leave and self._output.alternate_screen and not self._output.closed:
            try:
                self._output.write(LEAVE)
                self._output.flush()
            except OSError:  # the terminal is gone (a hang-up): nothing to put back
                pass
        if self._modes is not None:
            self._set_modes(self._modes)
            self._modes = None
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None
        while self._handlers:
            signum, handler = self._handlers.popitem()
            signal.signal(signum, handler)

    def _on_leaving(self, signum: int, _frame: FrameType | None) -> None:
        # Only noted: raised here, an exception would cut into whatever the main thread is doing (importing
        # Textual), and some code swallows what it catches; `hand_over` comes within a tenth of a second.
        self._leaving = True

    def _draw_if_due(self) -> None:
        if threading.get_ident() != self._main:
            return
        with self._lock:
            if self._still is None or not self._due:
                return
            self._due = False  # the imports the drawing itself may make must not draw again
            still = self._still
        try:
            self._draw(*still)
        except Exception:  # an import is under way: it must not fail for a picture, which the app paints anyway
            log.exception("first look: the picture could not be drawn")

    def _draw(self, frame: Frame, size: tuple[int, int] | None) -> None:
        width, height = os.get_terminal_size(self._output.fileno())
        layout = layout_plan(width, height, size, panel=self._panel)
        if layout.too_small:
            return
        encoder = self._plan.encoder()
        fit = encoder.fit(frame.shape[1], frame.shape[0], layout.video_width, layout.video_height)
        if fit.cols == 0:
            return
        left = layout.video_left + fit.x
        data = _black_around(width, height, left, fit.y, fit.cols, fit.rows)
        data += encoder.encode(frame, fit, layout.video_left, 0, True)
        if self._plan.sync:
            data = SYNC_START + data + SYNC_END
        self._quiet_keys()
        for signum in _LEAVING:
            self._handlers[signum] = signal.signal(signum, self._on_leaving)
        self._output.write(ENTER)
        self._output.write_frame(data, lambda: True)

    def _quiet_keys(self) -> None:
        """Keys typed from now on are not echoed over the picture, held for a line, or made signals: each waits
        for the app as it was typed.

        Ctrl-C made SIGINT would end tuifeed mid-import with a traceback, and the terminal would throw away
        whatever was typed before it; the app reads it as its quit key instead (and Ctrl-Z as suspend).
        """
        try:
            modes = termios.tcgetattr(self._keys)
        except termios.error:
            return
        quiet = list(modes)
        quiet[3] = modes[3] & ~(termios.ECHO | termios.ICANON | termios.ISIG)
        self._set_modes(quiet)
        self._modes = modes

    def _set_modes(self, modes: list[Any]) -> None:
        try:
            termios.tcsetattr(self._keys, termios.TCSANOW, modes)  # not TCSAFLUSH: typed keys stay for the app
        except termios.error:
            log.warning("first look: the terminal's modes could not be set")


def _black_around(width: int, height: int, left: int, top: int, cols: int, rows: int) -> bytes:
    """Black spaces on every cell of a ``width`` x ``height`` screen outside the picture's box.

    Spaces, as Textual paints black, not a clear of the screen: a terminal without background colour
    erase would clear to its own background.
    """
    parts = [BLACK]
    for y in range(height):
        if not top <= y < top + rows:
            parts.append(f"\x1b[{y + 1};1H{' ' * width}")
            continue
        if left > 0:
            parts.append(f"\x1b[{y + 1};1H{' ' * left}")
        if (right := width - left - cols) > 0:
            parts.append(f"\x1b[{y + 1};{left + cols + 1}H{' ' * right}")
    parts.append("\x1b[0m")
    return "".join(parts).encode()


class _AtEachImport:
    """A meta path finder that finds nothing: it calls ``call`` as each import begins."""

    def __init__(self, call: Callable[[], None]) -> None:
        self._call = call

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        """Call, then let the real finders find ``fullname``."""
        self._call()
