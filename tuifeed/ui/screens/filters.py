"""FiltersScreen: only vertical clips, only short ones, hide watched ones; applied when it closes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuifeed.feed import Filters
from tuifeed.ui.screens.modal import Modal


def labels(filters: Filters) -> list[str]:
    """One line per filter, with its state."""
    length = f"under {filters.max_seconds} s" if filters.max_seconds else "any length"
    return [
        f"[{'x' if filters.only_vertical else ' '}] Only vertical clips",
        f"Length: {length}   (Enter: next step)",
        f"[{'x' if filters.hide_watched else ' '}] Hide clips you have watched",
    ]


class FiltersScreen(Modal[Filters]):
    """Enter changes the filter under the cursor; Esc closes and applies them to For You and Following."""

    DEFAULT_CSS = """
    FiltersScreen { align: center middle; }
    FiltersScreen > Vertical {
        width: 56; max-width: 100%; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    FiltersScreen OptionList { height: auto; min-width: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,F", "close", "Apply and close")]

    def __init__(self, filters: Filters) -> None:
        """Start from the filters in force."""
        super().__init__()
        self.filters = filters

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text.assemble(("Filters", "bold"), ("  for For You and Following", "dim")))
            yield OptionList(*(Option(Text(label)) for label in labels(self.filters)), markup=False)
            yield Static(Text("Enter changes · Esc applies and closes", "dim"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        filters = self.filters
        if event.option_index == 0:
            filters = Filters(not filters.only_vertical, filters.max_seconds, filters.hide_watched)
        elif event.option_index == 1:
            filters = filters.next_length()
        else:
            filters = Filters(filters.only_vertical, filters.max_seconds, not filters.hide_watched)
        self.filters = filters
        options = self.query_one(OptionList)
        for index, label in enumerate(labels(filters)):
            options.replace_option_prompt_at_index(index, Text(label))

    def action_close(self) -> None:
        """Close, handing back the filters as they are now."""
        self.dismiss(self.filters)
