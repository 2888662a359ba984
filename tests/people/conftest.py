import pytest

from imbizo.org.models import Role
from tests.factories import StaffFactory


def _seed_framework() -> None:
    """The framework's data migration (flushed by transactional tests)."""
    from importlib import import_module

    from django.apps import apps

    import_module("imbizo.people.migrations.0003_service_orientation_framework").seed(apps, None)


@pytest.fixture
def framework(db):
    from imbizo.people.framework import current_version

    _seed_framework()
    return current_version()


@pytest.fixture
def line(institution, framework):
    """A supervisor and the officer who reports to them."""
    boss = StaffFactory(role=Role.SUPERVISOR, user__first_name="Sipho", user__last_name="Dlamini")
    person = StaffFactory(role=Role.OFFICER, manager=boss, office=boss.office,
                          user__first_name="Thandi", user__last_name="Nkosi")
    return boss, person
