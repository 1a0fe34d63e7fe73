"""Charts in text: bars drawn to an eighth of a cell, and shares as percentages, for the console and the app."""

from __future__ import annotations

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, peak: float, width: int) -> str:
    """A bar `width` cells long at `peak`, drawn to an eighth of a cell; any value above 0 shows at least ▏."""
    if peak <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(value, peak) / peak * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def share(part: float) -> str:
    """A share from 0 to 1 as a whole percentage: "42%"."""
    return f"{part:.0%}"
