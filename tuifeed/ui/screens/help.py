"""HelpScreen: every key the feed answers to, read from the live bindings (so remapped keys show)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tuifeed.ui.screens.notice import NoticeScreen


class HelpScreen(NoticeScreen):
    """A list of keys and what they do; any key closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > Vertical {
        width: 72;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        """`keys` is (keys, what they do), one row per binding."""
        super().__init__()
        self.rows = keys

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for keys, description in self.rows:
            table.add_row(Text(keys), Text(description))  # remapped keys come from config.toml: never markup
        with Vertical():
            yield Static("[b]tuifeed keys[/b]  (any key closes)")
            yield Static(table)


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
