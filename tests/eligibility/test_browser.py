"""The eligibility form in a real headless chromium, against a real uvicorn serving create_app.

Marked ``browser``; skipped with the reason when ``/usr/bin/chromium`` is missing
(``scripts/install-system-deps.sh`` installs it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from live_server import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, uvicorn_in_thread

from aatd_kg.eligibility.check import DISCLAIMER
from aatd_kg.eligibility.criteria import Criterion

pytestmark = pytest.mark.browser

ANSWER_LIMIT_MS = 30_000
PATH = "eligibility/augmentation-therapy"


@pytest.fixture(scope="module")
def server(eligibility_release: tuple[Path, dict[str, Any]], query_store: Any) -> Iterator[str]:
    """Base URL of uvicorn serving ``create_app`` over the eligibility release, in a thread."""
    from aatd_kg.settings import Settings
    from aatd_kg.web.app import create_app

    port = free_port()
    settings = Settings(release=eligibility_release[0], host="127.0.0.1", port=port)
    with uvicorn_in_thread(create_app(settings, query_store), port, "uvicorn-eligibility"):
        yield settings.served_base


@pytest.fixture(scope="module")
def in_browser() -> Iterator[Callable[..., None]]:
    """Run a test's steps on a fresh page of Debian's chromium, headless, through Playwright.

    Playwright's sync API lives in its own thread here, so that this module and
    ``tests/browser`` (whose session-wide Playwright runs in the main thread) can share one
    pytest session: two sync Playwrights in one thread refuse to start.
    """
    require_chromium()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright-eligibility")

    def start() -> tuple[Any, Any]:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        return playwright, playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )

    playwright, browser = executor.submit(start).result()

    def run(steps: Callable[[Any], None], javascript: bool = True) -> None:
        def job() -> None:
            context = browser.new_context(java_script_enabled=javascript)
            try:
                steps(context.new_page())
            finally:
                context.close()

        executor.submit(job).result()

    def stop() -> None:
        browser.close()
        playwright.stop()

    try:
        yield run
    finally:
        executor.submit(stop).result()
        executor.shutdown()


def _rows(page: Any) -> dict[str, tuple[str, str]]:
    """Criterion IRI → (result, reason) as the table shows them."""
    rows = page.locator("#criteria tbody tr")
    found = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        found[row.get_attribute("data-criterion")] = (
            row.get_attribute("data-result") or "",
            row.locator("td.reason").inner_text(),
        )
    return found


def test_form_shows_the_exception(
    server: str, in_browser: Callable[..., None], criteria: list[Criterion]
) -> None:
    in_browser(lambda page: _exception_steps(server, page, criteria))


def _exception_steps(server: str, page: Any, criteria: list[Criterion]) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(server + PATH)
    assert DISCLAIMER in page.locator("#disclaimer").inner_text()
    page.fill("#assessed_on", "2026-09-01")
    page.fill("#age_years", "52")
    page.fill("#serum_aat_value", "40")
    page.select_option("#serum_aat_unit", "mg/dL")
    page.select_option("#airway_obstruction", "false")
    page.select_option("#ct_shows_emphysema", "true")
    page.select_option("#smoking_status", "former")
    page.fill("#last_cigarette", "2026-03-01")
    page.select_option("#accepts_weekly_hospital_infusions", "true")
    page.select_option("#iga_deficiency", "false")
    page.click("#check")
    page.wait_for_selector("#overall[data-overall]", timeout=ANSWER_LIMIT_MS)
    assert page.locator("#overall").get_attribute("data-overall") == "possibly_indicated"
    rows = _rows(page)
    assert list(rows) == [str(c.iri) for c in criteria]
    results = {iri.rsplit("/", 1)[-1]: result for iri, (result, _) in rows.items()}
    assert results == {
        "age": "met", "serum-aat": "met", "airway-obstruction": "not_met", "not-smoking": "met",
        "weekly-infusions": "met", "no-iga-deficiency": "met", "ct-emphysema-exception": "met",
    }
    notes = page.locator("#notes").inner_text()
    assert "40 mg/dL" in notes and "52 kDa" in notes
    assert failed == []


def test_form_reports_bad_input(
    server: str, in_browser: Callable[..., None]
) -> None:
    in_browser(lambda page: _bad_input_steps(server, page))


def _bad_input_steps(server: str, page: Any) -> None:
    page.goto(server + PATH)
    page.fill("#assessed_on", "2026-09-01")
    page.select_option("#smoking_status", "current")
    page.fill("#last_cigarette", "2026-01-01")
    page.click("#check")
    page.wait_for_selector("#overall[data-overall]", timeout=ANSWER_LIMIT_MS)
    assert page.locator("#overall").get_attribute("data-overall") == "invalid"
    assert "smoking.last_cigarette" in page.locator("#problems").inner_text()


def test_unknown_fields_give_cannot_tell(
    server: str, in_browser: Callable[..., None]
) -> None:
    in_browser(lambda page: _unknown_steps(server, page))


def _unknown_steps(server: str, page: Any) -> None:
    page.goto(server + PATH)
    page.fill("#age_years", "30")
    page.click("#check")
    page.wait_for_selector("#overall[data-overall]", timeout=ANSWER_LIMIT_MS)
    assert page.locator("#overall").get_attribute("data-overall") == "cannot_tell"
    results = [result for result, _ in _rows(page).values()]
    assert results[0] == "met"
    assert results.count("unknown") == 6


def test_form_works_without_javascript(
    server: str, in_browser: Callable[..., None], criteria: list[Criterion]
) -> None:
    in_browser(lambda page: _no_javascript_steps(server, page, criteria), javascript=False)


def _no_javascript_steps(server: str, page: Any, criteria: list[Criterion]) -> None:
    page.goto(server + PATH)
    page.fill("#assessed_on", "2026-09-01")
    page.fill("#age_years", "18")
    page.select_option("#smoking_status", "current")
    page.click("#check")
    page.wait_for_selector("#overall[data-overall]", timeout=ANSWER_LIMIT_MS)
    assert page.locator("#overall").get_attribute("data-overall") == "not_indicated"
    rows = _rows(page)
    assert rows[str(criteria[0].iri)][0] == "not_met"
    assert "not greater than 18" in rows[str(criteria[0].iri)][1]
    smoking = next(c for c in criteria if c.slug == "not-smoking")
    assert rows[str(smoking.iri)][0] == "not_met"
    assert page.locator("#age_years").input_value() == "18"
    assert DISCLAIMER in page.locator("#disclaimer").inner_text()
