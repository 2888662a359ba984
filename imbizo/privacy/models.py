"""Consent with its wording, the log of staff access to personal data, and
the record of what was erased (see docs/privacy.md and ADR 0009)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.core.limits import LINE_MAX


class ConsentWording(models.Model):
    """A text a citizen was asked to agree to, exactly as shown, kept forever.

    A new row appears the first time a changed text is shown (by its digest),
    so a consent always points at the words the citizen actually read.
    """

    purpose = models.CharField(_("purpose"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("wording"))
    digest = models.CharField(max_length=64, unique=True)
    first_shown_at = models.DateTimeField(_("first used"))

    class Meta:
        ordering = ["purpose", "language", "-version"]
        constraints = [models.UniqueConstraint(fields=["purpose", "language", "version"],
                                               name="consent_wording_version")]
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version} ({self.language})"


class Consent(models.Model):
    """A citizen's agreement, with the case it came with and the words agreed to."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    wording = models.ForeignKey(ConsentWording, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("given at"))
    channel = models.CharField(_("channel"), max_length=12)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.wording} at {self.given_at:%Y-%m-%d %H:%M}"


class AccessPurpose(models.TextChoices):
    CASE_PAGE = "case_page", _("Case page with contact details")
    CALLER_LOOKUP = "caller_lookup", _("Caller look-up by phone")
    CITIZEN_JOURNEY = "citizen_journey", _("A citizen's journey across cases")
    PHOTO = "photo", _("Photo sent with a case")
    PRIVACY_SEARCH = "privacy_search", _("Search for a citizen's data")
    EXPORT = "export", _("Export of a citizen's data")
    ERASURE = "erasure", _("Erasure of a citizen's data")


class PersonalDataAccess(models.Model):
    """One time a staff member was shown a citizen's personal data, and why.

    Holds no personal data itself: the case by id, a searched phone number or
    email only as its pseudonym (engagement.services.citizen_key).
    """

    at = models.DateTimeField(_("when"))
    staff = models.ForeignKey("org.Staff", verbose_name=_("staff member"),
                              on_delete=models.SET_NULL, null=True, related_name="+",
                              db_index=False)  # led by access_staff_at
    username = models.CharField(_("username"), max_length=150)
    purpose = models.CharField(_("why"), max_length=20, choices=AccessPurpose.choices)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+", db_index=False)
    citizen_key = models.CharField(max_length=64, blank=True)
    results = models.PositiveIntegerField(_("cases found"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="access_at"),
            models.Index(fields=["staff", "at"], name="access_staff_at"),
            models.Index(fields=["case", "at"], name="access_case_at"),
        ]
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access to personal data")

    def __str__(self) -> str:
        return f"{self.username} {self.purpose} {self.at:%Y-%m-%d %H:%M}"


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("At the citizen's request")
    RETENTION = "retention", _("Retention period over")


class ErasedCase(models.Model):
    """A case whose personal data was removed: when, why, by whom.

    The case itself stays (its events, statuses, ward, service and clocks);
    this row also makes the retention sweep skip it next time.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True,
                                related_name="erasure")
    erased_at = models.DateTimeField(_("erased at"))
    reason = models.CharField(_("why"), max_length=10, choices=ErasureReason.choices)
    by = models.ForeignKey("org.Staff", verbose_name=_("by"), on_delete=models.SET_NULL,
                           null=True, blank=True, related_name="+")
    note = models.CharField(_("request"), max_length=LINE_MAX, blank=True,
                            help_text=_("How the request came in, e.g. a letter's reference."))

    class Meta:
        verbose_name = _("erased case")
        verbose_name_plural = _("erased cases")

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason} {self.erased_at:%Y-%m-%d}"
