"""PlayerBridge: the player's listener; turns callbacks on libvlc's threads into UI work without blocking."""

from __future__ import annotations

from textual.message_pump import MessagePump

from tuifeed.player import Frame
from tuifeed.ui.messages import ClipEnded, ClipFailed
from tuifeed.ui.widgets.video import VideoView


class PlayerBridge:
    """Frames go to the video view (which hands them on thread-safely); events become messages."""

    def __init__(self, screen: MessagePump, video: VideoView) -> None:
        self._screen = screen
        self._video = video

    def player_frame(self, token: int, frame: Frame) -> None:
        """Hand a frame to the view (libvlc's vout thread)."""
        self._video.accept_frame(frame)

    def player_ended(self, token: int) -> None:
        """Post that a clip ended (libvlc's event thread)."""
        self._screen.post_message(ClipEnded(token))

    def player_error(self, token: int, message: str) -> None:
        """Post that a clip failed (any thread)."""
        self._screen.post_message(ClipFailed(token, message))
