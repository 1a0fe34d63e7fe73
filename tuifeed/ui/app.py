"""TuifeedApp: receives its collaborators (the feed session, config, colour mode) and shows the feed as a mode."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time

from textual.app import App
from textual.notifications import SeverityLevel

from tuifeed.config import Config
from tuifeed.feed import FeedSession
from tuifeed.render.plan import RenderPlan
from tuifeed.ui import stats
from tuifeed.ui.screens.feed import FeedScreen

TOAST_SECONDS = 4.0
FOR_YOU = "for_you"
"""The mode of the For You feed; each mode keeps its own stack of screens."""


class TuifeedApp(App[None]):
    """The terminal For You feed."""

    TITLE = "tuifeed"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, session: FeedSession, *, config: Config, render: RenderPlan) -> None:
        """Show `session` (built by the CLI, or a test) as the For You mode."""
        super().__init__()
        self.config = config
        self.session = session
        self.feed = FeedScreen(session, render, config.display.fps, info_panel=config.display.info_panel)
        """The For You mode's screen."""
        self.add_mode(FOR_YOU, lambda: self.feed)
        self._covered_until = 0.0
        if config.keys:
            self.set_keymap(config.keys)

    def on_mount(self) -> None:
        self.switch_mode(FOR_YOU)
        stats.attach(self)
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.feed.action_quit_feed)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast; the video paints on its safe path while the toast covers it.

        Toasts carry outside text (titles, names, paths, error messages), so they are never parsed as
        markup, whatever `markup` says: `Widget.notify` passes True by default.
        """
        timeout = TOAST_SECONDS if timeout is None else timeout
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)
        self._covered_until = max(self._covered_until, time.monotonic() + timeout)
        self.feed.video.set_covered(True)
        self.set_timer(timeout + 0.5, self._uncover_if_clear)

    def _uncover_if_clear(self) -> None:
        """Back to the fast path once the last toast has gone, unless a modal screen still covers the feed."""
        if time.monotonic() >= self._covered_until and self.screen is self.feed:
            self.feed.video.set_covered(False)
