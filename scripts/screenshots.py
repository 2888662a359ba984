"""Take the screenshots used in README.md and docs/ from a fresh demo.

    .venv/bin/python scripts/screenshots.py

Builds a small demo database in var/, serves it on 127.0.0.1:8177 and drives
Debian's chromium with Playwright. Output: docs/images/*.png.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "screenshots.sqlite3"
PORT = 8177
OUT = ROOT / "docs" / "images"


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DB}", "DEMO_CASES": "3000",
           "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    server = subprocess.Popen([sys.executable, "-m", "imbizo.cli", "run", "--port", str(PORT)],
                              env=env, cwd=ROOT, start_new_session=True)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        shoot(env)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=20)


def shoot(env) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from imbizo.cases.models import Case

    case = Case.objects.filter(status="assigned", office__code="north-water-depot").first() \
        or Case.objects.filter(status="assigned").first()
    from imbizo.geo.models import Ward

    ward_code = Ward.objects.order_by("code").values_list("code", flat=True).first()
    OUT.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{PORT}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{base}/services/pothole/")
        page.screenshot(path=str(OUT / "charter.png"), full_page=True)
        page.goto(f"{base}/track/{case.reference}/")
        page.screenshot(path=str(OUT / "tracking.png"), full_page=True)
        page.goto(f"{base}/staff/login/")
        page.get_by_label("Username").fill("officer")
        page.get_by_label("Password").fill("imbizo-demo")
        page.get_by_role("button", name="Sign in").click()
        page.screenshot(path=str(OUT / "backoffice.png"), full_page=True)
        page.goto(f"{base}/staff/cases/{case.reference}/")
        page.screenshot(path=str(OUT / "case.png"), full_page=True)
        shoot_insights(browser.new_page(viewport={"width": 1200, "height": 900}), base, ward_code)
        browser.close()
    print(f"screenshots written to {OUT}")


def shoot_insights(page, base: str, ward_code: str) -> None:
    """The insight pages (docs/insights.md), in a fresh browser page: the public ones,
    then the war room as the demo manager."""
    for name, path in (("needs", "/needs/?group=Water&period=12m"), ("scorecard", "/scorecard/"),
                       ("ward", f"/wards/{ward_code}/")):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    page.goto(f"{base}/staff/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("imbizo-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/warroom/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / "warroom.png"), full_page=True)


if __name__ == "__main__":
    main()
