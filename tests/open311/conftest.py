"""Fixtures for the Open311 tests: a service that asks a question of every
datatype, and API keys."""

import pytest

from imbizo.catalogue.models import ServiceAttribute
from imbizo.integrations.services import apikey_create


@pytest.fixture
def questions(world):
    """world.service asks one question of each datatype."""
    service = world.service
    rows = [
        ("depth", "number", True, 1, [], "How deep is the hole (cm)?"),
        ("seen_at", "datetime", False, 2, [], "When did you first see it?"),
        ("landmark", "string", False, 3, [], "A landmark nearby"),
        ("details", "text", False, 4, [], "Anything else"),
        ("hazard", "singlevaluelist", True, 5,
         [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}], "Is it dangerous?"),
        ("affected", "multivaluelist", False, 6,
         [{"key": "cars", "name": "Cars"}, {"key": "people", "name": "People"},
          {"key": "houses", "name": "Houses"}], "What does it affect?"),
    ]
    for code, datatype, required, order, values, description in rows:
        ServiceAttribute.objects.create(
            service=service, code=code, datatype=datatype, required=required, order=order,
            values=values, description=description,
            datatype_description="centimetres" if code == "depth" else "")
    service.metadata = True
    service.save()
    return world


@pytest.fixture
def api_key(db):
    _key, raw = apikey_create(name="FixMyStreet", scopes="open311")
    return raw


@pytest.fixture
def read_only_key(db):
    _key, raw = apikey_create(name="Dashboard", scopes="read")
    return raw
