"""Real pixels in a real kitty: `python benchmarks/kitty_pixels.py` runs kitty under Xvfb and checks a screenshot.

Inside kitty (software GL), tuifeed's own probe asks the terminal what it can do, and tuifeed's own kitty
code sends a four-colour test image twice: zlib-compressed in chunked escape codes, and through shared
memory. The check then screenshots the X display and finds both images, quadrants in place.

Debian 12 ships kitty 0.26.5, older than Unicode placeholders (0.28): it rejects the ``U=1`` key. So
the probe must say "not trusted" there (checked), and the images are transmitted with ``a=t`` instead
of ``a=T,U=1`` and placed with ordinary placements (``a=p``): this proves the pixel data reaches the
screen, not the placeholder cells (those are checked against the protocol in tests/render/test_render_kitty.py).
Needs: sudo apt-get install kitty xvfb imagemagick.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
DISPLAY = ":77"
COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0)}
"""The test image's quadrants: top-left, top-right, bottom-left, bottom-right."""


def inside(report: Path) -> None:
    """Run in kitty: probe, then show the test image by both transports; write what the probe found."""
    sys.path.insert(0, str(REPO))
    from tuifeed.render.kitty import graphics, transmit_direct, transmit_named
    from tuifeed.terminal.probe import kitty_verdict, probe

    caps = probe(os.environ)
    verdict = kitty_verdict(caps)
    report.write_text(json.dumps({"terminal": caps.terminal, "graphics": caps.replies.graphics,
                                  "shm": caps.replies.shm, "sync": caps.replies.sync,
                                  "usable": verdict.usable, "reason": verdict.reason}))  # fmt: skip
    height, width = 90, 160
    image = np.zeros((height, width, 3), np.uint8)
    image[:45, :80], image[:45, 80:] = COLOURS["red"], COLOURS["green"]
    image[45:, :80], image[45:, 80:] = COLOURS["blue"], COLOURS["yellow"]
    rgb = image.tobytes()
    shm = f"tuifeed-kitty-pixels-{os.getpid()}"
    Path("/dev/shm", shm).write_bytes(rgb)
    codes = transmit_direct(101, rgb, width, height, 20, 5) + transmit_named(
        102, shm, "s", len(rgb), width, height, 20, 5, False
    )
    out = sys.stdout.buffer
    out.write(b"\x1b[2J\x1b[?25l" + codes.replace(b"a=T,U=1", b"a=t"))
    out.write(b"\x1b[2;3H" + graphics("a=p,i=101,c=20,r=5,q=2") + b"\x1b[10;3H" + graphics("a=p,i=102,c=20,r=5,q=2"))
    out.flush()
    time.sleep(15)


def boxes(shot: np.ndarray) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per test colour, the bounding boxes (top, left, bottom, right) of its pixels, split into two images."""
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    for name, rgb in COLOURS.items():
        ys, xs = np.nonzero((shot == rgb).all(axis=-1))
        if ys.size == 0:
            found[name] = []
            continue
        gap = np.flatnonzero(np.diff(np.sort(np.unique(ys))) > 1)
        rows = np.sort(np.unique(ys))
        cut = rows[gap[0]] + 1 if gap.size else rows[-1] + 1
        found[name] = [
            (int(ys[part].min()), int(xs[part].min()), int(ys[part].max()), int(xs[part].max()))
            for part in (ys < cut, ys >= cut)
            if part.any()
        ]
    return found


def main() -> int:
    """Start Xvfb and kitty, screenshot, check."""
    if len(sys.argv) > 2 and sys.argv[1] == "--inside":
        inside(Path(sys.argv[2]))
        return 0
    missing = [tool for tool in ("Xvfb", "kitty", "import") if shutil.which(tool) is None]
    if missing:
        print(f"needs {', '.join(missing)}: sudo apt-get install kitty xvfb imagemagick")
        return 1
    with tempfile.TemporaryDirectory(prefix="tuifeed-kitty-") as scratch_name:
        scratch = Path(scratch_name)
        env = {**os.environ, "DISPLAY": DISPLAY, "LIBGL_ALWAYS_SOFTWARE": "1"}
        xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1024x768x24"], stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.5)
            report = scratch / "probe.json"
            kitty = subprocess.Popen(
                ["kitty", "--config", "NONE", sys.executable, __file__, "--inside", str(report)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            try:
                deadline = time.monotonic() + 30
                while not report.exists() and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(3)  # software GL draws slowly
                shot_path = scratch / "shot.png"
                subprocess.run(["import", "-window", "root", str(shot_path)], env=env, check=True)
                shot = np.asarray(Image.open(shot_path).convert("RGB"))
                if os.environ.get("KITTY_PIXELS_KEEP"):
                    shutil.copy(shot_path, os.environ["KITTY_PIXELS_KEEP"])
            finally:
                kitty.terminate()
                kitty.wait(timeout=10)
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=10)
        probe = json.loads(report.read_text()) if report.exists() else {}
    print(f"probe in a real kitty: {probe}")
    found = boxes(shot)
    ok = True
    for name, parts in found.items():
        print(f"  {name}: {len(parts)} image(s) at {parts}")
        ok &= len(parts) == 2
    if ok:
        for index, transport in enumerate(("direct (zlib, chunked)", "shared memory")):
            red, green, blue, yellow = (found[name][index] for name in COLOURS)
            placed = red[3] < green[1] and red[2] < blue[0] and blue[3] < yellow[1] and green[2] < yellow[0]
            print(f"{'PASS' if placed else 'FAIL'}: {transport} image painted, quadrants in place")
            ok &= placed
    verdict_ok = probe.get("graphics") is True and probe.get("usable") is False
    print(f"{'PASS' if verdict_ok else 'FAIL'}: the probe sees kitty graphics and rejects placeholders before 0.28")
    return 0 if ok and verdict_ok else 1


if __name__ == "__main__":
    sys.exit(main())
