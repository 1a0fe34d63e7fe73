"""Waiting in Pilot tests for what other threads do (the frame pump, libvlc), instead of sleeping a guess."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual.pilot import Pilot

from tuifeed.player.fake import FakePlayer
from tuifeed.render.pump import FramePump
from tuifeed.ui.app import TuifeedApp
from tuifeed.ui.widgets.video import VideoView


async def until(pilot: Pilot[None], condition: Callable[[], object], timeout: float = 10.0) -> bool:
    """Let the app run until ``condition()`` holds; whether it does, once it does or after ``timeout`` seconds.

    The timeout is only reached when something is wrong: the caller's assertion then says what.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        await pilot.pause(0.02)
    return True


def taken(video: VideoView) -> bool:
    """Whether the UI thread has taken the picture of the newest frame the pump has shown."""
    picture = video.pump.encoder.picture() if video.pump else None
    return picture is not None and video._picture is picture


def idle(pump: FramePump) -> bool:
    """Whether the pump's thread waits for a frame, done with every frame offered so far."""
    with pump._ready:  # the thread is in wait() (a waiter) only with no job in hand
        return pump._job is None and bool(pump._ready._waiters)  # type: ignore[attr-defined]


def quiet(video: VideoView) -> bool:
    """The pump has shown the newest frame where the view now is, the UI thread has its picture, and no
    frame is on its way."""
    place, pump = video._place, video.pump
    region = video.content_region
    return (
        pump is not None
        and place is not None
        and not video._still_waiting
        and (place.cols, place.rows, place.left, place.top, place.number)
        == (video.size.width, video.size.height, region.x, region.y, pump.place)
        and idle(pump)
        and taken(video)
    )


async def settled(pilot: Pilot[None], timeout: float = 10.0) -> None:
    """Wait until the first clip's still is shown (written, or left to Textual while the empty feed's notice
    covered the view) and nothing more is coming: on a loaded machine Textual may lay the screen out once more
    after the clip started (the panel takes its rows), and the pump shows the still again."""
    app = pilot.app
    assert isinstance(app, TuifeedApp)
    video = app.feed.video
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await until(pilot, lambda: video.frames_painted and quiet(video), deadline - time.monotonic())
        painted = video.frames_painted
        await asyncio.wait_for(video.wait_for_refresh(), max(0.1, deadline - time.monotonic()))
        await pilot.pause(0.02)
        if quiet(video) and video.frames_painted == painted:
            return
    raise AssertionError(f"the video did not settle in {timeout} s ({video.frames_painted} frames shown)")


async def show(pilot: Pilot[None], player: FakePlayer, video: VideoView) -> None:
    """Send a frame from the player and wait until the pump has done with it (written it, or left it to
    Textual) and the UI thread has its picture."""
    painted = video.frames_painted
    player.emit_frame((360, 640))
    assert await until(pilot, lambda: video.frames_painted > painted and quiet(video)), "the frame was not shown"
