"""Helpers of the tests that need a real server or a real browser (a uniquely named module:
tests/ holds no packages, so it is importable as ``live_server`` from every test folder)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

#: Debian's chromium, installed by scripts/install-system-deps.sh.
CHROMIUM = Path("/usr/bin/chromium")
#: Flags that keep chromium headless and off the (closed) network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Longest wait for a server thread to start listening (a limit, not a timing assertion).
STARTUP_LIMIT_S = 30.0


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_chromium() -> None:
    """Skip the calling test, saying why, when Debian's chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh to install it")


@contextmanager
def uvicorn_in_thread(app: Any, port: int, name: str) -> Iterator[None]:
    """Serve *app* with a real uvicorn on 127.0.0.1:*port* in a thread until the block ends."""
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)
