"""A real uvicorn server over the real release, and Debian's chromium driven by Playwright.

The browser tests are marked ``browser`` and skipped (with the reason) when
``/usr/bin/chromium`` is missing; ``scripts/install-system-deps.sh`` installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, uvicorn_in_thread


def _open_store(release: Path) -> Any:
    from aatd_kg.store.oxigraph import OxigraphStore

    return OxigraphStore.from_release(release)


@pytest.fixture(scope="session")
def live_server(release_dir: Path) -> Iterator[str]:
    """Base URL of a real uvicorn serving ``create_app`` over the real release, in a thread."""
    from aatd_kg.settings import Settings
    from aatd_kg.web.app import create_app

    port = free_port()
    settings = Settings(release=release_dir, host="127.0.0.1", port=port)
    store = _open_store(release_dir)
    try:
        with uvicorn_in_thread(create_app(settings, store), port, "uvicorn-browser-tests"):
            yield settings.served_base
    finally:
        store.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's chromium, headless, through Playwright (no bundled browser).

    Module-scoped: Playwright's sync API allows one instance at a time in a process, so it
    must be stopped before another test module starts its own.
    """
    require_chromium()
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
