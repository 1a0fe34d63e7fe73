"""The kitty graphics protocol: frames as raw RGB images, shown through Unicode placeholder cells.

Written against https://sw.kovidgoyal.net/kitty/graphics-protocol/. Each frame is transmitted with
``a=T,U=1`` (transmit and create a virtual placement). The cells show the image through placeholders
(U+10EEEE, the image id as the foreground colour, row and column as combining diacritics); they are
ordinary text, so Textual's compositor can cut and cover them at cell boundaries like any other.

Sent directly (chunked), frames alternate between two image ids and the placeholders are rewritten to
name the new one: kitty frees an image the moment a new transmission for its id begins, so one id would
blank the picture while a chunked frame is still arriving; where the terminal has synchronized output the
rewrite goes in it, since rows rewritten one by one showed two frames at once in a real kitty. Through
shared memory or a file the whole frame is one escape code, so every frame reuses one id and the
placeholders stay as they are: nothing to rewrite, nothing to tear.
"""

from __future__ import annotations

import base64
import contextlib
import os
import random
import tempfile
import zlib
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np

from tuifeed.render.color import ColorMode, ColorSystem, Frame, pack_keys
from tuifeed.render.encoder import HalfBlockPicture, Span
from tuifeed.render.fit import Fit, fit_box, resample_nearest
from tuifeed.terminal.passthrough import wrap_passthrough

PLACEHOLDER: Final = "\U0010eeee"
_DIACRITIC_CODES: Final = """
0305 030D 030E 0310 0312 033D 033E 033F 0346 034A 034B 034C 0350 0351 0352 0357 035B 0363 0364 0365 0366 0367
0368 0369 036A 036B 036C 036D 036E 036F 0483 0484 0485 0486 0487 0592 0593 0594 0595 0597 0598 0599 059C 059D
059E 059F 05A0 05A1 05A8 05A9 05AB 05AC 05AF 05C4 0610 0611 0612 0613 0614 0615 0616 0617 0657 0658 0659 065A
065B 065D 065E 06D6 06D7 06D8 06D9 06DA 06DB 06DC 06DF 06E0 06E1 06E2 06E4 06E7 06E8 06EB 06EC 0730 0732 0733
0735 0736 073A 073D 073F 0740 0741 0743 0745 0747 0749 074A 07EB 07EC 07ED 07EE 07EF 07F0 07F1 07F3 0816 0817
0818 0819 081B 081C 081D 081E 081F 0820 0821 0822 0823 0825 0826 0827 0829 082A 082B 082C 082D 0951 0953 0954
0F82 0F83 0F86 0F87 135D 135E 135F 17DD 193A 1A17 1A75 1A76 1A77 1A78 1A79 1A7A 1A7B 1A7C 1B6B 1B6D 1B6E 1B6F
1B70 1B71 1B72 1B73 1CD0 1CD1 1CD2 1CDA 1CDB 1CE0 1DC0 1DC1 1DC3 1DC4 1DC5 1DC6 1DC7 1DC8 1DC9 1DCB 1DCC 1DD1
1DD2 1DD3 1DD4 1DD5 1DD6 1DD7 1DD8 1DD9 1DDA 1DDB 1DDC 1DDD 1DDE 1DDF 1DE0 1DE1 1DE2 1DE3 1DE4 1DE5 1DE6 1DFE
20D0 20D1 20D4 20D5 20D6 20D7 20DB 20DC 20E1 20E7 20E9 20F0 2CEF 2CF0 2CF1 2DE0 2DE1 2DE2 2DE3 2DE4 2DE5 2DE6
2DE7 2DE8 2DE9 2DEA 2DEB 2DEC 2DED 2DEE 2DEF 2DF0 2DF1 2DF2 2DF3 2DF4 2DF5 2DF6 2DF7 2DF8 2DF9 2DFA 2DFB 2DFC
2DFD 2DFE 2DFF A66F A67C A67D A6F0 A6F1 A8E0 A8E1 A8E2 A8E3 A8E4 A8E5 A8E6 A8E7 A8E8 A8E9 A8EA A8EB A8EC A8ED
A8EE A8EF A8F0 A8F1 AAB0 AAB2 AAB3 AAB7 AAB8 AABE AABF AAC1 FE20 FE21 FE22 FE23 FE24 FE25 FE26 10A0F 10A38 1D185
1D186 1D187 1D188 1D189 1D1AA 1D1AB 1D1AC 1D1AD 1D242 1D243 1D244
"""
"""The protocol's rowcolumn-diacritics table: the code points that number rows and columns 0-296."""
_DIACRITICS: Final = "".join(chr(int(code, 16)) for code in _DIACRITIC_CODES.split())
"""Row and column numbers 0-296 as combining marks (the protocol's rowcolumn-diacritics table)."""
MAX_CELLS: Final = len(_DIACRITICS)
"""The most rows or columns a placeholder can address."""
CHUNK: Final = 4096
"""Largest base64 payload of one escape code (a multiple of 4, as the protocol requires)."""
SYNC_START: Final = "\x1b[?2026h"
SYNC_END: Final = "\x1b[?2026l"
APC_START: Final = b"\x1b_G"
APC_END: Final = b"\x1b\\"
SHM_DIR: Final = "/dev/shm"
UNTAKEN: Final = 8
"""Frames after which an object the terminal has not taken is removed: tmux drops passthrough codes when
its terminal falls behind (it redraws the pane from its grid, which does not hold them), so the terminal
never hears of that object; kitty takes one as soon as it reads the code, well within a few frames."""


class Transport(StrEnum):
    """How pixel data reaches the terminal."""

    SHM = "shm"
    """A POSIX shared-memory object the terminal reads and unlinks: only a name crosses the tty (local)."""
    FILE = "file"
    """A temporary file the terminal reads and deletes (local, where there is no /dev/shm)."""
    DIRECT = "direct"
    """zlib-compressed, base64-encoded, in chunked escape codes: works over SSH."""


@dataclass(frozen=True, slots=True)
class KittyOptions:
    """How to reach a kitty-protocol terminal."""

    transport: Transport = Transport.DIRECT
    cell_width: int = 8
    """Pixels per cell, as the terminal reported them (used for the aspect ratio and the image size)."""
    cell_height: int = 16
    passthrough: bool = False
    """Wrap graphics codes for tmux's passthrough (``allow-passthrough on``), to reach the outer terminal."""
    max_width: int = 1280
    """Widest image sent; the terminal scales it to the placement."""
    direct_pixels_per_cell: int = 4
    """Horizontal pixels per cell for DIRECT transport (bytes cross the tty), vertical is twice that."""
    sync: bool = False
    """The terminal has synchronized output (DEC 2026): the placeholder rewrite goes in it, never the image."""


def graphics(control: str, payload: bytes = b"", passthrough: bool = False) -> bytes:
    """One graphics escape code ``ESC _ G <control> ; <payload> ESC \\``, wrapped for tmux if asked."""
    code = APC_START + control.encode("ascii") + (b";" + payload if payload else b"") + APC_END
    return wrap_passthrough(code) if passthrough else code


def transmit_direct(
    image_id: int, rgb: bytes, width: int, height: int, cols: int, rows: int, passthrough: bool = False
) -> bytes:
    """Transmit RGB pixels in chunks and create a virtual placement of ``cols`` x ``rows`` cells."""
    payload = base64.standard_b64encode(zlib.compress(rgb, 1))
    head = f"a=T,U=1,f=24,o=z,s={width},v={height},i={image_id},c={cols},r={rows},q=2"
    chunks = [payload[at : at + CHUNK] for at in range(0, len(payload), CHUNK)] or [b""]
    codes = []
    for index, chunk in enumerate(chunks):
        more = int(index < len(chunks) - 1)
        control = f"{head},m={more}" if index == 0 else f"m={more}"
        codes.append(graphics(control, chunk, passthrough))
    return b"".join(codes)


def transmit_named(
    image_id: int, name: str, medium: str, size: int, width: int, height: int, cols: int, rows: int, passthrough: bool
) -> bytes:
    """Point the terminal at pixels in a shared-memory object or temporary file (``medium`` "s" or "t")."""
    control = f"a=T,U=1,t={medium},f=24,s={width},v={height},S={size},i={image_id},c={cols},r={rows},q=2"
    return graphics(control, base64.standard_b64encode(name.encode()), passthrough)


def placeholder_row(row: int, cols: int, explicit: bool) -> str:
    """The placeholder text of one image row: every cell numbered (``explicit``) or only the first.

    Numbering only the first cell lets the terminal infer the rest (each cell is its left neighbour's
    column plus one); numbering every cell keeps each cell right on its own when cut or covered.
    """
    if row >= MAX_CELLS or cols > MAX_CELLS:
        raise ValueError(f"placeholders address at most {MAX_CELLS} rows and columns")
    mark = _DIACRITICS[row]
    if not explicit:
        return PLACEHOLDER + mark + _DIACRITICS[0] + PLACEHOLDER * (cols - 1)
    return "".join(PLACEHOLDER + mark + _DIACRITICS[col] for col in range(cols))


def image_color(image_id: int) -> tuple[int, int, int]:
    """The truecolor foreground that names a 24-bit image id in placeholder cells."""
    return (image_id >> 16) & 0xFF, (image_id >> 8) & 0xFF, image_id & 0xFF


class KittyPicture:
    """A frame shown through placeholders; under a modal screen (which tints colours) it is half-blocks."""

    def __init__(self, image_id: int, cols: int, rows: int, still: Frame, mode: ColorMode) -> None:
        """Name image ``image_id`` over ``cols`` x ``rows`` cells; ``still`` is the frame at 1x2 pixels a cell."""
        self.image_id = image_id
        self._cols, self._rows = cols, rows
        self._still = still
        self._mode = mode
        self._halfblock: HalfBlockPicture | None = None

    @property
    def cols(self) -> int:
        """Width in cells."""
        return self._cols

    @property
    def rows(self) -> int:
        """Height in cells."""
        return self._rows

    @property
    def system(self) -> ColorSystem:
        """Placeholders need a truecolor foreground (it carries the image id)."""
        return ColorSystem.TRUECOLOR

    def line(self, row: int) -> str | None:
        """Placeholders always go through styled spans."""
        return None

    def spans(self, row: int, background: bool) -> list[Span]:
        """The placeholders of ``row``; half-block cells when drawn under a modal screen."""
        if background:
            if self._halfblock is None:
                self._halfblock = HalfBlockPicture(pack_keys(self._still, self._mode), self._mode)
            return self._halfblock.spans(row, background)
        red, green, blue = image_color(self.image_id)
        return [(placeholder_row(row, self._cols, explicit=True), red << 16 | green << 8 | blue, 0)]


class KittyEncoder:
    """Sends each frame as an image and shows it through placeholder cells; see the module docstring."""

    def __init__(self, options: KittyOptions, mode: ColorMode) -> None:
        """Talk to the terminal as ``options`` say; ``mode`` colours the half-block stand-in under modals."""
        self._options = options
        self._mode = ColorMode(ColorSystem.TRUECOLOR, mode.bits) if mode.system is ColorSystem.TRUECOLOR else mode
        base = random.SystemRandom().randrange(0x010101, 0xFEFEFE)
        self._ids = (base, base + 1) if options.transport is Transport.DIRECT else (base, base)
        self._turn = 0
        self._shown: tuple[int, Fit, int, int] | None = None
        """Image id, fit and origin of the placeholders on screen."""
        self._picture: KittyPicture | None = None
        self._serial = 0
        self._pending: str | None = None
        """The shared-memory object or file named by the last encode, until the terminal takes it."""
        self._named: deque[str] = deque()
        """The objects or files named by the last ``UNTAKEN`` encodes (the terminal unlinks those it takes)."""
        self._sent_ids: set[int] = set()

    @property
    def system(self) -> ColorSystem:
        """Placeholders are truecolor."""
        return ColorSystem.TRUECOLOR

    @property
    def levels(self) -> int:
        """One step: the terminal scales the image, bytes do not depend on a quality choice."""
        return 1

    @property
    def level(self) -> int:
        """Always 0."""
        return 0

    @level.setter
    def level(self, value: int) -> None:
        pass

    def fit(self, width: int, height: int, cols: int, rows: int) -> Fit:
        """Fit in cells of the terminal's own aspect, decoded at (up to) the cells' real pixel size."""
        options = self._options
        aspect = options.cell_height / max(1, options.cell_width)
        fit = fit_box(width, height, min(cols, MAX_CELLS), min(rows, MAX_CELLS), cell_aspect=aspect)
        per_cell = options.cell_width
        if options.transport is Transport.DIRECT:
            per_cell = min(per_cell, options.direct_pixels_per_cell)
        scale = min(1.0, options.max_width / max(1, fit.cols * per_cell), width / max(1, fit.cols * per_cell))
        pixel_w = max(1, round(fit.cols * per_cell * scale))
        pixel_h = max(2, round(fit.rows * per_cell * aspect * scale))
        return Fit(fit.cols, fit.rows, fit.x, fit.y, pixel_w, pixel_h)

    def forget(self) -> None:
        """The placeholders on screen are gone: rewrite them with the next frame."""
        self._shown = None

    def unsent(self) -> None:
        """The last frame never reached the terminal: remove the memory object or file it named (nobody will)."""
        self._shown = None
        path, self._pending = self._pending, None
        if path is not None:
            _remove(path)

    def farewell(self) -> bytes:
        """Delete the images this encoder made, data and placements (``a=d,d=I``); remove objects not taken."""
        while self._named:
            _remove(self._named.popleft())
        passthrough = self._options.passthrough
        return b"".join(graphics(f"a=d,d=I,i={image_id},q=2", b"", passthrough) for image_id in sorted(self._sent_ids))

    def picture(self) -> KittyPicture | None:
        """The last frame sent."""
        return self._picture

    def encode(self, frame: Frame, fit: Fit, left: int, top: int, direct: bool) -> bytes:
        """Transmit ``frame`` (sent directly: under the id not on screen), then (``direct``) place the cells.

        The cells are written only when they would change: a new id, fit or place.
        """
        image_id = self._ids[self._turn]
        self._turn ^= 1
        self._pending = None  # what the previous encode named was sent (or released by unsent)
        height, width = frame.shape[:2]
        rgb = np.ascontiguousarray(frame[..., 2::-1]).tobytes()
        data = self._transmit(image_id, rgb, width, height, fit.cols, fit.rows)
        self._sent_ids.add(image_id)
        still = resample_nearest(frame, fit.cols, fit.rows * 2)
        self._picture = KittyPicture(image_id, fit.cols, fit.rows, still, self._mode)
        if not direct:
            self._shown = None
            return data
        if self._shown == (image_id, fit, left, top):
            return data
        red, green, blue = image_color(image_id)
        cells = [f"\x1b[38;2;{red};{green};{blue}m"]
        for row in range(fit.rows):
            cells.append(f"\x1b[{top + fit.y + row + 1};{left + fit.x + 1}H")
            cells.append(placeholder_row(row, fit.cols, explicit=False))
        cells.append("\x1b[0m")
        self._shown = (image_id, fit, left, top)
        if self._options.sync:
            # Rows rewritten one by one showed the new image above the old one in a real kitty; the image
            # itself stays outside: a whole chunked frame inside the brackets blanked the screen there.
            cells = [SYNC_START, *cells, SYNC_END]
        return data + "".join(cells).encode()

    def _transmit(self, image_id: int, rgb: bytes, width: int, height: int, cols: int, rows: int) -> bytes:
        options = self._options
        if options.transport is Transport.DIRECT:
            return transmit_direct(image_id, rgb, width, height, cols, rows, options.passthrough)
        self._serial += 1
        if options.transport is Transport.SHM:
            name = f"tuifeed-{os.getpid()}-{self._serial}"
            path, medium = os.path.join(SHM_DIR, name), "s"
        else:
            path = os.path.join(tempfile.gettempdir(), f"tuifeed-tty-graphics-protocol-{os.getpid()}-{self._serial}")
            name, medium = path, "t"
        self._pending = path
        self._named.append(path)
        if len(self._named) > UNTAKEN:
            _remove(self._named.popleft())
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(rgb)
            while view:  # a write may take less than asked (a signal, a full tmpfs): the rest follows
                view = view[os.write(descriptor, view) :]
        except OSError:
            os.close(descriptor)
            self.unsent()
            raise
        os.close(descriptor)
        return transmit_named(image_id, name, medium, len(rgb), width, height, cols, rows, options.passthrough)


def _remove(path: str) -> None:
    """Remove a shared-memory object or file, if the terminal has not already."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
