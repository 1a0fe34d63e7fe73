"""The one HTTP client of tuifeed: our timeouts, retries with backoff, a redirect cap, size and inflation caps.

Every request goes through `RemoteClient`; tests inject an httpx transport. Redirects are followed
here, one hop at a time, so that each hop is checked (http(s) only, at most `max_redirects`); a
permanent one (301, 308) is remembered for the life of the client, so the next refresh asks the new
place directly (refresh keeps a source's own in SQLite, and hands it back with `remember`).
A response is closed only after its small unread rest is read: httpcore drops a connection whose
body was left unread, so a 304, a redirect or an error page would cost a new connection (a TCP
handshake, TLS too) for the next request.
Documents are read raw and inflated here with a bound on the output, so a gzip bomb is cut off
after `max_document_bytes` however small it is on the wire. URLs in messages and logs are redacted.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import httpx

from tuifeed import __version__
from tuifeed.errors import RemoteError, RemoteUnreachable
from tuifeed.library.remote.urls import UnsafeLink, follow, origin, redact
from tuifeed.text import clean

log = logging.getLogger("tuifeed.remote")

_T = TypeVar("_T")

MB = 1024 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_PERMANENT = (301, 308)
_DRAINED_BYTES = 64 * 1024
"""A response body left unread up to this size is read before closing, to keep the connection."""
_TRANSIENT_STATUS = (429, 500, 502, 503, 504)
_BAD_LOCATION = "Invalid URL in location header"
"""How httpx begins the RemoteProtocolError for a Location it cannot parse (a control character, say)."""
_SSL_LOCATION = re.compile(r"\s*\(_ssl\.c:\d+\)")


@dataclass(frozen=True, slots=True)
class Limits:
    """How long to wait, how often to try again and how much to accept from a server."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    """Longest wait for the next bytes; a slow server is given up on after this."""
    retries: int = 2
    """Further tries after a timeout, a cut connection or a 5xx; never after a 4xx."""
    backoff: float = 0.5
    """Seconds before the first retry, doubling for each next one."""
    max_redirects: int = 5
    max_document_bytes: int = 32 * MB
    """Largest feed, playlist, listing or manifest accepted, after decompression."""
    max_clip_bytes: int = 4096 * MB
    """Largest clip downloaded into the cache."""
    probe_connect_timeout: float = 2.0
    probe_read_timeout: float = 3.0
    """A probe asks one byte after a stream failed: a server that answers at all answers this fast."""


@dataclass(frozen=True, slots=True)
class Document:
    """A fetched document: its final URL (after redirects), its bytes and its validators."""

    url: str
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


class _Retry(Exception):
    """A failure worth another try; carries the error to raise when the tries run out."""

    def __init__(self, error: RemoteError) -> None:
        super().__init__(str(error))
        self.error = error


class RemoteClient:
    """All of tuifeed's HTTP: one httpx connection pool, used from any one thread at a time per call."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """A client with `limits`; `transport` replaces the network (tests), `sleep` the backoff wait."""
        self.limits = limits or Limits()
        self._sleep = sleep
        self._moved: dict[str, str] = {}
        """Permanent redirects seen: URL -> where it moved (one hop)."""
        self._moved_lock = threading.Lock()
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": f"tuifeed/{__version__}"},
        )
        # httpx logs every request with its full URL at INFO: credentials must never reach the log.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("httpcore").setLevel(logging.WARNING)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def moved(self, url: str) -> str | None:
        """Where `url` leads by the permanent redirects remembered (the last of them), or None."""
        target = None
        with self._moved_lock:
            for _ in range(self.limits.max_redirects):
                step = self._moved.get(target or url)
                if step is None:
                    break
                target = step
        return target

    def remember(self, url: str, target: str) -> None:
        """Take `url` as permanently moved to `target` (a move seen in an earlier run)."""
        with self._moved_lock:
            self._moved[url] = target

    def forget(self, url: str) -> None:
        """Ask `url` itself again: forget its remembered permanent redirect (the new place failed)."""
        with self._moved_lock:
            self._moved.pop(url, None)

    def document(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Document | None:
        """GET a document within the size caps; None when the server says it is unchanged (304).

        Raises RemoteError (RemoteUnreachable when the server cannot be reached) with one clear line.
        """
        headers = {"Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        def read(response: httpx.Response) -> Document | None:
            if response.status_code == 304:
                return None
            _raise_for_status(response, redact(url))
            content = _read_document(response, self.limits.max_document_bytes, redact(url))
            return Document(
                url=str(response.url),
                content=content,
                content_type=response.headers.get("content-type", ""),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )

        return self._tries(url, headers, read)

    def probe(self, url: str) -> bool:
        """Ask once for the first byte of `url` (a Range GET, no retries): returns when the server answers,
        whether it honours Range requests (False: it sent the whole file, so a stream cannot seek).

        The cheap question after a stream failed: is the server there, does it have the clip, and can libvlc
        seek in it (an mp4 whose index is at its end cannot stream without)?
        Raises RemoteUnreachable when no status line came back (no connection, a timeout, a connection reset
        or cut), RemoteError when the server answers with an error status or TLS fails.
        """
        shown = redact(url)
        limits = replace(
            self.limits, connect_timeout=self.limits.probe_connect_timeout, read_timeout=self.limits.probe_read_timeout
        )
        answered = False
        try:
            with self._open(url, {"Range": "bytes=0-0", "Accept-Encoding": "identity"}, shown, limits) as response:
                answered = True
                if response.status_code == 416:  # there, but the file is empty; playing it will say so
                    return True
                _raise_for_status(response, shown)
                return response.status_code == 206
        except _Retry as failure:
            cause = failure.__cause__
            if not answered and isinstance(cause, httpx.TransportError) and not _is_tls(cause):
                raise RemoteUnreachable(shown, failure.error.reason, server=failure.error.server) from None
            raise failure.error from None

    def download(self, url: str, part: Path, *, should_stop: Callable[[], bool] = lambda: False) -> int | None:
        """Stream `url` into the file `part`, resuming from what it holds with a Range request.

        Returns the complete size, or None when `should_stop` ended it early (`part` keeps what came).
        A cut connection is resumed on the next try; raises RemoteError when the tries run out.
        """
        shown = redact(url)

        def read(response: httpx.Response) -> int | None:
            have = part.stat().st_size if part.exists() else 0
            if response.status_code == 416 and have:
                total = _content_range_total(response.headers.get("content-range", ""))
                if total == have:
                    return have
                part.unlink()
                raise _Retry(RemoteError(shown, "the server refused to resume (HTTP 416)"))
            _raise_for_status(response, shown)
            resumed = (
                response.status_code == 206 and _content_range_start(response.headers.get("content-range", "")) == have
            )
            if not resumed:
                have = 0
            length = response.headers.get("content-length", "")
            expected = have + int(length) if length.isdigit() else None
            if expected is not None and expected > self.limits.max_clip_bytes:
                raise RemoteError(
                    shown, f"too large: {_size(expected)}, the cap is {_size(self.limits.max_clip_bytes)}"
                )
            with open(part, "ab" if resumed else "wb") as file:
                try:
                    for chunk in response.iter_raw():  # as it arrives: a cut keeps every byte received
                        file.write(chunk)
                        have += len(chunk)
                        if have > self.limits.max_clip_bytes:
                            raise RemoteError(shown, f"larger than the cap of {_size(self.limits.max_clip_bytes)}")
                        if should_stop():
                            return None
                except httpx.HTTPError as error:
                    raise _Retry(_failure(error, url, str(response.url), self.limits)) from error
            if expected is not None and have < expected:
                raise _Retry(RemoteError(shown, f"connection cut after {_size(have)} of {_size(expected)}"))
            return have

        def headers() -> dict[str, str]:
            have = part.stat().st_size if part.exists() else 0
            return {"Accept-Encoding": "identity", **({"Range": f"bytes={have}-"} if have else {})}

        return self._tries(url, headers, read)

    def _tries(
        self,
        url: str,
        headers: dict[str, str] | Callable[[], dict[str, str]],
        read: Callable[[httpx.Response], _T],
    ) -> _T:
        """Open `url` and `read` the response, trying again with backoff after transient failures."""
        shown = redact(url)
        for attempt in range(self.limits.retries + 1):
            try:
                with self._open(url, headers() if callable(headers) else headers, shown) as response:
                    return read(response)
            except _Retry as retry:
                if attempt == self.limits.retries:
                    raise retry.error from None
                delay = self.limits.backoff * 2**attempt
                log.info("%s; trying again in %.1f s", retry.error, delay)
                self._sleep(delay)
        raise AssertionError("unreachable")

    @contextmanager
    def _open(
        self, url: str, headers: dict[str, str], shown: str, limits: Limits | None = None
    ) -> Iterator[httpx.Response]:
        """The response at `url` after at most `max_redirects` hops, each to an http(s) URL.

        Permanent redirects remembered earlier are taken without asking; they count as hops too.
        `limits` replaces the client's timeouts for this request (a probe's are shorter).
        """
        limits = limits or self.limits
        timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
        current = url
        hops = 0
        while hops <= self.limits.max_redirects:
            with self._moved_lock:
                moved = self._moved.get(current)
            if moved is not None:
                current, hops = moved, hops + 1
                continue
            try:
                request = self._http.build_request("GET", current, headers=headers, timeout=timeout)
                response = self._http.send(request, stream=True)
            except httpx.RemoteProtocolError as error:
                # httpx reads Location itself (even when not following): the server answered, with a bad redirect.
                if str(error).startswith(_BAD_LOCATION):
                    raise RemoteError(shown, f"redirects to an unreadable URL ({clean(str(error))})") from error
                raise _Retry(_failure(error, url, current, limits)) from error
            except httpx.HTTPError as error:
                raise _Retry(_failure(error, url, current, limits)) from error
            except (httpx.InvalidURL, ValueError) as error:
                raise RemoteError(shown, f"not a usable URL ({clean(str(error))})") from error
            if response.status_code in _REDIRECTS and "location" in response.headers:
                _close(response)
                try:
                    target = follow(current, response.headers["location"])
                except UnsafeLink as error:
                    raise RemoteError(shown, f"redirects to {clean(str(error))}") from error
                if response.status_code in _PERMANENT:
                    with self._moved_lock:
                        self._moved[current] = target
                current, hops = target, hops + 1
                continue
            try:
                log.debug("GET %s: HTTP %s", redact(current), response.status_code)
                yield response
            except httpx.HTTPError as error:
                raise _Retry(_failure(error, url, current, limits)) from error
            finally:
                _close(response)
            return
        raise RemoteError(shown, f"too many redirects (more than {self.limits.max_redirects})")


def _close(response: httpx.Response) -> None:
    """Close `response`, first reading its unread rest when that is small, so its connection goes back to the pool."""
    length = response.headers.get("content-length", "")
    bodiless = response.status_code in (204, 304) or response.request.method == "HEAD"
    small = bodiless or (length.isdigit() and int(length) <= _DRAINED_BYTES)
    if small and not response.is_stream_consumed and not response.is_closed:
        with contextlib.suppress(httpx.HTTPError):  # a failed read only costs the connection, as without it
            for _ in response.iter_raw():
                pass
    response.close()


def _raise_for_status(response: httpx.Response, shown: str) -> None:
    code = response.status_code
    if code < 300 or code == 304:
        return
    if code in _TRANSIENT_STATUS:
        raise _Retry(RemoteError(shown, f"server error (HTTP {code})"))
    reasons = {401: "access denied", 403: "access denied", 404: "not found", 410: "gone"}
    raise RemoteError(shown, f"{reasons.get(code, 'refused')} (HTTP {code})")


def _failure(error: httpx.HTTPError, url: str, at: str, limits: Limits) -> RemoteError:
    """One line for a transport failure of the request for `url` when it was at `at` (where redirects took
    it); the network being gone is RemoteUnreachable. A server other than `url`'s own is named, and kept."""
    shown = redact(url)
    server = origin(at)
    elsewhere = "" if server == origin(url) else server

    def error_of(kind: type[RemoteError], reason: str) -> RemoteError:
        return kind(shown, f"redirected to {elsewhere}: {reason}" if elsewhere else reason, server=elsewhere)

    detail = clean(_SSL_LOCATION.sub("", str(error))) or type(error).__name__
    if isinstance(error, httpx.ConnectTimeout):
        return error_of(RemoteUnreachable, f"timed out connecting (after {limits.connect_timeout:g} s)")
    if isinstance(error, httpx.TimeoutException):
        return error_of(RemoteError, f"timed out: no data for {limits.read_timeout:g} s")
    if isinstance(error, httpx.ConnectError):
        if _is_tls(error):
            return error_of(RemoteError, f"TLS failure: {detail}")
        return error_of(RemoteUnreachable, f"cannot connect: {detail}")
    if isinstance(error, httpx.RemoteProtocolError):
        return error_of(RemoteError, f"connection cut: {detail}")
    return error_of(RemoteError, detail)


def _is_tls(error: httpx.HTTPError) -> bool:
    """Whether a failed connection failed in its TLS handshake (a server answered, with a bad certificate)."""
    detail = str(error)
    return isinstance(error, httpx.ConnectError) and ("SSL" in detail or "certificate" in detail)


def _read_document(response: httpx.Response, cap: int, shown: str) -> bytes:
    """The body, inflated with a bound: more than `cap` bytes (announced, on the wire or inflated) is refused."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise RemoteError(shown, f"too large: {_size(int(length))} announced, the cap is {_size(cap)}")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise RemoteError(shown, f"unsupported Content-Encoding {clean(encoding)!r}")
    inflater = None if encoding in ("identity", "") else zlib.decompressobj(wbits=47)
    body = bytearray()
    for chunk in response.iter_raw():
        if inflater is None:
            body += chunk
        else:
            try:
                body += inflater.decompress(chunk, cap - len(body) + 1)
            except zlib.error as error:
                raise RemoteError(shown, f"corrupt compressed body ({error})") from error
            if inflater.unconsumed_tail:
                body += b"x"  # more output is waiting: past the cap by definition
        if len(body) > cap:
            what = "after decompression" if inflater is not None else "in the body"
            raise RemoteError(shown, f"more than {_size(cap)} {what}; cut off")
    return bytes(body)


def _content_range_start(value: str) -> int | None:
    match = re.match(r"bytes (\d+)-\d+/(\d+|\*)", value.strip())
    return int(match[1]) if match else None


def _content_range_total(value: str) -> int | None:
    match = re.match(r"bytes (?:\*|\d+-\d+)/(\d+)", value.strip())
    return int(match[1]) if match else None


def _size(count: int) -> str:
    """A byte count for people: 512 B, 3.4 MB, 10.7 GB."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"
