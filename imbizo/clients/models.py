"""Who the institution serves, as groups and as key clients.

A client group refines a case's internal/external client type: each group is
one or the other. A key client is an organisation (a business, a school,
another department) with contact persons and an account manager. A case or a
survey response belongs to a group, and perhaps to a key client, through the
link rows below; the cases and engagement apps know nothing of clients.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.cases.models import ClientType


class ClientGroup(models.Model):
    """A group of clients with shared expectations (e.g. households, businesses,
    schools, other departments)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    client_type = models.CharField(_("internal or external"), max_length=10,
                                   choices=ClientType.choices, default=ClientType.EXTERNAL)
    description = models.TextField(_("who they are"), blank=True)
    expectations = models.TextField(_("what they expect"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # The group a case without a CaseClient link counts in (one per type).
    default_for_type = models.BooleanField(
        _("default for its client type"), default=False,
        help_text=_("Cases with no group chosen count in this group. At most one per type."))

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("client group")
        verbose_name_plural = _("client groups")
        constraints = [models.UniqueConstraint(
            fields=["client_type"], condition=models.Q(default_for_type=True),
            name="clientgroup_one_default_per_type")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        other = ClientGroup.objects.filter(client_type=self.client_type,
                                           default_for_type=True).exclude(pk=self.pk).first()
        if self.default_for_type and other is not None:
            raise ValidationError({"default_for_type": _(
                "%(name)s is already the default group for this type (%(type)s); untick it there "
                "first.")
                % {"name": other.name, "type": self.get_client_type_display()}})


class OrganisationKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    SCHOOL = "school", _("School")
    DEPARTMENT = "department", _("Department or public body")
    COMMUNITY = "community", _("Community organisation")
    OTHER = "other", _("Other")


class KeyClient(models.Model):
    """An organisation served closely, with an account manager who visits it."""

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=12, choices=OrganisationKind.choices)
    group = models.ForeignKey(ClientGroup, verbose_name=_("client group"),
                              on_delete=models.PROTECT, related_name="key_clients")
    account_manager = models.ForeignKey(
        "org.Staff", verbose_name=_("account manager"), on_delete=models.PROTECT,
        related_name="key_clients")
    office = models.ForeignKey("org.Office", verbose_name=_("office"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=90)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("client since"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("key client")
        verbose_name_plural = _("key clients")

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    """A person who speaks for a key client. Personal data: exported and erased
    with the privacy rules. `phone_key` and `email_key` are the citizen keys
    (`imbizo.core.pseudonyms.citizen_key`) a caller is matched by."""

    key_client = models.ForeignKey(KeyClient, on_delete=models.CASCADE,
                                   related_name="contact_persons")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone_key = models.CharField(max_length=64, blank=True, db_index=True)
    email_key = models.CharField(max_length=64, blank=True, db_index=True)
    survey_consent = models.BooleanField(_("agrees to be surveyed"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["key_client", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class CaseClient(models.Model):
    """The client group (and key client, if any) a case belongs to, and for a
    customised service, what was agreed with the client."""

    class Source(models.TextChoices):
        INTAKE = "intake", _("Chosen at intake")
        CLIENT = "client", _("From the key client's record")
        SURVEY = "survey", _("Asked in a survey")
        DERIVED = "derived", _("Derived from the client type")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True,
                                related_name="client_link")
    group = models.ForeignKey(ClientGroup, on_delete=models.PROTECT, related_name="case_links")
    key_client = models.ForeignKey(KeyClient, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="case_links")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.INTAKE)
    agreed = models.TextField(_("what was agreed"), blank=True)

    class Meta:
        verbose_name = _("case client")
        indexes = [models.Index(fields=["group"], name="caseclient_group"),
                   models.Index(fields=["key_client"], name="caseclient_key_client")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.group_id}"


class ResponseClient(models.Model):
    """The client group (and key client, if any) a survey response speaks for."""

    response = models.OneToOneField("engagement.Response", on_delete=models.CASCADE,
                                    primary_key=True, related_name="client_link")
    group = models.ForeignKey(ClientGroup, on_delete=models.PROTECT,
                              related_name="response_links")
    key_client = models.ForeignKey(KeyClient, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="response_links")
    source = models.CharField(max_length=8, choices=CaseClient.Source.choices,
                              default=CaseClient.Source.SURVEY)

    class Meta:
        verbose_name = _("response client")
        indexes = [models.Index(fields=["group"], name="responseclient_group")]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.group_id}"


# Criteria, measures, quarterly reviews and the matrix (clients.group_models).
from .group_models import (  # noqa: E402,F401
    Criterion,
    Measure,
    Review,
    ReviewFigure,
    ServiceBenefit,
    Suggestion,
)
from .key_models import Signal, SignalKind, Visit  # noqa: E402, F401 - key clients
from .survey_models import RoundRecipient, SamplingRule, SurveyRound  # noqa: E402,F401
