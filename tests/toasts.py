"""Toasts as the person reads them, waited for: Textual mounts a toast a moment after `notify` returns."""

from __future__ import annotations

import time

from textual.app import App
from textual.pilot import Pilot


def toasts(app: App[None]) -> list[str]:
    """The text of the toasts on screen now."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def toasts_with(pilot: Pilot[None], text: str, timeout: float = 3.0) -> list[str]:
    """The toasts on screen once one of them reads `text` (or, after `timeout` seconds, whatever is there)."""
    deadline = time.monotonic() + timeout
    while text not in (shown := toasts(pilot.app)) and time.monotonic() < deadline:
        await pilot.pause(0.02)
    return shown
