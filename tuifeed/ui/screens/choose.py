"""ChooseScreen: pick one of a few labelled values (which hashtag's page to open, say)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuifeed.ui.screens.modal import Modal


class ChooseScreen(Modal[str | None]):
    """A short menu; Enter picks, Escape cancels. Labels are outside text: shown as text, never markup."""

    DEFAULT_CSS = """
    ChooseScreen { align: center middle; }
    ChooseScreen > Vertical {
        width: 50; max-width: 100%; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    ChooseScreen OptionList { height: auto; max-height: 16; min-width: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        """Offer `choices`, (label, value) pairs, under `title`."""
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text.assemble((self.title_text, "bold"), ("  (Enter picks, Esc cancels)", "dim")))
            yield OptionList(*(Option(Text(label)) for label, _ in self.choices), markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][1])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
