"""The Stats screen and a break reminder at 80x24 and 160x48, compared as text with snapshots looked at as pictures.

With TUIFEED_UPDATE_SNAPSHOTS=1 the test writes the text and an SVG instead of comparing; render the SVG
(`rsvg-convert x.svg -o x.png`), look at it, then commit both (see tests/pages/test_pages_snapshots.py).
"""

from __future__ import annotations

import time

import pytest
from data_support import CLIPS, NOW, fill
from ranker_stub import InOrder
from snapshot_check import matches_stored, screen_text

from tuifeed.config import Config, WellbeingConfig
from tuifeed.feed import Feeds
from tuifeed.feed.wellbeing import Wellbeing
from tuifeed.player.fake import FakePlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp

SIZES = [(80, 24), (160, 48)]


def check(app: TuifeedApp, name: str) -> None:
    """Compare the screen with the stored snapshot `name` (or store it when updating)."""
    matches_stored(name, screen_text(app), app.export_screenshot())


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_stats_screen_looks_as_stored(store: Store, size: tuple[int, int]) -> None:
    """Stats over a small history matches the stored snapshot."""
    fill(store)
    playable = [clip for clip in CLIPS if clip.id != "drive"]
    feeds = Feeds(store, FakePlayer(), InOrder(playable), playable)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), now=lambda: NOW)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause(0.2)
        check(app, f"stats-{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_a_break_reminder_looks_as_stored(store: Store, size: tuple[int, int]) -> None:
    """The break reminder covers the paused feed calmly, in the middle, at both sizes."""
    fill(store)
    playable = [clip for clip in CLIPS if clip.id != "drive"]
    started = time.monotonic()
    now = [started]
    feeds = Feeds(store, FakePlayer(length_ms=10_000), InOrder(playable), playable, clock=lambda: now[0])
    wellbeing = Wellbeing(WellbeingConfig(break_minutes=20), today=lambda: NOW.date())
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), wellbeing=wellbeing, now=lambda: NOW)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        now[0] = started + 20 * 60
        assert app.check_wellbeing() is not None
        for _ in range(100):  # the info panel takes the paused status on its next refresh
            await pilot.pause(0.05)
            if "paused" in screen_text(app):
                break
        check(app, f"reminder-{size[0]}x{size[1]}")
