"""Directory listings: nginx `autoindex_format json` and the HTML index pages of nginx, Apache, http.server.

The walk goes down into subfolders up to `max_depth` and `max_folders`, only ever below the folder
it was given (a `../`, an absolute path or another server in a listing is refused). A video's
`.info.json` beside it is fetched and read with the library's sidecar reader.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from tuifeed.errors import RemoteError
from tuifeed.library.remote.client import Document, RemoteClient
from tuifeed.library.remote.entries import Parsed, is_video_url, make_clip
from tuifeed.library.remote.urls import UnsafeLink, below, child, clean_link, redact
from tuifeed.library.scan import PARTIAL_SUFFIXES, sidecar_names
from tuifeed.library.sidecar import MAX_SIDECAR_BYTES, Metadata, from_names, merge, read_info_json
from tuifeed.models import Clip
from tuifeed.text import clean

MAX_DEPTH = 4
MAX_FOLDERS = 200
MAX_CLIPS = 20_000


@dataclass(frozen=True, slots=True)
class Entry:
    """One name in a listing: a folder (its URL ends in `/`) or a file."""

    url: str
    name: str
    is_folder: bool


def looks_like_listing(document: Document) -> bool:
    """Whether a document is a directory listing: nginx's JSON array, or an HTML page of links."""
    if _json_entries(document.content) is not None:
        return True
    return "html" in document.content_type.lower() and b"<a " in document.content.lower()


def read_listing(client: RemoteClient, document: Document) -> Parsed:
    """The video clips below the listed folder of `document`, recursing into subfolders."""
    root = document.url if document.url.endswith("/") else document.url + "/"
    clips: list[Clip] = []
    skipped: list[str] = []
    folders: list[tuple[str, int, Document | None]] = [(root, 0, document)]
    visited = {root}
    while folders and len(clips) < MAX_CLIPS:
        folder, depth, fetched = folders.pop(0)
        if fetched is None:
            try:
                fetched = client.document(folder)
            except RemoteError as error:
                skipped.append(str(error))
                continue
            assert fetched is not None
        entries = parse_listing(fetched, folder, skipped)
        names = {entry.name for entry in entries if not entry.is_folder}
        for entry in entries:
            if entry.is_folder:
                if entry.url in visited:
                    continue
                if depth + 1 > MAX_DEPTH or len(visited) >= MAX_FOLDERS:
                    skipped.append(f"{redact(entry.url)}: deeper or more folders than the walk goes")
                    continue
                visited.add(entry.url)
                folders.append((entry.url, depth + 1, None))
            elif is_video_url(entry.url) and not entry.name.lower().endswith(PARTIAL_SUFFIXES):
                sidecar = next(
                    (name for name in sidecar_names(entry.name) if name in names and name.endswith(".json")), None
                )
                meta = _sidecar(client, child(folder, sidecar), skipped) if sidecar else Metadata()
                named = from_names(Path(unquote(urlsplit(entry.url).path)))  # the folder is the creator, as locally
                clips.append(make_clip(entry.url, merge([meta, named])))
    title = clean(unquote(PurePosixPath(urlsplit(root).path).name)) or (urlsplit(root).hostname or "")
    return Parsed(title=title, clips=clips, skipped=skipped)


def parse_listing(document: Document, folder: str, skipped: list[str]) -> list[Entry]:
    """The entries of one listing page, each checked to lie inside `folder`; refusals go to `skipped`."""
    raw = _json_entries(document.content)
    found: list[tuple[str, str, bool]] = []  # (link, name, is_folder)
    if raw is not None:
        for item in raw:
            name = item.get("name")
            kind = item.get("type")
            if not isinstance(name, str) or kind not in ("file", "directory"):
                continue
            if "/" in name or name in (".", ".."):
                skipped.append(f"{clean_link(name)}: leaves the folder")
                continue
            link = child(folder, name) + ("/" if kind == "directory" else "")
            found.append((link, name, kind == "directory"))
    else:
        for href in _hrefs(document.content.decode("utf-8", "replace")):
            if href.startswith(("?", "#")) or href in ("../", "..", "/") or _is_parent(href, folder):
                continue  # sort links and the "Parent Directory" of every index page
            path = urlsplit(href).path
            name = unquote(path.rstrip("/").rpartition("/")[2])
            found.append((href, name, path.endswith("/")))
    entries = []
    for link, name, is_folder in found:
        if name.startswith("."):
            continue
        try:
            url = below(folder, link)
        except UnsafeLink as error:
            skipped.append(str(error))
            continue
        entries.append(Entry(url=url, name=name, is_folder=is_folder))
    return entries


def _sidecar(client: RemoteClient, url: str, skipped: list[str]) -> Metadata:
    """A remote `.info.json`, read by the same reader as local sidecars (which takes a file)."""
    try:
        document = client.document(url)
    except RemoteError as error:
        skipped.append(str(error))
        return Metadata()
    if document is None or len(document.content) > MAX_SIDECAR_BYTES:
        return Metadata()
    with tempfile.TemporaryDirectory(prefix="tuifeed-sidecar-") as folder:
        path = Path(folder, "clip.info.json")
        path.write_bytes(document.content)
        return read_info_json(path)


def _json_entries(content: bytes) -> list[dict[str, object]] | None:
    if not content.lstrip().startswith(b"["):
        return None
    try:
        # nginx writes a name that is not UTF-8 as its raw bytes: kept as surrogates, so one odd name loses no listing.
        data = json.loads(content.decode("utf-8", "surrogateescape"))
    except ValueError:
        return None
    if not isinstance(data, list) or not all(isinstance(item, dict) and "name" in item for item in data):
        return None
    return data


def _is_parent(href: str, folder: str) -> bool:
    """An absolute link to a folder above this one: the "Parent Directory" link of Apache and nginx."""
    path = urlsplit(href).path
    here = urlsplit(folder).path
    return href.startswith("/") and path.endswith("/") and here.startswith(path) and path != here


def _hrefs(page: str) -> list[str]:
    """The href of each `<a>` of an index page, each tag parsed alone: HTMLParser over the whole page takes
    quadratic time over unterminated constructs before Python 3.11.13 (see `entries.html_text`)."""
    links = _Links()
    for piece in page.split("<")[1:]:
        tag, closed, _ = piece.partition(">")
        if closed and tag[:1] in ("a", "A") and tag[1:2].isspace():
            links.feed(f"<{tag}>")
            links.reset()  # a tag it could not finish (a quote left open) is dropped, not kept for the next one
    return links.hrefs


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)
