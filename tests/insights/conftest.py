"""A realistic story of cases and ratings, for the rollup and page tests."""

from dataclasses import dataclass

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import (
    case_acknowledge,
    case_assign,
    case_merge,
    case_open,
    case_reopen,
    case_resolve,
    case_resume,
    case_wait,
)
from imbizo.cases.sweep import clocks_sweep
from imbizo.engagement.models import Invitation
from imbizo.engagement.services import invitation_create, invitation_get, response_submit
from imbizo.org.models import Role
from tests.factories import OfficeFactory, RegionFactory, StaffFactory, WardFactory
from tests.support import inside, sast

END = sast(2026, 3, 23, 17, 0)


@dataclass
class Story:
    world: object
    wards: list
    offices: list
    cases: dict
    supervisor: object


def _open(world, ward, channel="web", **extra):
    location = inside(ward) if ward is not None else {}
    return case_open(draft=CaseDraft(service_code="water-leak", description="Leak",
                                     channel=channel, **location, **extra))


def _rate(case, answers, identifier):
    token = invitation_create(instrument_code="after-contact", source=Invitation.Source.EMAIL,
                              case=case, identifier=identifier)
    return response_submit(invitation=invitation_get(token), answers=answers)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def story(world) -> Story:
    return story_build(world)


def story_build(world) -> Story:
    """Two regions, three wards, two offices; seven cases through opens,
    acknowledgements (in time, late, missed), the sweep's breaches and
    escalations, a wait, resolutions in time and late, a merge, a move to
    another office, a reopening, and three ratings."""
    east = RegionFactory(code="east", name="East")
    world.ward.region = east
    world.ward.population = 20_000
    world.ward.save()
    w2 = WardFactory(code="W002", region=east, population=5_000)
    w3 = WardFactory(code="W003", region=RegionFactory(code="west", name="West"),
                     population=8_000)
    other = OfficeFactory(code="south-depot", department=world.office.department)
    boss = StaffFactory(office=world.office, role=Role.SUPERVISOR)
    c = {}
    with at(sast(2026, 3, 2, 10, 0)):
        c["a"] = _open(world, world.ward, "web")
        c["b"] = _open(world, world.ward, "hotline")
        c["c"] = _open(world, w2, "web")
        c["d"] = _open(world, w2, "sms")
        c["e"] = _open(world, world.ward, "walk_in")
        c["f"] = _open(world, None, "hotline")
    with at(sast(2026, 3, 2, 11, 0)):
        case_acknowledge(case=c["a"], actor=boss)
        case_acknowledge(case=c["b"], actor=boss)
    with at(sast(2026, 3, 4, 12, 0)):
        clocks_sweep()
    with at(sast(2026, 3, 4, 12, 30)):
        case_acknowledge(case=c["c"], actor=boss)
    with at(sast(2026, 3, 5, 9, 0)):
        case_resolve(case=c["a"], actor=boss, outcome="fixed")
        case_wait(case=c["b"], actor=boss, on="citizen", note="Which meter?")
    with at(sast(2026, 3, 6, 9, 0)):
        case_resume(case=c["b"], actor=boss)
        _rate(c["a"], {"concern": "4", "friendliness": "5", "civility": "4", "overall": "4"},
              "one@example.org")
    with at(sast(2026, 3, 17, 9, 0)):
        clocks_sweep()
    with at(sast(2026, 3, 18, 10, 0)):
        case_resolve(case=c["c"], actor=boss, outcome="fixed")
        case_merge(case=c["d"], into=c["e"], actor=boss)
        case_assign(case=c["e"], actor=boss, office=other)
    with at(sast(2026, 3, 19, 9, 0)):
        case_reopen(case=c["a"], actor=None, reason="Leaking again")
        _rate(c["c"], {"concern": "2", "friendliness": "3", "civility": "2", "overall": "2"},
              "two@example.org")
    with at(sast(2026, 3, 20, 9, 0)):
        case_resolve(case=c["a"], actor=boss, outcome="fixed")
        clocks_sweep()
    with at(sast(2026, 3, 23, 9, 0)):
        case_resolve(case=c["b"], actor=boss, outcome="not_fixed", reason="No budget")
        c["g"] = _open(world, w3, "web")
    with at(sast(2026, 3, 23, 11, 0)):
        case_acknowledge(case=c["g"], actor=boss)
        case_resolve(case=c["g"], actor=boss, outcome="fixed")
        _rate(c["g"], {"concern": "5", "friendliness": "5", "civility": "5", "overall": "5"},
              "three@example.org")
    for case in c.values():
        case.refresh_from_db()
    return Story(world=world, wards=[world.ward, w2, w3], offices=[world.office, other],
                 cases=c, supervisor=boss)
