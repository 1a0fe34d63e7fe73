"""The Stats mode and the wellbeing reminders, driven by Pilot against a real store with a hand-moved clock."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from data_support import CLIPS, NOW, fill
from ranker_stub import InOrder
from rich.console import Console
from textual.widgets import Sparkline, Static

from tuifeed.config import Config, WellbeingConfig, load_config
from tuifeed.errors import ConfigError
from tuifeed.feed import Feeds
from tuifeed.feed.wellbeing import MINUTE_MS, Nudge, Wellbeing
from tuifeed.player.fake import FakePlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp, binding_ids
from tuifeed.ui.screens.feed import FeedScreen
from tuifeed.ui.screens.help import HelpScreen
from tuifeed.ui.screens.stats import StatsScreen
from tuifeed.ui.screens.wellbeing import ReminderScreen


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Days:
    """Today's date as the test says."""

    def __init__(self) -> None:
        self.today = date(2026, 3, 11)

    def __call__(self) -> date:
        return self.today


PLAYABLE = [clip for clip in CLIPS if clip.id != "drive"]


def make_app(store: Store, wellbeing: Wellbeing | None = None) -> tuple[TuifeedApp, FakePlayer, Clock]:
    store.upsert_clips(CLIPS)
    player, clock = FakePlayer(length_ms=10_000), Clock()
    feeds = Feeds(store, player, InOrder(PLAYABLE), PLAYABLE, clock=clock)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), wellbeing=wellbeing, now=lambda: NOW)
    return app, player, clock


def text_of(app: TuifeedApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def screen_text(app: TuifeedApp) -> str:
    """The characters on screen, one line per row."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def test_stats_mode_shows_the_history_and_counts_what_was_just_watched(store: Store) -> None:
    """4 opens Stats: today's and the week's sums, a sparkline of days, the top names; a stay watched since counts."""
    fill(store)
    app, player, clock = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen) and app.current_mode == "stats" and player.paused
        assert "Today      35 s · 3 stays of 2 clips · 1 like" in text_of(app, "#summary")
        assert "This week  47 s · 4 stays" in text_of(app, "#summary")
        days = app.screen.query_one("#days", Sparkline).data
        assert days is not None and len(days) == 14 and days[-1] == pytest.approx(35_500 / 60_000)
        assert "Completion 40% · skips 20% of 5 stays" in text_of(app, "#rates")
        tops = screen_text(app)
        assert "@ana" in tops and "#ocean" in tops and "♪ waves - ana" in tops
        await pilot.press("1")
        await pilot.pause()
        clock.now += 60
        await pilot.press("j")  # a minute on the first clip, then the next
        await pilot.press("4")
        await pilot.pause()
        assert "4 stays of 2 clips" in text_of(app, "#summary")
        assert text_of(app, "#summary").startswith("Today      1 min")


async def test_stats_with_no_history_says_so(store: Store) -> None:
    """An empty history: zeros and one sentence instead of empty tables."""
    app, _, _ = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        assert "Nothing watched yet" in screen_text(app)
        assert "0 s · 0 stays" in text_of(app, "#summary")


async def test_help_and_binding_ids_know_the_stats_mode(store: Store) -> None:
    """ "4" is in the help of every place, and its id can be remapped in [keys]."""
    assert "stats" in binding_ids()
    app, _, _ = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert any("Stats" in description for _, description in app.screen.rows)


def reminded(app: TuifeedApp) -> ReminderScreen:
    screen = app.screen
    assert isinstance(screen, ReminderScreen), screen
    return screen


async def test_a_break_reminder_pauses_the_clip_and_carrying_on_resumes_it(store: Store) -> None:
    """After break_minutes of watching the overlay covers the feed, the clip pauses; Enter resumes it."""
    wellbeing = Wellbeing(WellbeingConfig(break_minutes=20), today=Days())
    app, player, clock = make_app(store, wellbeing)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock.now += 19 * 60
        assert app.check_wellbeing() is None
        clock.now += 60
        await pilot.pause(1.2)  # the app's own once-a-second check
        screen = reminded(app)
        assert screen.reminder.nudge is Nudge.BREAK and "20 min in a row" in screen.reminder.detail
        assert player.paused
        paused_at = app.feeds.watched_seconds()
        clock.now += 300  # five minutes away from the screen do not count
        assert app.feeds.watched_seconds() == paused_at
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FeedScreen) and not player.paused
        clock.now += 19 * 60
        assert app.check_wellbeing() is None  # the next one comes a full break_minutes later
        clock.now += 60
        assert app.check_wellbeing() is not None


async def test_the_session_cap_asks_and_q_quits(store: Store) -> None:
    """The session cap asks whether to keep going; q quits, and the stay is recorded."""
    wellbeing = Wellbeing(WellbeingConfig(break_minutes=0, session_minutes=30), today=Days())
    app, player, clock = make_app(store, wellbeing)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock.now += 30 * 60
        reminder = app.check_wellbeing()
        await pilot.pause()
        assert reminder is not None and reminder.nudge is Nudge.SESSION
        assert reminder.title == "You have watched 30 min; keep going?"
        assert player.paused
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    rows = store.db.execute("SELECT clip_id, dwell_ms, exit FROM impressions").fetchall()
    assert rows == [("waves", 30 * MINUTE_MS, "quit")]


async def test_the_daily_budget_counts_today_s_history_and_this_run(store: Store) -> None:
    """The budget counts what the store holds for today plus this run; only in a feed, not on a list."""
    wellbeing = Wellbeing(WellbeingConfig(daily_minutes=60, break_minutes=0), watched_today_ms=50 * MINUTE_MS)
    app, player, clock = make_app(store, wellbeing)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3")  # the Library lists: no reminder there
        clock.now += 10 * 60
        await pilot.pause()
        assert app.check_wellbeing() is None
        await pilot.press("1")
        await pilot.pause()
        clock.now += 10 * 60
        reminder = app.check_wellbeing()
        await pilot.pause()
        assert reminder is not None and reminder.nudge is Nudge.BUDGET
        assert "1 h 00 min today" in reminder.detail and player.paused
        await pilot.press("space")
        await pilot.pause()
        assert not player.paused and isinstance(app.screen, FeedScreen)


def test_reminders_are_off_unless_set_and_at_midnight_today_starts_again() -> None:
    """Everything off: never a reminder. Past midnight today's time starts at zero and the budget with it."""
    assert Wellbeing(WellbeingConfig(break_minutes=0)).due(10 * 60 * MINUTE_MS) is None
    days = Days()
    wellbeing = Wellbeing(WellbeingConfig(daily_minutes=30, break_minutes=0), watched_today_ms=0, today=days)
    first = wellbeing.due(30 * MINUTE_MS)
    assert first is not None and first.nudge is Nudge.BUDGET
    assert wellbeing.due(40 * MINUTE_MS) is None  # said once; again only 15 minutes later
    assert wellbeing.due(45 * MINUTE_MS) is not None
    days.today += timedelta(days=1)
    assert wellbeing.today_ms(50 * MINUTE_MS) == 0  # the first check after midnight
    assert wellbeing.today_ms(55 * MINUTE_MS) == 5 * MINUTE_MS
    assert wellbeing.due(79 * MINUTE_MS) is None
    assert wellbeing.due(80 * MINUTE_MS) is not None


def test_wellbeing_config_is_validated_like_the_other_sections(tmp_path: Path) -> None:
    """[wellbeing] reads its three numbers; a near miss gets a did-you-mean, a negative one its range, at its line."""
    path = tmp_path / "config.toml"
    path.write_text("[wellbeing]\ndaily_minutes = 90\nsession_minutes = 30\n", encoding="utf-8")
    assert load_config(path).wellbeing == WellbeingConfig(daily_minutes=90, break_minutes=20, session_minutes=30)
    path.write_text("[wellbeing]\nbreak_minute = 10\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r":2: unknown key 'break_minute' in \[wellbeing\]; did you mean 'break_minutes'"
    ):
        load_config(path)
    path.write_text("[wellbeing]\n\ndaily_minutes = -5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":3: daily_minutes = -5 is out of range; use at least 0"):
        load_config(path)
    path.write_text("[wellbeeing]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"did you mean 'wellbeing'"):
        load_config(path)
