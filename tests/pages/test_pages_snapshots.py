"""Screenshots of the main screens at 80x24 and 160x48, compared as text with the ones stored in tests/snapshots/.

Each stored screen was looked at as a picture before it was committed: with TUIFEED_UPDATE_SNAPSHOTS=1
(`make snapshot-update`) the test writes the text and an SVG next to it instead of comparing; render the
SVG (`rsvg-convert x.svg -o x.png`), look, then commit both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from ranker_stub import InOrder
from snapshot_check import matches_stored, screen_text
from textual.pilot import Pilot

from tuifeed.config import Config
from tuifeed.feed import Feeds
from tuifeed.library.service import Library
from tuifeed.models import Clip
from tuifeed.player.fake import FakePlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp
from tuifeed.ui.screens.feed import FeedScreen
from tuifeed.ui.screens.search import TYPING_PAUSE

CLIPS = [
    Clip(
        id=f"s{n}",
        location=f"/clips/s{n}.mp4",
        title=["Morning swell at the point", "Neon arcade run", "Sunset drive, coast road"][n % 3],
        creator=["ana", "bo", "cy"][n % 3],
        tags=[("ocean", "surf"), ("arcade", "neon", "retro"), ("roadtrip",)][n % 3],
        sound=["waves - ana", "chiptune 7", "lofi-3"][n % 3],
        duration_ms=[12_000, 31_000, 8_000][n % 3],
        width=640 if n % 3 == 2 else 360,
        height=360 if n % 3 == 2 else 640,
    )
    for n in range(6)
]

Steps = Callable[[TuifeedApp, FakePlayer, Pilot[None]], Awaitable[None]]


async def for_you(app: TuifeedApp, player: FakePlayer, pilot: Pilot[None]) -> None:
    await pilot.press("l")


async def landscape(app: TuifeedApp, player: FakePlayer, pilot: Pilot[None]) -> None:
    await pilot.press("j", "j")
    player.emit_frame((640, 360))


async def paused(app: TuifeedApp, player: FakePlayer, pilot: Pilot[None]) -> None:
    await pilot.press("space")


async def library(app: TuifeedApp, player: FakePlayer, pilot: Pilot[None]) -> None:
    await pilot.press("l", "j", "l", "b", "j", "3")


async def search(app: TuifeedApp, player: FakePlayer, pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"neon")
    await pilot.pause(TYPING_PAUSE + 0.1)


async def help_keys(app: TuifeedApp, player: FakePlayer, pilot: Pilot[None]) -> None:
    await pilot.press("question_mark")


SCREENS: dict[str, Steps] = {
    "for_you": for_you,
    "landscape": landscape,
    "paused": paused,
    "library": library,
    "search": search,
    "help": help_keys,
}


async def shoot(store: Store, steps: Steps, size: tuple[int, int]) -> tuple[str, str]:
    store.upsert_clips(CLIPS)
    player = FakePlayer(length_ms=12_000)
    library = Library(store.path, cache_dir=Path(store.path).parent / "cache", cache_bytes=0)
    feeds = Feeds(store, player, InOrder(CLIPS), CLIPS, remote=library)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan(), library=library)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        player.emit_frame((360, 640))
        await steps(app, player, pilot)
        await pilot.pause(0.2)
        for screen in app.screen_stack:
            if isinstance(screen, FeedScreen):
                screen.video.set_covered(True)  # styled cells: the SVG cannot hold the fast path's raw escapes
        await pilot.pause()
        return screen_text(app), app.export_screenshot()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("name", list(SCREENS))
async def test_main_screens_look_as_stored(store: Store, name: str, size: tuple[int, int]) -> None:
    """The screen's text matches the stored snapshot that was looked at."""
    text, svg = await shoot(store, SCREENS[name], size)
    matches_stored(f"{name}-{size[0]}x{size[1]}", text, svg)


async def test_a_tiny_terminal_is_one_line(store: Store) -> None:
    """At 20x6 the whole screen is one centred sentence and no picture."""
    text, _ = await shoot(store, for_you, (20, 6))
    assert [line for line in text.splitlines() if line.strip()] == ["  Too small (20x6)"]
