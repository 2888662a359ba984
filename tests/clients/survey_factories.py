"""Builders for the client-service survey's tests: groups, key clients, closed cases."""

from datetime import timedelta

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, ClientType
from imbizo.cases.services import case_open
from imbizo.clients.models import ClientGroup, ContactPerson, KeyClient
from imbizo.clients.survey_models import SamplingRule
from imbizo.core import clock
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.support import inside


def groups() -> tuple[ClientGroup, ClientGroup]:
    households = ClientGroup.objects.create(code="households", name="Households", order=1,
                                            client_type=ClientType.EXTERNAL,
                                            default_for_type=True)
    business = ClientGroup.objects.create(code="business", name="Businesses", order=2,
                                          client_type=ClientType.EXTERNAL)
    return households, business


def key_client(world, group: ClientGroup, *, people: list[dict]) -> KeyClient:
    manager = StaffFactory(role=Role.MANAGER, office=world.office)
    client = KeyClient.objects.create(name="Sunrise Bakery", kind="business", group=group,
                                      account_manager=manager, office=world.office,
                                      created_at=clock.now())
    for n, person in enumerate(people):
        ContactPerson.objects.create(key_client=client, name=person.get("name", f"Person {n}"),
                                     email=person.get("email", ""), phone=person.get("phone", ""),
                                     survey_consent=person.get("consent", True))
    return client


def closed_case(world, *, email: str = "", phone: str = "", consent: bool = True,
                days_ago: int = 5) -> Case:
    """A case closed `days_ago` days ago (its closing date is set directly: the
    survey only reads it)."""
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel="hotline", citizen_email=email, citizen_phone=phone,
                                     citizen_name="Thandi", contact_consent=consent,
                                     **inside(world.ward)))
    Case.objects.filter(pk=case.pk).update(status="closed",
                                           closed_at=clock.now() - timedelta(days=days_ago))
    case.refresh_from_db()
    return case


def rule(**options) -> SamplingRule:
    values = {"name": "Quarterly client survey", "key_clients": True, "citizens": True,
              "citizen_days": 90}
    values.update(options)
    return SamplingRule.objects.create(**values)
