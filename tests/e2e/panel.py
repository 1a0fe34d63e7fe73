"""Reading the info panel and the not-interested menu off a captured tmux screen."""

from __future__ import annotations

import re

from e2e_support import BLOCK, Pane, Screen

MENU = "Not interested in this clip"
_OPTION = re.compile(r"▊ (Not interested in this clip|Mute .+?) *▎")
"""One row of the menu's option list, between the list's borders."""
_PLACE = re.compile(r"· seen \d")
"""The feed's name and where the person is in it ("For You · seen 3 of 17"), beside the creator or below; on one
row it may be cut ("For You · seen 1…")."""
_CREATOR_ROW = re.compile(r"@(.+?)(?: ✓ following)?(?: {3}\S.*)?$")
"""The creator, then (three spaces on) where the person is, whole or cut: names never hold three spaces running."""
_CUT = "…"

Shown = tuple[str, str]
"""(creator, title) of the clip on screen, as the info panel shows them."""


def on_screen(screen: Screen) -> Shown | None:
    """The creator and title in the info panel, or None while a menu covers it, it is not drawn yet, or either is
    cut short: a new clip's text can be painted once in the old clip's narrower panel before the layout follows."""
    if MENU in screen.text:
        return None
    rows = [row.rsplit(BLOCK, 1)[-1].strip() for row in screen.text.splitlines()]
    for index, row in enumerate(rows):
        found = _CREATOR_ROW.match(row)
        if found:
            below = [line for line in rows[index + 1 : index + 3] if not _PLACE.search(line)]
            if not below or not below[0] or found[1].endswith(_CUT) or below[0].endswith(_CUT):
                return None
            return found[1], below[0]
    return None


def settled(pane: Pane, unlike: Shown | None, what: str) -> Shown:
    """Wait for the panel to show a clip other than `unlike`, read the same twice running; returns it."""
    last: list[Shown | None] = [None]

    def check(screen: Screen) -> Shown | None:
        shown = on_screen(screen)
        steady = shown if shown is not None and shown != unlike and shown == last[0] else None
        last[0] = shown
        return steady

    return pane.wait_for(check, what)


def choose(pane: Pane, prefix: str) -> str:
    """Open the not-interested menu, move to the last option starting with `prefix`, pick it; returns its label."""
    pane.send("x")
    last: list[list[str]] = [[]]

    def drawn(screen: Screen) -> list[str] | None:
        # The menu's title can be captured before its option list is drawn: wait for the same options twice.
        labels = [found[1] for line in screen.text.splitlines() if (found := _OPTION.search(line))]
        steady = labels if MENU in screen.text and labels and labels == last[0] else None
        last[0] = labels
        return steady

    labels = pane.wait_for(drawn, "the not-interested menu with its options")
    matching = [index for index, label in enumerate(labels) if label.startswith(prefix)]
    assert matching, f"no option starting with {prefix!r} in the menu: {labels}"
    index = max(matching)
    for _ in range(index):
        pane.send("Down")
    pane.send("Enter")
    return labels[index]
