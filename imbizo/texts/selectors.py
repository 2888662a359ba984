"""Reading translated content: one object's field, or a page's worth at once.

`translations_attach` loads the translations of a list of objects in one query
per model (never one per row) and keeps them on the objects; `translated`
then answers from what was attached, and only queries for an object that was
not. A translation is shown when its English is still the object's English;
otherwise (missing, or the English changed since) the English is shown and
the result says so.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from imbizo.notify.segments import is_gsm7, sms_normalise

from .languages import source_language
from .models import ContentTranslation
from .registry import is_translatable, source_text, source_texts

CACHE = "_content_translations"


@dataclass(frozen=True)
class Shown:
    """What a page shows for a field: the text, its language, and whether it
    fell back to English for want of a translation."""

    text: str
    language: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


def _language(language: str | None) -> str:
    return (language or translation.get_language() or source_language()).split("-")[0]


def translations_attach(objects: Iterable, language: str | None = None) -> None:
    """Load the translations of `objects` (of any translatable models) in
    `language` (default: the active one): one query per model."""
    language = _language(language)
    by_model = defaultdict(list)
    for obj in objects:
        if obj is not None and is_translatable(obj):
            cache = obj.__dict__.setdefault(CACHE, {})
            if language not in cache:
                cache[language] = {}
                by_model[type(obj)].append(obj)
    if language == source_language():
        return
    for model, found in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        by_pk = {obj.pk: obj for obj in found}
        rows = ContentTranslation.objects.filter(
            content_type=content_type, object_id__in=list(by_pk), language=language,
        ).only("object_id", "field", "text", "source_text", "gsm_text", "gsm_approved_at")
        for row in rows:
            by_pk[row.object_id].__dict__[CACHE][language][row.field] = row


def _row(obj, key: str, language: str) -> ContentTranslation | None:
    cache = obj.__dict__.get(CACHE, {})
    if language not in cache:
        translations_attach([obj], language)
        cache = obj.__dict__[CACHE]
    return cache[language].get(key)


def translated(obj, key: str, language: str | None = None) -> Shown:
    """`obj`'s `key` (a field, or field.choice) in `language`, or its English
    when there is no current translation (then `fallback` is true)."""
    language = _language(language)
    english = source_text(obj, key)
    if language == source_language() or not english:
        return Shown(english, source_language(), False)
    row = _row(obj, key, language)
    if row is None or row.source_text != english or not row.text:
        return Shown(english, source_language(), True)
    return Shown(row.text, language, False)


def translated_sms(obj, key: str, language: str | None = None) -> str:
    """The words of `obj`'s `key` for an SMS or USSD screen in `language`:
    the approved GSM-7 wording where the translation itself is not GSM-7,
    normalised for SMS (notify.segments)."""
    language = _language(language)
    shown = translated(obj, key, language)
    text = sms_normalise(shown.text)
    if shown.fallback or is_gsm7(text):
        return text
    row = _row(obj, key, language)
    if row is not None and row.gsm_text and row.gsm_approved_at is not None:
        return sms_normalise(row.gsm_text)
    return text


def translated_ids_matching(model, query: str, language: str | None = None) -> list[int]:
    """Ids of `model`'s objects whose translation in `language` holds every
    word of `query` (in any one translated field): search in the page's language."""
    language = _language(language)
    words = query.split()
    if language == source_language() or not words:
        return []
    rows = ContentTranslation.objects.filter(
        content_type=ContentType.objects.get_for_model(model), language=language)
    for word in words:
        rows = rows.filter(text__icontains=word)
    return list(rows.values_list("object_id", flat=True).distinct()[:500])


def sms_words(objects: Iterable, languages: Iterable[str]) -> dict[tuple[str, int], dict]:
    """The SMS/USSD words of `objects` in each of `languages`: {(model label,
    pk): {language: {key: words}}}, current translations only (a caller shows
    the English for what is not there), with the approved GSM-7 wording where
    the translation is not GSM-7. One query per model; nothing is kept on the
    objects (they may be a shared snapshot)."""
    languages = [code for code in languages if code != source_language()]
    by_model = defaultdict(list)
    for obj in objects:
        if is_translatable(obj):
            by_model[type(obj)].append(obj)
    found: dict[tuple[str, int], dict] = {}
    if not languages:
        return found
    for model, group in by_model.items():
        rows = defaultdict(dict)
        for row in ContentTranslation.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[o.pk for o in group], language__in=languages):
            rows[row.object_id][(row.language, row.field)] = row
        for obj in group:
            words = found.setdefault((obj._meta.label_lower, obj.pk), {})
            for piece in source_texts(obj):
                for language in languages:
                    row = rows[obj.pk].get((language, piece.key))
                    if row is None or row.source_text != piece.english or not row.text:
                        continue
                    text = sms_normalise(row.text)
                    if not is_gsm7(text) and row.gsm_text and row.gsm_approved_at:
                        text = sms_normalise(row.gsm_text)
                    words.setdefault(language, {})[piece.key] = text
    return found


def words_in(objects: Iterable, language: str | None = None) -> dict[tuple[str, int], dict]:
    """The current translations of `objects` in `language` (default: the active
    one): {(model label, pk): {key: text}}; the caller shows the English for
    what is not there. One query per model; nothing is kept on the objects,
    which may be a shared snapshot (the report form's services)."""
    language = _language(language)
    found: dict[tuple[str, int], dict] = {}
    if language == source_language():
        return found
    by_model = defaultdict(list)
    for obj in objects:
        if obj is not None and is_translatable(obj):
            by_model[type(obj)].append(obj)
    for model, group in by_model.items():
        rows = {(row.object_id, row.field): row for row in ContentTranslation.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[o.pk for o in group], language=language)}
        for obj in group:
            words = found.setdefault((obj._meta.label_lower, obj.pk), {})
            for piece in source_texts(obj):
                row = rows.get((obj.pk, piece.key))
                if row is not None and row.text and row.source_text == piece.english:
                    words[piece.key] = row.text
    return found
