"""The SMS dialogue with a triage model really trained (issues 18 and 19
together): words in isiZulu with no service keyword find their service."""

import random

import pytest
from django.utils import translation

from imbizo.demo.triage_descriptions import describe
from imbizo.triage.model import model_forget
from imbizo.triage.training import Example, model_train

from .conftest import at_post, replies_to

pytestmark = pytest.mark.django_db

WORDS = "Umgodi omkhulu emgwaqweni"  # "a big hole in the road": no keyword of any service


@pytest.fixture(autouse=True)
def _no_loaded_model():
    model_forget()
    yield
    model_forget()


def _train_on(codes):
    rng = random.Random(3)
    examples = []
    for i in range(300):
        code = codes[i % len(codes)]
        text, principles = describe(rng, code, code)
        examples.append(Example(text, code, tuple(principles)))
    return model_train(examples=examples)


def test_without_a_model_the_words_get_the_menu(client, at_gateway, sms_world):
    at_post(client, text=WORDS, sender="+27821110001")
    [reply] = replies_to("+27821110001")
    assert not reply.startswith("Pothole.")


def test_a_trained_model_picks_the_service_from_the_citizens_own_words(
        client, at_gateway, sms_world):
    assert sms_world.service.code == "water-leak"
    _train_on(("water-leak", "pothole"))

    at_post(client, text=WORDS, sender="+27821110002")

    [reply] = replies_to("+27821110002")
    # The words are isiZulu: the reply is in isiZulu too, the service's name
    # (content without a translation here) in English.
    ask = ("%(service)s. Where is it? Reply with the ward name or number, the street "
           "or a landmark nearby.")
    with translation.override("zu"):
        where = translation.gettext(ask) % {"service": "Pothole"}
    assert where != ask % {"service": "Pothole"}
    assert reply.startswith(where)
