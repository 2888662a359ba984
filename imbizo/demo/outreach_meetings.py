"""Demo imbizo meetings and commitments over the demo history.

Each region holds a meeting every month in one of its wards, in turn, and a
region-wide meeting every six months; the next two months are planned. Each
held meeting has its attendance, a few historical cases of its ward opened in
the week after it marked as raised there (their channel becomes "outreach"),
and three to five commitments to departments: most kept, some late, a few
dropped with a reason, each with its report-backs. Rows are written in bulk
with instants in the past, as the case history is (the services refuse a
meeting planned in the past, rightly); the rules the services keep (an owner,
a due date, a reason to drop, late derived from the due date) hold here too.
"""

import datetime
import random
import uuid
from zoneinfo import ZoneInfo

from django.db import transaction

from imbizo.cases.models import Case
from imbizo.core import clock
from imbizo.geo.models import Place, PlaceKind, Region, Ward
from imbizo.org.models import Department
from imbizo.outreach.meeting_models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    CommitmentWard,
    Meeting,
    MeetingIssue,
    MeetingStatus,
)

TZ = ZoneInfo("Africa/Johannesburg")
DAY = datetime.timedelta(days=1)

LEADERS = ("Executive Mayor", "Deputy Mayor", "Speaker of Council",
           "Member of the Mayoral Committee for Infrastructure",
           "Member of the Mayoral Committee for Community Services", "City Manager")

# (department code, promise, what a report-back says when it is kept)
PROMISES = (
    ("water", "Replace the leaking bulk meter at {place}", "New meter installed and tested."),
    ("water", "Fix the recurring sewer blockages along {street}", "Line jetted and two manholes rebuilt."),
    ("water", "Put a standpipe at {place} until households are connected",
     "Standpipe in use; connections scheduled."),
    ("electricity", "Repair the streetlights on {street}", "All streetlights on the road work again."),
    ("electricity", "Install a high-mast light near {place}", "High-mast light switched on."),
    ("roads", "Fill the potholes on {street}", "Potholes filled; the road was resurfaced in part."),
    ("roads", "Clear the stormwater drains on {street} before the rains",
     "Drains cleared and inspected."),
    ("roads", "Build a speed hump outside {place}", "Speed hump built and signposted."),
    ("waste", "Clear the illegal dumping site near {place}",
     "Site cleared; a skip and a notice board were put up."),
    ("waste", "Restore weekly refuse collection in {area}", "Collection back on Tuesdays."),
    ("housing", "Publish the housing list for {area} at the ward office",
     "List posted at the ward office and the library."),
    ("health", "Extend the opening hours of {place} on Saturdays", "Open Saturdays 08:00-12:00."),
    ("social", "Hold an indigent registration day at {place}", "Registration day held; 140 registered."),
)
DROP_REASONS = (
    "The land belongs to the province; the request was passed to its department.",
    "Funding was moved to the flood repairs after the February storms.",
    "The community chose a different site at the next meeting.",
)
PROGRESS_NOTES = ("Contractor appointed; work starts next month.",
                  "Materials ordered; waiting for delivery.",
                  "Site inspected; a quote is being approved.")


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + 32 * DAY).replace(day=1)
    return months


def _evening(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(17, 30), tzinfo=TZ)


@transaction.atomic
def outreach_meetings_build(*, seed: int, until_day: datetime.date | None = None,
                            months: int = 18) -> dict[str, int]:
    """Meetings, issues and commitments over the `months` before `until_day`
    (default today), and the next two months' meetings planned."""
    rng = random.Random(f"{seed}-outreach-meetings")
    now = clock.now()
    today = until_day or now.astimezone(TZ).date()
    first = (today - datetime.timedelta(days=30 * months)).replace(day=1)
    regions = list(Region.objects.order_by("code"))
    wards_of = {r.pk: list(Ward.objects.filter(region=r).order_by("code")) for r in regions}
    departments = {d.code: d for d in Department.objects.all()}
    halls = _halls()
    streets = _streets()
    meetings: list[Meeting] = []
    for n, month in enumerate(_month_starts(first, today + 62 * DAY)):
        for r_index, region in enumerate(regions):
            wards = wards_of[region.pk]
            if not wards:
                continue
            # A weekday in the second or third week of the month.
            day = month + datetime.timedelta(days=8 + (r_index * 3 + n) % 10)
            whole_region = n % 6 == 5 and r_index % 2 == 0
            # Four wards per region take turns, so each meets every few months
            # and hears the report-back on what it was promised last time.
            ward = None if whole_region else wards[(n + r_index) % len(wards) if len(wards) <= 4
                                                   else (r_index * 7 + n % 4 * 5) % len(wards)]
            meetings.append(_meeting(rng, region=region, ward=ward, day=day, now=now,
                                     halls=halls, wards=wards))
    Meeting.objects.bulk_create(meetings)
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    issues = _issues(rng, held, wards_of)
    made = _commitments(rng, held, wards_of, departments, streets, halls, today=today, now=now)
    return {"meetings": len(meetings), "held": len(held), "issues raised": issues, **made}


def _halls() -> dict[int, list[Place]]:
    halls: dict[int, list[Place]] = {}
    for place in Place.objects.filter(kind=PlaceKind.FACILITY).only("name", "lat", "lon",
                                                                    "ward_id", "area"):
        halls.setdefault(place.ward_id, []).append(place)
    return halls


def _streets() -> dict[int, list[str]]:
    streets: dict[int, list[str]] = {}
    for ward_id, name in Place.objects.filter(kind=PlaceKind.STREET).values_list("ward_id", "name"):
        streets.setdefault(ward_id, []).append(name)
    return streets


def _meeting(rng, *, region, ward, day, now, halls, wards) -> Meeting:
    starts = _evening(day)
    where = ward or rng.choice(wards)
    hall = rng.choice(halls.get(where.pk) or [None])
    held = starts + 2 * datetime.timedelta(hours=1) < now
    title = (f"Ward {ward.name.removeprefix('Ward ')} imbizo" if ward
             else f"{region.name} regional imbizo")
    meeting = Meeting(
        uid=uuid.UUID(int=rng.getrandbits(128), version=4), title=title, ward=ward,
        region=None if ward else region, starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2, minutes=30),
        place=hall.name if hall else f"{where.name} community hall",
        lat=hall.lat if hall else None, lon=hall.lon if hall else None,
        leaders="\n".join(rng.sample(LEADERS, 3) + [f"{where.name} councillor"]),
        status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
        created_at=starts - 21 * DAY, updated_at=(starts + DAY) if held else starts - 21 * DAY)
    if held:
        total = rng.randint(60, 420)
        meeting.attendance_total = total
        meeting.attendance_women = int(total * rng.uniform(0.45, 0.65))
        meeting.attendance_youth = int(total * rng.uniform(0.2, 0.4))
        meeting.recorded_at = starts + DAY
        meeting.sequence = 1
        meeting.summary = ("Residents raised water, lights, roads and refuse; the leaders "
                           "reported back on last month's promises.")
    return meeting


def _issues(rng, held: list[Meeting], wards_of) -> int:
    """Mark a few cases of each meeting's ward, opened in the week after it,
    as raised there (one query per meeting, one update and one insert in all)."""
    rows, case_ids = [], []
    for meeting in held:
        ward_ids = ([meeting.ward_id] if meeting.ward_id
                    else [w.pk for w in wards_of[meeting.region_id]])
        found = list(Case.objects.filter(
            ward_id__in=ward_ids, opened_at__gte=meeting.starts_at,
            opened_at__lt=meeting.starts_at + 7 * DAY).exclude(pk__in=case_ids)
            .values_list("pk", flat=True)[:rng.randint(3, 8)])
        case_ids += found
        rows += [MeetingIssue(meeting=meeting, case_id=pk, opened_here=True, position=i)
                 for i, pk in enumerate(found)]
    Case.objects.filter(pk__in=case_ids).update(channel="outreach")
    MeetingIssue.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _commitments(rng, held, wards_of, departments, streets, halls, *, today, now) -> dict:
    commitments: list[Commitment] = []
    served: list[list[Ward]] = []
    fates: list[tuple] = []
    for meeting in held:
        wards = ([meeting.ward] if meeting.ward_id else wards_of[meeting.region_id])
        for _n in range(rng.randint(3, 5)):
            ward = rng.choice(wards)
            dept_code, words, kept_note = rng.choice(PROMISES)
            hall = rng.choice(halls.get(ward.pk) or [None])
            text = words.format(place=hall.name if hall else ward.name,
                                street=rng.choice(streets.get(ward.pk) or ["the main road"]),
                                area=(hall.area if hall and hall.area else ward.name))
            made_at = meeting.starts_at + datetime.timedelta(hours=1)
            due_on = meeting.starts_at.date() + datetime.timedelta(days=rng.choice((30, 60, 90, 120)))
            commitment = Commitment(
                meeting=meeting, text=text[:500], made_by=meeting.leaders.splitlines()[0],
                owner_department=departments.get(dept_code), due_on=due_on,
                created_at=made_at, reported_at=made_at)
            fates.append(_fate(rng, commitment, kept_note, today=today, now=now))
            commitments.append(commitment)
            served.append([ward] if meeting.ward_id else
                          [ward, *rng.sample(wards, min(2, len(wards)))])
    Commitment.objects.bulk_create(commitments, batch_size=1000)
    CommitmentWard.objects.bulk_create(
        [CommitmentWard(commitment=c, ward=w, status=c.status, due_on=c.due_on)
         for c, wards in zip(commitments, served, strict=True) for w in {w.pk: w for w in wards}.values()],
        batch_size=2000)
    updates = [CommitmentUpdate(commitment=c, **fields)
               for c, fate in zip(commitments, fates, strict=True) for fields in fate]
    CommitmentUpdate.objects.bulk_create(updates, batch_size=2000)
    by_status: dict[str, int] = {}
    for c in commitments:
        shown = "late" if c.status in ("open", "in_progress") and c.due_on < today else c.status
        by_status[shown] = by_status.get(shown, 0) + 1
    return {"commitments": len(commitments), **{f"commitments {k}": n for k, n in by_status.items()}}


def _fate(rng, c: Commitment, kept_note: str, *, today, now) -> list[dict]:
    """Set `c`'s status and return its report-backs (fields of CommitmentUpdate)."""
    made = c.created_at
    due_at = _evening(c.due_on)
    roll = rng.random()
    updates: list[dict] = []
    progress_at = made + (due_at - made) * rng.uniform(0.2, 0.5)
    if progress_at < now:
        updates.append({"at": progress_at, "status_from": "open", "status_to": "in_progress",
                        "note": rng.choice(PROGRESS_NOTES)})
        c.status = CommitmentStatus.IN_PROGRESS
    if c.due_on < today:
        if roll < 0.80:  # kept, most by the due date, some a little after
            done_at = min(due_at + datetime.timedelta(days=rng.choice((-20, -10, -3, 0, 7, 15))),
                          now - DAY)
            updates.append({"at": done_at, "status_from": c.status, "status_to": "done",
                            "note": kept_note})
            c.status, c.done_on = CommitmentStatus.DONE, done_at.astimezone(TZ).date()
        elif roll < 0.85:
            reason = rng.choice(DROP_REASONS)
            at = due_at - 5 * DAY
            updates.append({"at": at, "status_from": c.status, "status_to": "dropped",
                            "note": reason})
            c.status, c.dropped_reason = CommitmentStatus.DROPPED, reason
        # else: late, still open or in progress
    elif roll < 0.15 and progress_at < now:
        done_at = progress_at + (now - progress_at) / 2
        updates.append({"at": done_at, "status_from": c.status, "status_to": "done",
                        "note": kept_note})
        c.status, c.done_on = CommitmentStatus.DONE, done_at.astimezone(TZ).date()
    if updates:
        c.reported_at = updates[-1]["at"]
    return updates
