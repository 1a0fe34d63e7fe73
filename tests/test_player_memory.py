"""What the player drops from the resident set: only clean read-only pages of pinned libraries, and it keeps working."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tuifeed.player import memory
from tuifeed.player.memory import drop_idle_library_pages, idle_library_ranges, library_paths


def _smaps_entry(span: str, perms: str, path: str, rss: int, anonymous: int) -> str:
    """One /proc/PID/smaps entry, as Linux 6 writes it."""
    return (
        f"{span} {perms} 00000000 08:01 1234                       {path}\n"
        f"Size:                 64 kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\n"
        f"Rss:                {rss:>4} kB\nPss:                {rss:>4} kB\nPss_Dirty:             0 kB\n"
        f"Shared_Clean:          0 kB\nShared_Dirty:          0 kB\nPrivate_Clean:      {rss:>4} kB\n"
        f"Private_Dirty:         0 kB\nReferenced:         {rss:>4} kB\nAnonymous:          {anonymous:>4} kB\n"
        "KSM:                   0 kB\nLazyFree:              0 kB\nAnonHugePages:         0 kB\n"
        "Swap:                  0 kB\nSwapPss:               0 kB\nLocked:                0 kB\n"
        "THPeligible:           0\nVmFlags: rd mr mw me sd \n"
    )


SMAPS = "".join(
    [
        _smaps_entry("7f0000000000-7f0000010000", "r--p", "/usr/lib/libpinned.so.1", 40, 0),
        _smaps_entry("7f0000010000-7f0000020000", "r-xp", "/usr/lib/libpinned.so.1", 60, 0),
        _smaps_entry("7f0000020000-7f0000030000", "r--p", "/usr/lib/libpinned.so.1", 8, 8),  # RELRO, relocated
        _smaps_entry("7f0000030000-7f0000040000", "rw-p", "/usr/lib/libpinned.so.1", 4, 4),
        _smaps_entry("7f0000040000-7f0000050000", "r-xp", "/usr/lib/libcold.so.2", 0, 0),  # nothing resident
        _smaps_entry("7f0000050000-7f0000060000", "r-xp", "/usr/lib/libother.so.3", 12, 0),  # not pinned
        _smaps_entry("7f00000a0000-7f00000b0000", "r--s", "/usr/lib/libpinned.so.1", 16, 0),  # shared
        _smaps_entry("7f00000b0000-7f00000c0000", "r--p", "/var/cache/fontconfig/x.cache-8", 16, 0),
        _smaps_entry("7f00000c0000-7f00000d0000", "rw-p", "", 64, 64),
    ]
).encode()


def test_only_clean_private_read_only_mappings_of_pinned_libraries_are_dropped() -> None:
    """Pinned, resident, read-only, private and without a page copied on write: nothing else is dropped."""
    pinned = {b"/usr/lib/libpinned.so.1", b"/usr/lib/libcold.so.2"}
    assert idle_library_ranges(SMAPS, pinned) == [(0x7F0000000000, 0x7F0000010000), (0x7F0000010000, 0x7F0000020000)]
    assert library_paths(SMAPS) == {b"/usr/lib/libpinned.so.1", b"/usr/lib/libcold.so.2", b"/usr/lib/libother.so.3"}


def test_the_process_keeps_working_after_a_drop() -> None:
    """Code and tables just dropped come back from the page cache as they are used: numpy, hashlib and a
    clip through libvlc all still work, and the resident set is smaller after a drop than before it."""
    before = _resident_kib()
    assert drop_idle_library_pages() > 0
    assert _resident_kib() < before
    assert int(np.arange(1000).sum()) == 499500
    assert hashlib.sha256(b"").hexdigest().startswith("e3b0c44298fc1c149afbf4c8996fb924")


def _resident_kib() -> int:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(status.split("VmRSS:")[1].split()[0])


_IMPORTS_WHILE_DROPPING = """
import importlib, sys, threading
from tuifeed.player.memory import drop_idle_library_pages
from pathlib import Path
dynload = Path(sys.base_prefix, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "lib-dynload")
names = sorted({path.name.split(".")[0] for path in dynload.glob("*.so")} - set(sys.modules))
done = threading.Event()
def drop():
    while not done.is_set():
        drop_idle_library_pages()
dropper = threading.Thread(target=drop)
dropper.start()
loaded = 0
for name in names:  # each extension module is a dlopen, with the GIL held
    try:
        importlib.import_module(name)
        loaded += 1
    except ImportError:
        pass
done.set()
dropper.join()
print(loaded)
"""


def test_drops_on_a_thread_while_the_main_thread_imports_never_deadlock() -> None:
    """Drops over and over on one thread while the main thread imports every extension module of the standard
    library (each a dlopen, with the GIL held): no deadlock between the GIL and the loader's lock. (A walk of
    the loader's list, `dl_iterate_phdr` with a Python callback, hung here at once.)"""
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS_WHILE_DROPPING], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 30


def test_without_dlopen_nothing_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A libc without dlopen (glibc before 2.34 has it in libdl; others may lack it): nothing can be pinned, so
    nothing is dropped, and nothing fails."""
    monkeypatch.setattr(memory, "_dlopen", lambda: None)
    assert memory.drop_idle_library_pages() == 0
