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
