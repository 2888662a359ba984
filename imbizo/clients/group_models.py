"""Criteria, measures, quarterly reviews and the services x groups matrix.

A measure is tied to a figure Imbizo already keeps (a standard's compliance,
a survey question's mean, a response time) or is entered by hand; a
quarterly review freezes each measure's value for the quarter, records key
clients' suggestions and turns two or three of them into quality actions.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .group_choices import Better, MeasureSource, Rating
from .measure_rules import measure_check


class Criterion(models.Model):
    """Something a client group judges the service by (timeliness, cost, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what it means"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    groups = models.ManyToManyField("clients.ClientGroup", verbose_name=_("client groups"),
                                    blank=True,
                                    related_name="criteria")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """How a client group's criterion is rated, from a figure, against a target."""

    group = models.ForeignKey("clients.ClientGroup", verbose_name=_("client group"),
                              on_delete=models.CASCADE, related_name="measures")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="measures")
    name = models.CharField(_("name"), max_length=160)
    source = models.CharField(_("figure"), max_length=16, choices=MeasureSource.choices)
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
        help_text=_("Only this service's cases; empty: all the group's cases."))
    instrument_code = models.SlugField(_("survey instrument code"), max_length=40, blank=True)
    question_code = models.SlugField(_("question code"), max_length=40, blank=True)
    target = models.FloatField(_("target"))
    better = models.CharField(_("better is"), max_length=6, choices=Better.choices,
                              default=Better.HIGHER)
    # Within this share of the target (e.g. 10 %) a miss counts as "close".
    tolerance = models.PositiveSmallIntegerField(
        _("close within (%)"), default=10, validators=[MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "order", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        try:
            measure_check(self)
        except ValueError as error:
            raise ValidationError({getattr(error, "field", None) or "source": str(
                getattr(error, "message", error))}) from error


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    HELD = "held", _("Held")


class Review(models.Model):
    """A client group's quarterly review. Figures are live while it is being
    prepared and frozen (ReviewFigure) when it is held."""

    group = models.ForeignKey("clients.ClientGroup", verbose_name=_("client group"),
                              on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(_("status"), max_length=5, choices=ReviewStatus.choices,
                              default=ReviewStatus.DRAFT)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started at"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    held_by = models.ForeignKey("org.Staff", verbose_name=_("held by"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["group", "-year", "-quarter"]
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        constraints = [models.UniqueConstraint(fields=["group", "year", "quarter"],
                                               name="review_group_quarter")]

    def __str__(self) -> str:
        return f"{self.group} {self.year} Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def is_held(self) -> bool:
        return self.status == ReviewStatus.HELD


class ReviewFigure(models.Model):
    """A measure's value for a review's quarter, frozen when the review was held."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="figures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="review_figures")
    value = models.FloatField(_("value"), null=True, blank=True)
    count = models.PositiveIntegerField(_("based on"), default=0)
    target = models.FloatField(_("target"))
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices)

    class Meta:
        ordering = ["measure__order", "measure_id"]
        verbose_name = _("review figure")
        verbose_name_plural = _("review figures")
        constraints = [models.UniqueConstraint(fields=["review", "measure"],
                                               name="reviewfigure_review_measure")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.measure_id} = {self.value}"


class Suggestion(models.Model):
    """A key client's suggestion heard at a review; up to three are chosen to
    share with the team, each becoming a quality action."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="suggestions")
    key_client = models.ForeignKey("clients.KeyClient", verbose_name=_("from key client"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="suggestions")
    text = models.TextField(_("suggestion"))
    chosen = models.BooleanField(_("shared with the team"), default=False)
    action = models.OneToOneField("quality.Action", verbose_name=_("action"),
                                  on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="client_suggestion")
    recorded_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["review", "id"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return self.text[:60]


class ServiceBenefit(models.Model):
    """What a service brings one client group: a cell of the services x groups matrix."""

    service = models.ForeignKey("catalogue.Service", verbose_name=_("service"),
                                on_delete=models.CASCADE, related_name="client_benefits")
    group = models.ForeignKey("clients.ClientGroup", verbose_name=_("client group"),
                              on_delete=models.CASCADE, related_name="benefits")
    benefit = models.TextField(_("what it brings them"))

    class Meta:
        ordering = ["service", "group"]
        verbose_name = _("service benefit")
        verbose_name_plural = _("service benefits")
        constraints = [models.UniqueConstraint(fields=["service", "group"],
                                               name="servicebenefit_service_group")]

    def __str__(self) -> str:
        return f"{self.service_id} x {self.group_id}"
