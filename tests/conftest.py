import os

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from imbizo.cases.services import calendar_reset
from tests.factories import (
    InstitutionFactory,
    OfficeFactory,
    ServiceFactory,
    ServiceStandardFactory,
    WardFactory,
)

# CI runs the same examples every time (a failure there is reproducible);
# developers' runs keep exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


def pytest_configure(config):
    # The .mo files Django reads are built from the .po sources (never
    # committed): a test run after editing a catalogue sees the edit.
    from imbizo.core.catalogues import compile_catalogues

    compile_catalogues()


@pytest.fixture
def institution(db):
    return InstitutionFactory()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the institution's default language: a request
    answered in isiZulu leaves isiZulu active in the thread that served it,
    and the next test on that worker would read its words in isiZulu."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """The working calendar is cached per process; tests change it freely."""
    calendar_reset()
    yield
    calendar_reset()


@pytest.fixture
def world(db):
    """An institution with one ward, one office and a water service ('water-leak')
    whose standard promises acknowledgement in 1 working day, updates every 2,
    resolution in 5, with a warning 4 working hours before."""
    from imbizo.cases.models import EscalationStep, RoutingRule

    # The default ladder comes from a data migration, which transactional
    # tests flush away; make sure it is there.
    for level, name, hours, notify in ((1, "Office supervisor", 0, "supervisor"),
                                       (2, "Head of department", 16, "head_of_department"),
                                       (3, "War room", 40, "war_room")):
        EscalationStep.objects.get_or_create(
            level=level, defaults={"name": name, "after_hours": hours, "notify": notify})
    _standard_instruments()
    InstitutionFactory()
    ward = WardFactory(code="W001")
    office = OfficeFactory(code="depot")
    service = ServiceFactory(code="water-leak", department=office.department)
    standard = ServiceStandardFactory(service=service, warn_before_hours=4)
    RoutingRule.objects.create(service=service, office=office)
    return type("World", (), {"ward": ward, "office": office, "service": service,
                              "standard": standard})


@pytest.fixture
def instruments(db):
    """The standard survey instruments, whatever an earlier transactional test flushed."""
    _standard_instruments()


def _standard_instruments() -> None:
    """The survey instruments a data migration creates (flushed by transactional tests)."""
    from importlib import import_module

    from django.apps import apps

    import_module("imbizo.engagement.migrations.0002_standard_instruments").create(apps, None)
    import_module("imbizo.engagement.migrations.0005_anything_else_question").add(apps, None)
    import_module("imbizo.engagement.migrations.0008_client_service_recommend").add(apps, None)


@pytest.fixture(autouse=True)
def _fresh_webhook_subscriptions():
    """Webhook subscriptions are cached per process (integrations.receivers)."""
    from imbizo.integrations.receivers import webhook_snapshot_reset

    webhook_snapshot_reset()
    yield
    webhook_snapshot_reset()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Per-process caches outlive a test's database: the ward index (wards
    written in bulk, as by the demo, send no signal to reset it), the consent
    wordings a process has used (their rows go with the test's database) and Django's
    cache (the portal keeps wards.geojson there for five minutes). Each test
    starts without them."""
    from django.core.cache import cache

    from imbizo.geo.selectors import ward_index_reset
    from imbizo.privacy.services import consent_wordings_forget

    ward_index_reset()
    consent_wordings_forget()
    cache.clear()
    yield
    ward_index_reset()
    consent_wordings_forget()
    cache.clear()
