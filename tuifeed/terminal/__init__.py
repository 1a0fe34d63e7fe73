"""The terminal itself: what it can do (asked before the app starts), and the output Textual and the video share."""

from tuifeed.terminal.output import TerminalOutput

__all__ = ["TerminalOutput"]
