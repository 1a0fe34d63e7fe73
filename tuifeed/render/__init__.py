"""Rendering room: BGRX video frames to terminal half-block cells, with numpy only."""

from tuifeed.render.color import (
    DEFAULT_MODE,
    SAFE_MODE,
    ColorMode,
    ColorSystem,
    Frame,
    Keys,
    detect_color_mode,
    pack_keys,
)
from tuifeed.render.encoder import LADDER, Encoder, HalfBlockEncoder, HalfBlockPicture, Picture, Quality, Span
from tuifeed.render.fit import Fit, fit_box, resample_nearest
from tuifeed.render.halfblock import (
    RESET,
    Run,
    Runs,
    changed_rows,
    encode_lines,
    encode_runs,
    lines_from_keys,
    runs_from_keys,
)

__all__ = [
    "DEFAULT_MODE",
    "LADDER",
    "RESET",
    "SAFE_MODE",
    "ColorMode",
    "ColorSystem",
    "Encoder",
    "Fit",
    "Frame",
    "HalfBlockEncoder",
    "HalfBlockPicture",
    "Keys",
    "Picture",
    "Quality",
    "Run",
    "Runs",
    "Span",
    "changed_rows",
    "detect_color_mode",
    "encode_lines",
    "encode_runs",
    "fit_box",
    "lines_from_keys",
    "pack_keys",
    "resample_nearest",
    "runs_from_keys",
]
