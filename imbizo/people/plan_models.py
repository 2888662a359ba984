"""Development plans: activities from the library, chosen by the person with
their manager (both agree), each with a due date, a status and evidence."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.core.limits import LINE_MAX, TEXT_MAX

from .evidence import EvidenceKind
from .framework_models import Activity


class Plan(models.Model):
    subject = models.ForeignKey("org.Staff", verbose_name=_("whose"), on_delete=models.CASCADE,
                                related_name="development_plans")
    created_by = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    goal = models.CharField(_("what the plan is for"), max_length=LINE_MAX * 2, blank=True)
    person_agreed_at = models.DateTimeField(_("agreed by the person"), null=True, blank=True)
    manager_agreed_by = models.ForeignKey("org.Staff", verbose_name=_("agreed by the manager"),
                                          on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+")
    manager_agreed_at = models.DateTimeField(_("manager agreed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        indexes = [models.Index(fields=["subject", "closed_at"], name="plan_subject_open")]

    def __str__(self) -> str:
        return f"{_('Development plan')} {self.created_at:%Y-%m-%d}"

    @property
    def agreed(self) -> bool:
        return bool(self.person_agreed_at and self.manager_agreed_at)


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DOING = "doing", _("Under way")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.PROTECT,
                                 related_name="+")
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices,
                              default=ItemStatus.PLANNED)
    note = models.TextField(_("what was done"), max_length=TEXT_MAX, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "activity"],
                                               name="plan_activity_once")]

    def __str__(self) -> str:
        return f"{self.activity} ({self.due_on})"


class PlanItemEvidence(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    object_id = models.PositiveBigIntegerField(_("record number"))
    label = models.CharField(_("shown as"), max_length=LINE_MAX)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "kind", "object_id"],
                                               name="plan_evidence_once")]

    def __str__(self) -> str:
        return self.label
