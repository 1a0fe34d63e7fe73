"""The loopback server itself: a client that hangs up is no error of the test that is running."""

from __future__ import annotations

import socket
import struct
import time

import pytest
from loopback import LoopbackServer


def test_a_client_that_resets_the_connection_leaves_stderr_empty(
    server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A client closing with the answer unread (its kernel resets the connection) prints no traceback.

    tuifeed's client closes on an error status without reading the body; when the body arrived after the
    headers, the server's next read got ECONNRESET and socketserver printed a traceback into whichever
    test's captured stderr was live (seen in test_remote_cli under load).
    """
    with socket.create_connection(("127.0.0.1", server.port)) as client:
        client.sendall(b"GET /nope.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert client.recv(12) == b"HTTP/1.1 404"
        time.sleep(0.1)  # the rest of the answer arrives, and is never read
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    for thread in server.threads:  # socketserver reports a handler's error as its thread ends
        thread.join(timeout=5)
        assert not thread.is_alive()
    assert capsys.readouterr().err == ""
