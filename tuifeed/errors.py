"""The error tree: every error a person can see carries one clear line saying what and where."""

from __future__ import annotations


class TuifeedError(Exception):
    """Base of every error tuifeed reports to a person; str() is the one line to show."""


class ConfigError(TuifeedError):
    """config.toml could not be read or holds a bad key or value."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class PlayerUnavailable(TuifeedError):
    """libvlc is missing or cannot start."""


class ClipError(TuifeedError):
    """A clip could not be opened or decoded."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason


class StoreError(TuifeedError):
    """The SQLite store could not be opened or written."""


class LibraryError(TuifeedError):
    """A library root or remote source could not be read."""


class RemoteError(LibraryError):
    """A remote source or clip could not be fetched or read: the (redacted) URL and the cause."""

    def __init__(self, url: str, reason: str, *, server: str = "") -> None:
        """`server` (`scheme://host:port`) is where the failing request was, when a redirect took it off the
        URL's own server; "" for the URL's own."""
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.server = server


class NotDownloadable(RemoteError):
    """The clip is a stream, not a file (an HLS playlist, whose segments it names relative to its URL): it
    plays from its URL only, never from the cache."""


class RemoteUnreachable(RemoteError):
    """The server could not be reached at all (no network, refused, timed out): cached clips still play."""
