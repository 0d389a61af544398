"""The query page and an entity page in a real headless chromium, against a real uvicorn."""

from __future__ import annotations

from typing import Any

import pytest

from aatd_kg.prefixes import DEFAULT_BASE, sparql_prologue

pytestmark = pytest.mark.browser

#: Waits for the page to react (Playwright's auto-wait limit), not a timing assertion.
WAIT_MS = 30_000


def test_query_page_runs_a_query_and_shows_the_table(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}sparql")
    body = f"SELECT ?label WHERE {{ <{DEFAULT_BASE}gene/SERPINA1> rdfs:label ?label }}"
    query = sparql_prologue(DEFAULT_BASE, body) + body
    page.locator("#query").fill(query)
    page.locator("#run").click()
    results = page.locator("#results")
    cell = results.locator("td", has_text="SERPINA1").first
    cell.wait_for(state="visible", timeout=WAIT_MS)
    headers = [h.strip().lstrip("?") for h in results.locator("th").all_inner_texts()]
    assert "label" in headers
    assert "SERPINA1" in cell.inner_text()


def test_entity_page_shows_label_and_links_to_another_entity(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}gene/SERPINA1")
    assert page.locator("#label").inner_text() == "SERPINA1"
    assert page.locator("#diagram svg").is_visible()
    link = page.locator("#properties a", has_text="alpha-1 antitrypsin").first
    link.click()
    page.wait_for_url(f"{live_server}protein/AAT", timeout=WAIT_MS)
    assert page.locator("#label").inner_text() == "alpha-1 antitrypsin"
    # and back through "what links here" to the gene
    page.locator("#inverse a", has_text="SERPINA1").first.click()
    page.wait_for_url(f"{live_server}gene/SERPINA1", timeout=WAIT_MS)
    assert page.locator("#label").inner_text() == "SERPINA1"


def test_diagram_nodes_are_links(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}protein/AAT")
    node = page.locator("#diagram svg a").first
    href = node.get_attribute("href")
    assert href is not None and href.startswith(live_server)
    node.click()
    page.wait_for_url(href, timeout=WAIT_MS)
    assert page.locator("#label").inner_text()


@pytest.mark.parametrize("path", ["", "gene/SERPINA1", "disease/AATD", "downloads", "vocab"])
def test_pages_fit_a_phone_screen(chromium: Any, live_server: str, path: str) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}{path}")
        scroll_width, viewport_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= viewport_width, f"/{path} scrolls sideways on a phone"
        assert page.locator("h1").first.is_visible()
    finally:
        context.close()
