"""`tuifeed forget` run while a tuifeed plays on the same database: it says so instead of deleting under it."""

from __future__ import annotations

import io

from ranker_stub import InOrder
from rich.console import Console

from tuifeed.cli_data import run_forget
from tuifeed.config import Config
from tuifeed.feed import Feeds
from tuifeed.models import Clip
from tuifeed.player.fake import FakePlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.store.export import history_size
from tuifeed.ui.app import TuifeedApp

CLIPS = [
    Clip(id=f"c{n}", location=f"/clips/c{n}.mp4", title=f"Clip {n}", creator="ana", duration_ms=8_000) for n in range(3)
]


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_forget_while_the_app_plays_asks_to_quit_it_first(store: Store) -> None:
    """A like and a follow made in a running app; `forget` from a terminal answered yes: nothing is deleted."""
    store.upsert_clips(CLIPS)
    player, clock = FakePlayer(length_ms=8_000), Clock()
    app = TuifeedApp(Feeds(store, player, InOrder(CLIPS), CLIPS, clock=clock), config=Config(), render=RenderPlan())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("l", "f", "j")
        await pilot.pause()
        before = history_size(store)
        other, out = Store(store.path), io.StringIO()
        try:
            code = run_forget(other, Console(file=out, width=100), yes=False, interactive=True, ask=lambda _: "yes")
        finally:
            other.close()
        assert code == 2, out.getvalue()
        assert "playing on this database" in out.getvalue() and "Nothing was deleted" in out.getvalue()
        assert history_size(store) == before and before.impressions and before.likes


def test_forget_yes_forgets_even_with_a_stay_left_open(store: Store) -> None:
    """--yes is the way past it (a killed run leaves a stay open too): everything goes, the open stay included."""
    store.upsert_clips(CLIPS)
    store.open_impression("c0", "2026-03-11T20:30:00.000+00:00", 8_000)
    out = io.StringIO()
    assert run_forget(store, Console(file=out, width=100), yes=True, interactive=True) == 0
    assert history_size(store).empty
