"""Builders for client group tests: groups, cases placed at given instants,
survey responses, people in roles."""

import datetime

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, ClientType
from imbizo.cases.services import case_open
from imbizo.clients.models import ClientGroup
from imbizo.engagement.models import Answer, Instrument, Response
from imbizo.org.models import Role
from tests.factories import StaffFactory
from tests.support import inside

UTC = datetime.UTC


def at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


def group(code, *, client_type=ClientType.EXTERNAL, default=False, **extra) -> ClientGroup:
    return ClientGroup.objects.create(code=code, name=extra.pop("name", code.title()),
                                      client_type=client_type, default_for_type=default, **extra)


def case(world, *, opened_at, acknowledged_at=None, resolved_at=None, resolve_due_at=None,
         breached_at=None, client_type=ClientType.EXTERNAL, service=None) -> Case:
    """A case of the world's service, its instants set directly: figures read them as stored."""
    made = case_open(draft=CaseDraft(service_code="water-leak", description="Leak at the gate",
                                     channel="web", client_type=client_type,
                                     **inside(world.ward)))
    Case.objects.filter(pk=made.pk).update(
        opened_at=opened_at, acknowledged_at=acknowledged_at, resolved_at=resolved_at,
        resolve_due_at=resolve_due_at, resolve_breached_at=breached_at,
        **({"service": service} if service is not None else {}))
    made.refresh_from_db()
    return made


def response(*, case=None, submitted_at, answers: dict, instrument="after-contact") -> Response:
    """A survey response with numeric `answers` {question code: number}."""
    found = Instrument.objects.filter(code=instrument).order_by("-version").first()
    made = Response.objects.create(instrument=found, case=case, submitted_at=submitted_at)
    questions = {q.code: q for q in found.questions.all()}
    Answer.objects.bulk_create([
        Answer(response=made, question=questions[code], driver=questions[code].driver,
               number=number) for code, number in answers.items()])
    return made


def people(world) -> dict:
    office = world.office
    return {
        "supervisor": StaffFactory(office=office, role=Role.SUPERVISOR),
        "manager": StaffFactory(office=None, department=office.department, role=Role.MANAGER),
        "analyst": StaffFactory(office=None, department=None, role=Role.ANALYST),
        "officer": StaffFactory(office=office, role=Role.OFFICER),
        "admin": StaffFactory(office=None, department=None, role=Role.ADMINISTRATOR),
    }
