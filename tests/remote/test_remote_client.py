"""The HTTP client's limits against a real loopback server (faults) and MockTransport (the fast unit layer)."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from loopback import LoopbackServer, gzip_bomb, huge_length, redirect, slow
from remote_support import FAST

from tuifeed.errors import RemoteError, RemoteUnreachable
from tuifeed.library.remote.client import Limits, RemoteClient

# -- the fast unit layer ---------------------------------------------------------------------------


def _response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> httpx.Response:
    """A streamed response, as the network gives them (bytes content would arrive already read)."""
    return httpx.Response(status, content=iter([body]), headers=headers)


def _mock(handler: httpx.MockTransport) -> RemoteClient:
    return RemoteClient(Limits(retries=2, backoff=0.0), transport=handler, sleep=lambda _: None)


def test_conditional_headers_and_304() -> None:
    """Stored validators go out as If-None-Match / If-Modified-Since; a 304 is None, not a document."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return _response(304)
        return _response(200, b"body", {"ETag": '"v1"', "Last-Modified": "Mon, 01 Sep 2025"})

    client = _mock(httpx.MockTransport(handle))
    document = client.document("http://h/feed")
    assert document is not None and (document.etag, document.content) == ('"v1"', b"body")
    assert client.document("http://h/feed", etag='"v1"', last_modified="Mon, 01 Sep 2025") is None
    assert seen[1].headers["if-modified-since"] == "Mon, 01 Sep 2025"


def test_retries_5xx_with_backoff_then_succeeds() -> None:
    """Two 503s then a 200: the client waits 2x longer each time and returns the body."""
    answers = iter([503, 503, 200])
    waits: list[float] = []
    transport = httpx.MockTransport(lambda request: _response(next(answers), b"ok"))
    client = RemoteClient(Limits(retries=2, backoff=0.5), transport=transport, sleep=waits.append)
    document = client.document("http://h/x")
    assert document is not None and document.content == b"ok"
    assert waits == [0.5, 1.0]


def test_404_is_not_retried() -> None:
    """A 4xx is final at once."""
    calls = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return _response(404)

    with pytest.raises(RemoteError, match=r"not found \(HTTP 404\)"):
        _mock(httpx.MockTransport(handle)).document("http://h/x")
    assert len(calls) == 1


def test_redirect_to_file_scheme_is_refused() -> None:
    """A redirect is followed only to http(s)."""
    transport = httpx.MockTransport(lambda request: _response(302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(RemoteError, match="redirects to file: links are not followed"):
        _mock(transport).document("http://h/x")


def test_credentials_never_reach_messages_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    """The password in a URL appears in no error and no log record, at any level."""
    caplog.set_level(logging.DEBUG)
    transport = httpx.MockTransport(lambda request: _response(500))
    with pytest.raises(RemoteError) as raised:
        _mock(transport).document("https://ana:hunter2@h/feed?token=abc123")
    assert "hunter2" not in str(raised.value) and "abc123" not in str(raised.value)
    assert "***@h" in str(raised.value)
    assert not [record for record in caplog.records if "hunter2" in record.getMessage()]


def test_basic_auth_is_sent_from_the_url() -> None:
    """Credentials in the URL are sent as Basic auth (httpx does it), not dropped."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _response(200, b"x")

    _mock(httpx.MockTransport(handle)).document("http://ana:pw@h/feed")
    assert seen[0].headers["authorization"].startswith("Basic ")


# -- a real server on loopback ---------------------------------------------------------------------


def test_refused_connection_is_unreachable(client: RemoteClient) -> None:
    """Nothing listening: one line, and the error says the server could not be reached."""
    with LoopbackServer() as gone:
        url = gone.url("/feed.xml")
    with pytest.raises(RemoteUnreachable, match="cannot connect"):
        client.document(url)


def test_slow_server_times_out(server: LoopbackServer) -> None:
    """A server that stops sending is given up on after the read timeout, with one line."""
    server.routes["/slow.xml"] = slow(3.0)
    impatient = RemoteClient(Limits(read_timeout=0.3, retries=0))
    try:
        with pytest.raises(RemoteError, match=r"timed out: no data for 0.3 s"):
            impatient.document(server.url("/slow.xml"))
    finally:
        impatient.close()


def test_500s_are_retried_then_reported(server: LoopbackServer, client: RemoteClient) -> None:
    """Every try answered 500: three requests (retries=2), then one line naming the status."""
    server.add("/feed.xml", b"oops", status=500)
    with pytest.raises(RemoteError, match=r"server error \(HTTP 500\)"):
        client.document(server.url("/feed.xml"))
    assert len(server.requests("/feed.xml")) == 1 + FAST.retries


def test_truncated_body_is_an_error(server: LoopbackServer, client: RemoteClient) -> None:
    """A body cut short of its Content-Length on every try is a clear error, not a short document."""
    server.add("/feed.xml", b"<rss>" + b"x" * 5000, cut_after=100, cuts=99)
    with pytest.raises(RemoteError, match="connection cut"):
        client.document(server.url("/feed.xml"))


def test_truncated_once_then_whole(server: LoopbackServer, client: RemoteClient) -> None:
    """One cut connection is retried and the whole body arrives."""
    body = b"<rss>" + b"y" * 5000
    server.add("/feed.xml", body, cut_after=100, cuts=1)
    document = client.document(server.url("/feed.xml"))
    assert document is not None and document.content == body


def test_redirect_loop_is_capped(server: LoopbackServer, client: RemoteClient) -> None:
    """A redirect loop stops after max_redirects hops."""
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect("/a")
    with pytest.raises(RemoteError, match=r"too many redirects \(more than 5\)"):
        client.document(server.url("/a"))
    assert len(server.requests("/a")) + len(server.requests("/b")) == 6


def test_a_redirect_httpx_cannot_read_is_a_bad_redirect_once(server: LoopbackServer, client: RemoteClient) -> None:
    """A Location with a control character: one request, an error that says so, and a probe finds the server there."""
    server.routes["/a.mp4"] = redirect("/b\x1b[31m.mp4")
    with pytest.raises(RemoteError, match="redirects to an unreadable URL") as caught:
        client.document(server.url("/a.mp4"))
    assert "\x1b" not in str(caught.value) and not isinstance(caught.value, RemoteUnreachable)
    assert len(server.requests("/a.mp4")) == 1
    with pytest.raises(RemoteError) as probed:
        client.probe(server.url("/a.mp4"))
    assert not isinstance(probed.value, RemoteUnreachable)


def test_redirect_is_followed(server: LoopbackServer, client: RemoteClient) -> None:
    """A relative redirect is followed and the final URL is reported."""
    server.routes["/old.xml"] = redirect("/new.xml", 301)
    server.add("/new.xml", b"<rss/>")
    document = client.document(server.url("/old.xml"))
    assert document is not None and document.url == server.url("/new.xml")


def test_a_permanent_redirect_loop_is_capped_once_remembered(server: LoopbackServer, client: RemoteClient) -> None:
    """301s that loop are remembered, and the remembered hops count against max_redirects: no endless walk."""
    server.routes["/a"] = redirect("/b", 301)
    server.routes["/b"] = redirect("/a", 301)
    for _ in range(2):
        with pytest.raises(RemoteError, match=r"too many redirects \(more than 5\)"):
            client.document(server.url("/a"))
    assert len(server.requests("/a")) + len(server.requests("/b")) == 2, "the second walk asked nobody"


def test_error_answers_keep_the_connection(server: LoopbackServer, client: RemoteClient) -> None:
    """A 404 and a 500 (retried) are read to their small end, so every request goes over one connection."""
    server.add("/gone.xml", b"no such feed\n", status=404)
    server.add("/down.xml", b"try later\n", status=500)
    with pytest.raises(RemoteError, match=r"not found \(HTTP 404\)"):
        client.document(server.url("/gone.xml"))
    with pytest.raises(RemoteError, match=r"server error \(HTTP 500\)"):
        client.document(server.url("/down.xml"))
    assert len(server.requests("/down.xml")) == 3
    assert server.accepted == 1


def test_ten_gigabyte_length_is_refused_before_reading(server: LoopbackServer, client: RemoteClient) -> None:
    """A document announcing 10 GB is refused from its headers."""
    server.routes["/huge.json"] = huge_length()
    with pytest.raises(RemoteError, match=r"too large: 10.0 GB announced, the cap is 32.0 MB"):
        client.document(server.url("/huge.json"))


def test_ten_gigabyte_clip_is_refused(server: LoopbackServer, client: RemoteClient, tmp_path: Path) -> None:
    """A clip larger than the clip cap is not downloaded."""
    server.routes["/huge.mp4"] = huge_length()
    with pytest.raises(RemoteError, match=r"too large: 10.0 GB, the cap is 4.0 GB"):
        client.download(server.url("/huge.mp4"), tmp_path / "x.part")
    assert (tmp_path / "x.part").stat().st_size == 0 if (tmp_path / "x.part").exists() else True


def test_gzip_bomb_is_cut_off(server: LoopbackServer) -> None:
    """256 MB of zeros in a ~250 kB gzip body stop at the cap, holding no more than the cap in memory."""
    server.routes["/bomb.json"] = gzip_bomb()
    capped = RemoteClient(Limits(max_document_bytes=1024 * 1024, retries=0))
    try:
        with pytest.raises(RemoteError, match=r"more than 1.0 MB after decompression; cut off"):
            capped.document(server.url("/bomb.json"))
    finally:
        capped.close()


def test_gzip_is_inflated(server: LoopbackServer, client: RemoteClient) -> None:
    """An honest gzip body is inflated."""
    body = b"<rss>" + b"z" * 100_000 + b"</rss>"
    server.add("/feed.xml", body, gzip=True)
    document = client.document(server.url("/feed.xml"))
    assert document is not None and document.content == body
    assert server.requests("/feed.xml")[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.fixture
def certificate(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A self-signed certificate for 127.0.0.1, made with openssl."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    yield cert, key


def test_tls_failure_is_one_line(certificate: tuple[Path, Path], client: RemoteClient) -> None:
    """A certificate that does not verify: one line saying TLS failed, not retried as if it were a glitch."""
    with LoopbackServer(certificate=certificate) as secure:
        secure.add("/feed.xml", b"<rss/>")
        with pytest.raises(RemoteError, match=r"TLS failure: .*certificate verify failed") as raised:
            client.document(secure.url("/feed.xml"))
    assert "_ssl.c" not in str(raised.value)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        httpx.ConnectError("[Errno 111] Connection refused"),
    ],
    ids=["read-timeout", "cut-before-status", "reset", "refused"],
)
def test_a_probe_with_no_status_line_says_unreachable(failure: httpx.HTTPError) -> None:
    """Whatever goes wrong before a status line arrives, nothing answered: the server is unreachable."""

    def handle(request: httpx.Request) -> httpx.Response:
        raise failure

    client = _mock(httpx.MockTransport(handle))
    with pytest.raises(RemoteUnreachable):
        client.probe("http://host/c.mp4")


def test_a_probe_answered_with_an_error_status_fails_once_with_short_timeouts() -> None:
    """A 500 is an answer (not retried by a probe); the probe asks with its own short timeouts."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _response(500)

    client = _mock(httpx.MockTransport(handle))
    with pytest.raises(RemoteError, match=r"server error \(HTTP 500\)") as raised:
        client.probe("http://host/c.mp4")
    assert not isinstance(raised.value, RemoteUnreachable)
    assert len(seen) == 1
    assert seen[0].extensions["timeout"] == {"connect": 2.0, "read": 3.0, "write": 3.0, "pool": 3.0}


def test_a_probe_failing_tls_is_an_answer(certificate: tuple[Path, Path], client: RemoteClient) -> None:
    """A certificate that does not verify came from a server that is there: an error, not unreachable."""
    with LoopbackServer(certificate=certificate) as secure:
        secure.add("/c.mp4", b"clip")
        with pytest.raises(RemoteError, match="TLS failure") as raised:
            client.probe(secure.url("/c.mp4"))
    assert not isinstance(raised.value, RemoteUnreachable)


def test_a_probe_says_whether_the_server_honours_range_requests(server: LoopbackServer, client: RemoteClient) -> None:
    """206 to the one-byte Range request: seekable; the whole file with a 200 (the server ignores Range): not;
    an empty file's 416 counts as there (playing it says what is wrong)."""
    server.add("/seeks.mp4", b"x" * 5000)
    server.add("/whole.mp4", b"x" * 5000, ranges=False)
    server.add("/empty.mp4", b"")
    assert client.probe(server.url("/seeks.mp4")) is True
    assert client.probe(server.url("/whole.mp4")) is False
    assert client.probe(server.url("/empty.mp4")) is True
    assert [seen.headers["range"] for seen in server.requests("/whole.mp4")] == ["bytes=0-0"]
