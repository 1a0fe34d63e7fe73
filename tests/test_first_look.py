"""FirstLook on a real pty: the still is drawn at the next import, in the picture's place, and the terminal comes
back as it was; nothing is drawn once the app has the terminal, and nothing it does can fail an import."""

from __future__ import annotations

import signal
import sys
import termios
import threading

import pytest
from first_look_support import gradient, import_something, pty
from pyte_screen import UPPER, new_screen

from tuifeed.first_look import BLACK, ENTER, LEAVE, SWITCH_INTERVAL, FirstLook
from tuifeed.render.color import ColorMode, ColorSystem
from tuifeed.render.kitty import KittyOptions
from tuifeed.render.layout import PANEL_ROWS
from tuifeed.render.plan import RenderKind, RenderPlan

QUIET = termios.ECHO | termios.ICANON | termios.ISIG


def picture_box(data: bytes, cols: int, rows: int) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of the half-block cells the bytes draw, replayed in pyte; None if none.

    Every other cell must be a black space: the look paints the whole screen.
    """
    screen, stream = new_screen(cols, rows)
    stream.feed(data)
    cells = [(x, y) for y in range(rows) for x in range(cols) if screen.buffer[y][x].data == UPPER]
    if not cells:
        return None
    xs, ys = [x for x, _ in cells], [y for _, y in cells]
    box = min(xs), min(ys), max(xs), max(ys)
    around = [
        screen.buffer[y][x]
        for y in range(rows)
        for x in range(cols)
        if not (box[0] <= x <= box[2] and box[1] <= y <= box[3])
    ]
    assert all(cell.data == " " and cell.bg == "black" for cell in around), "the screen around is not all black"
    assert len(cells) == (box[2] - box[0] + 1) * (box[3] - box[1] + 1), "the picture is not a whole rectangle"
    return box


def test_the_still_is_drawn_at_the_next_import_above_the_panel_and_keys_wait_unechoed() -> None:
    """A landscape still, offered from libvlc's thread, goes out when the main thread next imports: onto the
    alternate screen, cleared to black, centred across the rows above the panel; echo is off until hand_over."""
    with pty(100, 30) as terminal:
        before = termios.tcgetattr(terminal.keys)
        finders = list(sys.meta_path)
        interval = sys.getswitchinterval()
        look = FirstLook(terminal.output, RenderPlan(sync=True), panel=True, keys=terminal.keys)
        assert sys.getswitchinterval() == SWITCH_INTERVAL, "libvlc's callbacks get the interpreter sooner"
        vout = threading.Thread(target=look.show, args=(gradient(100, 56), (1280, 720)))
        vout.start()
        vout.join()
        assert terminal.written() == b"", "nothing is drawn before an import"
        import_something()
        data = terminal.written()
        assert terminal.modes() & QUIET == 0
        look.hand_over()
        assert termios.tcgetattr(terminal.keys) == before
        assert sys.meta_path == finders
        assert sys.getswitchinterval() == interval
        assert terminal.written() == b"", "the drawn still is not drawn again"
    assert data.startswith(ENTER.encode() + b"\x1b[?2026h" + BLACK.encode())
    assert data.endswith(b"\x1b[?2026l")
    box = picture_box(data, 100, 30)
    assert box is not None
    left, top, right, bottom = box
    assert (top, bottom) == (0, 30 - PANEL_ROWS - 1), "the picture fills the rows above the panel"
    assert abs(left - (99 - right)) <= 1, "and is centred across the screen"


def test_without_the_panel_a_vertical_still_is_centred_on_the_whole_screen() -> None:
    """No panel: a 9:16 clip takes every row, centred across, in the 256 colours the plan asks for."""
    with pty(120, 40) as terminal:
        plan = RenderPlan(color=ColorMode(ColorSystem.ANSI256))
        look = FirstLook(terminal.output, plan, panel=False, keys=terminal.keys)
        look.show(gradient(44, 80), (360, 640))
        import_something()
        look.hand_over()
        data = terminal.written()
    assert data.startswith(ENTER.encode() + BLACK.encode())
    assert b"\x1b[38;5;" in data
    box = picture_box(data, 120, 40)
    assert box is not None
    left, top, right, bottom = box
    assert (top, bottom) == (0, 39)
    assert abs(left - (119 - right)) <= 1


def test_hand_over_draws_a_still_no_import_came_for_then_nothing_more() -> None:
    """A still that came after the last import is drawn as the app takes over; one offered later never is."""
    with pty(80, 24) as terminal:
        look = FirstLook(terminal.output, RenderPlan(), panel=False, keys=terminal.keys)
        look.show(gradient(80, 45), (1280, 720))
        look.hand_over()
        assert picture_box(terminal.written(), 80, 24) is not None
        assert terminal.modes() & QUIET == QUIET
        late = FirstLook(terminal.output, RenderPlan(), panel=False, keys=terminal.keys)
        late.hand_over()
        late.show(gradient(80, 45), (1280, 720))
        import_something()
        assert terminal.written() == b""


def test_close_leaves_the_screen_the_look_entered_unless_the_app_has_left_it() -> None:
    """The app never started: close leaves the alternate screen and restores the keys. Once the app has left
    the alternate screen itself, close writes nothing."""
    with pty(80, 24) as terminal:
        before = termios.tcgetattr(terminal.keys)
        look = FirstLook(terminal.output, RenderPlan(), panel=False, keys=terminal.keys)
        look.show(gradient(80, 45), (1280, 720))
        import_something()
        terminal.written()
        look.close()
        assert terminal.written() == LEAVE.encode()
        assert termios.tcgetattr(terminal.keys) == before

        taken = FirstLook(terminal.output, RenderPlan(), panel=False, keys=terminal.keys)
        taken.show(gradient(80, 45), (1280, 720))
        taken.hand_over()
        terminal.output.write("\x1b[?1049l")  # the app, quitting
        terminal.written()
        taken.close()
        assert terminal.written() == b""


def test_a_still_offered_while_another_thread_imports_waits_for_the_main_thread() -> None:
    """Only the main thread draws: an import on another thread leaves the still for the main thread's next."""
    with pty(80, 24) as terminal:
        look = FirstLook(terminal.output, RenderPlan(), panel=False, keys=terminal.keys)
        look.show(gradient(80, 45), (1280, 720))
        other = threading.Thread(target=import_something)
        other.start()
        other.join()
        assert terminal.written() == b""
        import_something()
        look.hand_over()
        assert picture_box(terminal.written(), 80, 24) is not None


@pytest.mark.parametrize(
    ("cols", "rows", "frame"),
    [(8, 4, gradient(8, 4)), (80, 24, gradient(0, 0))],
    ids=["no room", "an empty frame"],
)
def test_what_cannot_be_drawn_leaves_the_terminal_and_the_import_alone(cols: int, rows: int, frame: object) -> None:
    """Too little room, or a frame the encoder cannot take: nothing reaches the terminal, the keys keep their
    modes, and the import goes on (here: to its usual ModuleNotFoundError)."""
    with pty(cols, rows) as terminal:
        look = FirstLook(terminal.output, RenderPlan(), panel=True, keys=terminal.keys)
        look.show(frame, (1280, 720))  # type: ignore[arg-type]
        import_something()
        assert terminal.modes() & QUIET == QUIET
        look.close()
        assert terminal.written() == b""


def test_kitty_graphics_get_no_first_look() -> None:
    """The app places kitty images itself: no look is started for them."""
    with pty(80, 24) as terminal:
        plan = RenderPlan(RenderKind.KITTY, kitty=KittyOptions())
        assert FirstLook.start(terminal.output, plan, panel=True, keys=terminal.keys) is None
        look = FirstLook.start(terminal.output, RenderPlan(), panel=True, keys=terminal.keys)
        assert look is not None
        look.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_while_the_look_is_on_screen_ends_tuifeed_at_hand_over(signum: int) -> None:
    """Before the app's own handlers: the signal is noted, hand_over says not to start the app, close puts the
    terminal back, and the signal's handler is what it was."""
    with pty(80, 24) as terminal:
        before = termios.tcgetattr(terminal.keys)
        handler = signal.getsignal(signum)
        look = FirstLook(terminal.output, RenderPlan(), panel=False, keys=terminal.keys)
        look.show(gradient(80, 45), (1280, 720))
        import_something()
        terminal.written()
        signal.raise_signal(signum)
        import_something()  # the main thread goes on loading the app meanwhile
        assert terminal.modes() & QUIET == 0
        assert not look.hand_over()
        look.close()
        assert terminal.written() == LEAVE.encode()
        assert termios.tcgetattr(terminal.keys) == before
        assert signal.getsignal(signum) is handler


def test_ctrl_c_and_ctrl_z_typed_while_the_look_is_on_screen_wait_for_the_app_as_keys() -> None:
    """Not made signals by the terminal (which would also throw away what was typed before them): the app reads
    them in order with the rest, as its quit and suspend keys; hand_over gives the keys their modes back."""
    with pty(80, 24) as terminal:
        before = termios.tcgetattr(terminal.keys)
        look = FirstLook(terminal.output, RenderPlan(), panel=False, keys=terminal.keys)
        look.show(gradient(80, 45), (1280, 720))
        import_something()
        assert terminal.modes() & termios.ISIG == 0
        terminal.type(b"j\x03l\x1a\x1c")
        assert terminal.typed() == b"j\x03l\x1a\x1c"
        assert look.hand_over()
        assert termios.tcgetattr(terminal.keys) == before
