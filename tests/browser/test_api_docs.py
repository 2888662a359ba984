"""The API docs page works under the site's Content-Security-Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_renders_every_operation_without_csp_violations(page, live_server):
    response = page.goto("/api/v1/docs")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/v1/cases", "/api/v1/cases/{reference}/status", "/api/v1/stats/cases"} <= {
        p.replace("\u200b", "") for p in paths}
    assert page.console_errors == []
