"""SearchScreen: words in, matching clips out as you type; a result plays the results as a feed from there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from tuifeed.feed import Feeds
from tuifeed.models import Clip
from tuifeed.text import clean
from tuifeed.ui.messages import OpenFeed
from tuifeed.ui.screens.library import clip_cells
from tuifeed.ui.widgets.hints import HintBar

PROMPT = "Search titles, descriptions, tags, creators and sounds"
TYPING_PAUSE = 0.15
"""Seconds without a keystroke before the words typed are searched: a fast typist waits for one search, not five
(a one-letter prefix over 10,000 clips takes tens of milliseconds; see benchmarks/pages.py)."""
HINTS = [
    ("leave_search", "back"),
    ("for_you", "For You"),
    ("following", "Following"),
    ("library", "Library"),
    ("stats", "Stats"),
]


class SearchScreen(Screen[None]):
    """A query field above the results; Enter in the field goes to the results, Enter on a result plays."""

    DEFAULT_CSS = """
    SearchScreen Input { margin: 1 1 0 1; }
    SearchScreen #summary { padding: 0 2; color: $text-muted; height: 1; }
    SearchScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to where you were", id="leave_search"),
        Binding("down", "results", "From the field to the results", id="to_results", show=False),
    ]
    MOUSE: ClassVar[list[tuple[str, str]]] = [("click a result", "play the results from it")]

    @dataclass
    class Left(Message):
        """The person is done searching: back to the mode they came from."""

    def __init__(self, feeds: Feeds, query: str = "", *, play: bool = False) -> None:
        """Search `feeds`' library, starting with `query`; with `play`, its results start playing at once."""
        super().__init__()
        self.feeds = feeds
        self.query_text = clean(query)
        self.play_at_once = play and bool(query)
        self.results: list[Clip] = []
        self._typing: Timer | None = None
        self.summary = Static(id="summary")
        self.table: DataTable[Text] = DataTable(id="results", cursor_type="row", zebra_stripes=True)

    def compose(self) -> ComposeResult:
        yield HintBar(HINTS)
        yield Input(value=self.query_text, placeholder=PROMPT, id="query")  # made here: a value needs the app
        yield self.summary
        yield self.table

    def on_mount(self) -> None:
        self.table.add_columns("Creator", "Title", "Length", "Tags")
        self.run_search(self.query_text)
        if self.play_at_once and self.results:
            self.play_from(0)

    def focus_query(self) -> None:
        """Put the cursor in the query field, ready for new words."""
        self.query_one("#query", Input).focus()

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        if self._typing is not None:
            self._typing.stop()
        value = event.value
        self._typing = self.set_timer(TYPING_PAUSE, lambda: self.run_search(value))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._typing is not None:
            self._typing.stop()
        if event.value != self.query_text:
            self.run_search(event.value)
        self.action_results()

    def run_search(self, query: str) -> None:
        """Show the clips matching `query` (every word, as a prefix), best first."""
        self.query_text = query
        self.results = self.feeds.search(query) if query.strip() else []
        self.table.clear()
        for clip in self.results:
            self.table.add_row(*clip_cells(clip), Text(" ".join(f"#{tag}" for tag in clip.tags), "cyan"))
        if not query.strip():
            self.summary.update(Text("Type words; every word must match, the last can be half typed"))
        else:
            count = len(self.results)
            self.summary.update(
                Text(
                    f"{count} clip{'s' if count != 1 else ''} for “{query}”" if count else f"No clip matches “{query}”"
                )
            )

    def action_results(self) -> None:
        """Move from the field to the results."""
        if self.results:
            self.table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.play_from(event.cursor_row)

    def play_from(self, row: int) -> None:
        """Play the results as a feed, from result `row` on."""
        title = f"Search: {self.query_text.strip()}"
        reason = f"it matches your search “{self.query_text.strip()}”"
        self.post_message(OpenFeed(self.feeds.playlist(title, self.results, row, reason)))

    def action_leave(self) -> None:
        """Go back to the mode the person came from."""
        self.post_message(self.Left())
