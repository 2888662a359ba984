"""Moments of truth (contacts), survey instruments, invitations and responses."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.catalogue.models import Channel
from imbizo.core.languages import Language
from imbizo.core.limits import LINE_MAX


class Purpose(models.TextChoices):
    AFTER_CONTACT = "after_contact", _("After a contact")
    CLIENT_SERVICE = "client_service", _("Client-service measures")
    POST_TRANSACTION = "post_transaction", _("After a transaction")
    RECOMMEND = "recommend", _("Would you recommend us")
    ANNUAL = "annual", _("Annual client survey")


class QuestionType(models.TextChoices):
    SCALE_5 = "scale5", _("1 to 5")
    SCALE_11 = "scale11", _("0 to 10")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice")
    TEXT = "text", _("Free text")


class Driver(models.TextChoices):
    """What a question measures; scores and the closed loop work per driver."""

    CONCERN = "concern", _("Concern shown")
    FRIENDLINESS = "friendliness", _("Friendliness")
    CIVILITY = "civility", _("Civility")
    OVERALL = "overall", _("Overall")
    START = "start", _("Start doing")
    STOP = "stop", _("Stop doing")
    KEEP = "keep", _("Keep doing")
    VALUE = "value", _("Value")
    EASE = "ease", _("Ease of dealing with us")
    INTEGRITY = "integrity", _("Integrity")
    RELEVANCE = "relevance", _("Relevance")
    MANAGEMENT_FOCUS = "management_focus", _("Management focus")
    RELATIONSHIP = "relationship", _("Long-term relationship")
    REFERRAL = "referral", _("Referral")
    SATISFACTION = "satisfaction", _("Satisfaction")
    TRUST = "trust", _("Trust")
    EFFECTIVENESS = "effectiveness", _("Effectiveness")
    EFFICIENCY = "efficiency", _("Efficiency")
    FAIRNESS = "fairness", _("Fairness")
    HELPFULNESS = "helpfulness", _("Employee helpfulness")
    RECOMMEND = "recommend", _("Would recommend")
    TIMELINESS = "timeliness", _("Timeliness")
    OTHER = "other", _("Other")


PERSONAL_FACTORS = (Driver.CONCERN, Driver.FRIENDLINESS, Driver.CIVILITY)


class Instrument(models.Model):
    """A survey, versioned: answers always point at the version that was asked."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=160)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    introduction = models.TextField(_("introduction"), blank=True)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"],
                                               name="instrument_version")]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Question(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    type = models.CharField(_("type"), max_length=10, choices=QuestionType.choices)
    driver = models.CharField(_("driver"), max_length=20, choices=Driver.choices)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True,
                               help_text=_('For "one choice": ["Yes", "No", ...].'))

    class Meta:
        ordering = ["instrument", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"],
                                               name="question_code_per_instrument")]

    def __str__(self) -> str:
        return self.text


class Contact(models.Model):
    """A moment of truth: one contact between a citizen and the institution."""

    class Kind(models.TextChoices):
        PERSON = "person", _("With a person")
        SYSTEM = "system", _("A message from the system")

    at = models.DateTimeField(_("when"))
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PERSON)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    # No index of their own: contact_office_at and contact_staff_at lead with them and
    # serve the lookups and the SET NULL on deletion alike (ADR 0049).
    office = models.ForeignKey("org.Office", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="contacts", db_index=False)
    staff = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="contacts", db_index=False)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="contacts")
    # Pseudonymous: an HMAC of the phone or email, so a citizen's contacts link
    # into a journey without the journey holding who they are. Indexed in Meta:
    # db_index=True would add a second, varchar_pattern_ops copy on PostgreSQL for
    # LIKE queries, which nothing makes (ADR 0049).
    citizen_key = models.CharField(max_length=64, blank=True)
    wait_seconds = models.PositiveIntegerField(_("waiting time (s)"), null=True, blank=True)
    handling_seconds = models.PositiveIntegerField(_("handling time (s)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=LINE_MAX, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The language the citizen used in this contact (the case's, the phone
    # menu's, or found in their words): what a survey about it is asked in.
    language = models.CharField(_("language"), max_length=8, choices=Language.choices,
                                blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["office", "at"], name="contact_office_at"),
                   models.Index(fields=["staff", "at"], name="contact_staff_at"),
                   models.Index(fields=["citizen_key"], name="contact_citizen_key")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def wait_minutes(self) -> int | None:
        return None if self.wait_seconds is None else round(self.wait_seconds / 60)


class Invitation(models.Model):
    """An invitation to answer a survey.

    One-use invitations (email, SMS) carry a random token of which only the
    hash is stored. A counter invitation (QR code at an office) is standing:
    many visitors use it, limited per device and per hour.
    """

    class Source(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        COUNTER = "counter", _("QR code at a counter")

    token_hash = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="invitations")
    office = models.ForeignKey("org.Office", on_delete=models.SET_NULL, null=True, blank=True)
    staff = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    citizen_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_source_display()} invitation {self.pk}"


class Response(models.Model):
    """One completed survey."""

    invitation = models.ForeignKey(Invitation, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="responses")
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="responses")
    office = models.ForeignKey("org.Office", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="responses")
    staff = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="responses")
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    citizen_key = models.CharField(max_length=64, blank=True, db_index=True)
    submitted_at = models.DateTimeField()
    follow_up = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", help_text=_("Opened by the closed loop."))
    follow_up_held = models.BooleanField(
        _("follow-up held back"), default=False,
        help_text=_("A closed-loop rule fired but the office had its hour's share of "
                    "follow-ups from the counter: shown to the supervisor instead."))
    follow_up_rule = models.ForeignKey(
        "LoopRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("closed-loop rule that fired"),
        help_text=_("What the citizen was told comes from this rule."))

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["office", "submitted_at"], name="response_office_at")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.submitted_at:%Y-%m-%d}"


class CounterVisit(models.Model):
    """One answer taken at an office's counter survey, kept for an hour to limit
    answers per device and per address (engagement.counter).

    Only keyed hashes: an IP address is personal data and is never stored.
    """

    office = models.ForeignKey("org.Office", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    address_key = models.CharField(max_length=64)
    device_key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["office", "address_key", "at"],
                                name="countervisit_address_at")]

    def __str__(self) -> str:
        return f"counter visit {self.at:%Y-%m-%d %H:%M}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    driver = models.CharField(max_length=20, choices=Driver.choices)
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["driver"], name="answer_driver")]

    def __str__(self) -> str:
        return f"{self.driver}: {self.number if self.number is not None else self.text[:40]}"


class LoopRule(models.Model):
    """When a response opens a follow-up case (the closed loop), as data.

    A rule watches the answers of one survey (`instrument_code`, every
    version) or of every survey (blank). It fires when a watched answer is at
    most `max_score`, or, with `detractor`, when a would-you-recommend answer
    is 0-6. The watched answers are those to `questions` (codes in that
    survey) when named; else those for `drivers` (e.g. concern, friendliness
    or civility, in any survey); else, for a rule bound to a survey, every
    1-to-5 question of it. The first active rule that fires (oldest first)
    opens the one follow-up, and its `promise` is what the citizen is told.
    """

    name = models.CharField(_("name"), max_length=120)
    instrument_code = models.SlugField(
        _("survey"), max_length=40, blank=True,
        help_text=_("The code of the survey it watches, every version (e.g. post-transaction). "
                    "Blank: every survey."))
    questions = models.JSONField(
        _("questions"), default=list, blank=True,
        help_text=_('Codes of the questions it watches in that survey, e.g. ["satisfaction", '
                    '"trust"]. Blank: the drivers below, or every 1-to-5 question of the survey.'))
    drivers = models.JSONField(_("drivers"), default=list, blank=True)
    max_score = models.PositiveSmallIntegerField(_("fires at or below"), null=True, blank=True)
    detractor = models.BooleanField(_("fires for detractors (0-6 of 10)"), default=False)
    follow_up_service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, verbose_name=_("follow-up service"),
        help_text=_("Its standard sets the promise, e.g. contact the citizen within 2 working days."),
    )
    promise = models.CharField(
        _("what the citizen is told"), max_length=LINE_MAX, blank=True,
        help_text=_("Shown on the thank-you page when this rule opens a follow-up, e.g. "
                    "\"A supervisor will call you within 2 working days.\" Blank: the pledge of "
                    "the follow-up service's standard."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("closed-loop rule")
        verbose_name_plural = _("closed-loop rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A rule must watch something, and name questions its survey asks."""
        if self.questions and not self.instrument_code:
            raise ValidationError({"questions": _("Name the survey these questions belong to.")})
        if not (self.instrument_code or self.drivers or self.detractor):
            raise ValidationError(_("Choose a survey, drivers or detractors to watch."))
        if self.instrument_code:
            asked = set(Question.objects.filter(instrument__code=self.instrument_code)
                        .values_list("code", flat=True))
            if not asked:
                raise ValidationError({"instrument_code": _("No survey has this code.")})
            unknown = sorted(set(self.questions) - asked)
            if unknown:
                raise ValidationError({"questions": _("The survey asks no question %(codes)s.")
                                       % {"codes": ", ".join(unknown)}})
