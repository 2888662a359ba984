"""Field capture: forms as data, records received exactly once, their
history, conflicts, attachments, devices and the wards a worker covers.

A record is keyed by the instance UUID made on the phone (`instance_id`), so
a repeat can never become a second record. Its answers change only through
`services.record_receive`, which appends a `FieldRecordRevision` for every
version it accepts; an edit based on a stale version becomes a
`FieldConflict` for a supervisor, never a silent overwrite.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.cases.models import Case
from imbizo.geo.models import Ward


class FieldForm(models.Model):
    """One version of a form a field worker fills in (a household survey).

    `definition` is {"questions": [{"name", "kind", "label": {lang: text},
    "required", "choices": [{"name", "label"}], "relevant"?}], and optionally
    "point_question", "ward_question", "needs_question" naming the questions
    that place the record and say which needs it reports}. A published
    version is never edited: a change is a new version.
    """

    code = models.SlugField(_("code"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    definition = models.JSONField(_("definition"))
    published_at = models.DateTimeField(_("published at"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code", "-published_at", "-id"]
        verbose_name = _("field form")
        verbose_name_plural = _("field forms")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="field_form_code_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code} v{self.version})"


class NeedCategory(models.Model):
    """A need a household can report (water, housing, ...), and the service
    group of the catalogue it belongs to, so needs and cases meet on one map.
    The mapping is data an administrator can change."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    label = models.CharField(_("label"), max_length=80)
    service_group = models.CharField(
        _("service group"), max_length=60,
        help_text=_("The catalogue's service group this need belongs to (e.g. Water)."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")

    def __str__(self) -> str:
        return self.label


class FieldDevice(models.Model):
    """A phone a field worker registered. Only the token's SHA-256 digest is
    kept; the token itself is shown once, to the app that registered."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("field worker"),
                               on_delete=models.PROTECT, related_name="field_devices")
    label = models.CharField(_("label"), max_length=80)
    token_hash = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("registered at"))
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    unsynced_reported = models.PositiveIntegerField(
        _("records waiting on the phone"), default=0,
        help_text=_("As the phone last reported it."))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["worker_id", "label"]
        verbose_name = _("field device")
        verbose_name_plural = _("field devices")

    def __str__(self) -> str:
        return self.label


class FieldAssignment(models.Model):
    """A ward (or one street in it) a field worker is to visit, with the
    number of households to reach there."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("field worker"),
                               on_delete=models.CASCADE, related_name="field_assignments")
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.CASCADE,
                             related_name="field_assignments")
    street = models.CharField(_("street"), max_length=200, blank=True)
    target_households = models.PositiveIntegerField(_("target households"), default=0)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)

    class Meta:
        ordering = ["ward__code", "street", "id"]
        verbose_name = _("field assignment")
        verbose_name_plural = _("field assignments")
        constraints = [
            models.UniqueConstraint(fields=["worker", "ward", "street"],
                                    name="field_assignment_worker_ward_street"),
        ]
        indexes = [models.Index(fields=["ward"], name="field_assignment_ward")]

    def __str__(self) -> str:
        return f"{self.ward} {self.street}".strip()


class FieldRecord(models.Model):
    """A household visit (or any form filled in the field), as it stands now.

    `captured_at` is the phone's clock (may be wrong); `received_at` the
    server's. `visited_on` is the day the rollups count it on: the phone's
    day when it is plausible, else the server's. `complete` is False while
    files the record refers to have not arrived (a split submission).
    """

    instance_id = models.CharField(_("instance id"), max_length=80, unique=True)
    form = models.ForeignKey(FieldForm, verbose_name=_("form"), on_delete=models.PROTECT,
                             related_name="records")
    form_version = models.CharField(_("form version"), max_length=32)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("field worker"),
                               on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="field_records")
    device = models.ForeignKey(FieldDevice, verbose_name=_("device"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="records")
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="field_records")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    outside_wards = models.BooleanField(
        _("outside every ward"), default=False,
        help_text=_("The point is in no ward, or no ward could be found: a supervisor checks it."))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("placed in its ward by"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("The supervisor who put a record from outside every ward in a ward."))
    placed_at = models.DateTimeField(_("placed in its ward at"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    needs = models.JSONField(_("needs reported"), default=list,
                             help_text=_("Need category codes, copied from the answers."))
    captured_at = models.DateTimeField(_("captured at (phone clock)"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    visited_on = models.DateField(_("visited on"))
    updated_at = models.DateTimeField(_("last changed at"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    household = models.BooleanField(
        _("household visit"), default=False,
        help_text=_("The form asks for the household's needs: the visit counts in the needs figures."))
    expected_attachments = models.JSONField(_("files referred to"), default=list)
    complete = models.BooleanField(_("complete"), default=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("field record")
        verbose_name_plural = _("field records")
        indexes = [
            models.Index(fields=["ward", "visited_on"], name="field_record_ward_day"),
            models.Index(fields=["worker", "received_at"], name="field_record_worker"),
            models.Index(fields=["received_at"], name="field_record_outside",
                         condition=models.Q(outside_wards=True)),
        ]

    def __str__(self) -> str:
        return self.instance_id


class FieldRecordRevision(models.Model):
    """One accepted version of a record's answers; never changed or deleted."""

    record = models.ForeignKey(FieldRecord, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("revision"))
    base_revision = models.PositiveIntegerField(_("based on revision"), null=True, blank=True)
    answers = models.JSONField(_("answers"))
    received_at = models.DateTimeField(_("received at"))
    captured_at = models.DateTimeField(_("captured at (phone clock)"), null=True, blank=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["record_id", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["record", "revision"], name="field_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} r{self.revision}"


class Resolution(models.TextChoices):
    KEEP_CURRENT = "keep_current", _("Keep the current answers")
    TAKE_SUBMITTED = "take_submitted", _("Take the submitted answers")


class FieldConflict(models.Model):
    """An edit based on a revision that was no longer current: kept aside for
    a supervisor to decide, the record untouched meanwhile."""

    record = models.ForeignKey(FieldRecord, on_delete=models.CASCADE, related_name="conflicts")
    answers = models.JSONField(_("submitted answers"))
    base_revision = models.PositiveIntegerField(_("based on revision"))
    current_revision = models.PositiveIntegerField(_("current revision when received"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    captured_at = models.DateTimeField(_("captured at (phone clock)"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    resolution = models.CharField(_("resolution"), max_length=16, choices=Resolution.choices,
                                  blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("field conflict")
        verbose_name_plural = _("field conflicts")
        indexes = [
            models.Index(fields=["received_at"], name="field_conflict_open",
                         condition=models.Q(resolved_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} r{self.base_revision}"


class FieldAttachment(models.Model):
    """A file (a photo) a record refers to by name, checked by content."""

    record = models.ForeignKey(FieldRecord, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("name in the form"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(upload_to="field/%Y/%m/")
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["record_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["record", "name"], name="field_attachment_name"),
        ]

    def __str__(self) -> str:
        return self.name


class FieldRecordNeed(models.Model):
    """A need a record reports, one row each, so figures group by need in SQL."""

    record = models.ForeignKey(FieldRecord, on_delete=models.CASCADE, related_name="need_rows")
    need = models.CharField(_("need"), max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "need"], name="field_record_need_unique"),
        ]

    def __str__(self) -> str:
        return self.need


class FieldVisitDaily(models.Model):
    """Rollup: household visits per ward and day (docs/adr/0026)."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    households = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "day"], name="field_visit_daily_key"),
        ]
        indexes = [models.Index(fields=["day"], name="field_visit_daily_day")]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.day}: {self.households}"


class FieldNeedDaily(models.Model):
    """Rollup: visited households reporting each need, per ward and day."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    need = models.CharField(max_length=32)
    households = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "day", "need"], name="field_need_daily_key"),
        ]
        indexes = [models.Index(fields=["day"], name="field_need_daily_day")]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.day} {self.need}: {self.households}"


class FieldCase(models.Model):
    """A case opened during a visit (a leaking standpipe is a case, not only a need)."""

    record = models.ForeignKey(FieldRecord, on_delete=models.CASCADE, related_name="case_links")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="field_visit")
    key = models.CharField(_("key made on the phone"), max_length=80)
    opened_at = models.DateTimeField(_("opened at"))

    class Meta:
        ordering = ["record_id", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "key"], name="field_case_record_key"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} -> {self.case_id}"
