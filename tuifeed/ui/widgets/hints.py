"""HintBar: one line at the foot of a list screen naming the keys that matter there, as they are bound now."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class HintBar(Static):
    """Keys by binding id, shown with whatever keys they are bound to (a [keys] remap included)."""

    DEFAULT_CSS = """
    HintBar { dock: bottom; height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, hints: list[tuple[str, str]], *, id: str | None = None) -> None:
        """`hints` are (binding id, what to call it), in the order shown."""
        super().__init__(id=id)
        self.hints = hints

    def on_mount(self) -> None:
        self.update_keys()

    def update_keys(self) -> None:
        """Read the screen's bindings again and show their keys."""
        keys: dict[str, str] = {}
        for active in self.screen.active_bindings.values():
            binding_id = active.binding.id
            if binding_id is not None and binding_id not in keys:
                keys[binding_id] = self.app.get_key_display(active.binding)
        text = Text()
        for binding_id, label in self.hints:
            if binding_id in keys:
                if text:
                    text.append("  ")
                text.append(keys[binding_id], "bold")
                text.append(f" {label}")
        self.update(text)
