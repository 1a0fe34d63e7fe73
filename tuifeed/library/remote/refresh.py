"""Adding and refreshing remote sources: conditional requests, new clips join, vanished ones go missing.

A source's URL that permanently redirects (301, 308) is kept moved in SQLite, without credentials, so
the next run asks the new place first; when the new place fails (gone, redirecting anew, its server
not answering), the source's own URL is asked once more, afresh, and what it says is kept instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tuifeed.errors import RemoteError, RemoteUnreachable
from tuifeed.library.remote.client import Document, RemoteClient
from tuifeed.library.remote.entries import Parsed
from tuifeed.library.remote.sources import read_source
from tuifeed.library.remote.urls import is_remote, redact, with_credentials, without_credentials
from tuifeed.models import Clip, SourceKind
from tuifeed.store import Store
from tuifeed.store.sources import SourceChanges, SourceIndex, SourceRow

log = logging.getLogger("tuifeed.remote")


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
    _keep_move(index, client, source)
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

    def fetch(conditional: bool) -> tuple[SourceKind, Parsed, Document | None] | None:
        return read_source(
            client,
            source.url,
            kind,
            etag=source.etag if conditional else None,
            last_modified=source.last_modified if conditional else None,
            known=known,
        )

    if source.moved_to is not None:
        client.remember(source.url, with_credentials(source.moved_to, source.url))
    try:
        try:
            read = fetch(conditional)
        except RemoteError as error:
            if source.moved_to is None or (isinstance(error, RemoteUnreachable) and not error.server):
                raise  # nothing remembered, or the source's own server does not answer: asking it again cannot help
            log.info("%s: the place it moved to failed (%s); asking the source's own URL again", shown, error)
            client.forget(source.url)
            read = fetch(False)  # the validators were the new place's
    except RemoteError as error:
        _keep_move(index, client, source)
        index.checked(source.id, str(error))
        return RefreshResult(
            shown,
            kind,
            source.title,
            error=str(error),
            unreachable=isinstance(error, RemoteUnreachable),
            server=error.server,
        )
    _keep_move(index, client, source)
    if read is None:
        index.checked(source.id)
        return RefreshResult(shown, kind, source.title)
    _, parsed, document = read
    etag, modified = (document.etag, document.last_modified) if document else (None, None)
    changes = index.record(source.id, _unique(parsed), title=parsed.title, etag=etag, last_modified=modified)
    return RefreshResult(shown, kind, parsed.title, changes, tuple(parsed.skipped))


def _keep_move(index: SourceIndex, client: RemoteClient, source: SourceRow) -> None:
    """Store where the source's URL now permanently leads, without credentials (a place holding a secret, a
    signed URL say, is not stored: it lasts as long as the client)."""
    moved = client.moved(source.url)
    target = None if moved is None else without_credentials(moved)
    if target != source.moved_to:
        index.moved(source.id, target)


def _unique(parsed: Parsed) -> list[Clip]:
    """The clips in order, each id once (a playlist may list a URL twice)."""
    return list({clip.id: clip for clip in reversed(parsed.clips)}.values())[::-1]
