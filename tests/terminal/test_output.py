"""TerminalOutput: frames never land inside one of Textual's synchronized updates; the final write ignores holds."""

from __future__ import annotations

import io
import threading
import time

import pytest

from tuifeed.terminal import TerminalOutput

SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"


def terminal() -> tuple[TerminalOutput, io.BytesIO]:
    """A TerminalOutput on an in-memory stream, already on the alternate screen."""
    raw = io.BytesIO()
    output = TerminalOutput(io.TextIOWrapper(raw, encoding="utf-8", write_through=True))
    output.write("\x1b[?1049h")
    return output, raw


def test_a_frame_waits_for_textuals_update_to_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual writes an update's start, text and end apart: a frame offered between them lands after the end."""
    monkeypatch.setattr("tuifeed.terminal.output.UPDATE_WAIT", 60.0)  # the bound is the next test's
    output, raw = terminal()
    output.write(SYNC_START)
    result: list[float | None] = []
    writer = threading.Thread(target=lambda: result.append(output.write_frame(b"<frame>", lambda: True)))
    writer.start()
    deadline = time.monotonic() + 10
    while not output._update_closed._waiters:  # type: ignore[attr-defined]  # the frame waits for the end
        assert time.monotonic() < deadline, "the frame never waited for the update"
        time.sleep(0.005)
    output.write("the update's text, longer than a marker")
    output.write(SYNC_END)
    writer.join(timeout=10)
    assert result and result[0] is not None
    written = raw.getvalue().decode()
    assert written.index("<frame>") > written.index(SYNC_END) > written.index("the update's text")


def test_an_update_left_open_drops_the_frame() -> None:
    """The wait is bounded: an update that never closes costs the frame, not the pump."""
    output, raw = terminal()
    output.write(SYNC_START + "an update whose end never comes")
    assert output.write_frame(b"<frame>", lambda: True) is None
    assert b"<frame>" not in raw.getvalue()
    output.write(SYNC_END)
    assert output.write_frame(b"<frame>", lambda: True) is not None
    assert raw.getvalue().endswith(SYNC_END.encode() + b"<frame>")


def test_the_final_write_ignores_holds_but_not_the_screen() -> None:
    """write_final goes out though Textual is repainting the view, yet never onto the shell's screen."""
    output, raw = terminal()
    output.hold_frames()
    assert output.write_frame(b"<frame>", lambda: True) is None
    output.write_final(b"<goodbye>")
    output.write("\x1b[?1049l")
    output.write_final(b"<late>")
    assert raw.getvalue() == b"\x1b[?1049h<goodbye>\x1b[?1049l"


def test_a_switch_onto_the_alternate_screen_while_on_it_is_dropped() -> None:
    """The first look put the terminal on the alternate screen: Textual's own switch, which may clear it (and
    saves the cursor again), is dropped; after a switch back, the next one goes out."""
    output, raw = terminal()
    output.write("\x1b[?1049h")
    assert raw.getvalue() == b"\x1b[?1049h"
    output.write("\x1b[?1049l")
    output.write("\x1b[?1049h")
    assert raw.getvalue() == b"\x1b[?1049h\x1b[?1049l\x1b[?1049h"
    assert output.alternate_screen
