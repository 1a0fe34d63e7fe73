"""Adding and refreshing remote sources: conditional requests, new clips join, vanished ones go missing."""

from __future__ import annotations

from dataclasses import dataclass

from tuifeed.errors import RemoteError, RemoteUnreachable
from tuifeed.library.remote.client import RemoteClient
from tuifeed.library.remote.entries import Parsed
from tuifeed.library.remote.sources import read_source
from tuifeed.library.remote.urls import is_remote, redact
from tuifeed.models import Clip, SourceKind
from tuifeed.store import Store
from tuifeed.store.sources import SourceChanges, SourceIndex, SourceRow


@dataclass(frozen=True, slots=True)
class RefreshResult:
    """What adding or refreshing one source did, ready to show: the URL is already redacted."""

    source: str
    kind: SourceKind | None = None
    title: str = ""
    changes: SourceChanges | None = None
    """None when nothing changed (a 304) or the refresh failed."""
    skipped: tuple[str, ...] = ()
    """Entries of the document left out, each with why (a `file:` link, a `../` escape, a bad clip...)."""
    error: str | None = None
    unreachable: bool = False
    """The server could not be reached at all: the network may be gone."""
    server: str = ""
    """The server that did not answer when a redirect took the request off the source's own ("" for its own)."""

    def line(self) -> str:
        """One line for a person."""
        if self.error is not None:
            return self.error
        if self.changes is None:
            return f"{self.source}: unchanged"
        changes = self.changes
        line = f"{self.source}: {changes.added} new, {changes.updated} known, {changes.missing} gone"
        return line + (f", {len(self.skipped)} entries skipped" if self.skipped else "")


def add_source(store: Store, client: RemoteClient, url: str, kind: SourceKind | None = None) -> RefreshResult:
    """Read `url` and, when it holds clips, remember it as a source and store them.

    A source that cannot be read is not added: the result carries the one-line error.
    """
    shown = redact(url)
    if not is_remote(url):
        if url.lower().startswith(("http://", "https://")):  # the scheme is right, the rest cannot be read
            return RefreshResult(shown, error=f"{shown}: not a valid URL (check the host and its brackets)")
        return RefreshResult(shown, error=f"{shown}: only http:// and https:// sources can be added")
    index = SourceIndex(store)
    existing = index.get(url)
    if existing is not None:
        return refresh_source(store, client, existing, conditional=False)
    try:
        read = read_source(client, url, kind)
    except RemoteError as error:
        return RefreshResult(
            shown, error=str(error), unreachable=isinstance(error, RemoteUnreachable), server=error.server
        )
    assert read is not None  # no validators were sent
    found, parsed, document = read
    if not parsed.clips:
        return RefreshResult(shown, kind=found, error=f"{shown}: no video clips in this {found.value}")
    source = index.add(url, found.value)
    etag, modified = (document.etag, document.last_modified) if document else (None, None)
    changes = index.record(source.id, _unique(parsed), title=parsed.title, etag=etag, last_modified=modified)
    return RefreshResult(shown, found, parsed.title, changes, tuple(parsed.skipped))


def refresh_source(store: Store, client: RemoteClient, source: SourceRow, *, conditional: bool = True) -> RefreshResult:
    """Fetch a source again (with its ETag and Last-Modified when `conditional`) and store what changed.

    A 304 costs one request and no parsing. A failure changes no clips; it is kept as the source's error.
    """
    shown = redact(source.url)
    index = SourceIndex(store)
    kind = SourceKind(source.kind)
    known = {  # only PeerTube asks a second time per clip; the other readers need nothing stored
        clip.source_id: clip
        for clip_id in (index.clip_ids(source.id, include_missing=True) if kind is SourceKind.PEERTUBE else ())
        if (clip := store.clip(clip_id)) is not None and clip.source_id
    }
    try:
        read = read_source(
            client,
            source.url,
            kind,
            etag=source.etag if conditional else None,
            last_modified=source.last_modified if conditional else None,
            known=known,
        )
    except RemoteError as error:
        index.checked(source.id, str(error))
        return RefreshResult(
            shown,
            kind,
            source.title,
            error=str(error),
            unreachable=isinstance(error, RemoteUnreachable),
            server=error.server,
        )
    if read is None:
        index.checked(source.id)
        return RefreshResult(shown, kind, source.title)
    _, parsed, document = read
    etag, modified = (document.etag, document.last_modified) if document else (None, None)
    changes = index.record(source.id, _unique(parsed), title=parsed.title, etag=etag, last_modified=modified)
    return RefreshResult(shown, kind, parsed.title, changes, tuple(parsed.skipped))


def _unique(parsed: Parsed) -> list[Clip]:
    """The clips in order, each id once (a playlist may list a URL twice)."""
    return list({clip.id: clip for clip in reversed(parsed.clips)}.values())[::-1]
