"""Charts in text: bars of eighth blocks and a sparkline, for the console and the Stats screen alike."""

from __future__ import annotations

from collections.abc import Sequence

_EIGHTHS = " ▏▎▍▌▋▊▉"
_SPARKS = "▁▂▃▄▅▆▇█"


def bar(value: float, peak: float, width: int) -> str:
    """A bar `width` cells long at `peak`, drawn to an eighth of a cell; any value above 0 shows at least ▏."""
    if peak <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(value, peak) / peak * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def sparkline(values: Sequence[float]) -> str:
    """One character per value, its height relative to the largest; zero is a space, so an idle day reads as a gap."""
    peak = max(values, default=0)
    if peak <= 0:
        return " " * len(values)
    return "".join(_SPARKS[min(7, int(value / peak * 7.999))] if value > 0 else " " for value in values)


def share(part: float) -> str:
    """A share from 0 to 1 as a whole percentage: "42%"."""
    return f"{part:.0%}"
