"""Owner: which running process (pid, its start time, a run id) holds an open impression, and whether it still runs."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Owner:
    """One run of tuifeed: a pid alone is not enough, since pids are reused after a process ends."""

    pid: int
    started: str | None
    """The process's start time as the kernel counts it (clock ticks after boot); None where unknown."""
    run: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Tells apart two runs in one process (a test, a restarted feed)."""

    @classmethod
    def current(cls) -> Owner:
        """This process, as a new run."""
        return cls(os.getpid(), process_started(os.getpid()))

    def running(self, me: Owner) -> bool:
        """Whether this owner is still running, seen from the run `me`: same process means same run."""
        if self.pid == me.pid and self.started == me.started:
            return self.run == me.run
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # another user's process: it exists
        started = process_started(self.pid)
        return started is None or self.started is None or started == self.started


def process_started(pid: int) -> str | None:
    """The start time of process `pid` from /proc (field 22 of its stat), or None without /proc or process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None
