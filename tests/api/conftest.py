import json

import pytest

from imbizo.integrations.services import apikey_create
from tests.factories import DepartmentFactory


class Api:
    """The Django test client speaking JSON to /api/v1/ with a key."""

    def __init__(self, client, raw_key: str | None):
        self.client = client
        self.raw_key = raw_key

    def _headers(self) -> dict:
        return {"HTTP_X_API_KEY": self.raw_key} if self.raw_key else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(f"/api/v1/{path.lstrip('/')}", params or {}, **self._headers())

    def post(self, path: str, body=None, *, raw: bytes | str | None = None,
             content_type: str = "application/json"):
        data = raw if raw is not None else json.dumps(body)
        return self.client.post(f"/api/v1/{path.lstrip('/')}", data=data,
                                content_type=content_type, **self._headers())


def key_for(scopes: str, *, name: str | None = None, department=None) -> str:
    _key, raw_key = apikey_create(name=name or f"key {scopes} {department}", scopes=scopes,
                                  department=department)
    return raw_key


@pytest.fixture
def reader(client, db):
    return Api(client, key_for("read"))


@pytest.fixture
def personal_reader(client, db):
    return Api(client, key_for("read,personal"))


@pytest.fixture
def writer(client, db):
    return Api(client, key_for("read,write"))


@pytest.fixture
def anonymous(client, db):
    return Api(client, None)


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="roads")
