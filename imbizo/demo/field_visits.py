"""Demo door-to-door survey: field workers in every region, tens of thousands
of household visits over the last three months, whose needs differ by region
(the West lacks water, the North electricity, ...), with a few records for the
supervisor to look at (conflicts, points outside every ward, phones waiting).

Records are bulk-inserted (core.bulk) with their first revision and need rows,
then the field rollups are rebuilt once: seconds, not minutes.
"""

import datetime
import random
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from imbizo.core import clock
from imbizo.core.bulk import bulk_insert, sequence_reset
from imbizo.field.models import (
    FieldAssignment,
    FieldConflict,
    FieldDevice,
    FieldRecord,
    FieldRecordNeed,
    FieldRecordRevision,
)
from imbizo.field.rollups import field_rollups_rebuild
from imbizo.field.services import device_register, household_survey_ensure
from imbizo.geo.models import Ward
from imbizo.geo.selectors import ward_ids_at_many
from imbizo.org.models import Office, Role, Staff

from .logins import DEMO_PASSWORD
from .names import FIRST_NAMES, LAST_NAMES

DEFAULT_VISITS = 30_000
WORKERS_PER_REGION = 4
DAYS = 75
FIELD_LOGIN = ("fieldworker", "Ayanda", "Zulu")

# How likely a household in each region reports each need (the rest: the base rate).
BASE = {"water": 0.15, "sanitation": 0.15, "electricity": 0.12, "refuse": 0.15,
        "housing": 0.2, "roads": 0.15, "safety": 0.2, "social_grants": 0.1, "health": 0.12,
        "education": 0.08, "jobs": 0.35}
REGION_NEEDS = {
    "west": {"water": 0.72, "sanitation": 0.45},
    "north": {"electricity": 0.66, "safety": 0.35},
    "east": {"housing": 0.62, "refuse": 0.4},
    "south": {"roads": 0.58, "jobs": 0.5},
    "central": {"safety": 0.5, "health": 0.35},
}
URGENCY = ("urgent", "soon", "can_wait")


def _workers(rng: random.Random, regions: list) -> dict[str, list]:
    """Field workers (officers of the region's customer-care office) per region
    code; the demo login `fieldworker` is the first in the West."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    offices = {o.region_id: o for o in Office.objects.filter(department__code="customer-care")
               .order_by("id")}
    fallback = Office.objects.filter(department__code="customer-care").order_by("id").first()
    plan = []
    for region in regions:
        for n in range(WORKERS_PER_REGION):
            if region.code == "west" and n == 0:
                plan.append((FIELD_LOGIN[0], FIELD_LOGIN[1], FIELD_LOGIN[2], region))
            else:
                plan.append((f"field.{region.code}{n + 1}", rng.choice(FIRST_NAMES),
                             rng.choice(LAST_NAMES), region))
    users = User.objects.bulk_create([
        User(username=username, password=password, first_name=first, last_name=last,
             email=f"{username}@ubuntubay.example") for username, first, last, _r in plan])
    Staff.objects.bulk_create([
        Staff(user=user, role=Role.OFFICER, office=offices.get(region.pk, fallback),
              department=(offices.get(region.pk, fallback) or fallback).department
              if fallback else None, job_title="Community development worker")
        for user, (_u, _f, _l, region) in zip(users, plan, strict=True)])
    by_region: dict[str, list] = {}
    for user, (_u, _f, _l, region) in zip(users, plan, strict=True):
        by_region.setdefault(region.code, []).append(user)
    return by_region


def _point_near(rng: random.Random, ward: Ward) -> tuple[float, float]:
    return (ward.centroid_lat + rng.uniform(-0.002, 0.002),
            ward.centroid_lon + rng.uniform(-0.002, 0.002))


@transaction.atomic
def field_visits_build(*, seed: int, visits: int = DEFAULT_VISITS,
                       until: datetime.datetime | None = None) -> dict[str, int]:
    """Build the demo's field work; returns counts of what was made."""
    rng = random.Random(f"{seed}-field")
    form = household_survey_ensure()
    until = until or clock.now()
    wards = list(Ward.objects.select_related("region").order_by("code"))
    regions = sorted({w.region for w in wards if w.region}, key=lambda r: r.code)
    workers = _workers(rng, regions)
    wards_by_region: dict[str, list[Ward]] = {}
    for ward in wards:
        if ward.region:
            wards_by_region.setdefault(ward.region.code, []).append(ward)
    # Each region's wards shared out among its workers, a target per ward.
    assignments, worker_wards = [], {}
    for code, region_wards in wards_by_region.items():
        team = workers[code]
        for i, ward in enumerate(region_wards):
            worker = team[i % len(team)]
            worker_wards.setdefault(worker.pk, []).append(ward)
            assignments.append(FieldAssignment(worker=worker, ward=ward,
                                               target_households=rng.choice((350, 400, 500)),
                                               assigned_at=until - datetime.timedelta(days=DAYS)))
    FieldAssignment.objects.bulk_create(assignments)
    all_workers = [w for team in workers.values() for w in team]
    devices = {}
    for worker in all_workers:
        device, _token = device_register(worker=worker, label=f"Phone of {worker.first_name}")
        devices[worker.pk] = device

    # The visits: a worker, one of their wards, a day, the needs of the region.
    start_id = (FieldRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    records, revisions, need_rows = [], [], []
    points = []
    for n in range(visits):
        worker = all_workers[n % len(all_workers)]
        ward = rng.choice(worker_wards[worker.pk])
        rates = {**BASE, **REGION_NEEDS.get(ward.region.code, {})}
        needs = sorted(code for code, rate in rates.items() if rng.random() < rate) or ["none"]
        lat, lon = _point_near(rng, ward)
        points.append((lat, lon))
        captured = until - datetime.timedelta(days=rng.uniform(0, DAYS))
        received = captured + datetime.timedelta(minutes=rng.choice((1, 5, 30, 240, 1440)))
        received = min(received, until)
        answers = {"location": f"{lat:.6f} {lon:.6f}", "needs": needs,
                   "urgency": rng.choices(URGENCY, weights=(3, 5, 2))[0],
                   "people": rng.randint(1, 9)}
        records.append({"id": start_id + n, "ward": ward.pk})
        revisions.append((answers, captured, received, worker))
        need_rows.append([need for need in needs if need != "none"])
    found = ward_ids_at_many(points)
    rows, revision_rows, need_insert = [], [], []
    for n, (record, (answers, captured, received, worker), needs) in enumerate(
            zip(records, revisions, need_rows, strict=True)):
        ward_id = found[n]
        if ward_id is None:  # the jitter left a small ward: take its centre
            ward = next(w for w in wards if w.pk == record["ward"])
            points[n] = (ward.centroid_lat, ward.centroid_lon)
            answers["location"] = f"{ward.centroid_lat:.6f} {ward.centroid_lon:.6f}"
            ward_id = record["ward"]
        rows.append({
            "id": record["id"], "instance_id": f"uuid:{uuid.UUID(int=rng.getrandbits(128))}",
            "form_id": form.pk, "form_version": form.version, "worker_id": worker.pk,
            "device_id": devices[worker.pk].pk, "ward_id": ward_id,
            "latitude": points[n][0], "longitude": points[n][1],
            "outside_wards": False, "answers": answers, "needs": needs,
            "captured_at": captured, "received_at": received,
            "visited_on": timezone.localdate(captured), "updated_at": received, "revision": 1,
            "household": True, "expected_attachments": [], "complete": True})
        revision_rows.append({"record_id": record["id"], "revision": 1, "answers": answers,
                              "received_at": received, "captured_at": captured,
                              "worker_id": worker.pk})
        need_insert += [{"record_id": record["id"], "need": need} for need in needs]
    bulk_insert(FieldRecord, rows, with_pk=True)
    sequence_reset(FieldRecord)
    bulk_insert(FieldRecordRevision, revision_rows)
    bulk_insert(FieldRecordNeed, need_insert)

    # For the supervisor: a few points in the sea, conflicts, phones still holding records.
    outside = _outside_records(rng, form, all_workers[:3], devices, until)
    conflicts = _conflicts(rng, rows[:4], all_workers, until)
    for worker in all_workers[:5]:
        FieldDevice.objects.filter(pk=devices[worker.pk].pk).update(
            unsynced_reported=rng.randint(1, 12),
            last_seen_at=until - datetime.timedelta(hours=rng.randint(2, 60)))
    field_rollups_rebuild()
    return {"field workers": len(all_workers), "household visits": visits,
            "assigned wards": len(assignments), "outside every ward": outside,
            "conflicts": conflicts}


def _outside_records(rng, form, workers, devices, until) -> int:
    rows = []
    for n, worker in enumerate(workers):
        answers = {"location": f"{-34.5 - n * 0.01:.4f} {18.0 + n * 0.01:.4f}",
                   "needs": ["water"], "urgency": "soon", "people": 3}
        rows.append(FieldRecord(
            instance_id=f"uuid:{uuid.UUID(int=rng.getrandbits(128))}", form=form,
            form_version=form.version, worker=worker, device=devices[worker.pk],
            latitude=-34.5 - n * 0.01, longitude=18.0 + n * 0.01, outside_wards=True,
            answers=answers, needs=["water"], household=True, received_at=until,
            captured_at=until, visited_on=timezone.localdate(until), updated_at=until))
    FieldRecord.objects.bulk_create(rows)
    FieldRecordRevision.objects.bulk_create([
        FieldRecordRevision(record=r, revision=1, answers=r.answers, received_at=until,
                            captured_at=until, worker=r.worker) for r in rows])
    return len(rows)


def _conflicts(rng, rows, workers, until) -> int:
    """Records corrected once (revision 2) and then edited on a phone that
    still had revision 1: conflicts waiting for a supervisor."""
    made = []
    for row in rows:
        corrected = dict(row["answers"], people=row["answers"]["people"] + 1)
        FieldRecord.objects.filter(pk=row["id"]).update(revision=2, answers=corrected)
        FieldRecordRevision.objects.create(record_id=row["id"], revision=2, base_revision=1,
                                           answers=corrected, received_at=until,
                                           worker_id=row["worker_id"])
        submitted = dict(row["answers"], urgency="urgent",
                         notes="Second visit: the standpipe is broken again.")
        made.append(FieldConflict(record_id=row["id"], answers=submitted, base_revision=1,
                                  current_revision=2, worker=rng.choice(workers),
                                  captured_at=until, received_at=until))
    FieldConflict.objects.bulk_create(made)
    return len(made)
