import pytest
from django.contrib import admin
from django.urls import reverse

from imbizo.catalogue.models import ServiceStandard
from tests.factories import ServiceStandardFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_every_admin_list_and_add_page_opens(superuser_client, world):
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert superuser_client.get(changelist).status_code == 200, changelist
        if model_admin.has_add_permission(_request(superuser_client)):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            assert superuser_client.get(add).status_code == 200, add


def test_search_and_filters_work_on_services(superuser_client, world):
    url = reverse("admin:catalogue_service_changelist")

    response = superuser_client.get(url, {"q": "water-leak", "group": "Water"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


TARGETS_NONE = {"priority_targets-TOTAL_FORMS": "0", "priority_targets-INITIAL_FORMS": "0"}


def test_saving_a_standard_in_the_admin_creates_a_new_version(superuser_client, world):
    standard = world.standard
    url = reverse("admin:catalogue_servicestandard_change", args=[standard.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(pledge="We now fix leaks within 3 working days.", resolve_amount=3,
                **TARGETS_NONE)

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    standard.refresh_from_db()
    assert standard.pledge != "We now fix leaks within 3 working days."  # unchanged
    newest = ServiceStandard.objects.filter(service=standard.service).order_by("-version").first()
    assert newest.version == standard.version + 1
    assert (newest.pledge, newest.resolve_amount) == ("We now fix leaks within 3 working days.", 3)


def test_the_service_page_shows_the_standards_history_inline(superuser_client, world):
    ServiceStandardFactory(service=world.service, version=2, pledge="Second promise")

    page = superuser_client.get(
        reverse("admin:catalogue_service_change", args=[world.service.pk])).content.decode()

    assert "Standard history" in page
    assert "Second promise" in page


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(username="root")
    return request


def test_an_urgent_target_in_clock_hours_is_saved_with_the_new_version(superuser_client, world):
    # Given the current standard, edited in the admin with an urgent row added
    standard = world.standard
    url = reverse("admin:catalogue_servicestandard_change", args=[standard.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"priority_targets-TOTAL_FORMS": "1", "priority_targets-INITIAL_FORMS": "0",
                 "priority_targets-0-priority": "urgent", "priority_targets-0-ack_amount": "1",
                 "priority_targets-0-ack_unit": "calendar_hours",
                 "priority_targets-0-resolve_amount": "12",
                 "priority_targets-0-resolve_unit": "calendar_hours"})

    response = superuser_client.post(url, data)

    # Then the new version carries the target and the old one is untouched
    assert response.status_code == 302
    newest = ServiceStandard.objects.filter(service=standard.service).order_by("-version").first()
    assert newest.pk != standard.pk
    assert list(newest.priority_targets.values_list(
        "priority", "ack_amount", "ack_unit", "resolve_amount", "resolve_unit")) == [
        ("urgent", 1, "calendar_hours", 12, "calendar_hours")]
    assert not standard.priority_targets.exists()
