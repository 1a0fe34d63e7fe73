"""Memory the player hands back to the system: glibc's arenas and heaps, and idle pages of loaded libraries."""

from __future__ import annotations

import ctypes
import functools
import re
from collections.abc import Callable, Iterable
from ctypes import c_char_p, c_int, c_size_t, c_void_p
from pathlib import Path

_M_ARENA_MAX = -8
"""glibc's mallopt parameter number for the most malloc arenas."""
_MADV_DONTNEED = 4
"""Linux's madvise advice that drops pages (file pages come back from the page cache when next used)."""
_RTLD_LAZY, _RTLD_NOLOAD, _RTLD_NODELETE = 0x1, 0x4, 0x1000
_MAPPING = re.compile(
    rb"^([0-9a-f]+)-([0-9a-f]+) (\S{4}) [^\n]* (/[^\n]*)\n(?:[^\n]*\n)*?Rss: +(\d+) kB\n"
    rb"(?:[^\n]*\n)*?Anonymous: +(\d+) kB$",
    re.MULTILINE,
)
"""A mapping of a file in /proc/self/smaps: its range, permissions, path, resident and copied-on-write kB."""
_CODE_MAPPING = re.compile(rb"^[0-9a-f]+-[0-9a-f]+ ..x. [^\n]* (/[^\n]*)$", re.MULTILINE)
"""A mapping of a file with executable code, in /proc/self/maps (or the first line of an smaps entry)."""
_pinned: set[bytes] = set()
"""Libraries made unloadable (`_pin`): their mappings can never be unmapped and reused."""


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas for this process (no-op elsewhere).

    Every clip gets a new libvlc player whose decoder threads each claim a glibc arena they keep; after
    20 swipes that measured 270 MB of RSS, against about 180 MB with two arenas.
    """
    if (libc := _libc()) is not None:
        libc.mallopt(_M_ARENA_MAX, arenas)


def return_freed_memory() -> None:
    """Give the memory a freed libvlc player leaves in glibc's heaps back to the system (no-op elsewhere).

    Its decoders' buffers, freed, stay in glibc's arenas: 1,000 fast swipes grew RSS by 25% without
    this, and it stays flat with it (benchmarks/reliability.py, soak). A few milliseconds, on the
    control thread.
    """
    if (libc := _libc()) is not None:
        libc.malloc_trim(0)


def drop_idle_library_pages() -> int:
    """Drop from the resident set the clean pages of loaded libraries' read-only mappings; returns how many
    mappings were dropped (0 off glibc's Linux).

    Loading libvlc's avcodec plugin loads Debian's libavcodec and its ~95 libraries (encoders, librsvg,
    cairo...), and binding them all at load (`BIND_NOW`) reads each one's symbol tables: about 24 MB of
    clean pages that playback never touches again. Clean file pages are what the kernel itself drops under
    memory pressure: they stay in the page cache, and a page used again comes back at its next access (a
    minor fault), so code in use is back at once and only what nothing uses stays out.

    Safe against the loader: each library is first pinned (`_pin`: loaded, it can never be unloaded, and
    pinning waits for a load under way to finish), and only then are the mappings read that are dropped,
    so none can be unmapped and reused, nor still be relocated, meanwhile. Reading smaps and the calls take
    6-11 ms: the player runs this when its control thread falls idle (run after every job of 1,000 swipes
    50 ms apart, the jobs fell behind and RSS grew past 5 GB: benchmarks/reliability.py, soak).
    """
    libc, dlopen = _libc(), _dlopen()
    if libc is None or dlopen is None:
        return 0
    try:
        # maps, not smaps: reading smaps walks every page table, and only the paths are wanted here.
        _pin(dlopen, library_paths(Path("/proc/self/maps").read_bytes()))
        smaps = Path("/proc/self/smaps").read_bytes()
    except OSError:
        return 0
    dropped = 0
    for start, end in idle_library_ranges(smaps, _pinned):
        if libc.madvise(c_void_p(start), c_size_t(end - start), _MADV_DONTNEED) == 0:
            dropped += 1
    return dropped


def library_paths(maps: bytes) -> set[bytes]:
    """The files mapped with executable code (libraries, and the program itself) in /proc/PID/maps (or smaps)."""
    return set(_CODE_MAPPING.findall(maps))


def idle_library_ranges(smaps: bytes, pinned: Iterable[bytes]) -> list[tuple[int, int]]:
    """The (start, end) of each private read-only mapping of a `pinned` library that has resident pages and
    none copied on write (a relocated RELRO part, text relocations): MADV_DONTNEED would lose those."""
    keep = set(pinned)
    return [
        (int(start, 16), int(end, 16))
        for start, end, perms, path, resident, copied in _MAPPING.findall(smaps)
        if perms[1:2] == b"-" and perms[3:4] == b"p" and path in keep and int(resident) and not int(copied)
    ]


def _pin(dlopen: Callable[[bytes, int], int | None], paths: Iterable[bytes]) -> None:
    """Make each loaded library among `paths` unloadable (RTLD_NOLOAD | RTLD_NODELETE); a file that is not a
    loaded library is left as it is. dlopen takes the loader's lock, so a library still loading is pinned
    once its load, relocations included, is done."""
    for path in set(paths) - _pinned:
        if not path.endswith(b" (deleted)") and dlopen(path, _RTLD_LAZY | _RTLD_NOLOAD | _RTLD_NODELETE):
            _pinned.add(path)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


@functools.cache
def _dlopen() -> Callable[[bytes, int], int | None] | None:
    """dlopen: glibc's own since 2.34, libdl's before; None without either."""
    for name in ("libc.so.6", "libdl.so.2"):
        try:
            dlopen = ctypes.CDLL(name).dlopen
        except (OSError, AttributeError):
            continue
        dlopen.restype = c_void_p
        dlopen.argtypes = [c_char_p, c_int]
        return dlopen
    return None
