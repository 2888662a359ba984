"""Choices of the client group models (apart, so that the measure rules can use them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureSource(models.TextChoices):
    COMPLIANCE = "compliance", _("Share of cases resolved within the standard")
    SURVEY = "survey", _("Mean score of a survey question")
    FIRST_RESPONSE = "first_response", _("Median hours to first response")
    RESOLUTION = "resolution", _("Median hours to resolution")
    MANUAL = "manual", _("Entered by hand each quarter")


class Better(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Rating(models.TextChoices):
    MET = "met", _("Target met")
    CLOSE = "close", _("Close to target")
    MISSED = "missed", _("Target missed")
    NO_DATA = "no_data", _("No data")
