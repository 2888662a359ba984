"""The admin's shared pieces: read-only pages and inlines."""

import pytest
from django.contrib import admin

from imbizo.cases.admin import CaseEventInline
from imbizo.cases.models import Case
from imbizo.engagement.models import Response
from imbizo.privacy.models import PersonalDataAccess
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of_superuser(rf):
    request = rf.get("/admin/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    return request


@pytest.mark.parametrize("model", [Case, PersonalDataAccess])
def test_a_read_only_admin_adds_changes_and_deletes_nothing(model, request_of_superuser):
    model_admin = admin.site._registry[model]

    assert not model_admin.has_add_permission(request_of_superuser)
    assert not model_admin.has_change_permission(request_of_superuser)
    assert not model_admin.has_delete_permission(request_of_superuser)
    assert model_admin.has_view_permission(request_of_superuser)


def test_a_deletable_read_only_admin_lets_an_administrator_delete(request_of_superuser):
    model_admin = admin.site._registry[Response]

    assert not model_admin.has_add_permission(request_of_superuser)
    assert not model_admin.has_change_permission(request_of_superuser)
    assert model_admin.has_delete_permission(request_of_superuser)


def test_a_read_only_inline_shows_every_field_read_only_and_takes_no_rows(request_of_superuser):
    inline = CaseEventInline(Case, admin.site)

    assert inline.get_readonly_fields(request_of_superuser) == inline.fields
    assert not inline.has_add_permission(request_of_superuser, None)
    assert (inline.extra, inline.can_delete) == (0, False)
