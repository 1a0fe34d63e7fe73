"""The first look against the app (Pilot): the still it draws before Textual loads is, cell for cell, the picture
the feed screen then draws of the same frame, for a landscape clip above the panel, a vertical one beside it,
and either without the panel."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from first_look_support import gradient, pty
from numpy.typing import NDArray
from pilot_wait import quiet, settled, until
from pyte_screen import UPPER, new_screen
from ranker_stub import InOrder
from test_video_pilot import Sink

from tuifeed.config import Config, DisplayConfig
from tuifeed.feed import Feeds
from tuifeed.first_look import FirstLook
from tuifeed.models import Clip
from tuifeed.player.fake import FakePlayer
from tuifeed.render.plan import RenderPlan
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp


def picture_cells(data: bytes, cols: int, rows: int) -> dict[tuple[int, int], tuple[str, str]]:
    """Each half-block cell the bytes draw, replayed in pyte: (x, y) -> (foreground, background)."""
    screen, stream = new_screen(cols, rows)
    stream.feed(data)
    return {
        (x, y): (screen.buffer[y][x].fg, screen.buffer[y][x].bg)
        for y in range(rows)
        for x in range(cols)
        if screen.buffer[y][x].data == UPPER
    }


def still_for(width: int, height: int, cols: int, rows: int) -> NDArray[np.uint8]:
    """The first frame as the CLI has it decoded: sized for a picture filling the whole terminal."""
    pixel_w, pixel_h = RenderPlan().encoder().fit(width, height, cols, rows).pixel_size
    return gradient(pixel_w, pixel_h)


@pytest.mark.parametrize(
    ("size", "terminal", "panel", "side"),
    [
        ((1280, 720), (120, 40), True, False),
        ((360, 640), (120, 40), True, True),
        ((1280, 720), (100, 30), False, False),
        ((360, 640), (80, 24), False, False),
    ],
    ids=["landscape above the panel", "vertical beside the panel", "landscape, no panel", "vertical, no panel"],
)
async def test_the_first_look_draws_the_cells_the_feed_screen_then_draws(
    store: Store, size: tuple[int, int], terminal: tuple[int, int], panel: bool, side: bool
) -> None:
    """Same frame, same terminal size: the same half-block cells in the same colours, nothing more or less."""
    cols, rows = terminal
    clip = Clip(id="c0", location="/clips/c0.mp4", title="A clip", duration_ms=8000, width=size[0], height=size[1])
    store.upsert_clips([clip])
    still = still_for(*size, cols, rows)

    with pty(cols, rows) as tty:
        look = FirstLook(tty.output, RenderPlan(), panel=panel, keys=tty.keys)
        look.show(still, size)
        look.hand_over()
        drawn = picture_cells(tty.written(), cols, rows)

    sink = Sink()
    player = FakePlayer()
    config = replace(Config(), display=DisplayConfig(info_panel=panel))
    app = TuifeedApp(Feeds(store, player, InOrder([clip]), [clip]), config=config, render=RenderPlan(sink=sink))
    async with app.run_test(size=terminal) as pilot:
        await settled(pilot)
        assert app.feed.has_class("side") is side
        video = app.feed.video
        assert video.pump is not None and player.listener is not None
        video.pump.forget()
        sent = len(sink.frames)
        painted = video.frames_painted
        player.listener.player_frame(player.token, still)  # the UI thread's still, as at a swipe: never paced
        await until(pilot, lambda: video.frames_painted > painted and quiet(video))
        assert len(sink.frames) > sent
        painted = picture_cells(sink.frames[-1], cols, rows)

    assert len(drawn) > cols * 4, "the first look drew a picture"
    assert drawn == painted
