"""The video view in the app (Pilot): frames reach a terminal sink as cell diffs at the view's place on screen,
covering hands the cells to Textual, kitty pictures are placeholders that turn to half-blocks under a modal."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from pilot_wait import quiet, settled, show, until
from pyte_screen import UPPER, halves, key_halves, new_screen
from ranker_stub import InOrder
from test_app_pilot import CLIPS
from textual.geometry import Region

from tuifeed.config import Config, DisplayConfig
from tuifeed.feed import Feeds
from tuifeed.player.fake import FakePlayer
from tuifeed.render import ColorMode, HalfBlockEncoder, HalfBlockPicture
from tuifeed.render.kitty import PLACEHOLDER, KittyOptions, KittyPicture
from tuifeed.render.plan import RenderKind, RenderPlan
from tuifeed.render.pump import Painted
from tuifeed.store import Store
from tuifeed.ui.app import TuifeedApp
from tuifeed.ui.widgets.video import VideoView

APC = re.compile(rb"\x1b_G[^\x1b]*\x1b\\")
SIZE = (120, 40)


class Sink:
    """A terminal output that keeps what the pump wrote."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []
        self.final: list[bytes] = []
        self.lock = threading.Lock()
        """Held while a frame is checked and kept, as the terminal's lock is while it is checked and written."""

    def write_frame(self, data: bytes, wanted: Callable[[], bool]) -> float | None:
        with self.lock:
            if not wanted():
                return None
            self.frames.append(data)
            return 0.0

    def hold_frames(self) -> None:
        """Textual paints nothing to a real terminal here: no update to wait for."""

    def write_final(self, data: bytes) -> None:
        self.final.append(data)


def make_app(store: Store, plan: RenderPlan) -> tuple[TuifeedApp, FakePlayer]:
    store.upsert_clips(CLIPS)
    player = FakePlayer()
    app = TuifeedApp(Feeds(store, player, InOrder(CLIPS), CLIPS), config=Config(), render=plan)
    return app, player


async def test_frames_reach_the_terminal_as_diffs_where_the_view_is(store: Store) -> None:
    """pyte, fed what the sink got, shows the view's picture at the view's cells; later frames are smaller."""
    sink = Sink()
    app, player = make_app(store, RenderPlan(sink=sink, sync=True))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        for step in range(12):
            if step == 2:
                player.position += 40  # every pixel changes once
            await show(pilot, player, app.feed.video)
            # Frames after a Textual repaint of the view (a timer, a status) are sent whole: go on until quiet.
            if step >= 3 and len(sink.frames) >= 2 and max(map(len, sink.frames[-2:])) < len(sink.frames[0]) / 4:
                break
        video = app.feed.video
        picture = video.pump.encoder.picture() if video.pump else None
        region = video.content_region
    assert isinstance(picture, HalfBlockPicture)
    assert len(sink.frames) >= 4
    assert all(frame.startswith(b"\x1b[?2026h") for frame in sink.frames)
    sizes = [len(frame) for frame in sink.frames]
    assert max(sizes[-2:]) < sizes[0] / 4, f"once quiet, unchanged frames resend little: {sizes}"
    assert max(sizes[2:]) > sizes[0] / 2, f"the frame where every pixel changed was sent whole: {sizes}"
    screen, stream = new_screen(*SIZE)
    for frame in sink.frames:
        stream.feed(frame)
    left = region.x + (region.width - picture.cols) // 2
    top = region.y + (region.height - picture.rows) // 2
    shown = halves(screen, top, left, picture.rows, picture.cols, "truecolor")
    assert np.array_equal(shown, key_halves(picture.keys))


async def test_a_toast_stops_the_pump_and_textual_paints_the_cells(store: Store) -> None:
    """While a toast covers the video nothing is written; once it is gone the next frame is sent whole, and a
    toast's cover ends by itself once its time is up."""
    sink = Sink()
    app, player = make_app(store, RenderPlan(sink=sink))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert sink.frames, "the first clip's still was written"
        whole = len(sink.frames[-1])  # sent whole
        screen = app.feed
        video = screen.video
        with sink.lock:  # a frame being written now lands before the toast, or not at all
            app.notify("over the picture", timeout=60)  # outlasts the frames below on however slow a machine
            written = len(sink.frames)
        for _ in range(3):
            player.position += 40
            await show(pilot, player, video)
        assert len(sink.frames) == written and video.covered
        strip = video.render_line(video.size.height // 2)
        assert "\x1b" not in strip.text and "▀" in strip.text
        app.clear_notifications()
        screen._covered_until = 0.0  # the toast's time is up: what its timer finds once the minute has passed
        screen.update_cover()
        assert not video.covered
        await show(pilot, player, video)
        assert len(sink.frames) == written + 1
        assert len(sink.frames[-1]) >= 0.8 * whole
        app.notify("a short one", timeout=0.3)
        assert video.covered
        await until(pilot, lambda: not video.covered)
        assert not video.covered, "the toast's timer gave the cells back to the pump"


def kitty_plan(sink: Sink) -> RenderPlan:
    """The kitty plan writing to `sink`, with 10x20-pixel cells."""
    return RenderPlan(RenderKind.KITTY, kitty=KittyOptions(cell_width=10, cell_height=20), sink=sink)


async def test_kitty_pictures_are_placeholders_and_half_blocks_under_a_modal(store: Store) -> None:
    """The kitty plan writes images and placeholder cells; under the help screen the view paints ▀ cells."""
    sink = Sink()
    app, player = make_app(store, kitty_plan(sink))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        video = app.feed.video
        await show(pilot, player, video)
        picture = video.pump.encoder.picture() if video.pump else None
        assert isinstance(picture, KittyPicture)
        assert APC.search(sink.frames[-1]) and PLACEHOLDER.encode() in sink.frames[-1]
        row = video.size.height // 2
        assert PLACEHOLDER in video.render_line(row).text
        await pilot.press("question_mark")
        await until(pilot, lambda: video.covered)
        assert video.covered
        under = video.render_line(row)
        assert PLACEHOLDER not in under.text and "▀" in under.text


async def test_leaving_the_app_deletes_the_kitty_images(store: Store) -> None:
    """On exit the video's images are deleted (a=d,d=I for each id sent), so the terminal keeps none."""
    sink = Sink()
    app, player = make_app(store, kitty_plan(sink))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        for _ in range(2):
            await show(pilot, player, app.feed.video)
        assert sink.frames and not sink.final
    sent = {match[1] for data in sink.frames for match in re.finditer(rb"\x1b_Ga=T[^\x1b]*?,i=(\d+)", data)}
    deleted = set(re.findall(rb"\x1b_Ga=d,d=I,i=(\d+),q=2\x1b\\", b"".join(sink.final)))
    assert sent and deleted == sent


def flat_picture(cols: int, rows: int) -> HalfBlockPicture:
    """A flat grey 16:9 picture, encoded to fill ``cols`` x ``rows`` cells at most."""
    encoder = HalfBlockEncoder(ColorMode())
    fit = encoder.fit(640, 360, cols, rows)
    encoder.encode(np.full((fit.pixel_size[1], fit.pixel_size[0], 4), 200, np.uint8), fit, 0, 0, direct=False)
    picture = encoder.picture()
    assert picture is not None
    return picture


def hand_over_from_the_pump(video: VideoView, picture: HalfBlockPicture) -> None:
    """Tell ``video`` from another thread, as the frame pump does, that ``picture`` was shown."""
    handed = threading.Thread(target=video._painted, args=(Painted(picture, False, 0, time.monotonic()),))
    handed.start()
    handed.join()


async def test_a_new_picture_waits_for_the_ui_thread(store: Store) -> None:
    """The pump's thread hands a picture over but never swaps it in: Textual paints each pass from one picture.

    Textual renders the view in pieces around a modal; a picture swapped between two of them painted rows
    of two frames under "Why this clip?" in a real kitty.
    """
    sink = Sink()
    app, player = make_app(store, RenderPlan(sink=sink))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        video = app.feed.video
        # Shown before the hand-over below: else the pump's own picture could come after it and be the one taken.
        await show(pilot, player, video)
        await pilot.press("question_mark")
        await until(pilot, lambda: video.covered)
        assert video.covered and video.pump is not None
        old = video.pump.encoder.picture()
        assert old is not None
        row = video.size.height // 2
        before = video.render_line(row)
        hand_over_from_the_pump(video, flat_picture(old.cols, old.rows))
        assert video.render_line(row) == before, "still the old picture until the UI thread takes the new one"
        await pilot.pause(0.05)
        assert video.render_line(row) != before


class RenderedSink(Sink):
    """A Sink where, each time Textual renders the video view, a frame comes from another thread right then:
    the worst moment, when Textual has laid the view out anew but the view has not handled its Resize yet."""

    def __init__(self, player: FakePlayer) -> None:
        super().__init__()
        self.player = player
        self.aspect: tuple[int, int] | None = None
        """The clip's shape while frames come at each render; None: none come."""

    def hold_frames(self) -> None:
        if self.aspect is not None:
            vout = threading.Thread(target=self.player.emit_frame, args=(self.aspect,))
            vout.start()
            vout.join()


def drawn_box(frames: list[bytes]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom), inclusive, of every half-block the frames drew on an empty screen."""
    screen, stream = new_screen(*SIZE)
    for data in frames:
        stream.feed(data)
    spots = [(x, y) for y in range(SIZE[1]) for x in range(SIZE[0]) if screen.buffer[y][x].data == UPPER]
    assert spots, "no frame was drawn"
    xs, ys = [x for x, _ in spots], [y for _, y in spots]
    return min(xs), min(ys), max(xs), max(ys)


async def swipe_to_a_vertical_clip(store: Store, *, frames_at_renders: bool) -> tuple[list[bytes], Region]:
    """A wide clip, then a vertical one: the panel goes from below the picture to beside it, so the view shrinks
    and moves right. What the pump drew from the swipe on, and the view's place once it is over; with
    ``frames_at_renders``, frames also come from another thread each time Textual renders the view."""
    wide = replace(CLIPS[0], id="wide", location="/clips/wide.mp4", width=640, height=360)
    clips = [wide, *CLIPS[1:]]
    store.upsert_clips(clips)
    player = FakePlayer()
    sink = RenderedSink(player)
    config = Config(display=DisplayConfig(fps=120))  # frames as close as renders are not paced away
    app = TuifeedApp(Feeds(store, player, InOrder(clips), clips), config=config, render=RenderPlan(sink=sink))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        video = app.feed.video
        before = video.content_region
        assert before.width == SIZE[0], "the wide clip's view spans the screen, its panel below"
        with sink.lock:
            sink.frames.clear()
        sink.aspect = (360, 640) if frames_at_renders else None
        await pilot.press("j")
        await pilot.pause(0.2)
        await until(pilot, lambda: len(sink.frames) >= (2 if frames_at_renders else 1) and quiet(video))
        sink.aspect = None
        region = video.content_region
    assert region.width < before.width and region.x > 0, "the panel went beside the vertical clip"
    return sink.frames, region


def assert_inside(frames: list[bytes], region: Region) -> None:
    left, top, right, bottom = drawn_box(frames)
    assert region.x <= left and right < region.right and region.y <= top and bottom < region.bottom, (
        (left, top, right, bottom),
        region,
    )


async def test_frames_that_come_as_textual_lays_the_view_out_anew_land_in_its_new_place(store: Store) -> None:
    """Frames from libvlc's thread while Textual renders the moved view are drawn inside its new place.

    Fitted to the view's old size (noted only once it handled its Resize) but placed at its new corner (noted as
    Textual rendered it), they were drawn 41 cells right of the view, over the panel beside it.
    """
    frames, region = await swipe_to_a_vertical_clip(store, frames_at_renders=True)
    assert len(frames) >= 2
    assert_inside(frames, region)


async def test_a_swipes_still_is_drawn_where_the_view_goes_not_where_it_was(store: Store) -> None:
    """The vertical clip's still waits for the view's new place: it was drawn centred where the wide clip's view
    was, until Textual painted the new layout (at launch, over the first look, which draws it in its place)."""
    frames, region = await swipe_to_a_vertical_clip(store, frames_at_renders=False)
    assert frames
    assert_inside(frames, region)


async def test_a_picture_wider_than_the_view_is_painted_cut_to_the_view(store: Store) -> None:
    """Textual paints the view's rows at the view's width even from a wider picture (the wide clip's, after a
    swipe to a vertical one, until the vertical clip's picture comes): they ran on over the gap and the panel."""
    app, _player = make_app(store, RenderPlan(sink=Sink()))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)  # no frame of the pump's comes after the wide picture
        video = app.feed.video
        width, height = video.size
        wide = flat_picture(SIZE[0], SIZE[1])
        assert wide.cols > width
        hand_over_from_the_pump(video, wide)
        await pilot.pause(0.05)
        rows = [video.render_line(y) for y in range(height)]
    assert any("▀" in row.text for row in rows)
    assert all(row.cell_length == width and len(row.text) == width for row in rows)


class GatedSink(Sink):
    """A Sink whose writes wait while `gate` is shut: a terminal that has not taken the pump's frame yet."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()

    def write_frame(self, data: bytes, wanted: Callable[[], bool]) -> float | None:
        assert self.gate.wait(10)
        return super().write_frame(data, wanted)


async def test_textual_paints_the_still_that_waited_for_the_views_new_place(store: Store) -> None:
    """Swiped from a wide clip to a vertical one, Textual's first paint of the moved view is the vertical clip's
    still, before the pump has drawn it: it painted the wide clip's picture there (at launch: black, over the
    first look's picture) until the pump's frame came."""
    wide = replace(CLIPS[0], id="wide", location="/clips/wide.mp4", width=640, height=360)
    clips = [wide, *CLIPS[1:]]
    store.upsert_clips(clips)
    player = FakePlayer()
    sink = GatedSink()
    app = TuifeedApp(Feeds(store, player, InOrder(clips), clips), config=Config(), render=RenderPlan(sink=sink))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        video = app.feed.video
        written = len(sink.frames)
        sink.gate.clear()
        try:
            await pilot.press("j")
            await pilot.pause(0.2)
            await until(pilot, lambda: video._place is not None and video._place.cols == video.size.width < SIZE[0])
            picture = video._picture
            width, height = video.size
        finally:
            sink.gate.set()
        assert len(sink.frames) == written, "the pump drew nothing meanwhile"
    assert width < SIZE[0], "the panel went beside the vertical clip"
    fit = HalfBlockEncoder(ColorMode()).fit(360, 640, width, height)
    assert picture is not None and (picture.cols, picture.rows) == (fit.cols, fit.rows)


async def test_a_swipes_still_goes_out_before_the_ended_stay_is_recorded_where_the_view_stays_put(
    store: Store,
) -> None:
    """Two clips of one shape keep the view where it is: the second's still is offered to the pump as the player
    switches, before the stay that ended is written and taught; a still that waits for the swipe's handler to
    return (as where the view moves) made every swipe wait for that work, 10 ms more."""
    app, _player = make_app(store, RenderPlan(sink=Sink()))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)  # the first clip's frames are all offered before the offers are noted
        screen = app.feed
        order: list[str] = []
        offer, record = screen.video.pump.offer, screen.session._record

        def offered(*args: object, **kwargs: object) -> None:
            order.append("still" if kwargs.get("still") else "frame")
            offer(*args, **kwargs)  # type: ignore[arg-type]

        screen.video.pump.offer = offered  # type: ignore[method-assign]
        screen.session._record = lambda ended: (order.append("record"), record(ended))[-1]  # type: ignore[method-assign]
        place = screen.video.content_region
        await pilot.press("j")
        await pilot.pause(0.1)
        assert screen.video.content_region == place
    assert order[:2] == ["still", "record"], order
