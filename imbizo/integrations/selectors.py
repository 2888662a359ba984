"""Reads for integrations: what an API key may see, with the filters the REST
API offers. Interfaces paginate; these return ordered querysets.

A key with a department sees only that department's cases (its offices' or
its services'), and the contacts and responses of its offices.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from imbizo.cases.errors import CaseError
from imbizo.cases.models import Case, Kind, StatusChoice
from imbizo.cases.reference import reference_parse
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


def key_case_scope(key: ApiKey) -> Q:
    """The cases `key` may read or change, as a filter on Case."""
    if key.department_id is None:
        return Q()
    return Q(office__department_id=key.department_id) | Q(service__department_id=key.department_id)


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the case list; empty values filter nothing. Codes are checked."""

    status: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    ward: tuple[str, ...] = ()
    office: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    opened_after: datetime | None = None
    opened_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


def _ids_of(model, codes: tuple[str, ...], name: str) -> list[int]:
    """Primary keys for `codes` of `model`, or DomainError naming the first unknown code."""
    found = dict(model.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise DomainError(
            CaseError.INVALID_CHOICE,
            _("There is no %(what)s with the code '%(code)s'.")
            % {"what": model._meta.verbose_name, "code": unknown[0]},
            field=name,
        )
    return list(found.values())


def case_list_for_key(*, key: ApiKey, filters: CaseFilter) -> QuerySet[Case]:
    """Cases `key` may see matching `filters`, newest first (by id, for cursors).

    Codes in the filters that do not exist raise DomainError naming the filter.
    """
    cases = Case.objects.filter(key_case_scope(key))
    for value in filters.status:
        if value not in StatusChoice.values:
            raise DomainError(
                CaseError.INVALID_CHOICE,
                _("'%(value)s' is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(StatusChoice.values)},
                field="status",
            )
    for value in filters.kind:
        if value not in Kind.values:
            raise DomainError(
                CaseError.INVALID_CHOICE,
                _("'%(value)s' is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(Kind.values)},
                field="kind",
            )
    if filters.status:
        cases = cases.filter(status__in=filters.status)
    if filters.kind:
        cases = cases.filter(kind__in=filters.kind)
    if filters.service:
        cases = cases.filter(service_id__in=_ids_of(Service, filters.service, "service"))
    if filters.ward:
        cases = cases.filter(ward_id__in=_ids_of(Ward, filters.ward, "ward"))
    if filters.office:
        cases = cases.filter(office_id__in=_ids_of(Office, filters.office, "office"))
    if filters.opened_after:
        cases = cases.filter(opened_at__gte=filters.opened_after)
    if filters.opened_before:
        cases = cases.filter(opened_at__lt=filters.opened_before)
    if filters.updated_after:
        cases = cases.filter(updated_at__gte=filters.updated_after)
    if filters.updated_before:
        cases = cases.filter(updated_at__lt=filters.updated_before)
    return cases.select_related("service", "ward", "office", "parent").order_by("-id")


def case_get_for_key(*, key: ApiKey, reference: str) -> Case:
    """The case with `reference` if `key` may see it. A case of another
    department is reported as not found, so references cannot be probed."""
    canonical = reference_parse(reference)
    case = (
        Case.objects.filter(key_case_scope(key), reference=canonical)
        .select_related("service", "ward", "office", "parent", "standard")
        .first()
        if canonical else None
    )
    if case is None:
        raise DomainError(CaseError.NOT_FOUND, _("There is no case with this reference."),
                          field="reference")
    return case


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


def case_counts_for_key(*, key: ApiKey, opened_after: datetime | None = None,
                        opened_before: datetime | None = None) -> dict:
    """Cases by status and by service (grouped counts, two queries)."""
    cases = Case.objects.filter(key_case_scope(key))
    if opened_after:
        cases = cases.filter(opened_at__gte=opened_after)
    if opened_before:
        cases = cases.filter(opened_at__lt=opened_before)
    by_status = dict(cases.order_by().values_list("status").annotate(n=Count("id")))
    by_service = list(
        cases.order_by().values("service__code").annotate(n=Count("id")).order_by("service__code")
    )
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_service": {row["service__code"]: row["n"] for row in by_service},
    }


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
