"""ReminderScreen: a calm overlay for a break, the session cap or today's budget; the feed below pauses meanwhile."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from tuifeed.feed.wellbeing import Reminder
from tuifeed.ui.screens.modal import Modal


class ReminderScreen(Modal[None]):
    """Enter, space or Esc carries on (the clip resumes); q quits from here, without the feed resuming first."""

    DEFAULT_CSS = """
    ReminderScreen { align: center middle; background: $background 70%; }
    ReminderScreen > Vertical {
        width: 60; max-width: 100%; height: auto; border: round $primary-lighten-2; background: $surface;
        padding: 1 2;
    }
    ReminderScreen #reminder-title { text-style: bold; margin-bottom: 1; }
    ReminderScreen #reminder-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space,escape", "keep_going", "Keep going"),
        Binding("q", "app.quit_feeds", "Quit"),
    ]

    def __init__(self, reminder: Reminder) -> None:
        """Say `reminder`."""
        super().__init__()
        self.reminder = reminder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.reminder.title), id="reminder-title")
            yield Static(Text(self.reminder.detail), id="reminder-detail")
            yield Static(Text("Enter / space: keep going    q: quit"), id="reminder-keys")

    def action_keep_going(self) -> None:
        """Close the reminder: the feed below resumes."""
        self.dismiss()
