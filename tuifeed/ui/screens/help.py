"""HelpScreen: every key the screen answers to, read from the live bindings (so remapped keys show), and the mouse."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tuifeed.ui.screens.notice import NoticeScreen

SCROLL_KEYS = {"up": -1, "down": 1, "pageup": -10, "pagedown": 10}


class HelpScreen(NoticeScreen):
    """A list of keys and what they do, then the mouse; arrows scroll when it is taller than the terminal."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, keys: list[tuple[str, str]], mouse: Sequence[tuple[str, str]] = ()) -> None:
        """`keys` is (keys, what they do), one row per binding; `mouse` the same for mouse actions."""
        super().__init__()
        self.rows = keys
        self.mouse = list(mouse)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text.assemble(("tuifeed keys", "bold"), ("  (any key closes; ↑ ↓ scroll)", "dim")))
            yield Static(_table(self.rows))
            if self.mouse:
                yield Static(Text("\nMouse", "bold"))
                yield Static(_table(self.mouse))

    def on_key(self, event: events.Key) -> None:
        step = SCROLL_KEYS.get(event.key)
        if step is None:
            super().on_key(event)
            return
        event.stop()
        event.prevent_default()
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for keys, description in rows:
        table.add_row(Text(keys), Text(description))  # remapped keys come from config.toml: never markup
    return table


def describe_bindings(bindings: list[tuple[Binding, str]], order: list[str]) -> list[tuple[str, str]]:
    """Rows for the help screen from (binding, key display) pairs, keys of one binding id joined, in `order`."""
    rows: dict[str, tuple[list[str], str]] = {}
    for binding, key in bindings:
        name = binding.id or binding.action
        keys, _ = rows.setdefault(name, ([], binding.description or binding.action))
        if key not in keys:
            keys.append(key)
    ranked = sorted(rows, key=lambda name: order.index(name) if name in order else len(order))
    return [(" ".join(rows[name][0]), rows[name][1]) for name in ranked]
