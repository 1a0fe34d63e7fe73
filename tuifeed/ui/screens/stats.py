"""StatsScreen: what the person watched: today and this week, time per day, completion, skips and top names.

Read again each time the screen comes back, so it counts the stays just watched in the other modes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from tuifeed.feed import Feeds, Ranked, Stats
from tuifeed.ui.widgets.hints import HintBar
from tuifeed.when import watched

HINTS = [
    ("for_you", "For You"),
    ("following", "Following"),
    ("library", "Library"),
    ("search", "search"),
    ("help", "keys"),
]
TOP = 5


class StatsScreen(Screen[None]):
    """Figures over the person's history, in text and a sparkline, readable at 80x24."""

    DEFAULT_CSS = """
    StatsScreen VerticalScroll { padding: 0 1; }
    StatsScreen .heading { text-style: bold; margin-top: 1; }
    StatsScreen #days { height: 3; margin: 0 0; }
    StatsScreen #days-axis { color: $text-muted; }
    StatsScreen #rates, StatsScreen #tops { margin-top: 1; }
    """
    MOUSE: ClassVar[list[tuple[str, str]]] = [("wheel", "scroll when the figures are taller than the screen")]

    def __init__(self, feeds: Feeds, now: Callable[[], datetime]) -> None:
        """Figures from `feeds`' store; `now` tells the time (aware), so tests can fix the day."""
        super().__init__()
        self.feeds = feeds
        self.now = now
        self.figures: Stats | None = None

    def compose(self) -> ComposeResult:
        yield HintBar(HINTS)
        with VerticalScroll():
            yield Static(id="summary")
            yield Static(classes="heading", id="days-title")
            yield Sparkline([], summary_function=max, id="days")
            yield Static(id="days-axis")
            yield Static(id="rates")
            yield Static(id="tops")

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        if self.figures is not None:
            self._axis(self.figures)

    def reload(self) -> None:
        """Read the figures again and show them."""
        figures = self.figures = self.feeds.stats(self.now())
        self.query_one("#summary", Static).update(
            Text.assemble(
                ("Today      ", "bold"), figures.today.line(), "\n", ("This week  ", "bold"), figures.week.line()
            )
        )
        peak = max((day.watched_ms for day in figures.days), default=0)
        first, last = figures.days[0].day, figures.days[-1].day
        title = f"Watch time per day, {first:%d %b} to {last:%d %b}"
        self.query_one("#days-title", Static).update(Text(f"{title} (most {watched(peak)})" if peak else title))
        self.query_one("#days", Sparkline).data = [day.watched_ms / 60_000 for day in figures.days]
        self._axis(figures)
        self.query_one("#rates", Static).update(Text(figures.rates.line()))
        self.query_one("#tops", Static).update(_tops(figures) if figures.rates.stays else _nothing())

    def _axis(self, figures: Stats) -> None:
        """The day of the month under each day's bar, as many as fit a space apart."""
        width = self.query_one("#days", Sparkline).size.width
        self.query_one("#days-axis", Static).update(Text(axis([day.day.day for day in figures.days], width)))


def axis(days: list[int], width: int) -> str:
    """Day numbers placed where Textual's Sparkline draws each value over `width` cells (value i from cell
    ceil(i * width / n)), every k-th one when they would touch."""
    count = len(days)
    if not count or width <= 0:
        return ""
    step = max(1, -(-3 * count // width))
    cells = [" "] * width
    for index in range(0, count, step):
        start = -(-index * width // count)
        label = str(days[index])
        if start + len(label) <= width:
            cells[start : start + len(label)] = label
    return "".join(cells).rstrip()


def _tops(figures: Stats) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    for title in ("Top creators", "Top tags", "Top sounds"):
        table.add_column(title, no_wrap=True, overflow="ellipsis", ratio=1)
    columns = [_names(figures.creators, "@"), _names(figures.tags, "#"), _names(figures.sounds, "♪ ")]
    for row in range(max(map(len, columns))):
        table.add_row(*(column[row] if row < len(column) else Text("") for column in columns))
    return table


def _names(rows: list[Ranked], mark: str) -> list[Text]:
    """Names and their time, as plain text (names come from the library: never markup)."""
    return [Text.assemble(f"{mark}{row.name} ", (watched(row.watched_ms), "dim")) for row in rows[:TOP]]


def _nothing() -> Text:
    return Text("Nothing watched yet: what you watch in For You and Following is counted here.", "dim")
