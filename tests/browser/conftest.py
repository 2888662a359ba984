"""Browser tests: Playwright driving Debian's Chromium against pytest-django's
live server, with an axe-core accessibility check of every page visited.

Chromium comes from the distribution (`apt-get install chromium`), never from
`playwright install`. Without it the browser tests skip, except under
CI=true, where they fail: CI must not pass by testing less.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by fixtures in the same thread are safe (they do not run inside the loop).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    # A safety net: every test module here also sets the marker itself.
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": browser tests are required under CI=true", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _open(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  locale="en-ZA", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Console errors include Content-Security-Policy violations and failed loads.
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _open(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser, live_server):
    """A browser with JavaScript switched off: the pages must still work."""
    context, page = _open(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


def axe_check(page) -> None:
    """Fail on serious or critical accessibility violations of the current page,
    listing each rule (id, help) and every element that breaks it."""
    # Evaluated through the DevTools protocol, not a <script> tag: the page's
    # Content-Security-Policy (no inline scripts) stays in force for the test.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    at {' '.join(node['target'])}" for node in v["nodes"])
        for v in serious
    )
    assert not serious, f"Accessibility violations on {page.url}:\n{report}"


def assert_no_console_errors(page) -> None:
    assert not page.console_errors, f"Browser console errors on {page.url}: {page.console_errors}"


def snap(page, name: str) -> None:
    """Save a full-page screenshot to test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
