"""The OpenAPI document and the docs page."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_operation_with_the_key_scheme(client):
    document = client.get("/api/v1/openapi.json").json()

    assert document["openapi"].startswith("3.")
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert {"case_list", "case_get", "case_create", "case_status", "case_update",
            "service_list", "service_get", "service_standards", "ward_list", "ward_get",
            "office_list", "contact_list", "response_list", "case_counts"} <= operations
    assert document["components"]["securitySchemes"]["KeyAuth"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key"}


def test_every_operation_documents_its_error_shape(client):
    document = client.get("/api/v1/openapi.json").json()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)


def test_the_docs_page_loads_its_scripts_from_this_site_only(client):
    page = client.get("/api/v1/docs").content.decode()

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts
    for attributes, _body in scripts:
        # Either a script file from /static/, or a JSON data block (not executed).
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
        assert "http" not in attributes
