"""TuifeedDriver: Textual's Linux driver, but a SIGCONT starts the terminal over only after a stop it needs."""

from __future__ import annotations

import termios
from typing import Any

from textual.drivers.linux_driver import LinuxDriver


class TuifeedDriver(LinuxDriver):
    """Textual's Linux driver, resuming on SIGCONT only when its own SIGTSTP suspended it, or when the terminal's
    modes were changed under it.

    Textual's resumes on every SIGCONT. One with no stop before it (tmux sends them to its panes'
    processes; the kernel sends one with the SIGHUP of a closed terminal) started a second key reader
    beside the first, so the two split keys and escape sequences between them, set the terminal up
    again, and left quitting waiting on one of them for good. A SIGSTOP no handler sees (`kill -STOP`) is
    another matter: the shell takes the terminal back and sets its own modes (bash and zsh do), so after
    `fg` keys would wait for an Enter; then the terminal is started over, the old key reader stopped first.
    """

    _modes: list[Any] | None = None
    """The terminal's modes as application mode set them; None outside application mode."""

    def start_application_mode(self) -> None:
        """Textual's set-up, then note the terminal modes it left, to tell later whether someone changed them."""
        super().start_application_mode()  # type: ignore[no-untyped-call]  # Textual's is not annotated
        self._modes = self._terminal_modes()

    def stop_application_mode(self) -> None:
        """Textual's restore; a SIGCONT from now on finds nothing to start over."""
        self._modes = None
        super().stop_application_mode()

    def _terminal_modes(self) -> list[Any] | None:
        try:
            return termios.tcgetattr(self.fileno)
        except termios.error:
            return None

    def _sigcont_application(self, *_: object) -> None:
        # Textual marks its own suspend in _sigtstp_application; resuming (start_application_mode) clears it.
        if self._must_signal_resume:
            super()._sigcont_application()
            return
        now = self._terminal_modes()  # None: the terminal is gone (a hang-up), nothing to set up again
        if self._auto_restart and self._modes is not None and now is not None and now != self._modes:
            self.suspend_application_mode()
            self._must_signal_resume = True  # the app repaints once the terminal is set up again
            self.resume_application_mode()
