"""NotInterestedScreen: hide this clip, or mute its creator, its sound or one of its tags."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuifeed.models import Clip, MuteKind
from tuifeed.ui.screens.modal import Modal

Choice = tuple[MuteKind | None, str]
"""(None, clip_id) for not interested in the clip, or (kind, value) to mute a creator, sound or tag."""


def describe_mute(kind: MuteKind, value: str) -> str:
    """A mute in words: "creator @ana", "sound ♪ lofi-3", "#ocean"."""
    if kind is MuteKind.CREATOR:
        return f"creator @{value}"
    if kind is MuteKind.SOUND:
        return f"sound ♪ {value}"
    return f"#{value}"


class NotInterestedScreen(Modal[Choice | None]):
    """A short menu; Enter picks, Escape cancels. Names and tags are shown as text, never as markup."""

    DEFAULT_CSS = """
    NotInterestedScreen { align: center middle; }
    NotInterestedScreen > Vertical {
        width: 60; height: auto; border: round $error; background: $surface; padding: 0 1;
    }
    NotInterestedScreen OptionList { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "cancel", "Cancel")]

    def __init__(self, clip: Clip) -> None:
        """Offer the choices that apply to `clip`."""
        super().__init__()
        mutes = [(MuteKind.CREATOR, clip.creator), (MuteKind.SOUND, clip.sound)]
        mutes += [(MuteKind.TAG, tag) for tag in clip.tags]
        self.choices: list[tuple[Choice, str]] = [((None, clip.id), "Not interested in this clip")]
        self.choices += [((kind, value), f"Mute {describe_mute(kind, value)}") for kind, value in mutes if value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Not interested[/b]  (Enter picks, Esc cancels)")
            yield OptionList(
                *(Option(Text(label), id=str(index)) for index, (_, label) in enumerate(self.choices)), markup=False
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)
