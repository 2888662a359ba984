"""Reads of meetings and commitments: public pages, the agenda, counts per ward,
the war room. Each is a fixed number of queries whatever the number of rows."""

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError
from imbizo.geo.models import Ward
from imbizo.org.models import Department, Staff

from .meeting_models import (
    LATE,
    SHOWN_STATUS_LABELS,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    CommitmentWard,
    Meeting,
    MeetingIssue,
    MeetingStatus,
)
from .meetings import ACTIVE, MeetingError, commitment_late_q, shown_status, today

SHOWN_STATUSES = (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS, LATE,
                  CommitmentStatus.DONE, CommitmentStatus.DROPPED)


def _ward_meetings(ward: Ward) -> Q:
    where = Q(ward=ward)
    if ward.region_id:
        where |= Q(region_id=ward.region_id)
    return where


def meeting_list_upcoming(*, ward: Ward | None = None, limit: int = 20,
                          now: datetime.datetime) -> list[Meeting]:
    """Planned meetings not yet ended: of `ward` (its own, and its region's),
    or all; soonest first."""
    meetings = Meeting.objects.filter(status=MeetingStatus.PLANNED, ends_at__gte=now)
    if ward is not None:
        meetings = meetings.filter(_ward_meetings(ward))
    return list(meetings.select_related("ward", "region")
                .prefetch_related("departments").order_by("starts_at", "id")[:limit])


def meeting_list_for_feed(*, ward: Ward | None = None, now: datetime.datetime,
                          days_back: int = 180) -> list[Meeting]:
    """Meetings for a calendar feed: from `days_back` ago on, cancelled ones
    included (so calendars drop them)."""
    meetings = Meeting.objects.filter(starts_at__gte=now - datetime.timedelta(days=days_back))
    if ward is not None:
        meetings = meetings.filter(_ward_meetings(ward))
    return list(meetings.select_related("ward", "region").prefetch_related("departments")
                .order_by("starts_at", "id")[:2000])


def meeting_list_recent(*, ward: Ward | None = None, limit: int = 10,
                        now: datetime.datetime) -> list[Meeting]:
    """Meetings already held, newest first."""
    meetings = Meeting.objects.filter(status=MeetingStatus.HELD, starts_at__lte=now)
    if ward is not None:
        meetings = meetings.filter(_ward_meetings(ward))
    return list(meetings.select_related("ward", "region").order_by("-starts_at", "-id")[:limit])


def meeting_get(*, uid) -> Meeting:
    meeting = (Meeting.objects.select_related("ward", "region")
               .prefetch_related("departments").filter(uid=uid).first())
    if meeting is None:
        raise DomainError(MeetingError.WRONG_STATUS, _("No such meeting."))
    return meeting


def meeting_staff_list(*, now: datetime.datetime, when: str = "upcoming",
                       limit: int = 100) -> list[Meeting]:
    """Meetings for the staff list: upcoming (soonest first), or past (newest first)
    with their issue and commitment counts."""
    meetings = Meeting.objects.select_related("ward", "region").annotate(
        issue_count=Count("issues", distinct=True),
        commitment_count=Count("commitments", distinct=True))
    if when == "past":
        return list(meetings.filter(starts_at__lte=now).order_by("-starts_at", "-id")[:limit])
    return list(meetings.filter(ends_at__gte=now).order_by("starts_at", "id")[:limit])


def meetings_of_case(*, case) -> list[Meeting]:
    """The meetings where `case` was raised (one indexed query)."""
    return list(Meeting.objects.filter(issues__case=case).order_by("starts_at", "id"))


def meeting_issues(*, meeting: Meeting) -> list[MeetingIssue]:
    return list(MeetingIssue.objects.filter(meeting=meeting)
                .select_related("case__service", "case__ward").order_by("position", "id"))


def _with_shown(commitments: QuerySet, on: datetime.date) -> QuerySet:
    return commitments.annotate(shown=shown_status(on=on))


def _commitments() -> QuerySet[Commitment]:
    return Commitment.objects.select_related(
        "meeting__ward", "meeting__region", "owner_department", "owner_staff__user",
        "owner_staff__department")


def meeting_commitments(*, meeting: Meeting, on: datetime.date) -> list[Commitment]:
    return list(_with_shown(_commitments().filter(meeting=meeting), on).order_by("due_on", "id"))


@dataclass(frozen=True)
class Agenda:
    """What a meeting opens with: the report-back on its ward's (or region's)
    commitments: late first, then open and in progress, then those done since
    the previous meeting there."""

    late: list = field(default_factory=list)
    active: list = field(default_factory=list)
    done: list = field(default_factory=list)
    since: datetime.datetime | None = None


def meeting_agenda(*, meeting: Meeting, on: datetime.date) -> Agenda:
    """The report-back for `meeting`: commitments serving its ward (or any
    ward of its region) made at earlier meetings."""
    wards = (CommitmentWard.objects.filter(ward_id=meeting.ward_id) if meeting.ward_id
             else CommitmentWard.objects.filter(ward__region_id=meeting.region_id))
    previous = (Meeting.objects.filter(
        Q(ward_id=meeting.ward_id) if meeting.ward_id else Q(region_id=meeting.region_id),
        status=MeetingStatus.HELD, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at").values_list("starts_at", flat=True).first())
    since_day = previous.date() if previous else None
    rows = _with_shown(_commitments().filter(
        Exists(wards.filter(commitment_id=OuterRef("pk"))),
        meeting__starts_at__lt=meeting.starts_at), on)
    done_q = Q(status=CommitmentStatus.DONE)
    if since_day is not None:
        done_q &= Q(done_on__gte=since_day)
    chosen = list(rows.filter(Q(status__in=list(ACTIVE)) | done_q).order_by("due_on", "id")[:300])
    return Agenda(late=[c for c in chosen if c.shown == LATE],
                  active=[c for c in chosen if c.shown in ACTIVE],
                  done=[c for c in chosen if c.shown == CommitmentStatus.DONE],
                  since=previous)


@dataclass(frozen=True)
class CommitmentFilter:
    ward: Ward | None = None
    status: str = ""  # a shown status: open, in_progress, late, done, dropped
    department_id: int | None = None
    owner_staff_id: int | None = None
    text: str = ""


def commitment_list(*, filters: CommitmentFilter = CommitmentFilter(),
                    on: datetime.date | None = None) -> QuerySet[Commitment]:
    """Commitments, newest report-back first, each with `shown` (late included)."""
    on = on or today()
    rows = _commitments()
    if filters.ward is not None:
        rows = rows.filter(Exists(CommitmentWard.objects.filter(
            ward=filters.ward, commitment_id=OuterRef("pk"))))
    if filters.status == LATE:
        rows = rows.filter(commitment_late_q(on=on))
    elif filters.status in (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS):
        rows = rows.filter(status=filters.status, due_on__gte=on)
    elif filters.status in CommitmentStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.department_id:
        rows = rows.filter(owner_department_id=filters.department_id)
    if filters.owner_staff_id:
        rows = rows.filter(owner_staff_id=filters.owner_staff_id)
    if filters.text:
        rows = rows.filter(text__icontains=filters.text[:100])
    return _with_shown(rows, on).order_by("-reported_at", "-id")


def commitment_latest_updates(commitments) -> dict[int, CommitmentUpdate]:
    """The newest report-back of each of `commitments` (one query)."""
    ids = [c.pk for c in commitments]
    latest: dict[int, CommitmentUpdate] = {}
    for update in (CommitmentUpdate.objects.filter(commitment_id__in=ids)
                   .select_related("case").order_by("commitment_id", "-at", "-id")):
        latest.setdefault(update.commitment_id, update)
    return latest


def commitment_get(*, pk: int, on: datetime.date | None = None) -> Commitment:
    commitment = _with_shown(_commitments().filter(pk=pk), on or today()).first()
    if commitment is None:
        raise DomainError(MeetingError.WRONG_STATUS, _("No such commitment."))
    return commitment


def commitment_updates(*, commitment: Commitment) -> list[CommitmentUpdate]:
    return list(CommitmentUpdate.objects.filter(commitment=commitment)
                .select_related("case", "actor__user").order_by("-at", "-id"))


def commitment_wards(*, commitments) -> dict[int, list[Ward]]:
    """The wards each of `commitments` serves (one query)."""
    wards: dict[int, list[Ward]] = {}
    for row in (CommitmentWard.objects.filter(commitment_id__in=[c.pk for c in commitments])
                .select_related("ward").order_by("ward__code")):
        wards.setdefault(row.commitment_id, []).append(row.ward)
    return wards


@dataclass(frozen=True)
class Promises:
    """A ward's (or the institution's) commitments by shown status."""

    kept: int = 0
    late: int = 0
    open: int = 0  # open or in progress, not yet due
    dropped: int = 0

    @property
    def total(self) -> int:
        return self.kept + self.late + self.open + self.dropped


def _late_flag(on: datetime.date) -> ExpressionWrapper:
    return ExpressionWrapper(Q(status__in=list(ACTIVE), due_on__lt=on),
                             output_field=BooleanField())


def _promises(rows) -> dict:
    counts: dict = {}
    for key, status, late, n in rows:
        entry = counts.setdefault(key, {"kept": 0, "late": 0, "open": 0, "dropped": 0})
        if status == CommitmentStatus.DONE:
            entry["kept"] += n
        elif status == CommitmentStatus.DROPPED:
            entry["dropped"] += n
        elif late:
            entry["late"] += n
        else:
            entry["open"] += n
    return {key: Promises(**value) for key, value in counts.items()}


def commitment_counts_by_ward(*, on: datetime.date | None = None,
                              ward: Ward | None = None) -> dict[int, Promises]:
    """Kept, late, open and dropped commitments per ward id: one grouped
    query over the (ward, status, due_on) index."""
    on = on or today()
    rows = CommitmentWard.objects.all()
    if ward is not None:
        rows = rows.filter(ward=ward)
    grouped = (rows.annotate(late=_late_flag(on))
               .values_list("ward_id", "status", "late").annotate(n=Count("id"))
               .order_by())
    return _promises(grouped)


def commitment_counts(*, on: datetime.date | None = None) -> Promises:
    """The institution's commitments by shown status (each counted once)."""
    on = on or today()
    grouped = (Commitment.objects.annotate(late=_late_flag(on))
               .values_list("status", "late").annotate(n=Count("id")).order_by())
    return _promises(((None, s, late, n) for s, late, n in grouped)).get(None, Promises())


def commitment_list_due_soon(*, on: datetime.date | None = None, days: int = 14,
                             limit: int = 50) -> list[Commitment]:
    """Open and in-progress commitments falling due from `on` over `days` days."""
    on = on or today()
    return list(_with_shown(_commitments().filter(
        status__in=list(ACTIVE), due_on__gte=on, due_on__lte=on + datetime.timedelta(days=days)),
        on).order_by("due_on", "id")[:limit])


def commitment_list_late(*, on: datetime.date | None = None, limit: int = 50) -> list[Commitment]:
    """Late commitments, the longest overdue first."""
    on = on or today()
    return list(_with_shown(_commitments().filter(commitment_late_q(on=on)), on)
                .order_by("due_on", "id")[:limit])


def commitment_owner_choices() -> tuple[QuerySet, QuerySet]:
    """(departments, active staff) a commitment may be given to."""
    return (Department.objects.order_by("name"),
            Staff.objects.filter(active=True).select_related("user")
            .order_by("user__last_name", "user__first_name"))


def shown_label(status: str) -> str:
    return str(SHOWN_STATUS_LABELS.get(status, status))


def public_owner(commitment: Commitment) -> str:
    """Who owns a promise, as the public reads it: the department, never a
    staff member's name (their job title and department instead)."""
    if commitment.owner_department_id:
        return commitment.owner_department.name
    staff = commitment.owner_staff
    parts = [staff.job_title or _("A member of staff")]
    if staff.department_id:
        parts.append(staff.department.name)
    return ", ".join(parts)
