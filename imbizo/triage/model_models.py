"""The triage model's versions: plain arrays and their evaluation (ADR 0033).

Each training run stores one row, promoted or not. The arrays are a NumPy .npz
archive (no pickle: loaded with allow_pickle=False) holding the vocabulary of
character n-grams, their idf, the weights already transposed to
(n-grams x services) and the intercepts, and the same for the principles, so
that every web process predicts with a sparse dot product and no scikit-learn.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelVersion(models.Model):
    """One trained version of the institution's triage model."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    trained_at = models.DateTimeField(_("trained at"), db_index=True)
    trained_by = models.CharField(
        _("trained by"), max_length=40, blank=True,
        help_text=_("What started the training: the command, the weekly task or the demo."))
    cases = models.PositiveIntegerField(_("cases learned from"), default=0)
    held_back = models.PositiveIntegerField(_("cases held back to evaluate"), default=0)
    seconds = models.FloatField(_("training time (s)"), default=0)
    accuracy = models.FloatField(_("accuracy"), default=0)
    macro_f1 = models.FloatField(_("macro F1"), default=0)
    top3 = models.FloatField(_("top-3 accuracy"), default=0)
    # {"services": {code: {"f1", "precision", "recall", "support"}},
    #  "principles": [...], "compared": {"version", "macro_f1"} | None}
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True)
    promoted = models.BooleanField(_("promoted"), default=False)
    # The one version every process answers with: at most one row has it.
    in_use = models.BooleanField(_("in use"), default=False)
    decision = models.CharField(_("decision"), max_length=300, blank=True)
    arrays = models.BinaryField(_("arrays (.npz, no pickle)"))

    class Meta:
        ordering = ["-trained_at"]
        constraints = [
            models.UniqueConstraint(fields=["in_use"], condition=models.Q(in_use=True),
                                    name="triage_one_model_in_use"),
        ]
        verbose_name = _("triage model version")
        verbose_name_plural = _("triage model versions")

    def __str__(self) -> str:
        return self.version
