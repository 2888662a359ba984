from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.catalogue.models import Channel, Priority
from imbizo.core.languages import Language
from imbizo.core.limits import ADDRESS_MAX, LINE_MAX, NAME_MAX, TEXT_MAX

from .transitions import OPEN_STATUSES, Status


class Kind(models.TextChoices):
    REQUEST = "request", _("Request")
    COMPLAINT = "complaint", _("Complaint")
    COMPLIMENT = "compliment", _("Compliment")
    ENQUIRY = "enquiry", _("Enquiry")
    SUGGESTION = "suggestion", _("Suggestion")


class StatusChoice(models.TextChoices):
    RECEIVED = Status.RECEIVED, _("Received")
    ACKNOWLEDGED = Status.ACKNOWLEDGED, _("Acknowledged")
    ASSIGNED = Status.ASSIGNED, _("Assigned")
    IN_PROGRESS = Status.IN_PROGRESS, _("In progress")
    WAITING_CITIZEN = Status.WAITING_CITIZEN, _("Waiting for the citizen")
    WAITING_THIRD_PARTY = Status.WAITING_THIRD_PARTY, _("Waiting for a third party")
    RESOLVED = Status.RESOLVED, _("Resolved")
    CLOSED = Status.CLOSED, _("Closed")
    REOPENED = Status.REOPENED, _("Reopened")


class ClientType(models.TextChoices):
    EXTERNAL = "external", _("Member of the public or business")
    INTERNAL = "internal", _("Colleague in another department")


class Outcome(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    NOT_FIXED = "not_fixed", _("Not fixed")
    REFERRED = "referred", _("Referred to another body")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    WITHDRAWN = "withdrawn", _("Withdrawn by the citizen")


class Principle(models.TextChoices):
    """Batho Pele ("people first") principles, used to tag cases and findings."""

    CONSULTATION = "consultation", _("Consultation")
    SERVICE_STANDARDS = "service_standards", _("Service standards")
    ACCESS = "access", _("Access")
    COURTESY = "courtesy", _("Courtesy")
    INFORMATION = "information", _("Information")
    OPENNESS = "openness", _("Openness and transparency")
    REDRESS = "redress", _("Redress")
    VALUE_FOR_MONEY = "value_for_money", _("Value for money")
    INNOVATION = "innovation", _("Encouraging innovation and rewarding excellence")
    CUSTOMER_IMPACT = "customer_impact", _("Customer impact")
    LEADERSHIP = "leadership", _("Leadership and strategic direction")


class Case(models.Model):
    """One matter a citizen (or colleague) brought to the institution.

    `status` changes only through cases.services (the transition table in
    cases.transitions); each change writes a CaseEvent in the same transaction.
    Due instants are stored, and `next_check_at` is the earliest instant at
    which the clock sweep has something to do for this case, so a sweep is an
    index range scan over the cases that fall due.
    """

    reference = models.CharField(_("reference"), max_length=9)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REQUEST)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    # Foreign keys led by a composite index below carry no index of their own:
    # every index is paid for on each insert.
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT,
        related_name="cases", db_index=False,
    )
    # What was said, as typed (staff see it); `public_description` is what the
    # public may read (Open311, public pages), empty when nothing is published.
    # The two differ where staff wrote a private intake note, the citizen kept
    # the report private, or staff corrected the public text (docs/adr/0017).
    description = models.TextField(_("description"), max_length=TEXT_MAX)
    public_description = models.TextField(
        _("public description"), max_length=TEXT_MAX, blank=True,
        help_text=_("What the public sees; empty when nothing is published."),
    )
    kept_private = models.BooleanField(
        _("kept private by the reporter"), default=False,
        help_text=_("The citizen asked that nothing of the report be published."),
    )
    attributes = models.JSONField(_("answers to the service's questions"), default=dict, blank=True)
    media_urls = models.JSONField(
        _("links to photos kept by the channel"), default=list, blank=True,
        help_text=_("Open311 media_url: photos hosted by the client that sent the report."),
    )

    # Personal data: never on public pages, public APIs or logs.
    citizen_name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    citizen_phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    citizen_email = models.EmailField(_("email"), blank=True)
    contact_consent = models.BooleanField(_("agreed to be contacted"), default=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)

    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=ADDRESS_MAX, blank=True)
    ward = models.ForeignKey(
        "geo.Ward", verbose_name=_("ward"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="cases", db_index=False,
    )

    client_type = models.CharField(
        _("client"), max_length=10, choices=ClientType.choices, default=ClientType.EXTERNAL,
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL,
    )
    office = models.ForeignKey(
        "org.Office", verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="cases", db_index=False,
    )
    assignee = models.ForeignKey(
        "org.Staff", verbose_name=_("assigned officer"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="assigned_cases", db_index=False,
    )
    principles = models.JSONField(_("Batho Pele principles"), default=list, blank=True)
    language = models.CharField(
        _("language of the report"), max_length=8, choices=Language.choices, blank=True,
        help_text=_("Found in the citizen's words, or chosen; used to route and to answer."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=StatusChoice.choices, default=StatusChoice.RECEIVED,
    )
    opened_at = models.DateTimeField(_("opened at"))
    # A person's act (the button, or their first update to the citizen), never
    # a status change or a message the system sends.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by_system = models.BooleanField(
        _("acknowledged automatically on receipt"), default=False,
        help_text=_("The office tells citizens at once that the system received the report "
                    "(Office.auto_acknowledge). Counted apart; a person still acknowledges."),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    started_at = models.DateTimeField(_("work started at"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    last_public_update_at = models.DateTimeField(_("citizen last updated at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # The promise, as it stood when the case opened.
    standard = models.ForeignKey(
        "catalogue.ServiceStandard", verbose_name=_("service standard"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False,
    )
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    update_due_at = models.DateTimeField(_("next citizen update by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    resolve_warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    resolve_paused_seconds = models.PositiveIntegerField(
        _("working seconds left when paused"), null=True, blank=True,
    )
    ack_breached_at = models.DateTimeField(null=True, blank=True)
    update_overdue_at = models.DateTimeField(null=True, blank=True)
    resolve_warned_at = models.DateTimeField(null=True, blank=True)
    resolve_breached_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalate_next_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)

    parent = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="duplicates", db_index=False,  # partial index below: few cases are merged
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=LINE_MAX, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    redress = models.TextField(_("redress offered"), blank=True)

    idempotency_key = models.CharField(max_length=80, null=True, blank=True)
    # SHA-256 of the secret that lets the citizen reopen the case in public
    # (cases.reopen_secret); empty: only staff may reopen it.
    reopen_secret_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # Unique and plain indexes declared here rather than with unique=True or
        # db_index=True on the fields: on PostgreSQL those add a second,
        # varchar_pattern_ops index for LIKE queries that nothing runs, and every
        # insert pays for it (docs/benchmarks.md, case import).
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="case_reference_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="case_idempotency_key_unique",
                                    condition=models.Q(idempotency_key__isnull=False)),
        ]
        indexes = [
            models.Index(fields=["citizen_phone"], name="case_citizen_phone"),
            models.Index(fields=["office", "status"], name="case_office_status"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status",
                         condition=models.Q(assignee__isnull=False)),
            models.Index(fields=["parent"], name="case_parent",
                         condition=models.Q(parent__isnull=False)),
            models.Index(fields=["ward", "opened_at"], name="case_ward_opened"),
            models.Index(fields=["service", "opened_at"], name="case_service_opened"),
            models.Index(fields=["office", "opened_at"], name="case_office_opened"),
            # Open311 lists: newest first within a date range, and changes since an instant.
            models.Index(fields=["opened_at"], name="case_opened"),
            models.Index(fields=["updated_at"], name="case_updated"),
            # The back-office queues: open cases by deadline (the default order), in
            # the order's own columns so that a page's ids are read off the index.
            # Priority and status ride along (PostgreSQL: INCLUDE) for the other orders.
            models.Index(fields=["resolve_due_at", "opened_at", "id"], name="case_queue_open_due",
                         include=["priority", "status"],
                         condition=models.Q(status__in=sorted(map(str, OPEN_STATUSES)))),
            # ... and a list of one status (resolved, closed: most of the table) likewise.
            models.Index(fields=["status", "resolve_due_at", "opened_at", "id"],
                         name="case_queue_status_due", include=["priority"]),
            # The war room's oldest overdue cases (few rows: open and past the deadline).
            models.Index(fields=["resolve_due_at"], name="case_overdue_open",
                         condition=models.Q(resolve_breached_at__isnull=False,
                                            status__in=sorted(map(str, OPEN_STATUSES)))),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    PUBLIC_UPDATE = "public_update", _("Update to the citizen")
    NOTE = "note", _("Internal note")
    WARNED = "warned", _("Deadline near")
    ACK_BREACHED = "ack_breached", _("Acknowledgement overdue")
    UPDATE_OVERDUE = "update_overdue", _("Citizen update overdue")
    BREACHED = "breached", _("Resolution overdue")
    ESCALATED = "escalated", _("Escalated")
    MERGED = "merged", _("Merged into an incident")
    REOPENED = "reopened", _("Reopened")
    PUBLIC_TEXT = "public_text", _("Public description corrected")
    PRIORITY = "priority", _("Priority changed")
    SERVICE = "service", _("Service corrected")
    # A citizen's own message on a conversational channel (SMS, WhatsApp,
    # email reply, USSD): staff-only, since it may carry personal details.
    MESSAGE_IN = "message_in", _("Message from the citizen")
    LANGUAGE = "language", _("Language changed")


class CaseEvent(models.Model):
    """Something that happened to a case. Append-only: the case's history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events",
                             db_index=False)  # led by event_case_at
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        "org.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    public = models.BooleanField(default=False, help_text=_("Shown to the citizen."))
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="event_case_at"),
            # Open311 servicerequestupdates: public events since an instant.
            models.Index(fields=["at"], name="event_public_at", condition=models.Q(public=True)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def to_status_label(self) -> str:
        """The new status in words ("In progress"), for timelines."""
        return StatusChoice(self.to_status).label if self.to_status else ""


class Attachment(models.Model):
    """A photo sent with a case, checked by content and size on upload."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file.name


class EscalationStep(models.Model):
    """One rung of the escalation ladder, as data.

    Level N is reached `after_hours` working hours past the resolution due
    instant (level 1 normally at 0: the breach itself).
    """

    class Target(models.TextChoices):
        OFFICER = "officer", _("Assigned officer")
        SUPERVISOR = "supervisor", _("Office supervisor")
        HEAD_OF_DEPARTMENT = "head_of_department", _("Head of department")
        WAR_ROOM = "war_room", _("War room")

    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    after_hours = models.PositiveIntegerField(_("working hours after the deadline"))
    notify = models.CharField(_("who is told"), max_length=20, choices=Target.choices)

    class Meta:
        ordering = ["level"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation ladder")

    def __str__(self) -> str:
        return f"{self.level}: {self.name}"


class RoutingRule(models.Model):
    """Which office handles a service in a place. The most specific rule wins:
    service and ward, then service and region, then service, then place only."""

    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.CASCADE, null=True, blank=True,
        related_name="routing_rules",
    )
    ward = models.ForeignKey("geo.Ward", on_delete=models.CASCADE, null=True, blank=True)
    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, null=True, blank=True)
    office = models.ForeignKey("org.Office", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        scope = " / ".join(str(x) for x in (self.service, self.ward, self.region) if x)
        return f"{scope or 'default'} -> {self.office}"
