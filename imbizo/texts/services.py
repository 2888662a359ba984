"""Writes to content translations: save one, approve a GSM-7 wording, carry a
standard's translations to its next version."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.notify.segments import is_gsm7, sms_normalise

from .errors import TextsError
from .languages import translation_languages
from .models import ContentTranslation
from .placeholders import placeholder_problems
from .registry import is_translatable, source_text
from .selectors import CACHE


@transaction.atomic
def translation_save(*, obj, key: str, language: str, text: str, gsm_text: str = "",
                     reviewed: bool = False, gsm_approved: bool = False,
                     user=None) -> ContentTranslation | None:
    """Save the `language` translation of `obj`'s `key` (a field, or field.choice).

    An empty `text` removes the translation (the English is shown again).
    `reviewed` marks it checked by `user`; saving it unreviewed makes it a draft
    again. `gsm_approved` records `user` approving `gsm_text` for SMS.
    Placeholders must match the English's exactly.
    """
    if not is_translatable(obj):
        raise DomainError(TextsError.NOT_TRANSLATABLE, _("%(kind)s is not translatable.")
                          % {"kind": obj._meta.verbose_name})
    if language not in translation_languages():
        raise DomainError(TextsError.LANGUAGE_NOT_ENABLED,
                          _("%(code)s is not a language enabled for translation.")
                          % {"code": language}, field="language")
    english = source_text(obj, key)
    if not english:
        raise DomainError(TextsError.NOT_TRANSLATABLE,
                          _("%(key)s has no English to translate.") % {"key": key}, field="key")
    content_type = ContentType.objects.get_for_model(obj)
    lookup = {"content_type": content_type, "object_id": obj.pk, "field": key,
              "language": language}
    obj.__dict__.pop(CACHE, None)  # what was read before this write is stale
    text = text.strip()
    if not text:
        ContentTranslation.objects.filter(**lookup).delete()
        return None
    for name, value in (("text", text), ("gsm_text", gsm_text)):
        problems = placeholder_problems(english, value) if value else []
        if problems:
            raise DomainError(TextsError.PLACEHOLDERS, " ".join(problems), field=name)
    gsm_text = sms_normalise(gsm_text.strip())
    if gsm_text and not is_gsm7(gsm_text):
        raise DomainError(TextsError.NOT_GSM7, _("The GSM-7 wording still has letters outside the SMS "
                            "alphabet: %(letters)s.") % {"letters": " ".join(sorted(
                              {c for c in gsm_text if not is_gsm7(c)}))}, field="gsm_text")
    row = ContentTranslation.objects.select_for_update().filter(**lookup).first()
    row = row or ContentTranslation(**lookup)
    now = clock.now()
    changed = row.text != text or row.source_text != english
    row.text, row.source_text = text, english
    if reviewed and (changed or row.reviewed_at is None):
        row.reviewed_by, row.reviewed_at = user, now
    elif not reviewed:
        row.reviewed_by, row.reviewed_at = None, None
    if row.gsm_text != gsm_text or changed:
        row.gsm_approved_by, row.gsm_approved_at = None, None
    row.gsm_text = gsm_text
    if gsm_text and gsm_approved and row.gsm_approved_at is None:
        row.gsm_approved_by, row.gsm_approved_at = user, now
    try:
        row.full_clean(exclude=["content_type"])
    except ValidationError as error:  # a guard: the checks above should have said it
        raise DomainError(TextsError.PLACEHOLDERS, "; ".join(error.messages)) from error
    row.save()
    return row


def translations_carry_forward(*, previous, current) -> int:
    """Copy `previous`'s translations to `current` (a new version of the same
    content). Each keeps the English it translated, so one whose English
    changed in the new version is not shown until a person saves it again.
    Returns how many were copied."""
    content_type = ContentType.objects.get_for_model(current)
    rows = ContentTranslation.objects.filter(content_type=content_type, object_id=previous.pk)
    copies = [ContentTranslation(
        content_type=content_type, object_id=current.pk, field=row.field, language=row.language,
        text=row.text, source_text=row.source_text, reviewed_by_id=row.reviewed_by_id,
        reviewed_at=row.reviewed_at, gsm_text=row.gsm_text,
        gsm_approved_by_id=row.gsm_approved_by_id, gsm_approved_at=row.gsm_approved_at,
    ) for row in rows]
    ContentTranslation.objects.bulk_create(copies, ignore_conflicts=True)
    return len(copies)
