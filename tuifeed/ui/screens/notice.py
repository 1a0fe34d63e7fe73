"""NoticeScreen: a modal that any key or click closes, the base of help and "Why this clip?"."""

from __future__ import annotations

from textual import events

from tuifeed.ui.screens.modal import Modal


class NoticeScreen(Modal[None]):
    """Closes on any key (which goes no further) or click."""

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_click(self) -> None:
        self.dismiss()
