"""FeedScreen: one clip at a time, swiped with keys or the wheel; every action goes to the FeedSession.

Attributes down, messages up: the screen asks the session to act, then takes its `status()` into the
`status` reactive, which the info panel is bound to; player events arrive as messages.
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from tuifeed.feed import FeedSession, FeedStatus
from tuifeed.models import Clip
from tuifeed.render import fit_box
from tuifeed.render.plan import RenderPlan
from tuifeed.ui.messages import ClipEnded, ClipFailed
from tuifeed.ui.player_bridge import PlayerBridge
from tuifeed.ui.screens.help import HelpScreen, describe_bindings
from tuifeed.ui.screens.not_interested import Choice, NotInterestedScreen, describe_mute
from tuifeed.ui.screens.why import WhyScreen
from tuifeed.ui.widgets.import_panel import ImportPanel
from tuifeed.ui.widgets.info import InfoPanel
from tuifeed.ui.widgets.video import VideoView

WHEEL_QUIET_SECONDS = 0.35
"""A wheel burst counts as one swipe: events closer together than this belong to the same burst."""
SIDE_PANEL_WIDTH = 36
REPLAY_NOTICE = "You have seen everything: replaying your favourites"


def binding_ids() -> list[str]:
    """The id of every feed binding, the names [keys] in config.toml may remap."""
    return [binding.id for binding in FeedScreen.BINDINGS if isinstance(binding, Binding) and binding.id]


class FeedScreen(Screen[None]):
    """The feed: the video fills the screen, the info panel sits beside or below it."""

    AUTO_FOCUS = None
    """Keys belong to the feed; only the import panel's field takes focus, when opened."""

    DEFAULT_CSS = """
    FeedScreen { layers: base; background: black; }
    FeedScreen InfoPanel { dock: bottom; height: 6; }
    FeedScreen.side InfoPanel { dock: right; width: 36; height: 1fr; }
    FeedScreen.clear InfoPanel { display: none; }
    """

    status: reactive[FeedStatus] = reactive(FeedStatus(None), init=False)
    """The session's status as last read: the info panel shows it, and a new stay re-lays the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down,pagedown", "next_clip", "Next clip", id="next_clip"),
        Binding("k,up,pageup", "previous_clip", "Previous clip", id="previous_clip"),
        Binding("space", "toggle_pause", "Pause / resume", id="toggle_pause"),
        Binding("l", "like", "Like / unlike", id="like"),
        Binding("b", "save", "Save / unsave", id="save"),
        Binding("f", "follow", "Follow / unfollow the creator", id="follow"),
        Binding("x", "not_interested", "Not interested / mute creator, sound, tag", id="not_interested"),
        Binding("w", "why", "Why this clip?", id="why"),
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
        Binding("question_mark", "help", "This help", id="help"),
        Binding("q,ctrl+c", "quit_feed", "Quit", id="quit"),
    ]

    def __init__(self, session: FeedSession, render: RenderPlan, fps: int, *, info_panel: bool) -> None:
        """Show `session`'s clips, drawn as `render` says at most `fps` frames a second."""
        super().__init__()
        self.session = session
        self.video = VideoView(render, fps, id="video")
        self.info = InfoPanel(id="info")
        self.importer = ImportPanel(session.database, id="import")
        self._last_wheel = 0.0
        self._paused_before_cover = False
        self._told_replay = False
        self.set_class(not info_panel, "clear")

    def compose(self) -> ComposeResult:
        yield self.importer
        yield self.info.data_bind(FeedScreen.status)
        yield self.video

    def on_mount(self) -> None:
        self.session.attach(PlayerBridge(self, self.video), self.video.frame_size)
        self._refresh_status()
        self.set_interval(0.25, self._tick)
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self.session.start()
        self._refresh_status()

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
            self.session.mute(kind, value)
            self.notify(f"Muted {describe_mute(kind, value)}", timeout=2)
        self._refresh_status()

    def action_why(self) -> None:
        """Show why the clip on screen was chosen."""
        why = self.session.why()
        if why is not None:
            self.app.push_screen(WhyScreen(why))

    def action_refresh_for_you(self) -> None:
        """Forget what the feed learned; history, likes and mutes stay."""
        self.session.refresh_for_you()
        self.notify("For You refreshed: starting fresh", timeout=2)

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

    def action_import_folder(self) -> None:
        """Open the import panel above the video."""
        self.importer.open()

    @on(ImportPanel.Finished)
    def _import_finished(self, message: ImportPanel.Finished) -> None:
        if message.summary is None:
            self.notify(message.error or "The import could not run", severity="error")
            return
        added = self.session.reload_library()
        self.notify(f"Import done: {added} new clip(s) in the feed", timeout=3)
        self._refresh_status()

    def action_help(self) -> None:
        """Show every key."""
        bindings = [
            (active.binding, self.app.get_key_display(active.binding))
            for active in self.active_bindings.values()
            if active.binding.id is not None
        ]
        self.app.push_screen(HelpScreen(describe_bindings(bindings, binding_ids())))

    def action_quit_feed(self) -> None:
        """Record the clip on screen and leave."""
        self.session.quit()
        self.app.exit()

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
        self.notify(f"Cannot play {clip.location}: {message.reason}", severity="error", timeout=6)
        self.session.clip_failed(message.token)
        self._refresh_status()

    # -- covering: modal screens pause the feed and switch the video to its safe path --------------

    def on_screen_suspend(self) -> None:
        self._paused_before_cover = self.session.paused
        self.session.set_paused(True)
        self.video.set_covered(True)

    def on_screen_resume(self) -> None:
        self.session.set_paused(self._paused_before_cover)
        self.video.set_covered(False)
        self._refresh_status()

    # -- display -----------------------------------------------------------------------------------

    @on(VideoView.PictureShown)
    def _picture_shown(self) -> None:
        self.session.picture_shown()

    def _refresh_status(self) -> None:
        self.status = self.session.status()

    def watch_status(self, old: FeedStatus, new: FeedStatus) -> None:
        if new.stay != old.stay:
            self.video.expect_picture()
            self._place_panel(new.clip)
        if new.round > old.round and not self._told_replay:
            self._told_replay = True
            self.notify(REPLAY_NOTICE, timeout=3)

    def _place_panel(self, clip: Clip | None) -> None:
        """Beside a vertical clip when it leaves room, else below."""
        self.set_class(bool(clip and clip.is_vertical and self._room_beside(clip)), "side")

    def _room_beside(self, clip: Clip) -> bool:
        """Whether a vertical clip leaves enough columns for the panel beside it."""
        width, height = self.size
        return width - fit_box(clip.width, clip.height, width, height).cols >= SIDE_PANEL_WIDTH + 2

    def on_resize(self) -> None:
        self._place_panel(self.status.clip)

    def _tick(self) -> None:
        self.session.tick()
        self._refresh_status()
