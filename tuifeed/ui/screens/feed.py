"""FeedScreen: one clip at a time, swiped with keys or the wheel; every action goes to the feed's session.

Attributes down, messages up: the screen asks the session to act, then takes its `status()` into the
`status` var, which the info panel is bound to; player events arrive as messages. The same screen
shows For You, Following, and the pages and lists opened on top of them (`closable`): while another
screen covers it, its session is suspended, and resumed where it was when the screen comes back.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from tuifeed.feed import UNDO_SECONDS, Feeds, FeedSession, FeedStatus, Filters, describe
from tuifeed.library.remote.urls import redact
from tuifeed.models import MuteKind
from tuifeed.render.layout import Layout, plan
from tuifeed.render.plan import RenderPlan
from tuifeed.ui.messages import ClipEnded, ClipFailed, OpenFeed
from tuifeed.ui.player_bridge import PlayerBridge
from tuifeed.ui.screens.choose import ChooseScreen
from tuifeed.ui.screens.confirm import ConfirmScreen
from tuifeed.ui.screens.filters import FiltersScreen
from tuifeed.ui.screens.not_interested import Choice, NotInterestedScreen
from tuifeed.ui.screens.why import WhyScreen
from tuifeed.ui.widgets.import_panel import ImportPanel
from tuifeed.ui.widgets.info import InfoPanel
from tuifeed.ui.widgets.video import VideoView

if TYPE_CHECKING:
    from tuifeed.library.service import Library
    from tuifeed.models import Clip

WHEEL_QUIET_SECONDS = 0.35
"""A wheel burst counts as one swipe: events closer together than this belong to the same burst."""
TOO_SMALL = (
    "Too small for a picture ({width}x{height}): make the terminal bigger",
    "Too small for a picture ({width}x{height})",
    "Too small ({width}x{height})",
    "Too small",
)
"""Ways to say it, longest first: the longest that fits on one line is shown."""
REFRESH_QUESTION = "Refresh For You?"
REFRESH_DETAIL = (
    "The feed forgets what it learned about your taste and starts fresh. Your likes, saves, follows, "
    "mutes and history stay. You can undo it for a few seconds with u."
)
PAGE_NAMES = {MuteKind.CREATOR: "creator", MuteKind.TAG: "hashtag", MuteKind.SOUND: "sound"}


def too_small(width: int, height: int) -> str:
    """The longest way of saying the terminal is too small that fits in `width` columns."""
    sayings = [saying.format(width=width, height=height) for saying in TOO_SMALL]
    return next((saying for saying in sayings if len(saying) <= width), sayings[-1][:width])


class FeedScreen(Screen[None]):
    """A feed: the picture, centred, with the info panel beside it like a caption or below it."""

    AUTO_FOCUS = None
    """Keys belong to the feed; only the import panel's field takes focus, when opened."""

    DEFAULT_CSS = """
    FeedScreen { layers: base overlay; background: black; }
    FeedScreen VideoView { height: 100%; }
    FeedScreen #caption { dock: bottom; height: auto; width: 100%; }
    FeedScreen #caption InfoPanel { height: 6; }
    FeedScreen.side #caption { dock: none; position: absolute; width: 36; align-vertical: bottom; }
    FeedScreen.side #caption InfoPanel { height: auto; max-height: 100%; }
    FeedScreen.clear #caption { display: none; }
    FeedScreen #notice {
        layer: overlay; position: absolute; display: none; width: 100%; height: 100%;
        content-align: center middle; color: $text-muted; background: black;
    }
    FeedScreen.notice #notice { display: block; }
    FeedScreen.notice #caption { display: none; }
    FeedScreen #paused {
        layer: overlay; position: absolute; display: none; width: 8; height: 3;
        border: round white; background: black 60%; color: white; content-align: center middle;
    }
    FeedScreen.paused #paused { display: block; }
    """

    status: var[FeedStatus] = var(FeedStatus(None), init=False)
    """A `var`, not a `reactive`: a repaint of the screen would repaint the picture under the pump 4 times a
    second (each then resent whole); the info panel bound to it repaints itself."""
    """The session's status as last read: the info panel shows it, and a new stay re-lays the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down,pagedown", "next_clip", "Next clip", id="next_clip"),
        Binding("k,up,pageup", "previous_clip", "Previous clip", id="previous_clip"),
        Binding("space", "toggle_pause", "Pause / resume", id="toggle_pause"),
        Binding("l", "like", "Like / unlike", id="like"),
        Binding("b", "save", "Save / unsave", id="save"),
        Binding("f", "follow", "Follow / unfollow the creator", id="follow"),
        Binding("at", "page('creator')", "Creator page: all clips of @name", id="creator_page"),
        Binding("number_sign", "page('tag')", "Hashtag page: all clips with #tag", id="tag_page"),
        Binding("s", "page('sound')", "Sound page: all clips with ♪ sound", id="sound_page"),
        Binding("x", "not_interested", "Not interested / mute creator, sound, tag", id="not_interested"),
        Binding("u", "undo", "Undo a mute or a refresh (a few seconds)", id="undo"),
        Binding("w", "why", "Why this clip?", id="why"),
        Binding("F", "filters", "Filters: vertical, length, hide watched", id="filters"),
        Binding("R", "refresh_for_you", "Refresh For You (forget what was learned)", id="refresh_for_you"),
        Binding("left", "seek(-1)", "Back 5 s", id="seek_back"),
        Binding("right", "seek(1)", "Forward 5 s", id="seek_forward"),
        Binding("m", "mute", "Mute / unmute", id="mute"),
        Binding("plus,equals_sign", "volume(1)", "Volume up", id="volume_up"),
        Binding("minus", "volume(-1)", "Volume down", id="volume_down"),
        Binding("left_square_bracket", "speed(-1)", "Slower", id="slower"),
        Binding("right_square_bracket", "speed(1)", "Faster", id="faster"),
        Binding("a", "auto_advance", "Auto-advance at clip end", id="auto_advance"),
        Binding("c", "clear_mode", "Hide / show the info panel", id="clear_mode"),
        Binding("i", "import_folder", "Import a folder (playback goes on)", id="import"),
        Binding("escape,backspace", "close_feed", "Back: close this page or list", id="close_feed"),
    ]
    MOUSE: ClassVar[list[tuple[str, str]]] = [
        ("wheel", "next / previous clip"),
        ("click", "pause / resume"),
        ("double-click", "like"),
        ("click @name #tag ♪", "open its page"),
    ]

    def __init__(
        self,
        feeds: Feeds,
        session: FeedSession,
        render: RenderPlan,
        fps: int,
        *,
        info_panel: bool,
        closable: bool,
        library: Library | None = None,
    ) -> None:
        """Show `session`, one of `feeds`, drawn as `render` says at most `fps` frames a second.

        A `closable` feed (a page, a list) closes with Esc and hands the screen back to the one below.
        `library` is the library service the import panel imports through (no panel without it).
        """
        super().__init__()
        self.feeds = feeds
        self.session = session
        self.closable = closable
        self.video = VideoView(render, fps, id="video")
        self.info = InfoPanel(id="info")
        self.caption = Container(id="caption")
        self.notice = Static(id="notice")
        self.glyph = Static("❚❚", id="paused")
        self.importer = ImportPanel(library, id="import") if library is not None else None
        self._last_wheel = 0.0
        self._told_replay = False
        self._layout: Layout | None = None
        self._arrangement: tuple[int, ...] | None = None
        """Where the video and the caption were put beside each other; None: the stylesheet's own places."""
        self._covered_until = 0.0
        self._suspended = False
        self._started = False
        self._left = False
        """Closed with Esc: a start still queued from mounting must not open a stay nobody will close.
        Not `_closed`: Textual's message pump has its own, and setting it made the screen's removal wait forever."""
        self.set_class(not info_panel, "clear")

    def compose(self) -> ComposeResult:
        if self.importer is not None:
            yield self.importer
        with self.caption:
            yield self.info.data_bind(FeedScreen.status)
        yield self.notice
        yield self.video
        yield self.glyph

    def on_mount(self) -> None:
        self.video.stays_put = self._view_stays_put
        self.session.attach(PlayerBridge(self, self.video), self.video.frame_size)
        self.set_interval(0.25, self._tick)
        # After the first layout, and queued behind the video view's own Resize: libvlc asks the view
        # for the decode size as the first clip starts, and the view knows its size once it has handled it.
        self.call_after_refresh(self.video.call_next, self._start)

    def _start(self) -> None:
        if self._left:
            return
        self._started = True
        if self.session.current is None:
            self.session.start()
        self._refresh_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc closes only a page or a list's feed; For You and Following stay. Importing needs the library."""
        if action == "close_feed":
            return self.closable
        return self.importer is not None if action == "import_folder" else True

    # -- actions -----------------------------------------------------------------------------------

    def action_next_clip(self) -> None:
        """Swipe to the next clip."""
        self.session.next()
        self._refresh_status()

    def action_previous_clip(self) -> None:
        """Swipe back to the clip before."""
        self.session.previous()
        self._refresh_status()

    def action_toggle_pause(self) -> None:
        """Pause or resume the clip (and the dwell clock)."""
        self.session.toggle_pause()
        self._refresh_status()

    def action_like(self) -> None:
        """Like or unlike the clip on screen."""
        self.session.toggle_like()
        self._refresh_status()

    def action_save(self) -> None:
        """Save or unsave the clip on screen."""
        if self.session.current is None:
            return
        saved = self.session.toggle_save()
        self.notify("Saved" if saved else "Removed from saved", timeout=1.5)
        self._refresh_status()

    def action_follow(self) -> None:
        """Follow or unfollow the creator on screen."""
        clip = self.session.current
        if clip is None or not clip.creator:
            return
        followed = self.session.toggle_follow()
        self.notify(f"{'Following' if followed else 'Unfollowed'} @{clip.creator}", timeout=1.5)
        self._refresh_status()

    def action_page(self, kind: str) -> None:
        """Open the page of the creator, a hashtag or the sound of the clip on screen (asks which tag)."""
        clip = self.session.current
        if clip is None:
            return
        page = MuteKind(kind)
        values: dict[MuteKind, list[str | None]] = {
            MuteKind.CREATOR: [clip.creator],
            MuteKind.SOUND: [clip.sound],
            MuteKind.TAG: list(clip.tags),
        }
        found = [value for value in values[page] if value]
        if not found:
            self.notify(f"This clip has no {PAGE_NAMES[page]}", timeout=2)
        elif len(found) == 1:
            self.open_page(page, found[0])
        else:
            choices = [(describe(page, value), value) for value in found]
            self.app.push_screen(ChooseScreen("Which hashtag?", choices), self._tag_chosen)

    def _tag_chosen(self, tag: str | None) -> None:
        if tag is not None:
            self.open_page(MuteKind.TAG, tag)

    def open_page(self, kind: MuteKind, value: str) -> None:
        """Play every clip of this creator, tag or sound as a feed on top of this one."""
        self.post_message(OpenFeed(self.feeds.page(kind, value)))

    @on(InfoPanel.PageClicked)
    def _page_clicked(self, message: InfoPanel.PageClicked) -> None:
        self.open_page(message.kind, message.value)

    def action_not_interested(self) -> None:
        """Offer: not interested in this clip, or mute its creator, sound or a tag."""
        clip = self.session.current
        if clip is not None:
            self.app.push_screen(NotInterestedScreen(clip), self._not_interested_chosen)

    def _not_interested_chosen(self, choice: Choice | None) -> None:
        if choice is None:
            return
        kind, value = choice
        if kind is None:
            self.session.not_interested()
            self.notify("Got it: fewer clips like that", timeout=2)
        else:
            self.feeds.mute(self.session, kind, value)
            self.notify(f"Muted {describe(kind, value)} · u undoes", timeout=UNDO_SECONDS)
        self._refresh_status()

    def action_undo(self) -> None:
        """Take back the mute or the refresh just made."""
        undone = self.feeds.undo()
        self.notify(f"Undone: {undone}" if undone else "Nothing to undo", timeout=2)
        self._refresh_status()

    def action_why(self) -> None:
        """Show why the clip on screen was chosen."""
        why = self.session.why()
        if why is not None:
            self.app.push_screen(WhyScreen(why))

    def action_filters(self) -> None:
        """Choose what For You and Following leave out."""
        self.app.push_screen(FiltersScreen(self.feeds.filters), self._filters_chosen)

    def _filters_chosen(self, filters: Filters | None) -> None:
        if filters is None or filters == self.feeds.filters:
            return
        self.feeds.set_filters(filters)
        self.notify(f"Filters: {filters.describe() or 'off'}", timeout=2)
        self._refresh_status()

    def action_refresh_for_you(self) -> None:
        """Ask, then forget what the feed learned; history, likes and mutes stay, and u undoes it."""
        self.app.push_screen(ConfirmScreen(REFRESH_QUESTION, REFRESH_DETAIL), self._refresh_answered)

    def _refresh_answered(self, yes: bool | None) -> None:
        if yes:
            self.feeds.refresh_for_you()
            self.notify("For You refreshed: starting fresh · u undoes", timeout=UNDO_SECONDS)

    def action_seek(self, direction: int) -> None:
        """Jump 5 s back or forward."""
        self.session.seek(direction)
        self._refresh_status()

    def action_mute(self) -> None:
        """Mute or unmute."""
        self.session.toggle_mute()
        self._refresh_status()

    def action_volume(self, direction: int) -> None:
        """Turn the volume up or down a step."""
        self.session.step_volume(direction)
        self._refresh_status()

    def action_speed(self, direction: int) -> None:
        """Play slower or faster, from 0.5x to 2x."""
        self.session.step_speed(direction)
        self._refresh_status()

    def action_auto_advance(self) -> None:
        """Toggle going to the next clip when one ends (instead of looping)."""
        self.session.toggle_auto_advance()
        self._refresh_status()

    def action_clear_mode(self) -> None:
        """Hide or show the info panel."""
        self.toggle_class("clear")
        self._relayout()

    def action_import_folder(self) -> None:
        """Open the import panel above the video."""
        if self.importer is not None:
            self.importer.open()

    def action_close_feed(self) -> None:
        """Close this page or list feed and go back to where the person was."""
        if self.closable and not self._left:
            self._left = True
            self.feeds.close(self.session)
            self.app.pop_screen()

    @on(ImportPanel.Finished)
    def _import_finished(self, message: ImportPanel.Finished) -> None:
        if message.summary is None:
            self.notify(message.error or "The import could not run", severity="error")
            return
        added = self.feeds.reload_library()
        self.notify(f"Import done: {added} new clip(s) in the feed", timeout=3)
        self._refresh_status()

    # -- mouse -------------------------------------------------------------------------------------

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self._wheel_swipe():
            self.action_next_clip()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self._wheel_swipe():
            self.action_previous_clip()

    def _wheel_swipe(self) -> bool:
        """True for the first wheel event of a burst; the rest of the burst is ignored."""
        now = time.monotonic()
        first = now - self._last_wheel > WHEEL_QUIET_SECONDS
        self._last_wheel = now
        return first

    def on_click(self, event: events.Click) -> None:
        if event.chain == 2:
            self.action_toggle_pause()
            self.action_like()
        elif event.chain == 1:
            self.action_toggle_pause()

    # -- player events -----------------------------------------------------------------------------

    @on(ClipEnded)
    def _clip_ended(self, message: ClipEnded) -> None:
        self.session.clip_ended(message.token)
        self._refresh_status()

    @on(ClipFailed)
    def _clip_failed(self, message: ClipFailed) -> None:
        clip = self.session.current
        if clip is None or not self.session.is_current(message.token):
            return
        if self.session.fail(message.token):  # else the offline notice or the probe's verdict says it
            self.notify(f"Cannot play {redact(clip.location)}: {message.reason}", severity="error", timeout=6)
        self._refresh_status()

    # -- covering: another screen pauses the feed and switches the video to its safe path ----------

    def on_screen_suspend(self) -> None:
        self._suspended = True
        self.session.suspend()
        self.update_cover()

    def on_screen_resume(self) -> None:
        self._suspended = False
        self.session.resume()
        if self._started and self.session.current is None:
            self.session.start()  # an empty feed may have clips now (a first follow, a lifted filter)
        self._refresh_status()
        self.update_cover()

    def cover_for(self, seconds: float) -> None:
        """A toast covers part of the picture for `seconds`: paint the safe way until it has gone."""
        self._covered_until = max(self._covered_until, time.monotonic() + seconds)
        self.update_cover()
        self.set_timer(seconds + 0.5, self.update_cover)

    def update_cover(self) -> None:
        """Paint the safe way while a screen, a toast, the notice or the pause glyph overlaps the picture.

        The notice covers the video rather than hiding it: the view keeps its size, which libvlc reads
        to size the decode when the next clip starts.
        """
        over = self.has_class("paused") or self.has_class("notice")
        self.video.set_covered(self._suspended or over or time.monotonic() < self._covered_until)

    # -- display -----------------------------------------------------------------------------------

    @on(VideoView.PictureShown)
    def _picture_shown(self) -> None:
        self.session.picture_shown()

    def _refresh_status(self) -> None:
        self.status = self.session.status()
        notice = self.session.offline_notice()
        if notice is not None:
            self.notify(notice, timeout=5)

    def watch_status(self, old: FeedStatus, new: FeedStatus) -> None:
        if new.stay != old.stay or new.empty != old.empty:
            self.video.expect_picture()
            self._relayout(new_clip=True)
        if new.paused != old.paused:
            self._place_glyph()
        if new.round > old.round and not self._told_replay:
            self._told_replay = True
            self.notify(self.session.replay_notice, timeout=3)

    def _relayout(self, *, new_clip: bool = False) -> None:
        """Place the picture, the panel, the notice and the pause glyph for this screen size and clip."""
        status = self.status
        clip = status.clip
        layout, arrangement = self._plan_for(clip)
        width, height = self.size
        top = self._panel_height()
        notice = status.empty if clip is None else too_small(width, height - top)
        shows_notice = bool(status.empty) if clip is None else layout.too_small
        self.notice.update(Text(notice) if shows_notice else "")
        self.set_class(shows_notice, "notice")
        self.update_cover()
        self._layout = layout
        if arrangement != self._arrangement:
            # Styles change only when the arrangement does: a needless change is one more layout pass,
            # and the video view must have its size when the first clip starts (libvlc sizes the decode then).
            self._arrangement = arrangement
            self.video.moving()  # frames wait for the view's new place, not drawn at the old one meanwhile
            self.set_class(layout.side, "side")
            self.info.one_row_each = not layout.side
            self.video.styles.width = layout.video_width if layout.side else None
            self.video.styles.margin = (0, 0, 0, layout.video_left)
            self.caption.styles.offset = (layout.caption_x, top) if layout.side else (0, 0)
            self.caption.styles.height = max(1, layout.caption_height) if layout.side else None
        if new_clip and layout.side:
            self.info.refresh(layout=True)  # the caption's height follows its text, which a new clip changes
        self._place_glyph()

    def _plan_for(self, clip: Clip | None) -> tuple[Layout, tuple[int, ...] | None]:
        """The screen laid out for ``clip``, and the arrangement of views it asks for (None: the picture over
        the whole width, the panel below it)."""
        width, height = self.size
        top = self._panel_height()
        size = (clip.width, clip.height) if clip and clip.width and clip.height else None
        layout = plan(width, height - top, size, panel=not self.has_class("clear"))
        if not layout.side:
            return layout, None
        return layout, (layout.video_left, layout.video_width, layout.caption_x, top, layout.caption_height)

    def _view_stays_put(self) -> bool:
        """Whether the clip the session is switching to keeps the video view where it is (its still can then go
        out at once, before the swipe's handler has written and taught the stay that ended)."""
        clip = self.session.switching_to
        return clip is not None and self._plan_for(clip)[1] == self._arrangement

    def _place_glyph(self) -> None:
        """The pause glyph in the middle of the picture, while the clip is paused."""
        layout = self._layout
        shown = bool(self.status.paused and self.status.clip and layout and not layout.too_small)
        if layout is not None and shown:
            picture = layout.picture
            top = self._panel_height()
            self.glyph.styles.offset = (
                picture.x + picture.cols // 2 - 4,
                top + picture.y + picture.rows // 2 - 1,
            )
        self.set_class(shown, "paused")
        self.update_cover()

    def _panel_height(self) -> int:
        """Rows the import panel takes above the video (0 when hidden)."""
        importer = self.importer
        return importer.outer_size.height if importer is not None and importer.display else 0

    def on_resize(self) -> None:
        self._relayout()

    def _tick(self) -> None:
        if not self.is_current:
            return
        self.session.tick()
        self._refresh_status()
