"""scratch"""
from __future__ import annotations
from pathlib import Path
from ranker_stub import InOrder
from tuifeed.config import Config
from tuifeed.feed import Feeds
from tuifeed.player.fake import FakePlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.store.export import forget
from tuifeed.ui.app import TuifeedApp
import sys
sys.path.insert(0, str(Path(__file__).parent.parent / "pages"))
from test_pages_app import CLIPS, Clock

async def test_forget(store: Store) -> None:
    store.upsert_clips(CLIPS)
    player, clock = FakePlayer(length_ms=8000), Clock()
    feeds = Feeds(store, player, InOrder(CLIPS), CLIPS, clock=clock)
    app = TuifeedApp(feeds, config=Config(), render=RenderPlan())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("l", "b", "f", "j")
        clock.now += 5
        await pilot.press("x", "down", "enter")
        await pilot.pause()
        other = Store(store.path)
        print(forget(other))
        other.close()
        for k in ["j", "k", "l", "u", "3", "enter", "escape", "right", "right", "right", "u", "4", "1", "R", "y", "u", "j", "f"]:
            await pilot.press(k)
            await pilot.pause()
            print(k, type(app.screen).__name__)
        clock.now += 5
    print(list(store.rows("select * from events")))
    print(list(store.rows("select id, clip_id, seq, ended_at from impressions")))
