"""Builders for quality-programme tests: people in roles, finished cases at
given instants (through the case services, with time travelled), visits."""

import datetime

import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_close, case_open, case_resolve
from imbizo.org.models import Role
from imbizo.quality.models import Checklist
from imbizo.quality.services import ItemEntry, visit_begin, visit_record, visit_submit
from tests.factories import OfficeFactory, StaffFactory
from tests.support import inside

# The smallest valid PNG (1x1), and a file that only pretends to be one.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def upload(content: bytes = PNG, name: str = "photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")


def people(world) -> dict:
    """A supervisor, an officer and a manager of the world's office, an
    administrator, and a supervisor of another department's office."""
    office = world.office
    return {
        "supervisor": StaffFactory(office=office, role=Role.SUPERVISOR),
        "officer": StaffFactory(office=office, role=Role.OFFICER),
        "manager": StaffFactory(office=None, department=office.department, role=Role.MANAGER),
        "admin": StaffFactory(office=None, department=None, role=Role.ADMINISTRATOR),
        "stranger": StaffFactory(office=OfficeFactory(), role=Role.SUPERVISOR),
    }


def finished_case(world, *, opened_at: datetime.datetime, took: datetime.timedelta,
                  kind: str = "request", root_cause: str = "", close: bool = False,
                  description: str = "Water leaking at the corner.", **citizen):
    """A case of the world's water service opened at `opened_at` and resolved
    `took` later, through the case services."""
    with time_machine.travel(opened_at, tick=False):
        case = case_open(draft=CaseDraft(service_code="water-leak", description=description,
                                         channel="web", kind=kind, **citizen,
                                         **inside(world.ward)))
    with time_machine.travel(opened_at + took, tick=False):
        case = case_resolve(case=case, actor=None, outcome="fixed", note="Done",
                            root_cause=root_cause)
        if close:
            case = case_close(case=case, actor=None)
    return case


def scored_visit(*, actor, cycle_row=None, office=None, score: int = 3,
                 scores: dict | None = None):
    """A submitted visit with every item scored `score` (or as in `scores`, by item order)."""
    visit = visit_begin(actor=actor, cycle_row=cycle_row, office=office)
    items = list(visit.scores.select_related("item").order_by("item__order"))
    entries = {row.item_id: ItemEntry(score=(scores or {}).get(row.item.order, score),
                                      evidence=f"Seen: {row.item.order}") for row in items}
    visit_record(visit=visit, actor=actor, entries=entries)
    return visit_submit(visit=visit, actor=actor)


def default_checklist() -> Checklist:
    """The data migration's checklist (flushed by transactional tests, so re-created)."""
    from importlib import import_module

    from django.apps import apps

    import_module("imbizo.quality.migrations.0002_default_checklist").create(apps, None)
    return Checklist.objects.get(code="default")



