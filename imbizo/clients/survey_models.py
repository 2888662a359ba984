"""The client-service survey: who is asked, how often, and each round asked.

A sampling rule is data: which survey, which recipients (key clients'
consenting contact persons, a sample of citizens whose cases closed lately),
how often. Each time a rule is run a round records what happened. A round
may also be an annual survey handed to an outside party: its sample is
exported with pseudonymous respondent ids and the party's results come back
into the same figures, marked as third-party (`SurveyRound.third_party`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Models of clients.models by name: models.py imports this module at its end.


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Every year")


# How many months apart a rule's rounds fall.
FREQUENCY_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6,
                    Frequency.YEARLY: 12}


class SamplingRule(models.Model):
    """Who is asked the client-service survey, and how often.

    Recipients are the consenting contact persons of active key clients
    (`key_clients`) and/or a sample of citizens whose cases closed in the last
    `citizen_days` days and who agreed to be contacted (`citizen_size` people
    at most, or `citizen_share` of them; optionally of one office or group).
    Each is asked by email when they have an address, else by SMS.
    """

    name = models.CharField(_("name"), max_length=120)
    instrument_code = models.SlugField(_("survey"), max_length=40, default="client-service")
    key_clients = models.BooleanField(_("ask key clients' contact persons"), default=True)
    citizens = models.BooleanField(_("ask a sample of recent citizens"), default=True)
    citizen_days = models.PositiveSmallIntegerField(
        _("cases closed in the last (days)"), default=90)
    citizen_size = models.PositiveIntegerField(
        _("citizens asked at most"), null=True, blank=True,
        help_text=_("Blank: use the share below."))
    citizen_share = models.DecimalField(
        _("share of those citizens asked"), max_digits=4, decimal_places=3, null=True,
        blank=True, help_text=_("From 0 to 1, e.g. 0.2 for one in five. Blank with no size: all."))
    office = models.ForeignKey("org.Office", verbose_name=_("only cases of office"),
                               on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    group = models.ForeignKey("clients.ClientGroup", verbose_name=_("only client group"),
                              on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    frequency = models.CharField(_("how often"), max_length=12, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY)
    active = models.BooleanField(_("sent on schedule"), default=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey sampling rule")
        verbose_name_plural = _("survey sampling rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A rule asks somebody, and a share is a fraction."""
        if not (self.key_clients or self.citizens):
            raise ValidationError(_("Ask key clients' contact persons, citizens or both."))
        if self.citizen_share is not None and not 0 < self.citizen_share <= 1:
            raise ValidationError({"citizen_share": _("Give a share above 0 and at most 1.")})


class SurveyRound(models.Model):
    """One sending of a rule, or one annual survey run by an outside party."""

    rule = models.ForeignKey(SamplingRule, verbose_name=_("sampling rule"),
                             on_delete=models.PROTECT, related_name="rounds")
    started_at = models.DateTimeField(_("when"))
    started_by = models.ForeignKey("org.Staff", verbose_name=_("started by"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", help_text=_("Blank: sent on schedule."))
    third_party = models.BooleanField(_("run by an outside party"), default=False)
    invited = models.PositiveIntegerField(_("invited"), default=0)
    skipped_quiet = models.PositiveIntegerField(_("skipped: asked lately"), default=0)
    skipped_no_consent = models.PositiveIntegerField(_("skipped: no consent or address"),
                                                     default=0)
    # The digest of each imported results file: the same file twice adds nothing.
    imported_digests = models.JSONField(default=list, blank=True)
    imported = models.PositiveIntegerField(_("results imported"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")

    def __str__(self) -> str:
        return f"{self.rule} {self.started_at:%Y-%m-%d}"


class RoundRecipient(models.Model):
    """One person asked in a round, and the group their answers speak for.

    For a third-party round, `respondent` is the pseudonymous id in the
    exported file (no invitation is sent); for a scheduled round,
    `invitation` is the engagement invitation sent."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="recipients")
    respondent = models.CharField(_("respondent id"), max_length=24)
    invitation = models.OneToOneField("engagement.Invitation", on_delete=models.CASCADE,
                                      null=True, blank=True, related_name="client_recipient")
    group = models.ForeignKey("clients.ClientGroup", on_delete=models.PROTECT, related_name="+")
    key_client = models.ForeignKey("clients.KeyClient", on_delete=models.SET_NULL, null=True,
                                   blank=True,
                                   related_name="+")
    contact_person = models.ForeignKey("clients.ContactPerson", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    office = models.ForeignKey("org.Office", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    response = models.OneToOneField("engagement.Response", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="client_recipient")

    class Meta:
        verbose_name = _("survey recipient")
        constraints = [models.UniqueConstraint(fields=["round", "respondent"],
                                               name="round_respondent")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.respondent}"
