"""Which mappings the engine drops from the resident set: only idle pages of fully loaded libraries."""

from __future__ import annotations

import hashlib

import numpy as np

from tuifeed.player.vlc_engine import drop_idle_library_pages, idle_library_ranges


def _mapping(span: str, perms: str, path: str, rss: int, anonymous: int) -> str:
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
        _mapping("7f0000000000-7f0000010000", "r--p", "/usr/lib/libloaded.so.1", 40, 0),
        _mapping("7f0000010000-7f0000020000", "r-xp", "/usr/lib/libloaded.so.1", 60, 0),
        _mapping("7f0000020000-7f0000030000", "r--p", "/usr/lib/libloaded.so.1", 8, 8),  # RELRO, relocated
        _mapping("7f0000030000-7f0000040000", "rw-p", "/usr/lib/libloaded.so.1", 4, 4),
        _mapping("7f0000040000-7f0000050000", "r-xp", "/usr/lib/libcold.so.2", 0, 0),  # nothing resident
        _mapping("7f0000050000-7f0000060000", "rw-p", "/usr/lib/libcold.so.2", 4, 4),
        _mapping("7f0000060000-7f0000090000", "r--p", "/usr/lib/libloading.so.3", 12, 0),  # no segments yet
        _mapping("7f00000a0000-7f00000b0000", "r--s", "/var/cache/fontconfig/x.cache-8", 16, 0),
        _mapping("7f00000b0000-7f00000c0000", "rw-p", "", 64, 64),
    ]
).encode()


def test_only_idle_read_only_pages_of_fully_loaded_libraries_are_dropped() -> None:
    assert idle_library_ranges(SMAPS) == [(0x7F0000000000, 0x7F0000010000), (0x7F0000010000, 0x7F0000020000)]


def test_the_process_reads_its_own_mappings_and_keeps_working_after_a_drop() -> None:
    with open("/proc/self/smaps", "rb") as smaps:
        ranges = idle_library_ranges(smaps.read())
    assert ranges and all(start < end for start, end in ranges)
    drop_idle_library_pages()
    # Code and tables just dropped from the resident set come back from the page cache as they are used.
    assert int(np.arange(1000).sum()) == 499500
    assert hashlib.sha256(b"").hexdigest().startswith("e3b0c44298fc1c149afbf4c8996fb924")
