"""Wellbeing: when to suggest a break, ask whether to keep going, or say today's budget is spent; no Textual.

Minutes are minutes of watching (dwell), not of the app being open: a paused clip or a list on screen
does not count. Today's time is what the store holds for today when the run began plus what this run
watched; at local midnight it starts again from zero. Each reminder is also a break, so the next break
reminder comes a full `break_minutes` after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tuifeed.config import WellbeingConfig
from tuifeed.when import local_now, watched

MINUTE_MS = 60_000
BUDGET_AGAIN_MINUTES = 15
"""Once over today's budget, how many more minutes of watching before saying so again."""


class Nudge(StrEnum):
    """The kinds of reminder."""

    BREAK = "break"
    SESSION = "session"
    BUDGET = "budget"


@dataclass(frozen=True, slots=True)
class Reminder:
    """What the overlay says."""

    nudge: Nudge
    title: str
    detail: str


def local_today() -> date:
    """Today's date where the person is."""
    return local_now().date()


class Wellbeing:
    """Decides, from the time watched, whether a reminder is due; the app asks every second while a feed plays."""

    def __init__(
        self, settings: WellbeingConfig, *, watched_today_ms: int = 0, today: Callable[[], date] = local_today
    ) -> None:
        """Reminders as `settings` say; `watched_today_ms` is today's stored watching before this run."""
        self.settings = settings
        self._today = today
        self._day = today()
        self._before_ms = watched_today_ms
        self._next_break = _minutes(settings.break_minutes)
        self._next_session = _minutes(settings.session_minutes)
        self._next_budget = _minutes(settings.daily_minutes)

    def today_ms(self, session_ms: int) -> int:
        """Time watched today, this run's `session_ms` included."""
        self._roll(session_ms)
        return self._before_ms + session_ms

    def due(self, session_ms: int) -> Reminder | None:
        """The reminder to show now that this run has watched `session_ms`, if any; each is shown once."""
        today_ms = self.today_ms(session_ms)
        reminder: Reminder | None = None
        if self._next_budget is not None and today_ms >= self._next_budget:
            self._next_budget = today_ms + BUDGET_AGAIN_MINUTES * MINUTE_MS
            reminder = Reminder(
                Nudge.BUDGET,
                "That is today's screen time",
                f"You have watched {watched(today_ms)} today; your daily budget is "
                f"{watched(self.settings.daily_minutes * MINUTE_MS)}. Maybe call it a day?",
            )
        elif self._next_session is not None and session_ms >= self._next_session:
            self._next_session = session_ms + _step(self.settings.session_minutes)
            reminder = Reminder(
                Nudge.SESSION,
                f"You have watched {watched(session_ms)}; keep going?",
                "This is the session cap you set. Carry on, or quit here.",
            )
        elif self._next_break is not None and session_ms >= self._next_break:
            reminder = Reminder(
                Nudge.BREAK,
                "Time for a break?",
                f"You have watched for {watched(_step(self.settings.break_minutes))} in a row. "
                "Look away from the screen, stretch, have some water.",
            )
        if reminder is not None and self._next_break is not None:
            self._next_break = session_ms + _step(self.settings.break_minutes)
        return reminder

    def _roll(self, session_ms: int) -> None:
        """At local midnight today's time starts again from zero, and so does the budget."""
        day = self._today()
        if day != self._day:
            self._day = day
            self._before_ms = -session_ms
            self._next_budget = _minutes(self.settings.daily_minutes)


def _minutes(minutes: int) -> int | None:
    return minutes * MINUTE_MS if minutes > 0 else None


def _step(minutes: int) -> int:
    return minutes * MINUTE_MS
