"""Every link that leaves the site is built by imbizo.core.links."""

import re
from pathlib import Path

import pytest
from django.test import override_settings

from imbizo.core.links import site_host, site_link, site_url_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("host", "port", "expected"), [
    ("127.0.0.1", 8080, "http://127.0.0.1:8080"),
    ("localhost", "8106", "http://localhost:8106"),
    ("0.0.0.0", 8000, "http://127.0.0.1:8000"),  # noqa: S104 - a listening address, as given
    ("::1", 9000, "http://[::1]:9000"),
    (None, None, "http://127.0.0.1:8000"),
])
def test_the_default_site_url_is_the_address_served_on(host, port, expected):
    assert site_url_for(host=host, port=port) == expected


@override_settings(SITE_URL="https://services.example.gov.za/")
def test_a_link_joins_the_site_url_and_the_path_with_one_slash():
    assert site_link("/track/AB12-CD34/") == "https://services.example.gov.za/track/AB12-CD34/"
    assert site_link("survey/t/") == "https://services.example.gov.za/survey/t/"
    assert site_host() == "services.example.gov.za"


@override_settings(SITE_URL="http://127.0.0.1:8080")
def test_a_query_leaves_out_empty_values():
    assert site_link("/track/X/", query={"secret": ""}) == "http://127.0.0.1:8080/track/X/"
    assert site_link("/track/X/", query={"secret": "AB 1"}) == \
        "http://127.0.0.1:8080/track/X/?secret=AB+1"


def test_nothing_but_core_links_reads_site_url():
    """Links built by hand drift (a port here, a missing slash there): every
    module and template gets its links from imbizo.core.links."""
    # links.py reads it; `imbizo run` sets it for the processes it starts.
    allowed = {ROOT / "imbizo/core/links.py", ROOT / "imbizo/server/management/commands/run.py"}
    offenders = []
    for path in (ROOT / "imbizo").rglob("*"):
        if path.suffix not in (".py", ".html", ".txt") or path in allowed:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"SITE_URL|\{\{\s*site_url\s*\}\}", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
