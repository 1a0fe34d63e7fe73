"""LibraryScreen: the person's lists (Liked, Saved, History, Mutes); a row plays its list as a feed from there.

Lists are read again each time the screen comes back, and the cursor stays on the row it was on, so
closing a list's feed returns the person to where they were.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tuifeed.feed import Feeds, Marked, Mute, Watch, describe
from tuifeed.models import Clip
from tuifeed.ui.messages import OpenFeed
from tuifeed.ui.widgets.hints import HintBar
from tuifeed.when import ago, length

LISTS = ("liked", "saved", "history", "mutes")
TITLES = {"liked": "Liked", "saved": "Saved", "history": "History", "mutes": "Mutes"}
EMPTY = {
    "liked": "Nothing liked yet: l likes the clip on screen.",
    "saved": "Nothing saved yet: b saves the clip on screen.",
    "history": "No history yet: what you watch shows here, newest first.",
    "mutes": "No mutes: x on a clip mutes its creator, sound or a tag.",
}

HINTS = [
    ("choose_row", "play"),
    ("next_list", "lists"),
    ("unmute", "unmute"),
    ("for_you", "For You"),
    ("following", "Following"),
    ("stats", "Stats"),
    ("search", "search"),
    ("help", "keys"),
]


def completion(watch: Watch) -> Text:
    """How much of the clip a stay saw: "✓ watched", "looped 2x", or "0:03 of 0:10 · 30%"."""
    if watch.loops:
        return Text(f"✓ looped {watch.loops}x", "green")
    if watch.watched:
        return Text("✓ watched", "green")
    seen = length(watch.dwell_ms)
    if watch.watch_ratio is None or not watch.clip.duration_ms:
        return Text(seen)
    return Text(f"{seen} of {length(watch.clip.duration_ms)} · {watch.watch_ratio:.0%}", "dim")


def clip_cells(clip: Clip) -> list[Text]:
    """Creator, title and length of a clip, as text (names and titles are never markup)."""
    title = clip.title or clip.location.rsplit("/", 1)[-1]
    return [Text(f"@{clip.creator}" if clip.creator else ""), Text(title), Text(length(clip.duration_ms))]


class LibraryScreen(Screen[None]):
    """Four lists in tabs; Enter on a row plays the list from it, or, in Mutes, lifts the mute."""

    DEFAULT_CSS = """
    LibraryScreen DataTable { height: 1fr; }
    LibraryScreen .empty { color: $text-muted; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "switch_list(-1)", "Previous list", id="previous_list", priority=True),
        Binding("right", "switch_list(1)", "Next list", id="next_list", priority=True),
        Binding("enter", "choose", "Play the list from this row (Mutes: unmute)", id="choose_row", priority=True),
        Binding("u,delete", "unmute", "Unmute the creator, tag or sound (Mutes)", id="unmute"),
    ]
    MOUSE: ClassVar[list[tuple[str, str]]] = [("click a tab", "show that list"), ("click a row", "select it")]

    def __init__(self, feeds: Feeds) -> None:
        """Show `feeds`' lists of the person."""
        super().__init__()
        self.feeds = feeds
        self.liked: list[Marked] = []
        self.saved: list[Marked] = []
        self.watches: list[Watch] = []
        self.muted: list[Mute] = []

    def compose(self) -> ComposeResult:
        yield HintBar(HINTS)
        with TabbedContent(*(TITLES[name] for name in LISTS), id="lists"):
            for name in LISTS:
                with TabPane(TITLES[name], id=name):
                    yield Static(EMPTY[name], classes="empty", id=f"{name}-empty")
                    table: DataTable[Text] = DataTable(id=f"{name}-table", cursor_type="row", zebra_stripes=True)
                    yield table

    def on_mount(self) -> None:
        columns = {
            "liked": ("Liked", "Creator", "Title", "Length"),
            "saved": ("Saved", "Creator", "Title", "Length"),
            "history": ("When", "Creator", "Title", "Length", "Watched"),
            "mutes": ("Muted", "What"),
        }
        for name, labels in columns.items():
            self.table(name).add_columns(*labels)
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    @property
    def current(self) -> str:
        """The name of the list on screen."""
        return self.query_one(TabbedContent).active or LISTS[0]

    def table(self, name: str) -> DataTable[Text]:
        """The table of one list."""
        return self.query_one(f"#{name}-table", DataTable)

    def reload(self) -> None:
        """Read every list again, keeping each cursor on its row."""
        self.liked, self.saved = self.feeds.liked(), self.feeds.saved()
        self.watches, self.muted = self.feeds.history(), self.feeds.mutes()
        self._fill("liked", [[Text(ago(row.at)), *clip_cells(row.clip)] for row in self.liked])
        self._fill("saved", [[Text(ago(row.at)), *clip_cells(row.clip)] for row in self.saved])
        self._fill(
            "history", [[Text(ago(row.ended_at)), *clip_cells(row.clip), completion(row)] for row in self.watches]
        )
        self._fill(
            "mutes",
            [[Text(ago(row.at)), Text(f"{row.kind.value} {describe(row.kind, row.value)}")] for row in self.muted],
        )
        self.table(self.current).focus()

    def _fill(self, name: str, rows: list[list[Text]]) -> None:
        table = self.table(name)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*row)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1), animate=False)
        table.display = bool(rows)
        self.query_one(f"#{name}-empty").display = not rows

    def on_tabbed_content_tab_activated(self) -> None:
        self.table(self.current).focus()

    def action_switch_list(self, step: int) -> None:
        """Show the list before or after this one."""
        tabs = self.query_one(TabbedContent)
        tabs.active = LISTS[(LISTS.index(self.current) + step) % len(LISTS)]

    def action_choose(self) -> None:
        """Play the list on screen from the row under the cursor; in Mutes, lift the mute under it."""
        name = self.current
        if name == "mutes":
            self.action_unmute()
            return
        listed: dict[str, list[Marked] | list[Watch]] = {
            "liked": self.liked,
            "saved": self.saved,
            "history": self.watches,
        }
        clips = [item.clip for item in listed[name]]
        row = self.table(name).cursor_row
        if not 0 <= row < len(clips):
            return
        reason = f"it is in your {TITLES[name]} list"
        self.post_message(OpenFeed(self.feeds.playlist(TITLES[name], clips, row, reason)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_choose()

    def action_unmute(self) -> None:
        """Lift the mute under the cursor in Mutes: its clips come back to every feed at once."""
        if self.current != "mutes":
            return
        row = self.table("mutes").cursor_row
        if not 0 <= row < len(self.muted):
            return
        mute = self.muted[row]
        self.feeds.unmute(mute.kind, mute.value)
        self.notify(f"Unmuted {describe(mute.kind, mute.value)}", timeout=2)
        self.reload()
