"""The demo's key clients: thirty with contact persons and two years of visits,
the demo officer's and supervisor's among them, cases linked, signals, and one
poor rating whose follow-up case the account manager owns; built in seconds."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from imbizo.cases.models import Case
from imbizo.clients.key_models import Signal, SignalKind, Visit
from imbizo.clients.key_selectors import retention
from imbizo.clients.models import CaseClient, ContactPerson, KeyClient
from imbizo.demo.history import history_build
from imbizo.demo.key_clients import key_clients_build
from imbizo.demo.municipality import demo_build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instruments")]
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


def test_the_demo_key_clients():
    with time_machine.travel(UNTIL, tick=False):
        demo_build(seed=3)
        history_build(seed=3, cases=3000, until=UNTIL)
        started = time.monotonic()

        made = key_clients_build(seed=3, until_day=UNTIL.date())

        took = time.monotonic() - started
    assert made["key clients"] == KeyClient.objects.count() == 30
    assert took < 10
    assert ContactPerson.objects.exclude(phone_key="").count() == made["contact persons"] >= 30
    visits = Visit.objects.order_by("visited_on")
    assert visits.count() > 200 and visits.first().visited_on < datetime.date(2024, 12, 1)
    assert not visits.filter(visited_on__gt=UNTIL.date()).exists()
    assert KeyClient.objects.filter(account_manager__user__username="officer").count() == 6
    assert KeyClient.objects.filter(account_manager__user__username="supervisor").count() == 4
    assert CaseClient.objects.filter(key_client__isnull=False).count() > 200
    assert Signal.objects.filter(kind=SignalKind.BREACH, recorded_at__isnull=True).exists()
    assert Signal.objects.filter(recorded_at__isnull=False).exclude(corrective_action="").exists()
    poor = Signal.objects.get(kind=SignalKind.POOR_RATING)
    follow_up = Case.objects.get(pk=poor.case_id)
    assert follow_up.assignee.user.username == "officer"
    assert poor.key_client.account_manager.user.username == "officer"
    figure = retention(as_of=UNTIL.date())
    assert 0 < figure.retained < figure.eligible
