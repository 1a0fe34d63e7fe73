"""The picture is right: the bytes tuifeed wrote, replayed in a second terminal (pyte), give tmux's screen and the clip.

tmux's `pipe-pane -o` hands us every byte tuifeed sent. Rebuilt with pyte (an independent emulator), the
video area must show cell for cell what tmux shows, and that picture must be the clip: PSNR against the
clip's frames, scaled by area averaging to the same cell grid, at the best-matching frame.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from e2e_support import ClipLibrary, Home, Pane, wait_until_still

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pyte_screen import halves, new_screen

WIDTH, HEIGHT = 120, 40
MIN_PSNR = 24.0
"""dB: a right picture of these clips scores 28-40; a wrong frame or a scrambled one scores under 15."""
APC = re.compile(rb"\x1b_[^\x1b]*\x1b\\")
"""Graphics queries of the probe: tmux drops them, pyte would print them."""

pytestmark = pytest.mark.e2e


def cell_halves(pane_screen: object, box: tuple[int, int, int, int]) -> np.ndarray:
    """(rows, cols, 2) top and bottom 24-bit colours of tmux's cells in ``box`` (-2 where not a picture cell)."""
    left, top, cols, rows = box
    out = np.full((rows, cols, 2), -2, dtype=np.int64)
    for y in range(rows):
        for x in range(cols):
            cell = pane_screen.rows[top + y][left + x]  # type: ignore[attr-defined]
            pack = lambda rgb: rgb[0] << 16 | rgb[1] << 8 | rgb[2]  # noqa: E731
            if cell.char == "▀" and isinstance(cell.fg, tuple) and isinstance(cell.bg, tuple):
                out[y, x] = pack(cell.fg), pack(cell.bg)
            elif cell.char == " " and isinstance(cell.bg, tuple):
                out[y, x] = pack(cell.bg), pack(cell.bg)
    return out


def _settled(pane: Pane, timeout: float = 20.0) -> object:
    """The screen once it has not changed for 2.5 s.

    Longer than the encoder's rolling refresh cycle (2 s): libvlc may show the paused picture again, and
    each showing resends a band of rows exactly, correcting cells that were within the diff threshold.
    """
    deadline = time.monotonic() + timeout
    before, still_since = pane.screen(), time.monotonic()
    while time.monotonic() - still_since < 2.5:
        time.sleep(0.25)
        after = pane.screen()
        if after.raw != before.raw:
            before, still_since = after, time.monotonic()
        assert time.monotonic() < deadline, "the paused picture never settled"
    return before


def best_psnr(clip: Path, image: np.ndarray) -> float:
    """Highest PSNR of ``image`` (2 * rows, cols, 3) against any frame of ``clip`` scaled to its size."""
    height, width = image.shape[:2]
    best = 0.0
    with av.open(str(clip)) as container:
        for frame in container.decode(video=0):
            ref = frame.reformat(width=width, height=height, format="rgb24", interpolation="AREA").to_ndarray()
            mse = float(((ref.astype(np.float64) - image) ** 2).mean())
            best = max(best, 10 * np.log10(255**2 / max(mse, 1e-9)))
    return best


def test_replayed_bytes_show_tmux_screen_and_the_clip(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane], tmp_path: Path
) -> None:
    """Play a landscape clip, pause it, and compare tmux's screen, pyte's replay and the clip itself."""
    landscape = next(clip for clip in clip_library.clips if clip.width > clip.height)
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / landscape.path.name).write_bytes(landscape.path.read_bytes())
    stream_file = tmp_path / "stream.bin"
    # No info panel: its text changes on pause and can move the picture; this test is about the bytes.
    home.config.write_text(home.config.read_text() + "\n[display]\ninfo_panel = false\n")
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    pane.tmux("pipe-pane", "-o", f"cat > {stream_file}")
    pane.run(home.tuifeed("play", str(folder)))
    pane.wait_for_picture(400)
    time.sleep(1.0)
    pane.send("space")
    shown = _settled(pane)  # paused: no new frames, so both screens settle on the same picture
    pane.tmux("pipe-pane")
    wait_until_still(stream_file)  # the pipe's reader may lag behind tmux on a loaded machine
    assert pane.screen().raw == shown.raw, "the paused screen changed while the pipe was closed"
    box = shown.video_box()
    assert box is not None
    pane.send("q")
    assert pane.wait_exit() == 0

    data = APC.sub(b"", stream_file.read_bytes())
    screen, stream = new_screen(WIDTH, HEIGHT)
    stream.feed(data)
    left, top, cols, rows = box
    replayed = halves(screen, top, left, rows, cols, "truecolor")
    in_tmux = cell_halves(shown, box)
    # Paused, the pause glyph sits on the middle of the picture: those few cells, and only those, are not picture.
    glyph = (in_tmux < 0).any(-1)
    ys, xs = np.nonzero(glyph)
    assert glyph.sum() <= 3 * 8, f"{int(glyph.sum())} cells of the box are not picture"
    assert ys.size and abs(ys.mean() - rows / 2) <= 2 and abs(xs.mean() - cols / 2) <= 4, "the glyph is off-centre"
    assert "❚❚" in "".join(shown.rows[top + int(y)][left + int(x)].char for y, x in zip(ys, xs, strict=True))
    differ = (replayed != in_tmux).any(-1) & ~glyph
    rows_differing = sorted({int(y) for y in np.nonzero(differ)[0]})
    assert not differ.any(), f"{int(differ.sum())} cells differ from tmux, in rows {rows_differing} of the box"

    image = np.empty((rows * 2, cols, 3))
    for half in (0, 1):
        colours = replayed[..., half]
        image[half::2, :, 0], image[half::2, :, 1], image[half::2, :, 2] = (
            colours >> 16,
            (colours >> 8) & 255,
            colours & 255,
        )
    score = best_psnr(landscape.path, image)
    assert score >= MIN_PSNR, f"the picture matches no frame of the clip (best PSNR {score:.1f} dB)"
    scrambled = image[:, ::-1]
    assert best_psnr(landscape.path, scrambled) < score - 3, "the check cannot tell a mirrored picture"


def test_a_narrower_clip_leaves_no_edges_of_the_wider_one(
    clip_library: ClipLibrary, home: Home, tmux: Callable[..., Pane], tmp_path: Path
) -> None:
    """Landscape then vertical: the pump writes only the new picture's cells, the old edges become letterbox."""
    landscape = next(clip for clip in clip_library.clips if clip.width > clip.height)
    vertical = next(clip for clip in clip_library.clips if clip.height > clip.width)
    folder = tmp_path / "two"
    folder.mkdir()
    for clip in (landscape, vertical):
        (folder / clip.path.name).write_bytes(clip.path.read_bytes())
    home.config.write_text(home.config.read_text() + "\n[display]\ninfo_panel = false\n")
    pane = tmux(WIDTH, HEIGHT, env=home.env)
    pane.run(home.tuifeed("play", "--seed", "3", str(folder)))
    first, _ = pane.wait_for_picture(400)
    first_box = first.video_box()
    assert first_box is not None
    pane.send("j")

    def changed_shape(screen: object) -> tuple[int, int, int, int] | None:
        box = screen.video_box()  # type: ignore[attr-defined]
        return box if box is not None and box != first_box and screen.video_cells() > 400 else None  # type: ignore[attr-defined]

    pane.wait_for(changed_shape, "the second clip's picture")
    time.sleep(0.5)
    screen = pane.screen()
    box = screen.video_box()
    assert box is not None
    _, _, cols, rows = box
    painted = sum(cell.is_video for cell in screen.box_cells(box))
    assert painted >= 0.95 * cols * rows, f"cells outside the new picture still show the old one:\n{screen.text}"
    pane.send("q")
    assert pane.wait_exit() == 0
