"""VideoView: the clip's picture, drawn through an encoder (half-blocks or kitty graphics) by a frame pump.

Frames arrive on libvlc's vout thread through `accept_frame`, which paces and fits them and offers them to
the pump; the pump's own thread encodes the newest one and writes it to the terminal output it shares
with Textual (a cell diff, or an image), dropping frames the terminal has no time for. Textual does not
take part in a frame, so it neither costs the compositor's time nor waits for its refresh timer.

Textual still paints the picture whenever it repaints the view (and for every frame while something
covers it, as the pump then leaves the cells alone): each row is the encoder's pre-encoded ANSI string in
one Segment when nothing can cut it, else styled spans. Without a terminal output (headless, tests) every
frame is painted this way.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tuifeed.player import Frame
from tuifeed.render import ColorSystem, Encoder, Fit, Picture
from tuifeed.render.plan import RenderKind, RenderPlan
from tuifeed.render.pump import FramePump, Painted

_BLANK = Style(bgcolor="black")
_STYLE_CACHE_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class _Place:
    """Where Textual laid the view out, as one value: a frame is fitted to its size and placed at its corner."""

    cols: int
    rows: int
    left: int
    top: int
    """Screen cell of the view's top-left corner, where the pump's cursor moves start."""
    number: int
    """The pump's number for this place (see `FramePump.moved`)."""


class VideoView(Widget):
    """The picture of the clip on screen, centred and letterboxed in the widget."""

    DEFAULT_CSS = """
    VideoView {
        width: 1fr;
        height: 1fr;
        background: black;
    }
    """

    def __init__(self, render: RenderPlan, fps: int = 30, *, id: str | None = None) -> None:
        """Draw as `render` says, at most `fps` frames a second."""
        super().__init__(id=id)
        self._plan = render
        self._encoder = render.encoder()
        self._min_interval = 1.0 / fps
        self._box = (0, 0)
        """The view's size when last laid out, for the decode size."""
        self._place: _Place | None = None
        """Where frames are drawn: None until Textual has laid the view out, and while the screen moves it."""
        self._newest: Frame | None = None
        """The newest frame taken (a copy), offered again whenever the view's place changes."""
        self._still_waiting = False
        """The newest frame is a new clip's still that the pump has not been offered yet."""
        self.stays_put: Callable[[], bool] = lambda: False
        """Whether the view stays where it is for the clip whose still comes now (the screen says; UI thread)."""
        self._newest_lock = threading.Lock()
        """Orders taking a frame and fitting it to the place with the UI thread's changes of the place."""
        self._still_encoder: Encoder | None = None
        """Encodes a still that waited for the view's place for Textual to paint, on the UI thread."""
        self._due = 0.0
        """When the next frame may be taken; frames are paced on this schedule, not on arrival times."""
        self._pump: FramePump | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._picture: Picture | None = None
        """The picture Textual paints: changed only on the UI thread, between Textual's render passes."""
        self._latest: Picture | None = None
        """The pump's newest picture, waiting for the UI thread to take it."""
        self._latest_lock = threading.Lock()
        self._take_scheduled = False
        self._repaint_wanted = False
        self._styles: dict[tuple[ColorSystem, int, int], Style] = {}
        self._awaiting_picture = False
        self._still_shown = False
        self._shown_lock = threading.Lock()
        """Orders the pump's "shown" with the screen's "expect": a still may win the race."""
        self.covered = False
        """True while something overlaps the video; the pump then leaves the cells to Textual."""
        self.frames_painted = 0
        """Frames that reached the screen, for benchmarks."""
        self.frame_listeners: list[Callable[[Painted], None]] = []
        """Called on the pump's thread for every frame shown (benchmark instrumentation)."""

    @property
    def pump(self) -> FramePump | None:
        """The frame pump, once mounted."""
        return self._pump

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._pump = FramePump(
            self._encoder, self._plan.sink, self._painted, interval=self._min_interval, sync=self._plan.sync
        )
        self._pump.set_direct(not self.covered)

    def on_unmount(self) -> None:
        if self._pump is not None:
            self._pump.close()

    def on_resize(self) -> None:
        self._locate()
        self.refresh()

    # -- any thread --------------------------------------------------------------------------------

    def frame_size(self, width: int, height: int) -> tuple[int, int]:
        """The pixel size to decode a `width` x `height` clip at to fill this view (called by the player)."""
        cols, rows = self._box
        return self._encoder.fit(width, height, max(cols, 2), max(rows, 1)).pixel_size

    def accept_frame(self, frame: Frame) -> None:
        """Take a decoded frame (libvlc's vout thread, or the UI thread for a pre-rolled still).

        The frame is copied here (the decoder reuses its buffer), fitted to the view's place and offered to
        the pump; the encoder brings it to the size it draws at (after a resize the decoder's size is stale
        until the next clip). While the screen moves the view, the frame waits for its new place.

        A still is offered at once where the screen says its clip keeps the view where it is (`stays_put`);
        otherwise once the UI thread's handler that started its clip has returned: by then the screen has
        moved the view for the clip (a vertical clip's panel goes beside it). Offered at once, a vertical
        clip's first picture was drawn where the view was for the clip before (at launch, over the first
        look), until Textual painted the new layout; offered later every time, a swipe's picture waited for
        the stay that ended to be written and taught (10 ms more of a swipe).
        """
        pump = self._pump
        if pump is None:
            return
        now = time.monotonic()
        # A quarter-frame of slack: a 30 fps source jitters around 33 ms, and a strict `>= 1/fps`
        # test against the last arrival dropped every early frame (about 19 of 30 a second painted).
        # A pre-rolled still comes from the UI thread on a swipe: it is never paced away (that cost a
        # swipe up to a frame and a half: median 24 ms, worst 160).
        swiped = threading.current_thread() is threading.main_thread()
        if now < self._due - self._min_interval / 4 and not swiped:
            return
        self._due = max(self._due, now - self._min_interval) + self._min_interval
        waits = swiped and not self.stays_put()
        with self._newest_lock:
            self._newest = frame.copy()
            self._still_waiting |= swiped
            if not waits:
                self._offer_newest()
        if waits and self._loop is not None:
            self._loop.call_soon(self._offer_still)

    def _offer_still(self) -> None:
        with self._newest_lock:
            if self._still_waiting:
                self._offer_newest()

    def _offer_newest(self) -> None:
        """Offer the newest frame fitted to the view's place, unless it has none now (the lock held)."""
        frame, place, pump = self._newest, self._place, self._pump
        if frame is None or place is None or pump is None:
            return
        height, width = frame.shape[:2]
        fit = self._encoder.fit(width, height, place.cols, place.rows)
        if fit.cols == 0:
            return
        pump.offer(frame, fit, place.left, place.top, still=self._still_waiting, place=place.number)
        self._still_waiting = False

    def _painted(self, painted: Painted) -> None:
        """A frame was shown (the pump's thread): hand its picture to the UI thread, to repaint when covered.

        The picture is taken on the UI thread, never swapped in here: Textual renders the view in pieces
        (around a modal: above, beside and below it), and a picture changed between two pieces painted
        rows of two frames (seen in a real kitty under "Why this clip?").
        """
        self.frames_painted += 1
        for listener in self.frame_listeners:
            listener(painted)
        with self._shown_lock:
            announce = self._awaiting_picture
            self._awaiting_picture = False
            # A swipe's still can be shown before the screen says it expects the clip's first picture.
            if painted.still and not announce:
                self._still_shown = True
        if announce:
            self.post_message(self.PictureShown())
        with self._latest_lock:
            self._latest = painted.picture
            self._repaint_wanted |= not painted.direct
            schedule, self._take_scheduled = not self._take_scheduled, True
        if schedule and self._loop is not None:
            self._loop.call_soon_threadsafe(self._take_picture)

    # -- UI thread ---------------------------------------------------------------------------------

    class PictureShown(Message):
        """The first frame after `expect_picture` reached the screen."""

    def expect_picture(self) -> None:
        """A new clip started: announce its first frame with a PictureShown message."""
        with self._shown_lock:
            shown, self._still_shown = self._still_shown, False
            self._awaiting_picture = not shown
        if shown:
            self.post_message(self.PictureShown())

    def moving(self) -> None:
        """The screen is about to lay the view out elsewhere: frames wait until Textual has done it.

        A frame fitted to the old place and drawn after Textual painted the new layout would stay in cells
        that are no longer the view's (over the info panel) until Textual next painted them.
        """
        with self._newest_lock:
            self._place = None
            if self._pump is not None:
                self._pump.moved()
        self.refresh()  # the view is rendered, so placed, even where its new place turns out to be the old one

    def set_covered(self, covered: bool) -> None:
        """Hand the cells to Textual while something covers the video, back to the pump once clear."""
        if covered != self.covered:
            self.covered = covered
            if self._pump is not None:
                self._pump.set_direct(not covered)
            self.refresh()

    def _take_picture(self) -> None:
        """Take the pump's newest picture; repaint if it was not drawn by the pump, or has another size.

        A picture of another size (the next clip, a resize) needs Textual: the pump writes only the
        picture's cells, and the old picture's edges must become letterbox.
        """
        with self._latest_lock:
            picture, repaint = self._latest, self._repaint_wanted
            self._take_scheduled = self._repaint_wanted = False
        previous, self._picture = self._picture, picture
        if picture is None:
            return
        if repaint or previous is None or (previous.cols, previous.rows) != (picture.cols, picture.rows):
            self.refresh()

    def _locate(self) -> None:
        """Note where Textual has laid the view out (UI thread); if that moved it, the newest frame goes there.

        Size and corner are taken together and kept as one value: fitted to the size of one layout and placed
        at the corner of the next (the corner was noted as Textual rendered the new layout, the size only once
        the view's Resize was handled), a vertical clip's frame was drawn 37 cells to the right of the
        picture, over the panel beside it.
        """
        region = self.content_region
        where = (self.size.width, self.size.height, region.x, region.y)
        place = self._place
        if place is not None and (place.cols, place.rows, place.left, place.top) == where:
            return
        with self._newest_lock:
            self._box = where[:2]
            pump = self._pump
            self._place = None if pump is None else _Place(*where, pump.moved())
            if self._still_waiting and self._place is not None:
                self._paint_still(self._place)
            self._offer_newest()

    def _paint_still(self, place: _Place) -> None:
        """Make a still that waited for the view's place the picture Textual paints as it renders the place.

        Else Textual painted the view black (at launch, over the first look's picture; on a swipe, the clip
        before cut to the new place) until the pump drew the still just after. Encoded here, on the UI thread
        (a few milliseconds, once a launch or a swipe that moves the view); the pump draws the same cells too.
        Half-blocks only: a kitty picture needs its image sent first, which is the pump's to do.
        """
        frame = self._newest
        if frame is None or self._plan.kind is not RenderKind.HALFBLOCK:
            return
        encoder = self._still_encoder = self._still_encoder or self._plan.encoder()
        height, width = frame.shape[:2]
        fit = encoder.fit(width, height, place.cols, place.rows)
        if fit.cols == 0:
            return
        encoder.encode(frame, fit, place.left, place.top, False)
        self._picture = encoder.picture()

    def _fit(self, picture: Picture) -> Fit:
        width, height = self.size
        cols, rows = min(picture.cols, width), min(picture.rows, height)
        return Fit(cols, rows, (width - cols) // 2, (height - rows) // 2)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Rows straight from the current picture (no line cache: the pump changes the picture under it).

        Textual asks for these rows whenever anything beside the view repaints (a sibling's refresh
        renders every widget in the same clip), mostly to throw them away. Frames wait until this update
        has landed, so it can never overwrite a newer frame; and only if the pump has encoded a frame
        newer than the one painted here does the screen stop matching what the pump believes, so only
        then is the next frame sent whole (doing so on every sibling's refresh resent the whole picture
        four times a second, on each status tick).
        """
        sink = self._plan.sink
        pump = self._pump
        if sink is not None and pump is not None:
            sink.hold_frames()
            if pump.encoder.picture() is not self._picture:
                pump.forget()
        self._locate()  # held first: the newest frame, offered again if the view moved, waits for this update
        return [self.render_line(y).crop(crop.x, crop.right) for y in range(crop.y, crop.bottom)]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        picture = self._picture
        if picture is None:
            return Strip([Segment(" " * width, _BLANK)], width)
        fit = self._fit(picture)
        row = y - fit.y
        if not 0 <= row < fit.rows:
            return Strip([Segment(" " * width, _BLANK)], width)
        left = [Segment(" " * fit.x, _BLANK)] if fit.x else []
        right_cells = width - fit.x - fit.cols
        right = [Segment(" " * right_cells, _BLANK)] if right_cells > 0 else []
        line = picture.line(row) if fit.cols == picture.cols and not self.covered else None
        if line is not None:
            return Strip([*left, Segment(line), *right], width)
        background = self.app.screen is not self.screen  # under a modal, which tints what it covers
        system = picture.system
        middle = [Segment(text, self._style(system, fg, bg)) for text, fg, bg in picture.spans(row, background)]
        # Measured, not told the width: a picture wider than the view (the clip before a swipe to a narrower
        # view, until the new clip's picture comes) is cut to it. A Strip told its width crops nothing, and the
        # old picture's rows ran on over the gap and past the panel, cells no repaint of the view touched again.
        return Strip([*left, *middle, *right]).crop(0, width)

    def _style(self, system: ColorSystem, fg: int, bg: int) -> Style:
        style = self._styles.get((system, fg, bg))
        if style is None:
            if len(self._styles) > _STYLE_CACHE_LIMIT:
                self._styles.clear()
            if system is ColorSystem.TRUECOLOR:
                colors = (
                    Color.from_rgb(fg >> 16, (fg >> 8) & 255, fg & 255),
                    Color.from_rgb(bg >> 16, (bg >> 8) & 255, bg & 255),
                )
            else:
                colors = Color.from_ansi(fg), Color.from_ansi(bg)
            style = self._styles[(system, fg, bg)] = Style(color=colors[0], bgcolor=colors[1])
        return style
