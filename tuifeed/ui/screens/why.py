"""WhyScreen: "Why this clip?": what chose the clip on screen now, then what counts against it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tuifeed.feed import Why
from tuifeed.ui.screens.notice import NoticeScreen

STILL_LEARNING = "nothing stands out for it yet: the feed is still learning what you like"


def why_text(why: Why) -> Text:
    """The reasons as plain text (names and tags in them are never markup), in sections."""
    text = Text()
    text.append("Why this clip?", "bold")
    text.append("  " + (why.clip.title or why.clip.location.rsplit("/", 1)[-1]))
    sections = (
        ("Chosen now because", why.chosen or (STILL_LEARNING,)),
        ("Counting against it", why.against),
        ("Kept out of your feed from now on", why.filters),
    )
    for heading, reasons in sections:
        if reasons:
            text.append(f"\n\n{heading}\n", "bold")
            text.append("\n".join(f"• {reason}" for reason in reasons))
    return text


class WhyScreen(NoticeScreen):
    """The reasons behind the clip on screen; any key closes it."""

    DEFAULT_CSS = """
    WhyScreen { align: center middle; }
    WhyScreen > Vertical {
        width: 70; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, why: Why) -> None:
        """Show `why`, the session's account of the clip on screen."""
        super().__init__()
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(why_text(self.why))
            yield Static("\n[dim]any key closes; then x: not interested, R: refresh For You[/dim]")
