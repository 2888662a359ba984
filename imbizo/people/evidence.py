"""Evidence a person's assessment or plan points at: records Imbizo already
holds, linked generically by kind and id and shown as links."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    CASE = "case", _("Case")
    CONTACT = "contact", _("Contact")
    RATING = "rating", _("Client rating")
    STORY = "story", _("Story")
    NOMINATION = "nomination", _("Recognition")
    VISIT = "visit", _("Field visit")
