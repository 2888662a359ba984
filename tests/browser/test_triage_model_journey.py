"""The triage model in a real browser: an administrator finds the model's page
from the menu, reads which version is in use and why the newer one was not
promoted, and opens that version's per-service figures; on a phone too."""

from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from imbizo.org.models import Role
from imbizo.triage import training
from imbizo.triage.training import model_train
from tests.browser.conftest import assert_no_console_errors, axe_check, snap
from tests.factories import StaffFactory, UserFactory
from tests.triage.conftest import examples

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots/triage-model")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    snap(page, f"triage-model-{name}")


@pytest.fixture
def _models(world, monkeypatch):
    from tests.factories import ServiceFactory
    from tests.triage.conftest import CODES

    for code in CODES[1:]:
        ServiceFactory(code=code, name=code.replace("-", " ").capitalize(),
                       department=world.office.department)
    first = model_train(examples=examples())
    fit = training._fit

    def crippled(train, timings=None):
        arrays = fit(train, timings)
        arrays["weights"] = np.zeros_like(arrays["weights"])
        return arrays

    monkeypatch.setattr(training, "_fit", crippled)
    worse = model_train(examples=examples(seed=9))
    return first, worse


def test_an_administrator_reads_the_models_evaluation(page, live_server, world, _models):
    first, worse = _models
    user = UserFactory(username="the-admin", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    StaffFactory(office=world.office, role=Role.ADMINISTRATOR, user=user)

    page.set_viewport_size(DESKTOP)
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Triage model").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Triage model")
    expect(page.locator("#in-use")).to_contain_text(first.version)
    row = page.locator("#versions tbody tr", has_text=worse.version)
    expect(row).to_contain_text("not promoted")
    expect(row).to_contain_text("Not promoted: macro F1")
    expect(page.locator("#per-service")).to_contain_text("Pothole")
    axe_check(page)
    assert_no_console_errors(page)
    shoot(page, "desktop")

    page.get_by_role("link", name=worse.version).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(f"How {worse.version} does")
    page.set_viewport_size(PHONE)
    shoot(page, "phone")
    assert_no_console_errors(page)
