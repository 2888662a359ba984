"""Reads for integrations: what an API key may see besides cases, with the
filters the REST API offers. Interfaces paginate; these return ordered
querysets.

A key with a department sees only the contacts and responses of its offices
(and, through cases.selectors with `viewer=key`, that department's cases).
"""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from imbizo.cases.errors import CaseError
from imbizo.catalogue.models import Service, ServiceAttribute
from imbizo.catalogue.selectors import standards_in_force_order
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.engagement.models import Contact, Response
from imbizo.geo.models import Ward
from imbizo.org.models import Office

from .errors import IntegrationError
from .models import ApiKey, Scope


def key_sees_personal_data(key: ApiKey) -> bool:
    return key.allows(Scope.PERSONAL)


def key_may_use_service(*, key: ApiKey, service_code: str) -> None:
    """DomainError(FORBIDDEN) when a department key names another department's service."""
    if key.department_id is None:
        return
    found = Service.objects.filter(code=service_code).values_list("department_id").first()
    # An unknown code is for case_open to refuse, naming the field.
    if found is not None and found[0] != key.department_id:
        raise DomainError(
            IntegrationError.OUTSIDE_DEPARTMENT,
            _("This API key may only open cases for its own department's services."),
            field="service_code",
        )


def _office_scope(key: ApiKey, prefix: str = "") -> Q:
    if key.department_id is None:
        return Q()
    return Q(**{f"{prefix}office__department_id": key.department_id})


def contact_list_for_key(*, key: ApiKey, since: datetime | None = None,
                         until: datetime | None = None) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(_office_scope(key))
    if since:
        contacts = contacts.filter(at__gte=since)
    if until:
        contacts = contacts.filter(at__lt=until)
    return contacts.select_related("office", "case").order_by("-id")


def response_list_for_key(*, key: ApiKey, since: datetime | None = None,
                          until: datetime | None = None) -> QuerySet[Response]:
    responses = Response.objects.filter(_office_scope(key))
    if since:
        responses = responses.filter(submitted_at__gte=since)
    if until:
        responses = responses.filter(submitted_at__lt=until)
    return (responses.select_related("instrument", "office", "case")
            .prefetch_related("answers__question").order_by("-id"))


def office_list() -> QuerySet[Office]:
    return Office.objects.select_related("department", "region").order_by("code")


def ward_list() -> QuerySet[Ward]:
    return Ward.objects.select_related("region").defer("boundary").order_by("code")


def ward_get(*, code: str) -> Ward:
    ward = Ward.objects.select_related("region").filter(code=code).first()
    if ward is None:
        raise DomainError(CaseError.NOT_FOUND, _("There is no ward with this code."), field="code")
    return ward


def service_list(*, key: ApiKey) -> QuerySet[Service]:
    """Active services with their questions and the standard in force prefetched
    (`questions`, `current_standards`). A department key sees its own services."""
    services = Service.objects.filter(active=True)
    if key.department_id is not None:
        services = services.filter(department_id=key.department_id)
    return services.select_related("department").prefetch_related(
        Prefetch("attributes", queryset=ServiceAttribute.objects.order_by("order", "id"),
                 to_attr="questions"),
        Prefetch("standards", queryset=standards_in_force_order(clock.now().date()),
                 to_attr="current_standards"),
    ).order_by("code")


def service_get(*, key: ApiKey, code: str) -> Service:
    service = service_list(key=key).filter(code=code).first()
    if service is None:
        raise DomainError(CaseError.NOT_FOUND, _("There is no service with this code."),
                          field="code")
    return service


def standard_versions(*, service: Service):
    """Every published version of a service's standard, newest first."""
    return service.standards.filter(published=True).order_by("-version")
