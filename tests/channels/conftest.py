import pytest

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import calendar_reset, case_open
from imbizo.catalogue.models import AttributeDatatype, ServiceAttribute
from imbizo.channels.models import Gateway
from imbizo.geo.models import Place
from imbizo.geo.services import places_locate
from imbizo.notify.models import OutboxMessage
from tests.factories import ServiceFactory, ServiceStandardFactory

SECRET = "s3cret-path"
PHONE = "+27821234567"
OTHER_PHONE = "+27831112222"


def gateway_make(kind="sms", slug="at", adapter="africastalking", settings=None):
    gateway = Gateway(kind=kind, slug=slug, adapter=adapter, settings=settings or {})
    gateway.secret_set(SECRET)
    gateway.save()
    return gateway


@pytest.fixture
def at_gateway(world):
    return gateway_make()


@pytest.fixture
def sms_world(world):
    """The world's water service offered by SMS, a roads service that asks one
    required question, a service whose required question a text cannot answer,
    and a landmark in the world's ward."""
    service = world.service
    service.name, service.group, service.keywords = "Water leak", "Water", "leak, burst, pipe"
    service.channels = ["web", "sms"]
    service.save()
    world.standard.pledge = "We stop a leak within 2 working days."
    world.standard.save()
    roads = ServiceFactory(code="pothole", name="Pothole", group="Roads", keywords="pothole, tar",
                           channels=["sms"], department=world.office.department)
    ServiceStandardFactory(service=roads, pledge="We fill a pothole within 5 working days.")
    ServiceAttribute.objects.create(
        service=roads, code="size", datatype=AttributeDatatype.SINGLE, required=True,
        description="How big is it?", values=[{"key": "small", "name": "Smaller than a plate"},
                                               {"key": "large", "name": "Bigger than a plate"}])
    booking = ServiceFactory(code="hall-booking", name="Hall booking", group="Halls",
                             channels=["sms"], department=world.office.department)
    ServiceStandardFactory(service=booking)
    ServiceAttribute.objects.create(service=booking, code="when", required=True,
                                    datatype=AttributeDatatype.DATETIME, description="When?")
    ward = world.ward
    place = Place(code="clinic", name="Thandanani Clinic", kind="landmark", area="",
                  lat=ward.centroid_lat, lon=ward.centroid_lon)
    places_locate([place])
    Place.objects.bulk_create([place])
    calendar_reset()
    world.roads = roads
    return world


def case_of(world, phone=PHONE, **extra):
    return case_open(draft=CaseDraft(
        service_code=world.service.code, description="Water leaking in the street",
        channel="web", citizen_phone=phone, contact_consent=True, ward_code=world.ward.code,
        **extra))


def at_post(client, *, text, msg_id=None, sender=PHONE, secret=SECRET, slug="at"):
    """Africa's Talking's incoming-message callback, as it sends it."""
    at_post.counter += 1
    return client.post(f"/channels/sms/{slug}/{secret}/", {
        "from": sender, "to": "31337", "text": text, "date": "2026-12-07 08:00:00",
        "id": msg_id or f"ATXid_{at_post.counter}", "linkId": "SampleLinkId123",
        "networkCode": "62120"})


at_post.counter = 0


def replies_to(phone=PHONE) -> list[str]:
    """The SMS replies queued for `phone`, oldest first."""
    return list(OutboxMessage.objects.filter(recipient=phone, template="channels/reply")
                .order_by("created_at", "id").values_list("body", flat=True))
