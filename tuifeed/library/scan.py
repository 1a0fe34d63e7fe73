"""Walking library roots: the video files below them, with size, mtime and their sidecars."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

VIDEO_EXTENSIONS = frozenset(
    {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".3gp", ".ts", ".flv", ".mpg", ".mpeg", ".wmv", ".ogv"}
)
"""Extensions scanned in folders; a file named on the command line is tried whatever its name.

Animated GIFs are left out: libvlc opens them with its image demuxer, as a 10-second still."""
PARTIAL_SUFFIXES = (".part", ".ytdl", ".tmp")
"""Downloads in progress, skipped wherever they are."""
SIDECAR_SUFFIXES = (".info.json", ".nfo")


@dataclass(frozen=True, slots=True)
class ScannedFile:
    """A video file found under a root; paths are plain strings, as a scan makes thousands of them."""

    path: str
    root: str
    size: int
    mtime_ns: int
    sidecars: tuple[Path, ...] = ()
    """The file's `.info.json` and `.nfo`, most specific first."""
    meta_stamp: int = 0
    """Newest mtime (ns) of the sidecars, 0 without any: a changed sidecar means a changed clip."""


@dataclass(frozen=True, slots=True)
class ScanProblem:
    """A path the scan could not enter or read, with the reason a person should see."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class SkippedLink:
    """A symbolic link to a video or folder outside the roots, not followed without `follow_links`."""

    path: Path


ScanItem = ScannedFile | ScanProblem | SkippedLink


def scan(roots: Iterable[Path], *, follow_links: bool = False) -> Iterator[ScanItem]:
    """Every video file under `roots` (folders recursively, files as named), in path order.

    Hidden names and partial downloads are skipped. Symbolic links are followed only while their
    target stays inside one of the roots, unless `follow_links`; the others come out as
    SkippedLink. A link back to a folder being scanned is reported as a symlink loop and not
    followed. FIFOs, devices and sockets are reported and never opened.
    """
    roots = list(roots)
    real_roots = [os.path.realpath(root) for root in roots]
    for root in roots:
        try:
            info = root.stat()
        except OSError as error:
            yield ScanProblem(root, _reason(error))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(root, real_roots, follow_links)
        elif stat.S_ISREG(info.st_mode):
            names = _sidecar_stamps(root.parent)
            yield _scanned(str(root), str(root), info, names)
        else:
            yield ScanProblem(root, _special(info.st_mode))


def _walk(root: Path, real_roots: list[str], follow_links: bool) -> Iterator[ScanItem]:
    top = root.stat()
    visited = {(top.st_dev, top.st_ino)}
    stack = [str(root)]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield ScanProblem(Path(directory), _reason(error))
            continue
        sidecars: dict[str, int] = {}
        files: list[tuple[str, os.stat_result]] = []
        subdirs: list[str] = []
        for entry in entries:
            name = entry.name
            lower = name.lower()
            if name.startswith(".") or lower.endswith(PARTIAL_SUFFIXES):
                continue
            is_video = os.path.splitext(lower)[1] in VIDEO_EXTENSIONS
            try:
                info = entry.stat()
                is_link = entry.is_symlink()
            except OSError as error:
                if error.errno == errno.ELOOP:
                    yield ScanProblem(Path(entry.path), "symlink loop")
                elif is_video:
                    dangling = isinstance(error, FileNotFoundError) and entry.is_symlink()
                    yield ScanProblem(Path(entry.path), "broken symlink" if dangling else _reason(error))
                continue
            if is_link and not follow_links and not _inside(os.path.realpath(entry.path), real_roots):
                if is_video or stat.S_ISDIR(info.st_mode):
                    yield SkippedLink(Path(entry.path))
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key not in visited:
                    visited.add(key)
                    subdirs.append(entry.path)
                elif is_link and _inside(os.path.realpath(directory), [os.path.realpath(entry.path)]):
                    yield ScanProblem(Path(entry.path), "symlink loop")
            elif stat.S_ISREG(info.st_mode):
                if lower.endswith(SIDECAR_SUFFIXES):
                    sidecars[name] = info.st_mtime_ns
                elif is_video:
                    files.append((entry.path, info))
            else:
                yield ScanProblem(Path(entry.path), _special(info.st_mode))
        for path, info in files:
            yield _scanned(path, str(root), info, sidecars)
        stack.extend(reversed(subdirs))


def _scanned(path: str, root: str, info: os.stat_result, sidecars: dict[str, int]) -> ScannedFile:
    if not sidecars:
        return ScannedFile(path, root, info.st_size, info.st_mtime_ns)
    folder, name = os.path.split(path)
    found = [sidecar for sidecar in sidecar_names(name) if sidecar in sidecars]
    return ScannedFile(
        path=path,
        root=root,
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        sidecars=tuple(Path(folder, sidecar) for sidecar in found),
        meta_stamp=max((sidecars[name] for name in found), default=0),
    )


def sidecar_names(video_name: str) -> tuple[str, ...]:
    """The sidecar file names that describe a video, most specific first (yt-dlp, then Kodi/Jellyfin)."""
    stem = os.path.splitext(video_name)[0]
    return (f"{stem}.info.json", f"{video_name}.info.json", f"{stem}.nfo")


def _sidecar_stamps(directory: Path) -> dict[str, int]:
    stamps: dict[str, int] = {}
    try:
        with os.scandir(directory) as listing:
            for entry in listing:
                if entry.name.lower().endswith(SIDECAR_SUFFIXES) and entry.is_file():
                    stamps[entry.name] = entry.stat().st_mtime_ns
    except OSError:
        return {}
    return stamps


def _inside(path: str, parents: list[str]) -> bool:
    return any(path == parent or path.startswith(parent.rstrip(os.sep) + os.sep) for parent in parents)


def _special(mode: int) -> str:
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"not a file or folder ({kind}): not opened"


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "unreadable: permission denied"
    if isinstance(error, FileNotFoundError):
        return "not found"
    if error.errno == errno.ELOOP:
        return "symlink loop"
    return f"unreadable: {error.strerror or error}"
