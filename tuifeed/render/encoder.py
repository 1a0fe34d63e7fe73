"""The Encoder protocol the video view draws through, and the half-block encoder: cell diffs at a chosen quality."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, Protocol

import numpy as np

from tuifeed.render.color import ColorMode, ColorSystem, Frame, Keys, pack_keys, requantise_keys
from tuifeed.render.diff import Pixels, cells_to_send, encode_cells
from tuifeed.render.fit import Fit, downscale_box, fit_box, resample_nearest
from tuifeed.render.halfblock import Runs, lines_from_keys, runs_from_keys

Span = tuple[str, int, int]
"""Styled text of a picture row: (text, foreground, background), colours in the picture's colour system."""

UPPER_HALF: Final = "\u2580"
SUPERSAMPLE: Final = 2
"""Decode at this many times the cells' pixels each way when the clip is large enough, then average down."""
SUPERSAMPLE_FROM: Final = 8
"""How many times larger than the cells' pixels a clip must be to be decoded supersampled."""
SAFE_BITS: Final = 5
"""Bits per channel of the styled spans: few distinct styles keep Textual's per-segment work small."""


@dataclass(frozen=True, slots=True)
class Quality:
    """One step of the quality ladder: bits kept per channel (truecolor) and the diff threshold in levels."""

    bits: int
    threshold: int


LADDER: Final = (
    Quality(7, 2),
    Quality(6, 3),
    Quality(6, 5),
    Quality(5, 7),
    Quality(5, 10),
    Quality(4, 14),
    Quality(3, 22),
)
"""Best first. 7 bits with a threshold of 2 is as close to the source as 8 bits (the half-bucket rounds) for
fewer bytes; each step down sends roughly a third fewer, the threshold rising with the quantisation step."""


class Picture(Protocol):
    """What the terminal shows of one frame, as Textual paints it (repaints, and while something covers it)."""

    @property
    def cols(self) -> int:
        """Width in cells."""

    @property
    def rows(self) -> int:
        """Height in cells."""

    @property
    def system(self) -> ColorSystem:
        """The colour system of the spans' colours."""

    def line(self, row: int) -> str | None:
        """Row ``row`` as one self-contained ANSI string, safe only while nothing covers it; None: use spans."""

    def spans(self, row: int, background: bool) -> list[Span]:
        """Row ``row`` as styled text; ``background`` when drawn under a modal screen (which tints it)."""


class Encoder(Protocol):
    """Turns frames into terminal bytes, remembering what the terminal shows so it can send only the change.

    One thread at a time uses an encoder (the video pump's).
    """

    @property
    def system(self) -> ColorSystem:
        """The colour system pictures are painted in."""

    def fit(self, width: int, height: int, cols: int, rows: int) -> Fit:
        """Where a ``width`` x ``height`` picture goes in a box of cells, and the pixel size to decode it at."""

    def encode(self, frame: Frame, fit: Fit, left: int, top: int, direct: bool) -> bytes:
        """The bytes that show ``frame`` (of the clip's aspect, any size) in ``fit`` with its box at (left, top).

        With ``direct`` False the cells are painted by Textual (something covers the video) and only what
        lives outside the cells (image data) is returned.
        """

    def forget(self) -> None:
        """The screen no longer shows what was sent: the next frame is sent whole."""

    def unsent(self) -> None:
        """The bytes of the last ``encode`` never reached the terminal: release what they named, forget."""

    def farewell(self) -> bytes:
        """What clears the terminal of the encoder's state (stored images) when the video goes away."""

    def picture(self) -> Picture | None:
        """The last frame encoded, for Textual to paint."""

    @property
    def levels(self) -> int:
        """How many quality steps the encoder has (1 when it cannot trade quality for bytes)."""

    @property
    def level(self) -> int:
        """The current quality step, 0 being the best."""

    @level.setter
    def level(self, value: int) -> None: ...


class HalfBlockPicture:
    """A half-block frame as the terminal shows it: packed cell keys, with lines and runs made on demand.

    The keys are never changed; lines and runs are made by the one thread that paints (Textual's).
    """

    def __init__(self, keys: Keys, mode: ColorMode) -> None:
        """Show ``keys`` (see ``pack_keys``) encoded in ``mode``."""
        self.keys = keys
        self.mode = mode
        self._lines: list[str] | None = None
        self._runs: Runs | None = None

    @property
    def cols(self) -> int:
        """Width in cells."""
        return int(self.keys.shape[1])

    @property
    def rows(self) -> int:
        """Height in cells."""
        return int(self.keys.shape[0])

    @property
    def system(self) -> ColorSystem:
        """The colour system of the keys."""
        return self.mode.system

    def line(self, row: int) -> str | None:
        """Row ``row`` as minimal-SGR ANSI (see ``lines_from_keys``)."""
        if self._lines is None:
            self._lines = lines_from_keys(self.keys, self.mode.system)
        return self._lines[row]

    def spans(self, row: int, background: bool) -> list[Span]:
        """Row ``row`` as runs of equal cells (5-bit truecolor keeps Textual's style cache small)."""
        if self._runs is None:
            self._runs = runs_from_keys(requantise_keys(self.keys, self.mode, SAFE_BITS))
        return [(UPPER_HALF * length, fg, bg) for length, fg, bg in self._runs.row(row)]


class HalfBlockEncoder:
    """Half-block cells (``▀``, foreground the top pixel, background the bottom one), sent as cell diffs.

    Each frame sends only the cells whose colour moved by more than the current threshold since they were
    last sent, and one band of rows in full (``refresh_frames`` bands make a cycle), so nothing drifts for
    long. The quality ladder trades bits per channel and threshold for bytes (truecolor); for ansi256 only
    the threshold moves.
    """

    def __init__(self, mode: ColorMode, refresh_frames: int = 60) -> None:
        """Encode in ``mode`` (its bits are the best step's), refreshing every row once per ``refresh_frames``."""
        self._mode = mode
        self._refresh_frames = max(1, refresh_frames)
        self._ladder = tuple(
            Quality(min(step.bits, mode.bits) if mode.system is ColorSystem.TRUECOLOR else 8, step.threshold)
            for step in LADDER
        )
        self._level = 0
        self._keys: Keys | None = None
        self._pixels: Pixels | None = None
        self._band = 0
        self._picture: HalfBlockPicture | None = None

    @property
    def system(self) -> ColorSystem:
        """The colour system cells are painted in."""
        return self._mode.system

    @property
    def levels(self) -> int:
        """Steps on the quality ladder."""
        return len(self._ladder)

    @property
    def level(self) -> int:
        """The current step, 0 being the best."""
        return self._level

    @level.setter
    def level(self, value: int) -> None:
        self._level = max(0, min(len(self._ladder) - 1, value))

    @property
    def quality(self) -> Quality:
        """Bits and threshold of the current step."""
        return self._ladder[self._level]

    def fit(self, width: int, height: int, cols: int, rows: int) -> Fit:
        """Fit with square pixels, one per column and two per cell row.

        A source at least ``SUPERSAMPLE_FROM`` times larger than the cells is decoded at ``SUPERSAMPLE``
        times their pixels and averaged down here: the decoder's scaler aliases when it shrinks a clip
        sixteen-fold (80x24: 1.3 dB below mpv without this, 1.5 dB above with it), while at 200x60
        (6.4-fold) averaging measured no better and cost CPU.
        """
        fit = fit_box(width, height, cols, rows)
        if width >= SUPERSAMPLE_FROM * fit.cols and height >= SUPERSAMPLE_FROM * 2 * fit.rows:
            return replace(fit, pixel_width=fit.cols * SUPERSAMPLE, pixel_height=fit.rows * 2 * SUPERSAMPLE)
        return fit

    def forget(self) -> None:
        """Send the next frame whole."""
        self._keys = self._pixels = None

    def unsent(self) -> None:
        """Cells are all the bytes name: the next frame is sent whole."""
        self.forget()

    def farewell(self) -> bytes:
        """Nothing lives in the terminal beyond its cells."""
        return b""

    def picture(self) -> HalfBlockPicture | None:
        """The last frame encoded."""
        return self._picture

    def encode(self, frame: Frame, fit: Fit, left: int, top: int, direct: bool) -> bytes:
        """Cell diff of ``frame`` against what was sent before; b"" when Textual paints the cells."""
        frame = _to_grid(frame, fit.cols, fit.rows * 2)
        quality = self.quality
        mode = ColorMode(self._mode.system, quality.bits, self._mode.dither)
        keys = pack_keys(frame, mode)
        if not direct:
            self.forget()
            self._picture = HalfBlockPicture(_frozen(keys), mode)
            return b""
        pixels = _pixels(frame)
        rows = keys.shape[0]
        band = -(-rows // self._refresh_frames)
        start = (self._band % self._refresh_frames) * band
        self._band += 1
        if self._keys is None or self._pixels is None or self._keys.shape != keys.shape:
            send = np.ones(keys.shape, dtype=np.bool_)
            shown_keys, shown_pixels = keys.copy(), pixels.copy()
        else:
            send = cells_to_send(keys, pixels, self._keys, self._pixels, quality.threshold, slice(start, start + band))
            shown_keys, shown_pixels = self._keys, self._pixels
            shown_keys[send] = keys[send]
            sent_pixels = np.repeat(send, 2, axis=0)
            shown_pixels[sent_pixels] = pixels[sent_pixels]
        self._keys, self._pixels = shown_keys, shown_pixels
        self._picture = HalfBlockPicture(_frozen(shown_keys.copy()), mode)
        return encode_cells(keys, send, self._mode.system, left + fit.x, top + fit.y)


def _to_grid(frame: Frame, width: int, height: int) -> Frame:
    """``frame`` at one pixel per half-block: averaged down from a supersampled decode, else resampled."""
    if frame.shape[:2] == (height, width):
        return frame
    if frame.shape[:2] == (height * SUPERSAMPLE, width * SUPERSAMPLE):
        return downscale_box(frame, SUPERSAMPLE)
    return resample_nearest(frame, width, height)  # a resize, until the next clip decodes at the new size


def _pixels(frame: Frame) -> Pixels:
    """A BGRX frame's source colours as packed 0xRRGGBB (the free little-endian view), even rows only."""
    rows = frame.shape[0] // 2 * 2
    pixels = np.ascontiguousarray(frame[:rows])
    packed: Pixels = pixels.view("<u4")[..., 0] & np.uint32(0xFFFFFF)
    return packed


def _frozen(keys: Keys) -> Keys:
    """Mark keys read-only: a picture is shared with the thread that paints it."""
    keys.flags.writeable = False
    return keys
