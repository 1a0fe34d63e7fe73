"""FeedScreen: one clip at a time, swiped with keys or the wheel; every action goes to the FeedSession."""

from __future__ import annotations

import time
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tuifeed.feed import FeedSession
from tuifeed.models import Clip
from tuifeed.render import fit_box
from tuifeed.render.plan import RenderPlan
from tuifeed.ui.messages import ClipEnded, ClipFailed
from tuifeed.ui.player_bridge import PlayerBridge
from tuifeed.ui.screens.help import HelpScreen, describe_bindings
from tuifeed.ui.screens.not_interested import Choice, NotInterestedScreen
from tuifeed.ui.screens.why import WhyScreen
from tuifeed.ui.widgets.import_panel import ImportPanel
from tuifeed.ui.widgets.info import InfoPanel
from tuifeed.ui.widgets.video import VideoView

SEEK_MS = 5_000
VOLUME_STEP = 10
SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
WHEEL_QUIET_SECONDS = 0.35
"""A wheel burst counts as one swipe: events closer together than this belong to the same burst."""
SIDE_PANEL_WIDTH = 36


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

    def __init__(
        self, session: FeedSession, render: RenderPlan, fps: int, *, volume: int, muted: bool, info_panel: bool
    ) -> None:
        """Show `session`'s clips, drawn as `render` says at most `fps` frames a second."""
        super().__init__()
        self.session = session
        self.video = VideoView(render, fps, id="video")
        self.info = InfoPanel(id="info")
        self.importer = ImportPanel(session.store.path, id="import")
        self.volume = volume
        self.muted = muted
        self.speed_index = SPEEDS.index(1.0)
        self._last_wheel = 0.0
        self._paused_before_cover = False
        self.set_class(not info_panel, "clear")

    def compose(self) -> ComposeResult:
        yield self.importer
        yield self.info
        yield self.video

    def on_mount(self) -> None:
        player = self.session.player
        player.attach(PlayerBridge(self, self.video), self.video.frame_size)
        player.set_volume(self.volume)
        player.set_muted(self.muted)
        self.set_interval(0.25, self._tick)
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self.session.start()
        self._clip_changed()

    # -- actions -----------------------------------------------------------------------------------

    def action_next_clip(self) -> None:
        """Swipe to the next clip."""
        self.session.next()
        self._clip_changed()

    def action_previous_clip(self) -> None:
        """Swipe back to the clip before."""
        before = self.session.current
        if self.session.previous() is not before:
            self._clip_changed()

    def action_toggle_pause(self) -> None:
        """Pause or resume the clip (and the dwell clock)."""
        self.session.set_paused(not self.session.paused)
        self._update_info()

    def action_like(self) -> None:
        """Like or unlike the clip on screen."""
        self.session.toggle_like()
        self._update_info()

    def action_save(self) -> None:
        """Save or unsave the clip on screen."""
        saved = self.session.toggle_save()
        self.notify("Saved" if saved else "Removed from saved", timeout=1.5)
        self._update_info()

    def action_follow(self) -> None:
        """Follow or unfollow the creator on screen."""
        clip = self.session.current
        if clip is None or not clip.creator:
            return
        followed = self.session.toggle_follow()
        self.notify(f"{'Following' if followed else 'Unfollowed'} @{clip.creator}", timeout=1.5)
        self._update_info()

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
            self.notify(f"Muted {kind} {value}", timeout=2)
        self._clip_changed()

    def action_why(self) -> None:
        """Show why the clip on screen was chosen."""
        clip = self.session.current
        if clip is not None:
            self.app.push_screen(WhyScreen(clip.title or clip.id, self.session.explain()))

    def action_refresh_for_you(self) -> None:
        """Forget what the feed learned; history, likes and mutes stay."""
        self.session.refresh_for_you()
        self.notify("For You refreshed: starting fresh", timeout=2)

    def action_seek(self, direction: int) -> None:
        """Jump 5 s back or forward."""
        self.session.player.seek(direction * SEEK_MS)

    def action_mute(self) -> None:
        """Mute or unmute."""
        self.muted = not self.muted
        self.session.player.set_muted(self.muted)
        self._update_info()

    def action_volume(self, direction: int) -> None:
        """Turn the volume up or down a step."""
        self.volume = max(0, min(100, self.volume + direction * VOLUME_STEP))
        self.session.player.set_volume(self.volume)
        self.muted = False
        self.session.player.set_muted(False)
        self._update_info()

    def action_speed(self, direction: int) -> None:
        """Play slower or faster, from 0.5x to 2x."""
        self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + direction))
        self.session.player.set_rate(SPEEDS[self.speed_index])
        self._update_info()

    def action_auto_advance(self) -> None:
        """Toggle going to the next clip when one ends (instead of looping)."""
        self.session.auto_advance = not self.session.auto_advance
        self._update_info()

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
        added = self.session.add_clips(self.session.store.clips())
        self.notify(f"Import done: {added} new clip(s) in the feed", timeout=3)
        self._update_info()

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
        before = self.session.current
        if self.session.clip_ended(message.token) is not before:
            self._clip_changed()

    @on(ClipFailed)
    def _clip_failed(self, message: ClipFailed) -> None:
        clip = self.session.current
        if clip is None or not self.session.is_current(message.token):
            return
        self.notify(f"Cannot play {clip.location}: {message.reason}", severity="error", timeout=6)
        self.session.clip_failed(message.token)
        self._clip_changed()

    # -- covering: modal screens pause the feed and switch the video to its safe path --------------

    def on_screen_suspend(self) -> None:
        self._paused_before_cover = self.session.paused
        self.session.set_paused(True)
        self.video.set_covered(True)

    def on_screen_resume(self) -> None:
        self.session.set_paused(self._paused_before_cover)
        self.video.set_covered(False)
        self._update_info()

    # -- display -----------------------------------------------------------------------------------

    @on(VideoView.PictureShown)
    def _picture_shown(self) -> None:
        self.session.picture_shown()

    def _clip_changed(self) -> None:
        self.video.expect_picture()
        clip = self.session.current
        self.set_class(bool(clip and clip.is_vertical and self._room_beside(clip)), "side")
        self._update_info()

    def _room_beside(self, clip: Clip) -> bool:
        """Whether a vertical clip leaves enough columns for the panel beside it."""
        width, height = self.size
        return width - fit_box(clip.width, clip.height, width, height).cols >= SIDE_PANEL_WIDTH + 2

    def on_resize(self) -> None:
        self._clip_changed()

    def _tick(self) -> None:
        self.session.tick()
        self._update_info()

    def _update_info(self) -> None:
        session = self.session
        clip = session.current
        flags = [
            name
            for name, on_ in (
                ("paused", session.paused),
                ("muted", self.muted),
                (f"{SPEEDS[self.speed_index]}x", SPEEDS[self.speed_index] != 1.0),
                ("auto-advance", session.auto_advance),
            )
            if on_
        ]
        if not self.muted:
            flags.append(f"vol {self.volume}")
        self.info.show(
            clip,
            liked=clip is not None and clip.id in session.liked,
            saved=clip is not None and clip.id in session.saved,
            followed=clip is not None and clip.creator in session.followed,
            place=session.position,
            position_ms=session.player.position_ms(),
            length_ms=session.player.length_ms(),
            flags=" · ".join(flags),
        )
