import pytest

from imbizo.field.services import household_survey_ensure
from tests.field.factories import ward_at


@pytest.fixture
def survey(db):
    """The household needs survey, version 1."""
    return household_survey_ensure()


@pytest.fixture
def ward(db):
    """Ward W1: the square from (28.0, -26.2) to (28.01, -26.19)."""
    return ward_at("W1", 28.0)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
