"""Nothing of a citizen's SMS in the logs: not the number, not the words, not
the gateway's secret, through the project's own logging configuration."""

import copy
import io
import logging
import logging.config

import pytest
from django.conf import settings

from .conftest import SECRET, at_post, case_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured_logs():
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


def test_no_log_line_carries_a_number_words_or_the_secret(client, at_gateway, sms_world,
                                                           captured_logs):
    case = case_of(sms_world, phone="+27825550199")
    for text in ("Zanele here, burst pipe by my gate", "thandanani clinic", "1",
                 f"STATUS {case.reference}", "It is still leaking at number 12", "STOP"):
        assert at_post(client, text=text, sender="0825550198").status_code == 200
    assert at_post(client, text="Zanele again", sender="0825550199",
                   secret="a-wrong-secret").status_code == 401
    logs = captured_logs.getvalue()
    assert "/channels/sms/at/…/" in logs and "401" in logs
    for private in ("5550198", "5550199", "Zanele", "burst pipe", "leaking", SECRET,
                    "a-wrong-secret"):
        assert private not in logs, private
