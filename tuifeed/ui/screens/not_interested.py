"""NotInterestedScreen: hide this clip, or mute its creator, its sound or one of its tags."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuifeed.models import Clip, MuteKind

Choice = tuple[MuteKind | None, str]
"""(None, clip_id) for not interested in the clip, or (kind, value) to mute a creator, sound or tag."""


class NotInterestedScreen(ModalScreen[Choice | None]):
    """A short menu; Enter picks, Escape cancels."""

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
        self.choices: list[tuple[Choice, str]] = [((None, clip.id), "Not interested in this clip")]
        if clip.creator:
            self.choices.append(((MuteKind.CREATOR, clip.creator), f"Mute creator @{clip.creator}"))
        if clip.sound:
            self.choices.append(((MuteKind.SOUND, clip.sound), f"Mute sound ♪ {clip.sound}"))
        self.choices += [((MuteKind.TAG, tag), f"Mute #{tag}") for tag in clip.tags]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Not interested[/b]  (Enter picks, Esc cancels)", markup=True)
            yield OptionList(*(Option(label, id=str(index)) for index, (_, label) in enumerate(self.choices)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)
