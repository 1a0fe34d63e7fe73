"""RenderPlan: how the video is drawn (half-blocks or kitty graphics, colours, sync), chosen once at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tuifeed.render.color import DEFAULT_MODE, ColorMode
from tuifeed.render.encoder import Encoder, HalfBlockEncoder
from tuifeed.render.kitty import KittyEncoder, KittyOptions
from tuifeed.render.pump import FrameSink


class RenderKind(StrEnum):
    """The ways of drawing a picture in a terminal."""

    HALFBLOCK = "halfblock"
    """Coloured ``▀`` cells: two pixels per cell, works in every colour terminal."""
    KITTY = "kitty"
    """The kitty graphics protocol with Unicode placeholders: real pixels (kitty, Ghostty)."""


@dataclass(frozen=True, slots=True)
class RenderPlan:
    """Everything the video view needs to know about the terminal to draw on it."""

    kind: RenderKind = RenderKind.HALFBLOCK
    color: ColorMode = DEFAULT_MODE
    sync: bool = False
    """Wrap each frame in synchronized output (DEC mode 2026): the terminal said it has it."""
    kitty: KittyOptions | None = None
    """How to send images, for the kitty kind."""
    sink: FrameSink | None = None
    """The terminal output frames are written to directly; None lets Textual paint every frame."""

    def encoder(self) -> Encoder:
        """A new encoder for this plan (one per video view)."""
        if self.kind is RenderKind.KITTY:
            return KittyEncoder(self.kitty or KittyOptions(), self.color)
        return HalfBlockEncoder(self.color)
