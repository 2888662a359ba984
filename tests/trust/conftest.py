"""A seeded instance for the trust tests: two departments, a case in each with a
citizen's personal data and a photo, a staff member of every role in the
first department, and a survey link."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, RoutingRule
from imbizo.cases.services import case_close, case_open, case_resolve, case_update_citizen
from imbizo.core import clock
from imbizo.engagement.models import Invitation
from imbizo.engagement.services import invitation_create
from imbizo.org.models import Office, Role, Staff
from imbizo.outreach.interruptions import InterruptionDraft, interruption_create
from imbizo.privacy.consent import CONTACT_WORDING
from tests.factories import (
    OfficeFactory,
    ServiceFactory,
    ServiceStandardFactory,
    StaffFactory,
    UserFactory,
)
from tests.support import PNG, inside

# What the seeded citizen told us; none of it may appear on a public page.
CITIZEN = {"citizen_name": "Nokuthula Zwelithini", "citizen_phone": "082 999 0001",
           "citizen_email": "nokuthula.z@example.org", "address": "99 Jacaranda Lane"}
PERSONAL = ("Nokuthula", "Zwelithini", "+27829990001", "082 999 0001", "0829990001",
            "nokuthula.z@example.org", "99 Jacaranda Lane")


@dataclass
class Seed:
    case: Case  # in the first department, at the office "depot"
    foreign_case: Case  # in the other department
    office: Office
    foreign_office: Office
    staff: dict[str, Staff]  # by role
    survey_token: str
    photo_id: int
    foreign_photo_id: int
    quality: dict  # ids of quality-programme objects: "cycle", "foreign_cycle", ...
    api_key: str  # a raw REST API key with the read scope
    # Outreach meetings: "planned" and "held" (uids), "commitment" and "update" (pks).
    meetings: dict = field(default_factory=dict)
    interruption_id: int = 0  # a water interruption in progress in the seeded ward


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("street.png", PNG, content_type="image/png")


def open_case(service_code: str, ward, description: str, **contact) -> Case:
    return case_open(draft=CaseDraft(
        service_code=service_code, description=description, channel="web",
        contact_consent=True, consent_text=str(CONTACT_WORDING), **contact, **inside(ward)),
        photos=[photo()])


@pytest.fixture
def seed(world, settings, tmp_path) -> Seed:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    foreign_office = OfficeFactory(code="parks-depot")
    foreign_service = ServiceFactory(code="park-litter", department=foreign_office.department)
    ServiceStandardFactory(service=foreign_service)
    RoutingRule.objects.create(service=foreign_service, office=foreign_office)
    from imbizo.cases.services import calendar_reset

    calendar_reset()
    case = open_case("water-leak", world.ward, "Leak outside my gate", **CITIZEN)
    case_update_citizen(case=case, actor=None, message="A team is on the way.")
    foreign_case = open_case("park-litter", world.ward, "Litter in the park",
                             citizen_name="Thabo Other", citizen_phone="082 999 0002")
    call_centre = OfficeFactory(code="call-centre", department=world.office.department)
    staff = {
        Role.AGENT: StaffFactory(role=Role.AGENT, office=call_centre,
                                 user=UserFactory(username="agent")),
        Role.OFFICER: StaffFactory(role=Role.OFFICER, office=world.office,
                                   user=UserFactory(username="officer")),
        Role.SUPERVISOR: StaffFactory(role=Role.SUPERVISOR, office=world.office,
                                      user=UserFactory(username="supervisor")),
        Role.MANAGER: StaffFactory(role=Role.MANAGER, office=None,
                                   department=world.office.department,
                                   user=UserFactory(username="manager")),
        Role.ANALYST: StaffFactory(role=Role.ANALYST, office=None, department=None,
                                   user=UserFactory(username="analyst")),
        Role.AUDITOR: StaffFactory(role=Role.AUDITOR, office=None, department=None,
                                   user=UserFactory(username="auditor")),
        Role.ADMINISTRATOR: StaffFactory(
            role=Role.ADMINISTRATOR, office=None, department=None,
            user=UserFactory(username="administrator", is_staff=True, is_superuser=True)),
    }
    token = invitation_create(instrument_code="after-contact", source=Invitation.Source.EMAIL,
                              case=case, identifier="someone-else@example.org")
    from imbizo.integrations.services import apikey_create

    _key, raw_key = apikey_create(name="matrix", scopes=["read"])
    interruption = _interruption(world)
    return Seed(interruption_id=interruption.pk, case=case, foreign_case=foreign_case, office=world.office,
                foreign_office=foreign_office, staff=staff, survey_token=token,
                photo_id=case.attachments.get().pk,
                foreign_photo_id=foreign_case.attachments.get().pk,
                quality=quality_objects(world.office, foreign_office, staff, case),
                api_key=raw_key, meetings=meeting_objects(world, staff))


def meeting_objects(world, staff) -> dict:
    """A planned meeting in world.ward, and one held there with a commitment
    world.office's department owns and a report-back with a photo."""
    import datetime

    import time_machine

    from imbizo.core import clock
    from imbizo.outreach import meetings

    clerk = staff[Role.AGENT]
    now = clock.now()
    planned = meetings.meeting_plan(
        actor=clerk, title="Ward imbizo", ward=world.ward, place="Hall",
        starts_at=now + datetime.timedelta(days=7), ends_at=now + datetime.timedelta(days=7, hours=2))
    held = meetings.meeting_plan(
        actor=clerk, title="Last imbizo", ward=world.ward, place="School",
        starts_at=now + datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=3))
    with time_machine.travel(now + datetime.timedelta(hours=2), tick=False):
        meetings.meeting_record(meeting=held, actor=clerk, attendance_total=40)
        commitment = meetings.commitment_make(meeting=held, actor=clerk, entry=meetings.CommitmentEntry(
            text="Fix the leaks", due_on=(now + datetime.timedelta(days=30)).date(),
            owner_department=world.office.department))
        update = meetings.commitment_update(commitment=commitment, actor=staff[Role.OFFICER],
                                            status="in_progress", photo=photo())
    return {"planned": planned.uid, "held": held.uid, "commitment": commitment.pk,
            "update": update.pk}


def _interruption(world):
    now = clock.now()
    return interruption_create(draft=InterruptionDraft(
        service=world.service, ward_ids=[world.ward.pk], kind="unplanned",
        title="Burst main", public_text="No water until the main is repaired.",
        starts_at=now - timedelta(hours=1), expected_restoration_at=now + timedelta(hours=6)))


def quality_objects(office, foreign_office, staff, case) -> dict:
    """One of each quality-programme object at `office` (and a cycle, visit and
    photo at `foreign_office`), made through the quality services."""
    import datetime

    from imbizo.cases.models import Principle
    from imbizo.quality import services as quality
    from tests.quality.factories import default_checklist

    default_checklist()
    supervisor, administrator = staff[Role.SUPERVISOR], staff[Role.ADMINISTRATOR]
    ids = {}
    for prefix, where, actor in (("", office, supervisor),
                                 ("foreign_", foreign_office, administrator)):
        cycle = quality.cycle_start(office=where, actor=actor)
        visit = quality.visit_begin(actor=actor, cycle_row=cycle)
        quality.visit_record(visit=visit, actor=actor, entries={},
                             photos=[(visit.scores.first().item_id, photo())])
        ids.update({f"{prefix}cycle": cycle.pk, f"{prefix}visit": visit.pk,
                    f"{prefix}photo": visit.photos.get().pk})
    ids["action"] = quality.action_create(actor=supervisor, draft=quality.ActionDraft(
        title="Shorter queues", owner=supervisor, due_on=datetime.date(2030, 1, 1),
        principle="access", metric="share_resolved_in_time", office=office)).pk
    ids["focus_group"] = quality.focus_group_create(
        actor=supervisor, office=office, topic="Waiting times",
        held_on=datetime.date(2026, 1, 5), participants=5).pk
    ids["nomination"] = quality.nomination_create(actor=staff[Role.MANAGER], office=office,
                                                  reason="Kind to every visitor").pk
    closed = case_close(case=case_resolve(case=case, actor=None, outcome="fixed", note="Fixed"),
                        actor=None)
    ids["story"] = quality.story_create(
        actor=supervisor, case=closed, title="Fixed the next day",
        text="A leak was fixed the day after it was reported.", key_outcome="success",
        key_principle=Principle.SERVICE_STANDARDS).pk
    return ids


@pytest.fixture
def resolved_seed(seed) -> Seed:
    """The seed; its case is resolved (its tracking page then offers reopening)."""
    return seed
