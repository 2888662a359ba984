"""Translations of content kept in the database (service names, pledges, survey
questions, ...), one row per object, field and language.

One table for every model, so that enabling a language is a setting and never
a migration (docs/adr/0043-content-translations-in-one-table.md). The English
is the object's own field; a row also keeps the English it translated
(`source_text`), so that a translation of wording that has since changed is
not shown to citizens until a person has saved it again.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .placeholders import placeholder_problems


class ContentTranslation(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE,
                                     verbose_name=_("kind of content"))
    object_id = models.PositiveBigIntegerField(_("object"))
    field = models.CharField(
        _("field"), max_length=80,
        help_text=_("The field translated; a choice label is the field, a dot and its key."))
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("translation"))
    source_text = models.TextField(
        _("English translated"),
        help_text=_("The English this translates, as it was when it was saved."))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    gsm_text = models.TextField(
        _("GSM-7 wording"), blank=True,
        help_text=_("The same words in the plain SMS alphabet, used in SMS once approved."))
    gsm_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("GSM-7 wording approved by"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    gsm_approved_at = models.DateTimeField(_("GSM-7 wording approved at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["content_type", "object_id", "language", "field"],
            name="translation_per_field_language")]
        # The unique index also serves "these objects' translations in one
        # language": content_type = ?, object_id IN (...), language = ?.
        verbose_name = _("content translation")
        verbose_name_plural = _("content translations")

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} {self.field} [{self.language}]"

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None

    def clean(self) -> None:
        """The translation (and its GSM-7 wording) keeps exactly the English's placeholders."""
        errors = {}
        for name in ("text", "gsm_text"):
            value = getattr(self, name)
            problems = placeholder_problems(self.source_text, value) if value else []
            if problems:
                errors[name] = problems
        if errors:
            raise ValidationError(errors)
