"""The competency framework as data: competencies, their levels with the
behaviour that shows each level, "this means / this doesn't mean" pairs, and
the library of development activities.

The framework is versioned. A version is edited as a draft and then
published; a published version never changes (the admin shows it read-only),
so an assessment keeps the words it was made against. To change the
framework, an administrator starts a new draft from the current version,
edits it and publishes it; new assessments use the latest published version.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from imbizo.core.limits import LINE_MAX, NAME_MAX, TEXT_MAX


class FrameworkVersion(models.Model):
    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    note = models.CharField(_("what changed"), max_length=LINE_MAX, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(
        _("published"), null=True, blank=True,
        help_text=_("Once published a version no longer changes; start a new one to edit."))

    class Meta:
        ordering = ["-number"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self) -> str:
        state = "" if self.published_at else f" ({_('draft')})"
        return f"{_('Framework')} v{self.number}{state}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Competency(models.Model):
    version = models.ForeignKey(FrameworkVersion, verbose_name=_("framework version"),
                                on_delete=models.CASCADE, related_name="competencies")
    code = models.SlugField(_("code"), max_length=40,
                            help_text=_("Stays the same across versions, e.g. service-orientation."))
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.TextField(_("what it is"), max_length=TEXT_MAX, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [models.UniqueConstraint(fields=["version", "code"],
                                               name="competency_code_per_version")]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    competency = models.ForeignKey(Competency, verbose_name=_("competency"),
                                   on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(_("level"), help_text=_("1 is the first level."))
    name = models.CharField(_("name"), max_length=NAME_MAX)
    summary = models.TextField(_("in short"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["competency", "rank"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["competency", "rank"], name="level_rank_per_competency"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="level_rank_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"


class Indicator(models.Model):
    """A behaviour one can see in someone working at a level."""

    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.CASCADE,
                              related_name="indicators")
    text = models.CharField(_("behaviour"), max_length=LINE_MAX * 2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["level", "order", "id"]
        verbose_name = _("behavioural indicator")
        verbose_name_plural = _("behavioural indicators")

    def __str__(self) -> str:
        return self.text


class Meaning(models.Model):
    """A pair that keeps a competency from being misread: what it means, and
    what it does not."""

    competency = models.ForeignKey(Competency, verbose_name=_("competency"),
                                   on_delete=models.CASCADE, related_name="meanings")
    means = models.CharField(_("this means"), max_length=LINE_MAX * 2)
    does_not_mean = models.CharField(_("this does not mean"), max_length=LINE_MAX * 2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["competency", "order", "id"]
        verbose_name = _("meaning")
        verbose_name_plural = _("means / does not mean")

    def __str__(self) -> str:
        return self.means


class Activity(models.Model):
    """A development activity of the library a plan is chosen from, tagged by
    the competency (its code, stable across versions) and the level it suits."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=NAME_MAX)
    description = models.TextField(_("what to do"), max_length=TEXT_MAX)
    competency_code = models.SlugField(
        _("competency"), max_length=40,
        help_text=_("The code of the competency it grows, e.g. service-orientation."))
    level = models.PositiveSmallIntegerField(
        _("suits level"), default=1,
        help_text=_("The level of the people it suits best (1 is the first level)."))
    suggested_days = models.PositiveSmallIntegerField(
        _("suggested time (days)"), default=14)
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("development activity")
        verbose_name_plural = _("development activities")
        indexes = [models.Index(fields=["competency_code", "level"], name="activity_tag")]

    def __str__(self) -> str:
        return self.title
