"""Real third-party servers for listing tests: python's http.server and nginx, on free loopback ports."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


@contextmanager
def _serving(argv: list[str], port: int) -> Iterator[str]:
    """Run a server process until the block ends; yields its base URL once it accepts connections."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def python_http_server(folder: Path, port: int | None = None) -> Iterator[str]:
    """`python -m http.server` serving `folder` on `port` (default: a free one); yields its base URL."""
    port = port or free_port()
    with _serving(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)], port
    ) as base:
        yield base


@contextmanager
def nginx(folder: Path, work: Path, *, json_index: bool) -> Iterator[str]:
    """nginx serving `folder` with autoindex (JSON or HTML) and Range, from a temp config; yields its base URL."""
    if not os.path.exists(NGINX):
        raise RuntimeError("nginx is not installed: `make test` installs it (TEST_DEBS in the Makefile)")
    port = free_port()
    work.mkdir(parents=True, exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    types {{ video/mp4 mp4; application/json json; }}
    server {{
        listen 127.0.0.1:{port};
        root {folder};
        location / {{
            autoindex on;
            {"autoindex_format json;" if json_index else ""}
        }}
    }}
}}
"""
    )
    with _serving([NGINX, "-p", str(work), "-c", str(work / "nginx.conf")], port) as base:
        yield base


def access_log(work: Path) -> list[str]:
    """The request lines nginx logged."""
    path = work / "access.log"
    return path.read_text().splitlines() if path.exists() else []
