"""Modal: a modal screen that closes once, whatever was already on its way to it."""

from __future__ import annotations

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, ScreenResultType


class Modal(ModalScreen[ScreenResultType]):
    """A modal screen whose `dismiss` does nothing once it is no longer on top.

    Textual's `dismiss` pops whatever screen is on top: a second key, click or choice already queued for
    the modal when the first closed it (keys mashed, a double click) would pop the screen under it, a
    page whose stay then goes unrecorded, or the feed at the bottom of a mode, which stops the app.
    """

    def dismiss(self, result: ScreenResultType | None = None) -> AwaitComplete:
        """Close with `result`, if this modal is still the screen on top."""
        if self.app.screen is not self:
            return AwaitComplete()
        return super().dismiss(result)
