"""Every place and dialog squeezed to a sliver of a terminal (a narrow tmux split) and back: nothing crashes."""

from __future__ import annotations

import pytest
from ranker_stub import InOrder

from tuifeed.config import Config, WellbeingConfig
from tuifeed.feed import Feeds
from tuifeed.feed.wellbeing import Wellbeing
from tuifeed.models import Clip
from tuifeed.player.fake import FakePlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp
from tuifeed.ui.screens.feed import FeedScreen
from tuifeed.ui.screens.wellbeing import ReminderScreen

CLIPS = [
    Clip(
        id=f"c{n}",
        location=f"/clips/c{n}.mp4",
        title=f"Clip {n} 😀漢字 " + "W" * 300,
        creator=f"maker{n % 2}",
        tags=("waves", "blue", "😀" * 30),
        sound="lofi",
        duration_ms=8_000,
        width=360,
        height=640,
    )
    for n in range(4)
]


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


PLACES = {
    "feed": (),
    "why": ("w",),
    "not interested": ("x",),
    "which hashtag": ("number_sign",),
    "refresh": ("R",),
    "help": ("question_mark",),
    "filters": ("F",),
    "following": ("2",),
    "library": ("3",),
    "mutes": ("3", "left"),
    "stats": ("4",),
    "search": ("slash", "w"),
}


@pytest.mark.parametrize("place", list(PLACES))
async def test_squeezed_to_a_sliver_and_back(store: Store, place: str) -> None:
    """Resized to 1x1, 10x2, 6x3 and 3x40 and back to 80x24 in each place, the app runs on and goes back to the feed."""
    store.upsert_clips(CLIPS)
    app = TuifeedApp(
        Feeds(store, FakePlayer(length_ms=8_000), InOrder(CLIPS), CLIPS), config=Config(), render=RenderPlan()
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*PLACES[place])
        await pilot.pause()
        there = type(app.screen)
        for size in [(1, 1), (10, 2), (6, 3), (3, 40), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert type(app.screen) is there and app.is_running
        await pilot.press("escape", "escape", "1")
        await pilot.pause()
        assert isinstance(app.screen, FeedScreen)


async def test_a_reminder_squeezed_to_a_sliver_and_back(store: Store) -> None:
    """The wellbeing overlay (a break reminder after a minute of watching) survives the same squeeze and closes."""
    store.upsert_clips(CLIPS)
    clock = Clock()
    feeds = Feeds(store, FakePlayer(length_ms=8_000), InOrder(CLIPS), CLIPS, clock=clock)
    wellbeing = Wellbeing(WellbeingConfig(break_minutes=1))
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), wellbeing=wellbeing)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock.now += 61
        assert app.check_wellbeing() is not None
        await pilot.pause()
        assert isinstance(app.screen, ReminderScreen)
        for size in [(1, 1), (10, 2), (6, 3), (3, 40), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert isinstance(app.screen, ReminderScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FeedScreen)
