import pytest

from tests.quality.factories import default_checklist, people


@pytest.fixture
def checklist(db):
    return default_checklist()


@pytest.fixture
def staff(world, checklist):
    return type("People", (), people(world))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
