"""URLs from remote documents: only http(s) is followed, nothing escapes a listing, credentials never show."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit, urlunsplit

from tuifeed.text import ACTED_ON, clean

SCHEMES = ("http", "https")
_SECRET_KEYS = re.compile(r"(?i)^(.*[-_])?(token|key|password|passwd|pass|secret|auth|sig|signature|session)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")
"""Everything before the last `@` of the authority, as URL parsers (and httpx) read it."""
_SCHEME_SLASHES = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class UnsafeLink(ValueError):
    """A link a remote document may not make tuifeed open; str() says why."""


def is_remote(location: str) -> bool:
    """Whether `location` is an http(s) URL (a remote clip or source), not a path."""
    try:
        return urlsplit(location).scheme.lower() in SCHEMES
    except ValueError:  # an unreadable authority such as "http://[oops"
        return False


def origin(url: str) -> str:
    """The server of the http(s) `url` as `scheme://host:port` (the default port spelled out, no credentials).

    What reachability is known per: one server down says nothing of another. An unreadable URL is its own origin.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    return f"{scheme}://{parts.hostname or ''}:{port or (443 if scheme == 'https' else 80)}"


def redact(url: str) -> str:
    """`url` fit to show or log: user and password, and secret-looking query values, become `***`."""
    url = _USERINFO.sub(r"\1***@", url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = "&".join(_redact_pair(pair) for pair in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def without_credentials(url: str) -> str | None:
    """`url` without its user and password, fit to store; None when a secret is left in it (a token in the query)."""
    bare = _USERINFO.sub(r"\1", url)
    return bare if redact(bare) == bare else None


def with_credentials(url: str, source: str) -> str:
    """`url` with the user and password of `source` put back, when both are on the same server (credentials
    never go to another one) and `url` has none of its own."""
    given = _USERINFO.match(source)
    scheme = _SCHEME_SLASHES.match(url)
    if given is None or scheme is None or _USERINFO.match(url) or origin(url) != origin(source):
        return url
    return url[: scheme.end()] + source[given.end(1) : given.end()] + url[scheme.end() :]


def _redact_pair(pair: str) -> str:
    key, equals, _ = pair.partition("=")
    return f"{key}=***" if equals and _SECRET_KEYS.match(unquote(key)) else pair


def follow(base: str, link: str) -> str:
    """The absolute URL of `link` found in the document at `base`, if it is http(s); raises UnsafeLink.

    Relative links resolve against `base` and keep its credentials (same server); an absolute link
    to another scheme (`file:`, `javascript:`, `ftp:`, ...) is refused. Control and bidi characters
    come back percent-encoded, so a location never carries a terminal escape.
    """
    link = link.strip()
    if not link:
        raise UnsafeLink("empty link")
    scheme = _SCHEME.match(link)
    if scheme and scheme[0][:-1].lower() not in SCHEMES:
        raise UnsafeLink(f"{scheme[0][:-1].lower()}: links are not followed, only http(s)")
    try:
        resolved = link if scheme else urljoin(base, link)  # absolute links (most of a feed) skip the join
        parts = urlsplit(resolved)
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
    except ValueError as error:
        raise UnsafeLink(f"{clean_link(link)} is not a readable URL ({error})") from error
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise UnsafeLink(f"{clean_link(resolved)} is not an http(s) URL")
    if parts.fragment or "#" in resolved:
        resolved = urlunsplit(parts._replace(fragment=""))
    # Percent-encoded, as browsers do: a location is shown, logged and handed to libvlc. Spaces stay: a stored
    # clip's id hashes its URL, and a playlist may well say `my clip.mp4`.
    return ACTED_ON.sub(lambda control: quote(control[0], safe=""), resolved)


def below(folder: str, link: str) -> str:
    """The absolute URL of a listing entry `link`, which must stay inside `folder`; raises UnsafeLink.

    A listing names its children: `../`, an absolute path or another server is refused, so a listing
    can never lead the walk out of the folder it was asked for.
    """
    if not folder.endswith("/"):
        folder += "/"
    decoded = unquote(link)
    if decoded.startswith("/") or ".." in decoded.replace("\\", "/").split("/"):
        raise UnsafeLink(f"{clean_link(link)} leaves the folder")
    resolved = follow(folder, link)
    if not resolved.startswith(folder):
        raise UnsafeLink(f"{clean_link(resolved)} leaves the folder")
    return resolved


def clean_link(link: str) -> str:
    """A link as it may appear in a message: at most 80 characters, credentials redacted, controls made visible."""
    shown = clean(redact(link) if _SCHEME.match(link) else link)
    return shown if len(shown) <= 80 else shown[:79] + "…"


def child(folder: str, name: str) -> str:
    """The URL of the entry `name` (an unescaped file or folder name) inside `folder`.

    A name read with surrogate escapes (bytes that are not UTF-8) gets its own bytes back, as the server spells it.
    """
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate a JSON escape spelled out: no bytes of its own
        raw = name.encode("utf-8", "surrogatepass")
    return (folder if folder.endswith("/") else folder + "/") + quote(raw, safe="")


def clip_id(url: str) -> str:
    """The clip id of a remote clip: a 32-hex-digit BLAKE2b of its URL without credentials or fragment."""
    parts = urlsplit(url)
    bare = SplitResult(parts.scheme.lower(), parts.netloc.rpartition("@")[2].lower(), parts.path, parts.query, "")
    return hashlib.blake2b(b"remote\0" + urlunsplit(bare).encode(), digest_size=16).hexdigest()
