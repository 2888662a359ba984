"""The account manager's records of a key client: visits and signals.

A visit is what the account manager saw and agreed on a call at the
organisation; a signal is something negative about a key client (a deadline
breached on its case, a complaint, a poor rating) that waits for the account
manager to record the corrective action. Imported at the end of models.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """One visit of the account manager to a key client: the visit log."""

    key_client = models.ForeignKey("clients.KeyClient", verbose_name=_("key client"),
                                   on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    by = models.ForeignKey("org.Staff", verbose_name=_("visited by"), on_delete=models.PROTECT,
                           related_name="+")
    notes = models.TextField(_("notes"))
    actions_agreed = models.TextField(_("actions agreed"), blank=True)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["key_client", "-visited_on"], name="keyvisit_client_on")]

    def __str__(self) -> str:
        return f"{self.key_client_id} {self.visited_on}"


class SignalKind(models.TextChoices):
    BREACH = "breach", _("Resolution deadline breached")
    ACK_BREACH = "ack_breach", _("Not acknowledged in time")
    OVERDUE = "overdue", _("Update to the client overdue")
    COMPLAINT = "complaint", _("Complaint opened")
    POOR_RATING = "poor_rating", _("Poor rating: follow-up case")


class Signal(models.Model):
    """Something negative about a key client, for its account manager to act on.

    Open until the corrective action is recorded. One row per case and kind:
    a sweep that fires twice, or a resubmitted intake, raises nothing new.
    """

    key_client = models.ForeignKey("clients.KeyClient", verbose_name=_("key client"),
                                   on_delete=models.CASCADE, related_name="signals")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=SignalKind.choices)
    at = models.DateTimeField(_("raised at"))
    corrective_action = models.TextField(_("corrective action"), blank=True)
    recorded_by = models.ForeignKey("org.Staff", verbose_name=_("recorded by"),
                                    on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [models.Index(fields=["key_client", "recorded_at", "-at"],
                                name="keysignal_client_open")]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="keysignal_case_kind",
                                               condition=models.Q(case__isnull=False))]

    def __str__(self) -> str:
        return f"{self.key_client_id} {self.kind} {self.at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.recorded_at is None
