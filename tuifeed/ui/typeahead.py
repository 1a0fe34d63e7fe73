"""Input the person typed before the app ran (read by the terminal probe), as the events Textual's driver makes."""

from __future__ import annotations

from textual._xterm_parser import XTermParser  # the driver's own parser: the same bytes make the same events
from textual.message import Message


def typed_events(typed: bytes) -> list[Message]:
    """The key (and paste) events that ``typed`` makes, in order; bytes that are not UTF-8 are dropped."""
    parser = XTermParser()
    events = list(parser.feed(typed.decode("utf-8", "ignore")))
    # Feeding "" ends the input, so a lone escape comes out as Escape; with nothing typed, the first feed did.
    return [*events, *parser.feed("")] if typed else events
