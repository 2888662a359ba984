"""Nothing personal in the logs: a citizen's report, its resolution and the
survey after it, walked through the doors people use, with every logger
captured at every level through the project's own logging configuration."""

import copy
import io
import logging
import logging.config
import re

import pytest
from django.conf import settings
from django.urls import reverse

from imbizo.cases.models import Case
from imbizo.notify.models import OutboxMessage
from imbizo.notify.tasks import outbox_sweep
from imbizo.notify.texts import message_text
from imbizo.org.models import Role
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

NAME, EMAIL, PHONE, E164 = "Zanele Mokoena", "zanele.m@example.org", "082 555 0199", "+27825550199"
ANSWERS = {"satisfaction": "2", "trust": "2", "effectiveness": "3", "ease": "2",
           "efficiency": "2", "fairness": "3", "helpfulness": "2"}


@pytest.fixture
def captured_logs():
    """Every record of every logger, formatted by the project's own handler setup
    (its filters included), into a string."""
    stream = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["stream"] = stream
    config["root"]["level"] = "DEBUG"
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logging.config.dictConfig(config)
    yield stream
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


def test_no_log_line_names_the_citizen_or_carries_a_message_or_token(client, world,
                                                                        captured_logs):
    # A citizen reports on the web form, with a name, an email and a phone.
    client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "description": "Burst pipe by the school",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
        "citizen_name": NAME, "citizen_email": EMAIL, "citizen_phone": PHONE,
        "contact_consent": "on"})
    case = Case.objects.get()
    outbox_sweep.enqueue()
    # An officer resolves it on the case page; the citizen is told, with a survey link.
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    client.force_login(officer.user)
    client.post(reverse("backoffice:case_action", args=[case.reference, "resolve"]),
                {"outcome": "fixed", "note": "Valve replaced", "root_cause": "Old valve"})
    client.logout()
    outbox_sweep.enqueue()
    resolution = OutboxMessage.objects.get(case=case, template="case_resolved", channel="email")
    survey = re.search(r"/survey/[^/\s]+/", message_text(resolution)[1]).group(0)
    token = survey.split("/")[2]
    # The citizen answers the survey, then opens the used link again; someone
    # guesses another token.
    client.get(survey)
    client.post(survey, ANSWERS)
    client.post(survey, ANSWERS)
    client.get(survey[:-6] + "zzzzz/")

    logs = captured_logs.getvalue()
    assert "message" in logs and case.reference in logs  # the capture saw the journey
    bodies = [line.strip() for message in OutboxMessage.objects.exclude(body="")
              for line in message.body.splitlines() if len(line.strip()) > 25]
    assert bodies, "the messages were sent and their texts kept"
    secrets = [NAME, "Mokoena", EMAIL, PHONE, E164, "0825550199", token, token[:-1] + "zzzzz",
               *bodies]
    assert [secret for secret in secrets if secret in logs] == []
