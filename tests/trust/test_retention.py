"""The retention sweep removes personal data kept past the retention period."""

import datetime

import pytest
import time_machine

from imbizo.cases.models import Case
from imbizo.cases.services import case_resolve
from imbizo.core.clock import now as clock_now
from imbizo.core.periodic import periodic_tasks
from imbizo.engagement.models import Contact
from imbizo.engagement.services import contact_record
from imbizo.notify.models import OutboxMessage
from imbizo.privacy.models import ErasedCase, ErasureReason, PersonalDataAccess
from imbizo.privacy.services import access_record, months_before, retention_sweep
from tests.support import sast
from tests.trust.conftest import open_case

pytestmark = pytest.mark.django_db
OPENED = sast(2024, 1, 15, 10, 0)


@pytest.fixture
def old_cases(world, settings, tmp_path):
    """Two cases opened in January 2024: one resolved at once, one still open."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    with time_machine.travel(OPENED, tick=False):
        closed = open_case("water-leak", world.ward, "Leak at number 4",
                           citizen_name="Ayanda Old", citizen_phone="0825550199")
        case_resolve(case=closed, actor=None, outcome="fixed", note="Fixed")
        OutboxMessage.objects.update(status="sent")
        still_open = open_case("water-leak", world.ward, "Leak at number 6",
                               citizen_name="Bongani Open", citizen_phone="0825550198")
        contact_record(channel="hotline", case=closed, identifier="+27825550199")
        contact_record(channel="walk_in", identifier="+27825550197")  # no case
    return closed, still_open


def test_a_case_closed_longer_ago_than_the_period_loses_its_personal_data(old_cases):
    closed, _open = old_cases

    with time_machine.travel(sast(2025, 1, 16, 0, 0), tick=False):
        result = retention_sweep()

    case = Case.objects.get(pk=closed.pk)
    assert result.cases == 1
    assert (case.citizen_name, case.citizen_phone, case.description) == ("", "", "")
    assert case.status == "resolved" and case.ward_id is not None
    assert ErasedCase.objects.get().reason == ErasureReason.RETENTION


def test_a_case_closed_within_the_period_keeps_it(old_cases):
    closed, _open = old_cases

    with time_machine.travel(sast(2025, 1, 14, 0, 0), tick=False):
        assert retention_sweep().cases == 0

    assert Case.objects.get(pk=closed.pk).citizen_name == "Ayanda Old"


def test_an_open_case_keeps_its_personal_data_however_old(old_cases):
    _closed, still_open = old_cases

    with time_machine.travel(sast(2030, 1, 1, 0, 0), tick=False):
        retention_sweep()

    assert Case.objects.get(pk=still_open.pk).citizen_name == "Bongani Open"


def test_the_sweep_twice_does_the_work_once(old_cases):
    with time_machine.travel(sast(2025, 2, 1, 0, 0), tick=False):
        first, second = retention_sweep(), retention_sweep()

    assert (first.cases, second.cases) == (1, 0)
    assert ErasedCase.objects.count() == 1


def test_the_sweep_works_in_batches(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PERSONAL_DATA_RETENTION_MONTHS = 1
    with time_machine.travel(OPENED, tick=False):
        for n in range(5):
            case_resolve(case=open_case("water-leak", world.ward, f"Leak {n}",
                                        citizen_name=f"Person {n}"), actor=None, outcome="fixed")

    with time_machine.travel(sast(2024, 6, 1, 0, 0), tick=False):
        assert retention_sweep(batch=2, max_batches=2).cases == 4
        assert retention_sweep(batch=2, max_batches=2).cases == 1

    assert not Case.objects.exclude(citizen_name="").exists()


def test_old_pseudonyms_and_message_recipients_are_cleared(old_cases):
    with time_machine.travel(sast(2025, 6, 1, 0, 0), tick=False):
        result = retention_sweep()

    assert result.contacts == 1  # the one without a case; the other went with its case
    assert not Contact.objects.exclude(citizen_key="").exists()
    assert not OutboxMessage.objects.filter(status="sent").exclude(recipient="").exists()


def test_zero_months_keeps_everything(old_cases, settings):
    settings.PERSONAL_DATA_RETENTION_MONTHS = 0

    with time_machine.travel(sast(2030, 1, 1, 0, 0), tick=False):
        assert retention_sweep().cases == 0


def test_access_log_entries_past_their_own_period_are_deleted(old_cases, settings):
    from tests.factories import StaffFactory

    settings.ACCESS_LOG_RETENTION_MONTHS = 24
    officer = StaffFactory()
    with time_machine.travel(OPENED, tick=False):
        access_record(staff=officer, purpose="case_page", case=old_cases[0])
    with time_machine.travel(sast(2026, 2, 1, 0, 0), tick=False):
        access_record(staff=officer, purpose="case_page", case=old_cases[1])
        assert retention_sweep().access_entries == 1

    assert PersonalDataAccess.objects.get().case_id == old_cases[1].pk


def test_the_worker_runs_the_sweep_periodically():
    import imbizo.privacy.tasks  # noqa: F401  (the worker autodiscovers tasks modules)

    assert "imbizo.privacy.tasks.retention_sweep_task" in periodic_tasks()


@pytest.mark.parametrize(("moment", "months", "expected"), [
    (datetime.datetime(2025, 3, 31, 12, tzinfo=datetime.UTC), 1,
     datetime.datetime(2025, 2, 28, 12, tzinfo=datetime.UTC)),
    (datetime.datetime(2025, 1, 15, tzinfo=datetime.UTC), 13,
     datetime.datetime(2023, 12, 15, tzinfo=datetime.UTC)),
])
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


def test_old_sign_in_records_and_expired_sessions_are_deleted(settings):
    from axes.models import AccessLog
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    settings.ACCESS_LOG_RETENTION_MONTHS = 24
    with time_machine.travel(OPENED, tick=False):
        AccessLog.objects.create(username="officer", ip_address="196.25.1.1",
                                 user_agent="Firefox", attempt_time=clock_now())
        store = SessionStore()
        store.set_expiry(60)
        store.save()
    with time_machine.travel(sast(2026, 2, 1, 0, 0), tick=False):
        result = retention_sweep()

    assert result.sign_ins == 1 and not AccessLog.objects.exists()
    assert not Session.objects.exists()
