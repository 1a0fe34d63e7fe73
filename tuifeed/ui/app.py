"""TuifeedApp: receives its collaborators (the feeds, the library service, config, colour mode) and shows them
as screen modes.

Each mode keeps its own stack of screens, so switching keeps each one's place: For You and Following
are feeds; Library holds the person's lists and Search the search field, each with whatever feed the
person opened from them on top; Stats sums up what was watched. Only the feed on screen plays (see
`tuifeed.feed.feeds`). While a feed plays, the wellbeing reminders (if any) are checked every second; one
covers the feed, which pauses, until the person carries on.

The library service's threads reach the app only through messages: the prefetch thread posts
`Prefetched`, the probe thread `Probed` (is a failed clip's server there?), the refresh worker (`r`,
and at start for sources older than `[remote] refresh_after_minutes`) posts `RemotesRefreshed`; the
handlers, on the main loop, let the feeds take in what changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tuifeed.config import Config
from tuifeed.feed import Feeds, FeedSession
from tuifeed.feed.wellbeing import Reminder, Wellbeing
from tuifeed.render.plan import RenderPlan
from tuifeed.text import clean
from tuifeed.ui import stats
from tuifeed.ui.messages import OpenFeed, Prefetched, Probed, RemotesRefreshed
from tuifeed.ui.screens.feed import FeedScreen
from tuifeed.ui.typeahead import typed_events
from tuifeed.when import local_now

if TYPE_CHECKING:
    from tuifeed.library.service import Library, PrefetchReport, ProbeReport
    from tuifeed.ui.screens.library import LibraryScreen
    from tuifeed.ui.screens.search import SearchScreen
    from tuifeed.ui.screens.stats import StatsScreen

TOAST_SECONDS = 4.0
FOR_YOU = "for_you"
FOLLOWING = "following"
LIBRARY = "library"
SEARCH = "search"
STATS = "stats"
WELLBEING_SECONDS = 1.0
"""How often the wellbeing reminders are checked while a feed plays."""


def binding_ids() -> list[str]:
    """The id of every binding, in the order help lists them: the names [keys] in config.toml may remap."""
    return list(dict.fromkeys(binding_id for scope in binding_scopes() for binding_id in scope))


def binding_scopes() -> list[dict[str, str]]:
    """Each place's binding ids with their default keys ("j,down"), joined by the app's, which work everywhere.

    Within one place a key means one thing; two places may give the same key different meanings.
    """

    from tuifeed.ui.screens.library import LibraryScreen
    from tuifeed.ui.screens.search import SearchScreen
    from tuifeed.ui.screens.stats import StatsScreen

    def defaults(kind: type[Screen[None]] | type[App[None]]) -> dict[str, str]:
        return {binding.id: binding.key for binding in kind.BINDINGS if isinstance(binding, Binding) and binding.id}

    everywhere = defaults(TuifeedApp)
    return [{**defaults(place), **everywhere} for place in (FeedScreen, LibraryScreen, SearchScreen, StatsScreen)]


class TuifeedApp(App[None]):
    """The terminal For You feed."""

    TITLE = "tuifeed"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    ToastRack { dock: top; align: right top; margin-bottom: 0; margin-top: 1; }
    """
    """Toasts at the top: the caption sits at the bottom, beside or below the picture."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "mode('for_you')", "For You", id="for_you"),
        Binding("2", "mode('following')", "Following: clips of creators you follow", id="following"),
        Binding("3", "mode('library')", "Library: Liked, Saved, History, Mutes", id="library"),
        Binding("4", "mode('stats')", "Stats: what you watched, today and this week", id="stats"),
        Binding("slash", "search", "Search", id="search"),
        Binding("r", "refresh_remotes", "Refresh remote libraries: fetch their new clips", id="refresh_remotes"),
        Binding("question_mark", "help", "This help", id="help"),
        Binding("q,ctrl+c", "quit_feeds", "Quit", id="quit"),
        Binding("ctrl+z", "suspend_process", "Suspend (fg resumes)", id="suspend"),
    ]

    def __init__(
        self,
        feeds: Feeds,
        *,
        config: Config,
        render: RenderPlan,
        library: Library | None = None,
        search: str | None = None,
        play: bool = False,
        wellbeing: Wellbeing | None = None,
        now: Callable[[], datetime] = local_now,
        typed: bytes = b"",
    ) -> None:
        """Show `feeds` (built by the CLI, or a test); with `search`, open on the search for it (`play`: playing).

        `library` is the library service the feeds were built over: importing and refreshing go through it.
        `wellbeing` decides when to remind the person to take a break (none without it); `now` is the
        wall clock the Stats screen counts days by. `typed` is what the person typed before the app ran
        (the terminal probe read it): it reaches the app first, as if typed now.
        """
        super().__init__()
        self.wellbeing = wellbeing
        self.config = config
        self.library = library
        self.feeds = feeds
        self.render_plan = render
        self.session = feeds.for_you
        """The For You feed's session."""
        self.feed = self.feed_screen(feeds.for_you)
        """The For You mode's screen."""
        self.following_screen = self.feed_screen(feeds.following)
        self._search = search or ""
        self._play = play
        self._now = now
        self.add_mode(FOR_YOU, lambda: self.feed)
        self.add_mode(FOLLOWING, lambda: self.following_screen)
        self.add_mode(LIBRARY, lambda: self.library_screen)
        self.add_mode(SEARCH, lambda: self.search_screen)
        self.add_mode(STATS, lambda: self.stats_screen)
        self._start_mode = SEARCH if search else FOR_YOU
        self._previous_mode = FOR_YOU
        self.crash: BaseException | None = None
        """The error that stopped the app, if one did; its traceback is in the log."""
        self._typed = typed
        if config.keys:
            self.set_keymap(config.keys)

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice of driver, with the Linux one's SIGCONT made safe (`tuifeed.ui.driver`)."""
        chosen = super().get_driver_class()
        if sys.platform != "win32":
            from tuifeed.ui.driver import TuifeedDriver

            if chosen is TuifeedDriver.__base__:
                return TuifeedDriver
        return chosen

    # The places not shown first are made, and their modules loaded, when first shown: not before the first frame.

    @cached_property
    def library_screen(self) -> LibraryScreen:
        """The Library mode's screen."""
        from tuifeed.ui.screens.library import LibraryScreen

        return LibraryScreen(self.feeds)

    @cached_property
    def search_screen(self) -> SearchScreen:
        """The Search mode's screen."""
        from tuifeed.ui.screens.search import SearchScreen

        return SearchScreen(self.feeds, self._search, play=self._play)

    @cached_property
    def stats_screen(self) -> StatsScreen:
        """The Stats mode's screen."""
        from tuifeed.ui.screens.stats import StatsScreen

        return StatsScreen(self.feeds, self._now)

    def feed_screen(self, session: FeedSession, *, closable: bool = False) -> FeedScreen:
        """A screen for one of the feeds."""
        display = self.config.display
        return FeedScreen(
            self.feeds,
            session,
            self.render_plan,
            display.fps,
            info_panel=display.info_panel,
            closable=closable,
            library=self.library,
        )

    def on_load(self) -> None:
        # Load comes before the driver starts reading the terminal: these events queue ahead of its keys.
        for event in typed_events(self._typed):
            self.post_message(event)

    def on_mount(self) -> None:
        self.switch_mode(self._start_mode)
        stats.attach(self)
        if self.wellbeing is not None:
            self.set_interval(WELLBEING_SECONDS, self.check_wellbeing)
        self.app_suspend_signal.subscribe(self, self._suspending)
        self.app_resume_signal.subscribe(self, self._resumed)
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop = asyncio.get_running_loop()
            # SIGHUP is a closed terminal or SSH session: leave as on SIGTERM, terminal restored, stay recorded.
            for signum in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self.action_quit_feeds)
        if self.library is not None:
            self.library.listener = self._post_prefetched
            self.library.probe_listener = self._post_probed
            self._refresh_remotes(asked=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Refreshing remote libraries needs the library service."""
        return self.library is not None if action == "refresh_remotes" else True

    # -- remote libraries --------------------------------------------------------------------------

    def action_refresh_remotes(self) -> None:
        """Fetch every remote library again in the background; new clips join the feeds."""
        self.notify("Refreshing remote libraries…", timeout=1.5)
        self._refresh_remotes(asked=True)

    @work(thread=True, exclusive=True, group="remote", exit_on_error=False)
    def _refresh_remotes(self, asked: bool) -> None:
        """Refresh on the worker's thread (the library opens its own connection there); at start, only what is due."""
        assert self.library is not None
        try:
            results = self.library.refresh(due_only=not asked)
        except Exception as error:  # one line in the app, whatever went wrong (the database, the disk)
            self.post_message(RemotesRefreshed([], asked, error=str(error)))
        else:
            self.post_message(RemotesRefreshed(results, asked))

    @on(RemotesRefreshed)
    def _remotes_refreshed(self, message: RemotesRefreshed) -> None:
        added = self.feeds.reload_library() if any(result.changes for result in message.results) else 0
        self.feeds.remote_changed()
        failed = [result.error for result in message.results if result.error]
        if message.error is not None:
            self.notify(f"Cannot refresh remote libraries: {message.error}", severity="error", timeout=6)
        elif message.asked and not message.results:
            self.notify("No remote libraries yet: add one with tuifeed remote add URL", timeout=4)
        elif message.asked or added:
            line = f"Remote libraries: {added} new clip{'' if added == 1 else 's'}"
            if failed:
                line += f"; {len(failed)} failed: {failed[0]}"
            self.notify(line, severity="warning" if failed else "information", timeout=6 if failed else 3)

    def _post_prefetched(self, report: PrefetchReport) -> None:
        """On the prefetch thread: hand the report to the main loop (post_message is thread-safe)."""
        self.post_message(Prefetched(report))

    @on(Prefetched)
    def _prefetched(self, message: Prefetched) -> None:
        error = self.feeds.prefetched(message.report)
        if error is not None:
            self.notify(f"Cannot play {error}", severity="error", timeout=6)

    def _post_probed(self, report: ProbeReport) -> None:
        """On the probe thread: hand the report to the main loop (post_message is thread-safe)."""
        self.post_message(Probed(report))

    @on(Probed)
    def _probed(self, message: Probed) -> None:
        error = self.feeds.probed(message.report)
        if error is not None:
            self.notify(f"Cannot play {error}", severity="error", timeout=6)

    def _suspending(self, _app: App[None]) -> None:
        """Ctrl-Z: the feed on screen pauses (its dwell clock too) before the process stops."""
        if isinstance(self.screen, FeedScreen):
            self.screen.on_screen_suspend()

    def _resumed(self, _app: App[None]) -> None:
        """Back from `fg`: the whole screen is painted again and the feed on it plays on."""
        self.refresh(repaint=True, layout=True)
        if isinstance(self.screen, FeedScreen):
            self.screen.on_screen_resume()

    def _handle_exception(self, error: Exception) -> None:
        """A crash: its traceback goes to the log, the CLI says one line and exits non-zero."""
        self.crash = error
        logging.getLogger(__name__).error("tuifeed stopped on an error", exc_info=error)
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        """Textual would print the whole traceback over the shell; it is in the log instead."""
        if self.crash is None:
            super()._print_error_renderables()
        else:
            self._exit_renderables.clear()

    # -- modes -------------------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        """Switch to a mode; it is as the person left it."""
        if mode != self.current_mode:
            self._previous_mode = self.current_mode
            self.switch_mode(mode)

    def action_search(self) -> None:
        """Open Search with the cursor in the query field."""
        self.action_mode(SEARCH)
        if self.screen is self.search_screen:
            self.call_after_refresh(self.search_screen.focus_query)

    def on_search_screen_left(self) -> None:
        """Esc in Search: back to the place the person came from."""
        self.action_mode(self._previous_mode if self._previous_mode != SEARCH else FOR_YOU)

    @on(OpenFeed)
    def _open_feed(self, message: OpenFeed) -> None:
        self.push_screen(self.feed_screen(message.session, closable=True))

    # -- wellbeing -------------------------------------------------------------------------------------

    def check_wellbeing(self) -> Reminder | None:
        """While a feed is on screen, show the reminder that is due, if any (the feed pauses under it)."""
        if self.wellbeing is None or not isinstance(self.screen, FeedScreen):
            return None
        reminder = self.wellbeing.due(round(self.feeds.watched_seconds() * 1000))
        if reminder is not None:
            from tuifeed.ui.screens.wellbeing import ReminderScreen

            self.push_screen(ReminderScreen(reminder))
        return reminder

    # -- help and quitting -------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key of the screen on display, then what the mouse does."""
        from tuifeed.ui.screens.help import HelpScreen, describe_bindings

        screen = self.screen
        bindings = [
            (active.binding, self.get_key_display(active.binding))
            for active in screen.active_bindings.values()
            if active.binding.id is not None and screen.check_action(active.binding.action.split("(")[0], ()) is True
        ]
        mouse: list[tuple[str, str]] = getattr(screen, "MOUSE", [])
        self.push_screen(HelpScreen(describe_bindings(bindings, binding_ids()), mouse))

    def action_quit_feeds(self) -> None:
        """Record the clip on screen in every feed, and leave."""
        self.feeds.quit()
        if self.library is not None:
            # A refresh in flight runs in asyncio's executor, which the app waits for as it exits: closing
            # the library's HTTP client ends it now instead of after its timeouts, clip still playing.
            self.library.close()
        self.exit()

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

        Toasts carry outside text (titles, names, paths, URLs, error messages), so they are never parsed as
        markup, whatever `markup` says (`Widget.notify` passes True by default), and their terminal controls
        are made visible here, once for every caller.
        """
        timeout = TOAST_SECONDS if timeout is None else timeout
        super().notify(clean(message, multiline=True), title=title, severity=severity, timeout=timeout, markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, FeedScreen):
                screen.cover_for(timeout)
