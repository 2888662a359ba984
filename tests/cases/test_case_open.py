import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, CaseEvent, EventKind, RoutingRule
from imbizo.cases.reference import reference_parse
from imbizo.cases.services import case_open, route
from imbizo.core.errors import DomainError
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.models import Institution, Role
from tests.cases.conftest import inside, sast
from tests.factories import OfficeFactory, StaffFactory, WardFactory

MONDAY_10 = sast(2026, 3, 2, 10, 0)


def draft(world, **changes) -> CaseDraft:
    fields = {
        "service_code": "water-leak",
        "description": "Water running down the street since morning.",
        "channel": "web",
        "citizen_name": "Thandi Mokoena",
        "citizen_email": "thandi@example.org",
        "citizen_phone": "082 123 4567",
        "contact_consent": True,
        **inside(world.ward),
    }
    fields.update(changes)
    return CaseDraft(**fields)


@time_machine.travel(MONDAY_10, tick=False)
def test_opening_stores_the_case_with_reference_ward_office_and_promise(world):
    case = case_open(draft=draft(world))

    stored = Case.objects.get(pk=case.pk)
    assert reference_parse(stored.reference) == stored.reference
    assert stored.ward == world.ward
    assert stored.office == world.office
    assert stored.standard == world.standard
    assert stored.status == "received"
    assert stored.citizen_phone == "+27821234567"
    # 1 working day: close of business on Tuesday; 5 working days: the next Monday.
    assert stored.ack_due_at == sast(2026, 3, 3, 16, 30)
    assert stored.resolve_due_at == sast(2026, 3, 9, 16, 30)
    assert stored.next_check_at == stored.ack_due_at


@time_machine.travel(MONDAY_10, tick=False)
def test_a_number_without_a_country_code_is_read_as_one_of_the_institutions_country(world):
    institution = Institution.objects.get()
    institution.country = "KE"
    institution.save()

    kenyan = case_open(draft=draft(world, citizen_phone="0712 345 678"))
    south_african = case_open(draft=draft(world, citizen_phone="+27 82 123 4567"))

    assert kenyan.citizen_phone == "+254712345678"
    assert south_african.citizen_phone == "+27821234567"


@time_machine.travel(MONDAY_10, tick=False)
def test_opening_records_the_event_and_queues_the_acknowledgement(world):
    case = case_open(draft=draft(world))

    assert list(case.events.values_list("kind", flat=True)) == [EventKind.OPENED]
    messages = OutboxMessage.objects.filter(case=case, template="case_received")
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "sms"]
    subject, body = message_text(messages.get(channel="email"))  # rendered when sent
    assert case.reference in subject
    assert world.standard.pledge in body
    assert f"/track/{case.reference}/" in body


@time_machine.travel(MONDAY_10, tick=False)
def test_no_message_without_consent(world):
    case = case_open(draft=draft(world, contact_consent=False))

    assert not OutboxMessage.objects.filter(case=case).exists()


@time_machine.travel(MONDAY_10, tick=False)
def test_anonymous_reports_keep_no_contact_details(world):
    case = case_open(draft=draft(world, anonymous=True))

    case.refresh_from_db()
    assert (case.citizen_name, case.citizen_phone, case.citizen_email) == ("", "", "")
    assert case.contact_consent is False


@time_machine.travel(MONDAY_10, tick=False)
def test_the_same_idempotency_key_returns_the_first_case(world):
    first = case_open(draft=draft(world), idempotency_key="retry-123")

    again = case_open(draft=draft(world, description="changed"), idempotency_key="retry-123")

    assert again.pk == first.pk
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.filter(template="case_received").count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_code": "nope"}, "service_code"),
        ({"description": "  "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"lat": 10.0, "lon": 10.0}, "location"),
        ({"lat": -26.0, "lon": None}, "location"),
        ({"citizen_phone": "12"}, "citizen_phone"),
        ({"citizen_phone": "call me"}, "citizen_phone"),
        ({"citizen_email": "not-an-address"}, "citizen_email"),
        ({"channel": "pigeon"}, "channel"),
        ({"kind": "rant"}, "kind"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(world, changes, field):
    with pytest.raises(DomainError) as caught:
        case_open(draft=draft(world, **changes))

    assert caught.value.field == field
    assert caught.value.message
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@time_machine.travel(MONDAY_10, tick=False)
def test_a_case_without_a_location_has_no_ward(world):
    case = case_open(draft=draft(world, lat=None, lon=None, address="12 Long Street"))

    assert case.ward is None
    assert case.address == "12 Long Street"


def test_the_most_specific_routing_rule_wins(world):
    ward_office = OfficeFactory(code="ward-office")
    region_office = OfficeFactory(code="region-office")
    other_ward = WardFactory(region=world.ward.region)
    RoutingRule.objects.create(service=world.service, ward=world.ward, office=ward_office)
    RoutingRule.objects.create(service=world.service, region=world.ward.region,
                               office=region_office)

    assert route(service_id=world.service.pk, ward_id=world.ward.pk) == ward_office
    assert route(service_id=world.service.pk, ward_id=other_ward.pk) == region_office
    assert route(service_id=world.service.pk, ward_id=None) == world.office


@time_machine.travel(MONDAY_10, tick=False)
def test_auto_assignment_picks_the_least_busy_officer(world):
    world.office.auto_assign = True
    world.office.save()
    busy = StaffFactory(office=world.office, role=Role.OFFICER)
    idle = StaffFactory(office=world.office, role=Role.OFFICER)
    StaffFactory(office=world.office, role=Role.SUPERVISOR)
    case_open(draft=draft(world))  # goes to `busy` (lowest id, both idle)

    second = case_open(draft=draft(world))

    assert Case.objects.exclude(pk=second.pk).get().assignee == busy
    assert second.assignee == idle
    assert second.status == "assigned"


@time_machine.travel(MONDAY_10, tick=False)
def test_auto_assignment_counts_only_open_cases(world):
    world.office.auto_assign = True
    world.office.save()
    veteran = StaffFactory(office=world.office, role=Role.OFFICER)
    newcomer = StaffFactory(office=world.office, role=Role.OFFICER)
    for _ in range(3):  # the veteran's long record, all closed
        case_open(draft=draft(world))
    Case.objects.update(assignee=veteran, status="closed")
    Case.objects.filter(pk=case_open(draft=draft(world)).pk).update(assignee=newcomer)

    case = case_open(draft=draft(world))

    assert case.assignee == veteran  # no open case, against the newcomer's one
