"""A threaded HTTP/1.1 server on 127.0.0.1 for remote-library tests: static routes with Range, ETag and
Last-Modified, a request log, a count of connections accepted, faults on demand (slow, 5xx, cut, redirect
loop, huge length, gzip bomb) and optional throttling (latency and a byte rate) for the benchmark."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Route:
    """What one path serves."""

    body: bytes
    content_type: str = "application/octet-stream"
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    cut_after: int | None = None
    """Close the connection after this many body bytes (announcing the full length)..."""
    cuts: int = 0
    """...this many times; later requests get the whole body."""
    gzip: bool = False
    """Send the body gzip-compressed when the client accepts it."""
    ranges: bool = True
    """Answer Range requests (206); False is a server that ignores them, sending the whole body (200)."""


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]


Handler = Callable[[BaseHTTPRequestHandler], None]


class LoopbackServer:
    """Serve `routes` (path -> Route or handler function) on a free loopback port, in daemon threads."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        rate: float | None = None,
        certificate: tuple[Path, Path] | None = None,
        port: int = 0,
    ) -> None:
        """A server on `port` (0: a free one; give an earlier server's to stand in for it coming back)."""
        self.routes: dict[str, Route | Handler] = {}
        self.log: list[Seen] = []
        self.latency = latency
        self.rate = rate
        self.lock = threading.Lock()
        self.connections: set[socket.socket] = set()
        self.accepted = 0
        """TCP connections accepted so far: a client that reuses its connection makes one for many requests."""
        self.threads: list[threading.Thread] = []
        """The threads that served a connection, one each: a test can wait for them to end."""
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                with server.lock:
                    server.connections.add(self.connection)
                    server.accepted += 1
                    server.threads.append(threading.current_thread())

            def handle(self) -> None:
                # A client may hang up at any moment (tuifeed's closes on an error status without reading
                # a body over 64 kB, and an unread body makes its kernel reset the connection): take it quietly, as
                # a server does; socketserver would print a traceback into the captured stderr of a test.
                with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                    super().handle()

            def finish(self) -> None:
                with server.lock:
                    server.connections.discard(self.connection)
                super().finish()

            def do_GET(self) -> None:
                server._handle(self)

            def do_HEAD(self) -> None:
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.scheme = "http"
        if certificate is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="loopback-http", daemon=True)

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop listening and drop open keep-alive connections too: the server is gone."""
        self.httpd.shutdown()
        self.httpd.server_close()
        with self.lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str = "/", *, userinfo: str = "") -> str:
        """The absolute URL of `path` on this server (with `user:password@` when given)."""
        return f"{self.scheme}://{userinfo + '@' if userinfo else ''}127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes, content_type: str = "application/octet-stream", **options: object) -> Route:
        """Serve `body` at `path` with a strong ETag and a Last-Modified date, unless given."""
        options.setdefault("etag", '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        options.setdefault("last_modified", formatdate(1_700_000_000, usegmt=True))
        route = Route(body, content_type, **options)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def add_file(self, path: str, file: Path, **options: object) -> Route:
        """Serve the bytes of `file` at `path`."""
        return self.add(path, file.read_bytes(), "video/mp4", **options)

    def requests(self, path: str) -> list[Seen]:
        """The requests received for `path`, in order."""
        with self.lock:
            return [seen for seen in self.log if seen.path == path]

    # -- serving -----------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.log.append(Seen(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()}))
        if self.latency:
            time.sleep(self.latency)
        route = self.routes.get(handler.path) or self.routes.get(handler.path.partition("?")[0])
        if route is None:
            self._send(handler, 404, b"not found\n", {"Content-Type": "text/plain"})
            return
        if callable(route):
            route(handler)
            return
        self._serve(handler, route)

    def _serve(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.ranges:
            headers["Accept-Ranges"] = "bytes"
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.status != 200:
            self._send(handler, route.status, route.body, headers)
            return
        tag, since = handler.headers.get("If-None-Match"), handler.headers.get("If-Modified-Since")
        if (tag is not None and tag == route.etag) or (
            tag is None and since is not None and since == route.last_modified
        ):  # If-None-Match wins when both are sent (RFC 9110 13.2.2)
            self._send(handler, 304, b"", headers, length=False)
            return
        body = route.body
        status = 200
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", handler.headers.get("Range", "").strip())
        if wanted and route.ranges:
            start = int(wanted[1])
            end = min(int(wanted[2]) if wanted[2] else len(body) - 1, len(body) - 1)
            if start >= len(body):
                self._send(handler, 416, b"", {**headers, "Content-Range": f"bytes */{len(body)}"})
                return
            headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
            body, status = body[start : end + 1], 206
        elif route.gzip and "gzip" in handler.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            headers["Content-Encoding"] = "gzip"
        cut = None
        with self.lock:
            if route.cut_after is not None and route.cuts > 0:
                route.cuts -= 1
                cut = route.cut_after
        self._send(handler, status, body, headers, cut=cut)

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        headers: dict[str, str],
        *,
        length: bool = True,
        cut: int | None = None,
    ) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if length:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command == "HEAD":
            return
        sent = body if cut is None else body[:cut]
        try:
            self._write(handler, sent)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True
            return
        if cut is not None:
            handler.wfile.flush()
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True

    def _write(self, handler: BaseHTTPRequestHandler, data: bytes) -> None:
        if self.rate is None:
            handler.wfile.write(data)
            return
        chunk = 16 * 1024
        started = time.monotonic()
        for offset in range(0, len(data), chunk):
            handler.wfile.write(data[offset : offset + chunk])
            ahead = started + (offset + chunk) / self.rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)


# -- handlers for faults ---------------------------------------------------------------------------


def slow(seconds: float) -> Handler:
    """Send the headers, then nothing for `seconds`, then a tiny body."""

    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", "7")
        handler.end_headers()
        handler.wfile.flush()
        time.sleep(seconds)
        with contextlib.suppress(OSError):
            handler.wfile.write(b"<rss/>\n")

    return handle


def redirect(to: str, status: int = 302) -> Handler:
    """Answer with a redirect to `to`."""

    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return handle


def huge_length(length: int = 10 * 1024**3) -> Handler:
    """Announce `length` bytes (10 GB by default), send a few, then close."""

    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "video/mp4")
        handler.send_header("Content-Length", str(length))
        handler.end_headers()
        with contextlib.suppress(OSError):
            handler.wfile.write(b"\0" * 65536)
        handler.close_connection = True

    return handle


def gzip_bomb(inflated: int = 256 * 1024 * 1024) -> Handler:
    """A small gzip body that inflates to `inflated` bytes of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    body = b"".join(packer.compress(block) for _ in range(inflated // len(block))) + packer.flush()

    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        with contextlib.suppress(OSError):
            handler.wfile.write(body)

    return handle
