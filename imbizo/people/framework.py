"""The competency framework: the version in use, and how an administrator
changes it (a new draft copied from the current version, then published).
"""

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .errors import PeopleError
from .framework_models import Competency, FrameworkVersion, Indicator, Level, Meaning


def current_version() -> FrameworkVersion | None:
    """The latest published version (what new assessments use), or None."""
    return (FrameworkVersion.objects.filter(published_at__isnull=False)
            .order_by("-number").first())


def current_version_or_error() -> FrameworkVersion:
    version = current_version()
    if version is None:
        raise DomainError(PeopleError.NO_FRAMEWORK,
                          _("No competency framework is published yet: ask an administrator."))
    return version


def competencies_of(version: FrameworkVersion) -> list[Competency]:
    """The competencies of `version` with their levels, indicators and
    meanings, in three queries."""
    return list(Competency.objects.filter(version=version).order_by("order", "id").prefetch_related(
        Prefetch("levels", Level.objects.order_by("rank").prefetch_related(
            Prefetch("indicators", Indicator.objects.order_by("order", "id")))),
        Prefetch("meanings", Meaning.objects.order_by("order", "id"))))


@transaction.atomic
def version_start_from(source: FrameworkVersion, *, note: str = "") -> FrameworkVersion:
    """A new draft version: a copy of `source` with every competency, level,
    indicator and meaning, ready to edit."""
    number = (FrameworkVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = FrameworkVersion.objects.create(number=number, note=note)
    for competency in competencies_of(source):
        copy = Competency.objects.create(version=draft, code=competency.code, name=competency.name,
                                         description=competency.description,
                                         order=competency.order)
        Meaning.objects.bulk_create(
            Meaning(competency=copy, means=m.means, does_not_mean=m.does_not_mean, order=m.order)
            for m in competency.meanings.all())
        for level in competency.levels.all():
            new_level = Level.objects.create(competency=copy, rank=level.rank, name=level.name,
                                             summary=level.summary)
            Indicator.objects.bulk_create(Indicator(level=new_level, text=i.text, order=i.order)
                                          for i in level.indicators.all())
    return draft


def version_publish(version: FrameworkVersion) -> FrameworkVersion:
    """Publish a draft: from now on new assessments use it; it no longer changes."""
    if version.published_at is not None:
        raise DomainError(PeopleError.PUBLISHED, _("This version is already published."))
    if not Level.objects.filter(competency__version=version).exists():
        raise DomainError(PeopleError.NO_FRAMEWORK,
                          _("A version needs at least one competency with levels to be published."))
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    return version
