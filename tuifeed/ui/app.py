"""TuifeedApp: receives its collaborators (store, player, recommender, clips, config) and shows the feed."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Iterable

from textual.app import App
from textual.notifications import SeverityLevel

from tuifeed.config import Config
from tuifeed.feed import FeedSession, Ranker
from tuifeed.models import Clip
from tuifeed.player import Player
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui import stats
from tuifeed.ui.screens.feed import FeedScreen

TOAST_SECONDS = 4.0


class TuifeedApp(App[None]):
    """The terminal For You feed."""

    TITLE = "tuifeed"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        *,
        store: Store,
        player: Player,
        ranker: Ranker,
        clips: Iterable[Clip],
        config: Config,
        render: RenderPlan,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Wire the feed from the parts the CLI (or a test) built."""
        super().__init__()
        self.config = config
        self.session = FeedSession(store, player, ranker, clips, auto_advance=config.player.auto_advance, clock=clock)
        self.feed = FeedScreen(
            self.session,
            render,
            config.display.fps,
            volume=config.player.volume,
            muted=config.player.muted,
            info_panel=config.display.info_panel,
        )
        self._covered_until = 0.0
        if config.keys:
            self.set_keymap(config.keys)

    def on_mount(self) -> None:
        stats.attach(self)
        self.push_screen(self.feed)
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
        """Show a toast; the video paints on its safe path while the toast covers it."""
        timeout = TOAST_SECONDS if timeout is None else timeout
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        self._covered_until = max(self._covered_until, time.monotonic() + timeout)
        self.feed.video.set_covered(True)
        self.set_timer(timeout + 0.5, self._uncover_if_clear)

    def _uncover_if_clear(self) -> None:
        """Back to the fast path once the last toast has gone, unless a modal screen still covers the feed."""
        if time.monotonic() >= self._covered_until and self.screen is self.feed:
            self.feed.video.set_covered(False)
