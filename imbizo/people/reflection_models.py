"""Learning from contacts (docs/people-time-and-feedback.md, "Learning from contacts").

Each week a person picks one good and one difficult contact of their own and
notes what they did and what they would do differently; they may share a
note with their team. "Something extra" notes record an extra step taken for
a client. The notes name the contact (a moment of truth), never the citizen.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.core.limits import TEXT_MAX


class Pick(models.TextChoices):
    GOOD = "good", _("A good contact")
    DIFFICULT = "difficult", _("A difficult contact")


class ContactReflection(models.Model):
    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="+",
                              db_index=False)  # led by reflection_week_pick
    week_start = models.DateField(_("week of"))
    pick = models.CharField(_("which"), max_length=10, choices=Pick.choices)
    contact = models.ForeignKey("engagement.Contact", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("contact"))
    what_i_did = models.TextField(_("what I did"), max_length=TEXT_MAX)
    do_differently = models.TextField(_("what I would do differently"), max_length=TEXT_MAX,
                                      blank=True)
    shared = models.BooleanField(_("shared with my team"), default=False)
    written_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["staff", "-week_start", "pick"]
        constraints = [models.UniqueConstraint(fields=["staff", "week_start", "pick"],
                                               name="reflection_week_pick")]
        verbose_name = _("contact reflection")

    def __str__(self) -> str:
        return f"{self.staff_id} {self.week_start:%Y-%m-%d} {self.pick}"


class ExtraStep(models.Model):
    """Something extra a person did for a client."""

    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="+",
                              db_index=False)  # led by extrastep_staff_on
    done_on = models.DateField(_("day"))
    contact = models.ForeignKey("engagement.Contact", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("contact"))
    note = models.TextField(_("what I did"), max_length=TEXT_MAX)
    shared = models.BooleanField(_("shared with my team"), default=False)
    written_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["staff", "-done_on"]
        indexes = [models.Index(fields=["staff", "done_on"], name="extrastep_staff_on")]
        verbose_name = _("something extra for a client")

    def __str__(self) -> str:
        return f"{self.staff_id} {self.done_on:%Y-%m-%d}"
