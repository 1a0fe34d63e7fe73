"""WhyScreen: "Why this clip?", the recommender's real score terms for the clip on screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tuifeed.ui.screens.notice import NoticeScreen


class WhyScreen(NoticeScreen):
    """The reasons behind the clip on screen, largest first; any key closes it."""

    DEFAULT_CSS = """
    WhyScreen { align: center middle; }
    WhyScreen > Vertical {
        width: 70; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, title: str, reasons: list[str]) -> None:
        """Show `reasons` for the clip called `title`."""
        super().__init__()
        self.reasons = reasons
        self._title = title

    def compose(self) -> ComposeResult:
        body = "\n".join(f"• {reason}" for reason in self.reasons) or "• nothing stands out yet: still learning"
        with Vertical():
            yield Static(f"[b]Why this clip?[/b]  {self._title}", markup=True)
            yield Static(body, markup=False)
            yield Static("[dim]any key closes; then x: not interested, R: refresh For You[/dim]", markup=True)
