"""What triage suggested at intake, what was chosen, and what the service
turned out to be: the record behind the accuracy-in-use figure."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Door(models.TextChoices):
    INTAKE = "intake", _("Agent intake")
    REPORT = "report", _("Public report form")
    SMS = "sms", _("SMS")
    USSD = "ussd", _("USSD")
    WHATSAPP = "whatsapp", _("WhatsApp")


class SuggestionRecord(models.Model):
    """One case opened where triage offered services.

    `suggested` holds the codes offered, best first (empty when the model
    offered none); `chosen` is the service the case was opened with;
    `corrected_to` is set when staff later correct the case's service
    (cases.hooks.case_moving), and the last correction wins.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE,
                                related_name="triage_record")
    door = models.CharField(_("door"), max_length=10, choices=Door.choices)
    at = models.DateTimeField(_("opened at"))
    model = models.CharField(_("model version"), max_length=40, blank=True)
    suggested = models.JSONField(_("services suggested, best first"), default=list, blank=True)
    first_suggested = models.ForeignKey(
        "catalogue.Service", verbose_name=_("first suggestion"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+", db_index=False,
    )
    chosen = models.ForeignKey("catalogue.Service", verbose_name=_("service chosen"),
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    # 1-based rank of the chosen service among the suggestions; null: not suggested.
    chosen_rank = models.PositiveSmallIntegerField(_("rank of the choice"), null=True, blank=True)
    corrected_to = models.ForeignKey(
        "catalogue.Service", verbose_name=_("corrected to"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+", db_index=False,
    )
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("triage suggestion record")
        verbose_name_plural = _("triage suggestion records")
        indexes = [models.Index(fields=["at"], name="triage_record_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.door}"
