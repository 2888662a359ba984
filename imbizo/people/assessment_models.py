"""Assessments: a level per competency of the framework, by the person
themself, their manager, a peer, or read from client evidence."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.core.limits import LINE_MAX, TEXT_MAX

from .evidence import EvidenceKind
from .framework_models import Competency, FrameworkVersion, Level


class AssessmentKind(models.TextChoices):
    SELF = "self", _("Self")
    MANAGER = "manager", _("Manager")
    PEER = "peer", _("Colleague")
    CLIENT = "client", _("Client evidence")


class Assessment(models.Model):
    subject = models.ForeignKey("org.Staff", verbose_name=_("whose"), on_delete=models.CASCADE,
                                related_name="assessments")
    author = models.ForeignKey("org.Staff", verbose_name=_("by"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    version = models.ForeignKey(FrameworkVersion, verbose_name=_("framework version"),
                                on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["subject", "assessed_on"], name="assessment_subject_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on}"


class AssessmentRating(models.Model):
    """The level an assessment gives one competency."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("why"), max_length=LINE_MAX * 2, blank=True)

    class Meta:
        ordering = ["assessment", "competency__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "competency"],
                                               name="one_level_per_competency")]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.level_id}"


class AssessmentEvidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    object_id = models.PositiveBigIntegerField(_("record number"))
    label = models.CharField(_("shown as"), max_length=LINE_MAX)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "kind", "object_id"],
                                               name="assessment_evidence_once")]

    def __str__(self) -> str:
        return self.label
