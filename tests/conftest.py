import pytest

from tests.factories import InstitutionFactory


@pytest.fixture
def institution(db):
    return InstitutionFactory()
