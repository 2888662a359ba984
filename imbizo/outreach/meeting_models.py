"""Imbizo meetings and the commitments made at them (docs/outreach.md,
"Meetings and commitments").

A meeting is planned for a ward or for a region (exactly one of the two) and
published ahead; after it is held a clerk records the attendance (counts
only), the issues raised (each a case, opened on the outreach channel or
linked) and the commitments leaders and departments made.

A commitment's stored status is what a person set: open, in progress, done or
dropped. "Late" is not stored: it is an open or in-progress commitment whose
due day has passed, computed at read from the (status, due_on) index
(outreach.meetings.commitment_late_q), so it is never stale and needs no sweep.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.core.limits import ADDRESS_MAX, LINE_MAX, TEXT_MAX


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """An imbizo: leaders meeting a community in a ward or across a region.

    Everything here is public (leaders attend in their public office); the
    attendance is counts, never names.
    """

    # Stable across edits and database moves: the calendar feeds' UID.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=LINE_MAX)
    ward = models.ForeignKey("geo.Ward", verbose_name=_("ward"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+", db_index=False)
    region = models.ForeignKey("geo.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+", db_index=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=ADDRESS_MAX,
                             help_text=_("Where people should come: a hall, a school, a field."))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    leaders = models.TextField(
        _("leaders attending"), max_length=TEXT_MAX, blank=True,
        help_text=_("One per line, by public office: 'Executive Mayor', 'Ward 12 councillor'."))
    departments = models.ManyToManyField("org.Department", verbose_name=_("departments called"),
                                         blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=LINE_MAX, blank=True)
    attendance_total = models.PositiveIntegerField(_("people attending"), null=True, blank=True)
    attendance_women = models.PositiveIntegerField(_("of them women"), null=True, blank=True)
    attendance_youth = models.PositiveIntegerField(_("of them young people (under 35)"),
                                                   null=True, blank=True)
    summary = models.TextField(_("public summary"), max_length=TEXT_MAX, blank=True)
    planned_by = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", db_index=False)
    recorded_by = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", db_index=False)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    # RFC 5545 SEQUENCE: calendars replace their copy when it grows.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["ward", "starts_at"], name="meeting_ward_starts"),
            models.Index(fields=["region", "starts_at"], name="meeting_region_starts"),
            models.Index(fields=["starts_at"], name="meeting_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(ward__isnull=False, region__isnull=True)
                           | models.Q(ward__isnull=True, region__isnull=False)),
                name="meeting_ward_or_region"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class MeetingIssue(models.Model):
    """An issue raised at a meeting: a case, opened there on the outreach
    channel (`opened_here`) or an existing case the community raised again."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="issues")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    opened_here = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"],
                                               name="meeting_issue_once")]
        indexes = [models.Index(fields=["case"], name="meeting_issue_case")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.case_id}"


class CommitmentStatus(models.TextChoices):
    """What a person set. LATE is derived (see the module docstring), never stored."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# Shown statuses: the stored ones and the derived "late".
LATE = "late"
SHOWN_STATUS_LABELS = {**dict(CommitmentStatus.choices), LATE: _("Late")}


class Commitment(models.Model):
    """What a leader or department promised at a meeting, to one or more wards."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="commitments")
    text = models.CharField(_("what was promised"), max_length=500)
    made_by = models.CharField(_("promised by"), max_length=LINE_MAX, blank=True,
                               help_text=_("The leader who made the promise, by public office."))
    owner_department = models.ForeignKey(
        "org.Department", verbose_name=_("owner department"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+", db_index=False)
    owner_staff = models.ForeignKey(
        "org.Staff", verbose_name=_("owner (member of staff)"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+", db_index=False)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.OPEN)
    dropped_reason = models.CharField(_("why it was dropped"), max_length=500, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    wards = models.ManyToManyField("geo.Ward", through="CommitmentWard", related_name="+")
    created_at = models.DateTimeField(_("made at"))
    # The latest report-back (any update); the public list shows newest first.
    reported_at = models.DateTimeField(_("last report-back"))

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["status", "due_on"], name="commitment_status_due"),
            models.Index(fields=["-reported_at", "-id"], name="commitment_reported"),
            models.Index(fields=["owner_department", "status"], name="commitment_dept_status"),
            models.Index(fields=["owner_staff", "status"], name="commitment_staff_status"),
            models.Index(fields=["meeting"], name="commitment_meeting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(owner_department__isnull=False)
                           | models.Q(owner_staff__isnull=False)),
                name="commitment_has_owner"),
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | ~models.Q(dropped_reason=""),
                name="commitment_dropped_has_reason"),
        ]

    def __str__(self) -> str:
        return self.text


class CommitmentWard(models.Model):
    """A ward a commitment serves. Carries the commitment's status and due day
    (kept in step by outreach.meetings) so a ward's counts are one index range."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="+")
    ward = models.ForeignKey("geo.Ward", on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    status = models.CharField(max_length=12, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.OPEN)
    due_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ward", "commitment"],
                                               name="commitment_ward_once")]
        indexes = [models.Index(fields=["ward", "status", "due_on"],
                                name="commitment_ward_status_due")]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.ward_id}"


class CommitmentUpdate(models.Model):
    """A report-back on a commitment: a change of status, a note, evidence of
    delivery (a resolved case, a photo checked like a case's). Public, except
    the photo, which staff see (it may show people)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", db_index=False)
    status_from = models.CharField(max_length=12, choices=CommitmentStatus.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=CommitmentStatus.choices, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_MAX, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("case delivered"),
                             on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    photo = models.FileField(upload_to="outreach/%Y/%m/", blank=True)
    photo_content_type = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["commitment", "-at", "-id"]
        indexes = [models.Index(fields=["commitment", "-at"], name="commitment_update_at")]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.at:%Y-%m-%d}"
