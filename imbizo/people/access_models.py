"""The access log of people's development records: who looked at whose record."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordView(models.Model):
    """One view of a person's development record by someone else (their manager).

    Written by people.access.record_view; shown to the person on their own
    page, so they know who looked.
    """

    at = models.DateTimeField(_("when"), db_index=True)
    viewer = models.ForeignKey("org.Staff", verbose_name=_("who looked"),
                               on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey("org.Staff", verbose_name=_("whose record"),
                                on_delete=models.CASCADE, related_name="+")
    what = models.CharField(_("what"), max_length=80)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("record view")
        verbose_name_plural = _("record views")
        indexes = [models.Index(fields=["subject", "-at"], name="recordview_subject_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer_id} -> {self.subject_id}: {self.what}"
