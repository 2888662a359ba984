import pytest

from imbizo.field.models import FieldAssignment
from imbizo.field.services import household_survey_ensure
from tests.factories import StaffFactory, UserFactory
from tests.field.factories import ward_at
from tests.openrosa.collect import Collect


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


@pytest.fixture
def worker(db, ward):
    """A field worker: an officer assigned ward W1, password as in collect.PASSWORD."""
    staff = StaffFactory(user=UserFactory(username="thandi"))
    FieldAssignment.objects.create(worker=staff.user, ward=ward, target_households=200)
    return staff.user


@pytest.fixture
def collect(client, worker, survey, media):
    """ODK Collect on a phone set up with the server URL and thandi's account."""
    return Collect(client=client, username=worker.username)


@pytest.fixture
def office_worker(db):
    """Staff without any ward to visit."""
    return StaffFactory(user=UserFactory(username="sipho")).user
