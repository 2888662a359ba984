from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A group of wards managed together (e.g. a metro region)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """An electoral ward; its boundary is a GeoJSON Polygon or MultiPolygon (WGS84)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="wards",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"))
    # Derived from the boundary on save; used to place labels and pan maps.
    centroid_lat = models.FloatField(_("centroid latitude"), editable=False, default=0)
    centroid_lon = models.FloatField(_("centroid longitude"), editable=False, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PlaceKind(models.TextChoices):
    STREET = "street", _("street")
    LANDMARK = "landmark", _("landmark")
    FACILITY = "facility", _("public facility")
    AREA = "area", _("suburb or area")


class Place(models.Model):
    """A named point in the institution's gazetteer: a street, a landmark, a
    clinic, a suburb. Its ward (and so its region) is derived from the point.

    `search_text` is the name, the other names and the area, folded by
    `geo.search.search_key`; the search index is built on it (FTS5 on SQLite,
    a trigram GIN index on PostgreSQL, both made by migration 0003).
    """

    code = models.CharField(_("code"), max_length=64, unique=True,
                            help_text=_("The file's identifier, or one derived from the place."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices,
                            default=PlaceKind.STREET)
    area = models.CharField(_("suburb or area"), max_length=120, blank=True)
    alt_names = models.TextField(_("other names"), blank=True,
                                 help_text=_("One per line: spellings, older names, other languages."))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="places")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="places")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return self.name
