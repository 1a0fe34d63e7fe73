"""TuifeedDriver: Textual's Linux driver, but a SIGCONT starts the terminal over only after its own stop."""

from __future__ import annotations

from textual.drivers.linux_driver import LinuxDriver


class TuifeedDriver(LinuxDriver):
    """Textual's Linux driver, resuming on SIGCONT only when its own SIGTSTP suspended it.

    Textual's resumes on every SIGCONT. One with no stop before it (tmux sends them to its panes'
    processes; the kernel sends one with the SIGHUP of a closed terminal) started a second key reader
    beside the first, so the two split keys and escape sequences between them, set the terminal up
    again, and left quitting waiting on one of them for good.
    """

    def _sigcont_application(self, *_: object) -> None:
        # Textual marks its own suspend in _sigtstp_application; resuming (start_application_mode) clears it.
        if self._must_signal_resume:
            super()._sigcont_application()
