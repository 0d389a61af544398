"""A real uvicorn server over the real release, and Debian's chromium driven by Playwright.

The browser tests are marked ``browser`` and skipped (with the reason) when
``/usr/bin/chromium`` is missing; ``scripts/install-system-deps.sh`` installs it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Longest wait for the server thread to start listening (not a timing assertion).
STARTUP_LIMIT_S = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _open_store(release: Path) -> Any:
    from aatd_kg.store.oxigraph import OxigraphStore

    return OxigraphStore.from_release(release)


@pytest.fixture(scope="session")
def live_server(release_dir: Path) -> Iterator[str]:
    """Base URL of a real uvicorn serving ``create_app`` over the real release, in a thread."""
    import uvicorn

    from aatd_kg.settings import Settings
    from aatd_kg.web.app import create_app

    port = _free_port()
    settings = Settings(release=release_dir, host="127.0.0.1", port=port)
    store = _open_store(release_dir)
    app = create_app(settings, store)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="uvicorn-browser-tests", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    try:
        yield settings.served_base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's chromium, headless, through Playwright (no bundled browser).

    Module-scoped: Playwright's sync API allows one instance at a time in a process, so it
    must be stopped before another test module starts its own.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh to install it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page (its own context: no cookies or cache shared between tests)."""
    context = chromium.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()
