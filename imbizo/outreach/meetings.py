"""Writes to meetings and commitments (docs/outreach.md, "Meetings and commitments").

Each service is keyword-only, one transaction, and raises DomainError naming
the field at fault; nothing is half stored. Issues raised at a meeting become
cases through the cases intake (CaseDraft on the outreach channel), never by
a raw insert, so they get a reference, a standard, routing and the citizen's
acknowledgement like any other case.
"""

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db import models, transaction
from django.db.models import F, Q, Value, When
from django.utils.translation import gettext as _

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.selectors import case_get_for, case_get_public
from imbizo.cases.services import case_open
from imbizo.cases.transitions import Status
from imbizo.cases.uploads import image_check
from imbizo.catalogue.models import Channel
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.inputs import text_fault
from imbizo.core.limits import ADDRESS_MAX, LINE_MAX, TEXT_MAX
from imbizo.geo.models import Region, Ward
from imbizo.org.models import Department, Role, Staff

from .meeting_models import (
    LATE,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    CommitmentWard,
    Meeting,
    MeetingIssue,
    MeetingStatus,
)


class MeetingError(StrEnum):
    """Codes of the DomainErrors raised here."""

    NO_PLACE = "no_place"  # neither a ward nor a region, or both
    IN_THE_PAST = "in_the_past"
    ENDS_BEFORE_START = "ends_before_start"
    INVALID_TEXT = "invalid_text"
    INVALID_LOCATION = "invalid_location"
    NOT_HELD_YET = "not_held_yet"
    WRONG_STATUS = "wrong_status"
    INVALID_ATTENDANCE = "invalid_attendance"
    NO_OWNER = "no_owner"
    NO_DUE_DATE = "no_due_date"
    NO_WARDS = "no_wards"
    NEEDS_REASON = "needs_reason"
    CASE_NOT_RESOLVED = "case_not_resolved"
    NOTHING_TO_REPORT = "nothing_to_report"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    FORBIDDEN = "forbidden"


class RowError(DomainError):
    """A DomainError in one row of a meeting record: `section` ("issues" or
    "commitments") and `row` (0-based) say where, so a form can show it there."""

    def __init__(self, error: DomainError, *, section: str, row: int):
        super().__init__(error.code, error.message, field=error.field)
        self.section = section
        self.row = row


ACTIVE = (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS)

# Which stored status may follow which; "late" is derived and never set.
MOVES: dict[str, frozenset[str]] = {
    CommitmentStatus.OPEN: frozenset({CommitmentStatus.IN_PROGRESS, CommitmentStatus.DONE,
                                      CommitmentStatus.DROPPED}),
    CommitmentStatus.IN_PROGRESS: frozenset({CommitmentStatus.OPEN, CommitmentStatus.DONE,
                                             CommitmentStatus.DROPPED}),
    # Evidence found wanting: back to work, said in the note.
    CommitmentStatus.DONE: frozenset({CommitmentStatus.IN_PROGRESS}),
    CommitmentStatus.DROPPED: frozenset({CommitmentStatus.OPEN}),
}

RESOLVED_CASE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})


# --- the derived status ----------------------------------------------------------------


def today() -> datetime.date:
    """The institution's date now: a commitment due today is not late until tomorrow."""
    return clock.now().astimezone(catalogue_snapshot().calendar.tz).date()


def commitment_late_q(*, on: datetime.date, prefix: str = "") -> Q:
    """Commitments (or CommitmentWard rows, with prefix "") late on day `on`:
    open or in progress and due before it. Served by the (status, due_on) indexes."""
    return Q(**{f"{prefix}status__in": list(ACTIVE), f"{prefix}due_on__lt": on})


def shown_status(*, on: datetime.date):
    """A query expression: the status the public sees, "late" included."""
    return models.Case(When(commitment_late_q(on=on), then=Value(LATE)), default=F("status"))


def status_shown(commitment: Commitment, *, on: datetime.date) -> str:
    """The same for one loaded commitment."""
    if commitment.status in ACTIVE and commitment.due_on < on:
        return LATE
    return commitment.status


# --- checks ---------------------------------------------------------------------------


def _text(value: str, *, field: str, limit: int, required: bool = True, label: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(MeetingError.INVALID_TEXT, _("Give the %(what)s.") % {"what": label},
                          field=field)
    if len(value) > limit:
        raise DomainError(MeetingError.INVALID_TEXT,
                          _("The %(what)s is %(n)d characters long; the limit is %(max)d.")
                          % {"what": label, "n": len(value), "max": limit}, field=field)
    if text_fault(value) is not None:
        raise DomainError(MeetingError.INVALID_TEXT,
                          _("The %(what)s holds a character no text may contain.")
                          % {"what": label}, field=field)
    return value


def _point(lat, lon) -> tuple[float | None, float | None]:
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DomainError(MeetingError.INVALID_LOCATION,
                          _("A point needs a latitude (-90 to 90) and a longitude (-180 to 180)."),
                          field="location")
    return float(lat), float(lon)


def _may_manage(actor: Staff) -> None:
    if actor is None or not actor.active:
        raise DomainError(MeetingError.FORBIDDEN, _("Only active staff may do this."))


# --- meetings ------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(
    *, actor: Staff, title: str, starts_at: datetime.datetime, ends_at: datetime.datetime,
    place: str, ward: Ward | None = None, region: Region | None = None,
    lat: float | None = None, lon: float | None = None, leaders: str = "",
    departments: Sequence[Department] = (),
) -> Meeting:
    """Plan a meeting in `ward` or across `region` (exactly one), starting in
    the future; it is published at once on the ward pages and calendar feeds."""
    _may_manage(actor)
    if (ward is None) == (region is None):
        raise DomainError(MeetingError.NO_PLACE,
                          _("Choose the ward, or the region, the meeting is for (one of the two)."),
                          field="ward")
    now = clock.now()
    if starts_at is None or starts_at <= now:
        raise DomainError(MeetingError.IN_THE_PAST,
                          _("A planned meeting must start in the future."), field="starts_at")
    if ends_at is None or ends_at <= starts_at:
        raise DomainError(MeetingError.ENDS_BEFORE_START,
                          _("The meeting must end after it starts."), field="ends_at")
    if ends_at - starts_at > datetime.timedelta(hours=24):
        raise DomainError(MeetingError.ENDS_BEFORE_START,
                          _("A meeting lasts at most a day; plan several for longer."),
                          field="ends_at")
    lat, lon = _point(lat, lon)
    meeting = Meeting.objects.create(
        title=_text(title, field="title", limit=LINE_MAX, label=_("title")),
        ward=ward, region=region, starts_at=starts_at, ends_at=ends_at,
        place=_text(place, field="place", limit=ADDRESS_MAX, label=_("place")),
        lat=lat, lon=lon,
        leaders=_leaders(leaders),
        planned_by=actor, created_at=now, updated_at=now,
    )
    if departments:
        meeting.departments.set(departments)
    return meeting


def _leaders(text: str) -> str:
    text = _text(text, field="leaders", limit=TEXT_MAX, required=False, label=_("leaders"))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: Staff, reason: str) -> Meeting:
    """Cancel a planned meeting; calendars see it cancelled (a new SEQUENCE)."""
    _may_manage(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise DomainError(MeetingError.WRONG_STATUS,
                          _("Only a planned meeting can be cancelled."), field="status")
    meeting.cancel_reason = _text(reason, field="reason", limit=LINE_MAX, label=_("reason"))
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.updated_at = clock.now()
    meeting.save()
    return meeting


@dataclass(frozen=True)
class IssueEntry:
    """One issue raised: either a new case (service, what was said, where) or
    an existing case by its reference."""

    service_code: str = ""
    description: str = ""
    address: str = ""
    ward_code: str = ""  # for a region's meeting; a ward's meeting gives its own
    reference: str = ""


@dataclass(frozen=True)
class CommitmentEntry:
    text: str
    due_on: datetime.date | None
    owner_department: Department | None = None
    owner_staff: Staff | None = None
    made_by: str = ""
    wards: tuple[Ward, ...] = ()


@transaction.atomic
def meeting_record(
    *, meeting: Meeting, actor: Staff, attendance_total: int | None,
    attendance_women: int | None = None, attendance_youth: int | None = None,
    summary: str = "", issues: Sequence[IssueEntry] = (),
    commitments: Sequence[CommitmentEntry] = (),
) -> Meeting:
    """Record a meeting that has started: attendance (counts), its issues
    (each opened as an outreach case, or linked by reference) and the
    commitments made. Adds to an earlier record; all or nothing: a RowError
    names the row at fault and nothing of the call is stored."""
    _may_manage(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = clock.now()
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(MeetingError.WRONG_STATUS,
                          _("This meeting was cancelled; there is nothing to record."))
    if meeting.starts_at > now:
        raise DomainError(MeetingError.NOT_HELD_YET,
                          _("This meeting has not started yet; record it once it is held."))
    _attendance_check(attendance_total, attendance_women, attendance_youth)
    meeting.attendance_total = attendance_total
    meeting.attendance_women = attendance_women
    meeting.attendance_youth = attendance_youth
    meeting.summary = _text(summary, field="summary", limit=TEXT_MAX, required=False,
                            label=_("summary"))
    if meeting.status != MeetingStatus.HELD:
        meeting.sequence += 1
    meeting.status = MeetingStatus.HELD
    meeting.recorded_by, meeting.recorded_at, meeting.updated_at = actor, now, now
    meeting.save()
    position = MeetingIssue.objects.filter(meeting=meeting).count()
    for row, entry in enumerate(issues):
        try:
            _issue_add(meeting, actor, entry, position=position + row)
        except DomainError as error:
            raise RowError(error, section="issues", row=row) from error
    for row, entry in enumerate(commitments):
        try:
            _commitment_insert(meeting, entry, at=now)
        except DomainError as error:
            raise RowError(error, section="commitments", row=row) from error
    return meeting


def _attendance_check(total, women, youth) -> None:
    for name, value in (("attendance_total", total), ("attendance_women", women),
                        ("attendance_youth", youth)):
        if value is not None and (value < 0 or value > 1_000_000):
            raise DomainError(MeetingError.INVALID_ATTENDANCE,
                              _("Give a count between 0 and 1,000,000."), field=name)
    if total is None and (women is not None or youth is not None):
        raise DomainError(MeetingError.INVALID_ATTENDANCE,
                          _("Give the number of people attending first."),
                          field="attendance_total")
    for name, value in (("attendance_women", women), ("attendance_youth", youth)):
        if value is not None and value > total:
            raise DomainError(MeetingError.INVALID_ATTENDANCE,
                              _("This part cannot be more than the %(n)d people attending.")
                              % {"n": total}, field=name)


def _issue_add(meeting: Meeting, actor: Staff, entry: IssueEntry, *, position: int) -> MeetingIssue:
    if entry.reference.strip():
        if entry.service_code or entry.description.strip():
            raise DomainError(MeetingError.INVALID_TEXT,
                              _("Give either an existing case's reference or a new issue, "
                                "not both."), field="reference")
        case = case_get_for(viewer=actor, reference=entry.reference)
        issue, _created = MeetingIssue.objects.get_or_create(
            meeting=meeting, case=case, defaults={"opened_here": False, "position": position})
        return issue
    ward_code = meeting.ward.code if meeting.ward_id else entry.ward_code
    if meeting.region_id and ward_code and not Ward.objects.filter(
            code=ward_code, region_id=meeting.region_id).exists():
        raise DomainError(MeetingError.NO_WARDS,
                          _("Ward %(code)s is not in this meeting's region.")
                          % {"code": ward_code[:32]}, field="ward")
    case = case_open(
        draft=CaseDraft(service_code=entry.service_code, description=entry.description,
                        channel=Channel.OUTREACH, address=entry.address.strip(),
                        ward_code=ward_code, place_asked=True, place_unknown=not ward_code),
        actor=actor, idempotency_key=None)
    return MeetingIssue.objects.create(meeting=meeting, case=case, opened_here=True,
                                       position=position)


# --- commitments ---------------------------------------------------------------------


@transaction.atomic
def commitment_make(*, meeting: Meeting, actor: Staff, entry: CommitmentEntry) -> Commitment:
    """Add a commitment to a held meeting (after its record was saved)."""
    _may_manage(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(MeetingError.NOT_HELD_YET,
                          _("Commitments are recorded once the meeting is held."))
    return _commitment_insert(meeting, entry, at=clock.now())


def _commitment_insert(meeting: Meeting, entry: CommitmentEntry, *, at) -> Commitment:
    text = _text(entry.text, field="text", limit=500, label=_("promise"))
    if entry.owner_department is None and entry.owner_staff is None:
        raise DomainError(MeetingError.NO_OWNER,
                          _("Say who owns this promise: a department or a member of staff."),
                          field="owner")
    if entry.due_on is None:
        raise DomainError(MeetingError.NO_DUE_DATE,
                          _("Give the date by which this promise is to be kept."),
                          field="due_on")
    held_on = meeting.starts_at.astimezone(catalogue_snapshot().calendar.tz).date()
    if entry.due_on < held_on:
        raise DomainError(MeetingError.NO_DUE_DATE,
                          _("The due date cannot be before the meeting (%(day)s).")
                          % {"day": held_on.isoformat()}, field="due_on")
    wards = list(entry.wards) or ([meeting.ward] if meeting.ward_id else [])
    if not wards:
        raise DomainError(MeetingError.NO_WARDS,
                          _("Choose the ward or wards this promise serves."), field="wards")
    if meeting.region_id and any(w.region_id != meeting.region_id for w in wards):
        raise DomainError(MeetingError.NO_WARDS,
                          _("Choose wards of this meeting's region."), field="wards")
    commitment = Commitment.objects.create(
        meeting=meeting, text=text,
        made_by=_text(entry.made_by, field="made_by", limit=LINE_MAX, required=False,
                      label=_("leader")),
        owner_department=entry.owner_department, owner_staff=entry.owner_staff,
        due_on=entry.due_on, created_at=at, reported_at=at)
    CommitmentWard.objects.bulk_create(
        [CommitmentWard(commitment=commitment, ward=ward, status=commitment.status,
                        due_on=commitment.due_on) for ward in {w.pk: w for w in wards}.values()])
    return commitment


def commitment_may_update(staff: Staff | None, commitment: Commitment) -> bool:
    """Administrators may update any commitment; others those they own, or
    their department (their own, or their office's) owns."""
    if staff is None or not staff.active:
        return False
    if staff.role == Role.ADMINISTRATOR:
        return True
    if commitment.owner_staff_id == staff.pk:
        return True
    departments = {staff.department_id, staff.office.department_id if staff.office_id else None}
    return commitment.owner_department_id in departments - {None}


@transaction.atomic
def commitment_update(
    *, commitment: Commitment, actor: Staff, status: str = "", note: str = "",
    case_reference: str = "", photo=None, dropped_reason: str = "",
) -> CommitmentUpdate:
    """Report back on a commitment: a new status, a note, a resolved case or a
    photo as evidence of delivery (at least one). Dropping needs a reason."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not commitment_may_update(actor, commitment):
        raise DomainError(MeetingError.FORBIDDEN,
                          _("Only the owner of this promise, or their department, may report "
                            "on it."))
    note = _text(note, field="note", limit=TEXT_MAX, required=False, label=_("note"))
    status = status or ""
    if status == commitment.status:
        status = ""
    if status and status not in MOVES.get(commitment.status, ()):
        raise DomainError(MeetingError.TRANSITION_NOT_ALLOWED,
                          _("A commitment that is %(now)s cannot become %(to)s.")
                          % {"now": CommitmentStatus(commitment.status).label,
                             "to": (CommitmentStatus(status).label
                                    if status in CommitmentStatus.values else status)},
                          field="status")
    case = None
    if case_reference.strip():
        # Any case may deliver a promise, whichever office handled it; whoever
        # holds a reference may track its case, so linking it discloses nothing.
        case = case_get_public(reference=case_reference)
        if case.status not in RESOLVED_CASE_STATUSES:
            raise DomainError(MeetingError.CASE_NOT_RESOLVED,
                              _("Case %(ref)s is not resolved yet; link it once it is.")
                              % {"ref": case.reference}, field="case_reference")
    checked_photo = (image_check(photo), photo) if photo is not None else None
    if not (status or note or case or checked_photo):
        raise DomainError(MeetingError.NOTHING_TO_REPORT,
                          _("Give a new status, a note, a resolved case or a photo."),
                          field="note")
    if status == CommitmentStatus.DROPPED:
        commitment.dropped_reason = _text(dropped_reason, field="dropped_reason", limit=500,
                                          label=_("reason for dropping it"))
    now = clock.now()
    update = CommitmentUpdate(commitment=commitment, at=now, actor=actor,
                              status_from=commitment.status if status else "",
                              status_to=status, note=note, case=case)
    if checked_photo is not None:
        (content_type, extension), upload = checked_photo
        update.photo_content_type = content_type
        # Our own name: the uploader's file name is neither trusted nor kept.
        update.photo.save(f"commitment-{commitment.pk}-{secrets.token_hex(8)}.{extension}",
                          upload, save=False)
    update.save()
    if status:
        commitment.status = status
        commitment.done_on = today() if status == CommitmentStatus.DONE else None
        if status != CommitmentStatus.DROPPED:
            commitment.dropped_reason = ""
        CommitmentWard.objects.filter(commitment=commitment).update(status=status)
    commitment.reported_at = now
    commitment.save()
    return update


@transaction.atomic
def commitment_due_change(*, commitment: Commitment, actor: Staff, due_on: datetime.date,
                          note: str) -> CommitmentUpdate:
    """Move a commitment's due date, with the reason said in public."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not commitment_may_update(actor, commitment):
        raise DomainError(MeetingError.FORBIDDEN,
                          _("Only the owner of this promise, or their department, may report "
                            "on it."))
    if due_on is None:
        raise DomainError(MeetingError.NO_DUE_DATE, _("Give the new due date."), field="due_on")
    note = _text(note, field="note", limit=TEXT_MAX, label=_("reason for the new date"))
    now = clock.now()
    update = CommitmentUpdate.objects.create(
        commitment=commitment, at=now, actor=actor,
        note=_("Due date moved from %(old)s to %(new)s: %(why)s")
        % {"old": commitment.due_on.isoformat(), "new": due_on.isoformat(), "why": note})
    commitment.due_on, commitment.reported_at = due_on, now
    commitment.save()
    CommitmentWard.objects.filter(commitment=commitment).update(due_on=due_on)
    return update


def case_is_resolved(case: Case) -> bool:
    return case.status in RESOLVED_CASE_STATUSES
