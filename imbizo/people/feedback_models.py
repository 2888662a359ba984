"""Feedback a person asks of their manager, colleagues and internal clients
(docs/people-time-and-feedback.md, "Feedback").

A request names who is asked; the giver answers with what the person should
start, stop and keep doing and a comment. The asker sees the answers with
the giver's name (this is not anonymous: it is a conversation between
colleagues); nobody else but the asker's manager sees them. Client feedback is
not stored here: it is read from the ratings of the person's own contacts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.core.limits import LINE_MAX, TEXT_MAX


class Relation(models.TextChoices):
    MANAGER = "manager", _("My manager")
    COLLEAGUE = "colleague", _("A colleague")
    INTERNAL_CLIENT = "internal_client", _("An internal client")


class FeedbackRequest(models.Model):
    asker = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="+",
                              db_index=False)  # led by feedback_asker_at
    giver = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="+",
                              db_index=False)  # led by feedback_giver_waiting
    relation = models.CharField(_("who they are to you"), max_length=16, choices=Relation.choices)
    question = models.CharField(_("what you would like feedback on"), max_length=LINE_MAX,
                                blank=True)
    asked_at = models.DateTimeField(_("asked"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    start = models.TextField(_("start doing"), max_length=TEXT_MAX, blank=True)
    stop = models.TextField(_("stop doing"), max_length=TEXT_MAX, blank=True)
    keep = models.TextField(_("keep doing"), max_length=TEXT_MAX, blank=True)
    comment = models.TextField(_("comment"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        indexes = [
            models.Index(fields=["asker", "asked_at"], name="feedback_asker_at"),
            models.Index(fields=["giver", "answered_at"], name="feedback_giver_waiting"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(asker=models.F("giver")),
                                   name="feedback_not_oneself"),
            # One open question per pair: a second click asks nothing twice.
            models.UniqueConstraint(fields=["asker", "giver"], name="feedback_one_open",
                                    condition=models.Q(answered_at__isnull=True)),
        ]
        verbose_name = _("feedback request")

    def __str__(self) -> str:
        return f"{self.asker_id} → {self.giver_id} {self.asked_at:%Y-%m-%d}"
