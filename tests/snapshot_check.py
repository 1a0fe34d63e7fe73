"""Screen snapshots: the text on screen compared with a stored one that was looked at as a picture.

With TUIFEED_UPDATE_SNAPSHOTS=1 the text and an SVG are written instead of compared; render the SVG
(`rsvg-convert x.svg -o x.png`), look at it, then commit both.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from rich.console import Console
from textual.app import App

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("TUIFEED_UPDATE_SNAPSHOTS") == "1"


def screen_text(app: App[None]) -> str:
    """The characters on screen, as `export_screenshot` composes them, one line per row."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def matches_stored(name: str, text: str, svg: str) -> None:
    """Assert `text` is the stored snapshot `name`; when updating, store `text` and `svg` as it instead."""
    stem = SNAPSHOTS / name
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        stem.with_suffix(".txt").write_text(text, encoding="utf-8")
        stem.with_suffix(".svg").write_text(svg, encoding="utf-8")
        return
    expected = stem.with_suffix(".txt")
    assert expected.exists(), f"no snapshot {expected.name}: run with TUIFEED_UPDATE_SNAPSHOTS=1 and look at it"
    assert text == expected.read_text(encoding="utf-8")
