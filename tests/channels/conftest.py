import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.channels.models import Gateway

SECRET = "s3cret-path"


def gateway_make(kind="sms", slug="at", adapter="africastalking", settings=None):
    gateway = Gateway(kind=kind, slug=slug, adapter=adapter, settings=settings or {})
    gateway.secret_set(SECRET)
    gateway.save()
    return gateway


@pytest.fixture
def at_gateway(world):
    return gateway_make()


def case_of(world, phone="+27821234567", **extra):
    return case_open(draft=CaseDraft(
        service_code=world.service.code, description="Water leaking in the street",
        channel="web", citizen_phone=phone, contact_consent=True, ward_code=world.ward.code,
        **extra))
