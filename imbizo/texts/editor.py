"""What the translation editor shows for one object: its English pieces (and
those of the content that goes with it: a service's questions and its latest
standard, a survey's questions), each beside its translation in one language,
with the SMS encoding and segments of SMS-bound pieces."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from imbizo.notify.segments import SmsLength, is_gsm7, sms_gsm7_variant, sms_length, sms_normalise

from .models import ContentTranslation
from .registry import SourceText, source_texts

# Content edited on its parent's page: relation name, and whether only the
# first of its ordering (a standard's latest version) is translated there.
WITH_PARENT = {
    "catalogue.service": (("attributes", False), ("standards", True)),
    "engagement.instrument": (("questions", False),),
}


@dataclass
class Piece:
    obj: object
    source: SourceText
    row: ContentTranslation | None
    prefix: str

    @property
    def kind(self) -> str:
        return str(self.obj._meta.verbose_name)

    @property
    def status(self) -> str:
        if self.row is None:
            return "missing"
        if self.row.source_text != self.source.english:
            return "outdated"
        return "reviewed" if self.row.reviewed_at else "draft"

    @property
    def text(self) -> str:
        return self.row.text if self.row else ""

    def length(self, text: str | None = None) -> SmsLength:
        return sms_length(sms_normalise(self.text if text is None else text))

    @property
    def english_length(self) -> SmsLength:
        return sms_length(sms_normalise(self.source.english))

    @property
    def needs_variant(self) -> bool:
        return self.source.sms and bool(self.text) and not is_gsm7(sms_normalise(self.text))

    def offered_variant(self, language: str) -> str:
        if self.row and self.row.gsm_text:
            return self.row.gsm_text
        return (sms_gsm7_variant(self.text, language) or "") if self.needs_variant else ""


def objects_for(obj) -> list:
    """`obj` and the content translated with it."""
    found = [obj]
    for relation, latest_only in WITH_PARENT.get(obj._meta.label_lower, ()):
        related = list(getattr(obj, relation).all())
        found.extend(related[:1] if latest_only else related)
    return found


def pieces_for(obj, language: str) -> list[Piece]:
    """Every English piece of `obj` and its content with its `language` row:
    one query per model."""
    objects = objects_for(obj)
    rows = {}
    for model in {type(o) for o in objects}:
        content_type = ContentType.objects.get_for_model(model)
        pks = [o.pk for o in objects if type(o) is model]
        for row in ContentTranslation.objects.filter(
                content_type=content_type, object_id__in=pks, language=language
        ).select_related("reviewed_by", "gsm_approved_by"):
            rows[(model, row.object_id, row.field)] = row
    pieces = []
    for o in objects:
        content_type = ContentType.objects.get_for_model(o)
        for source in source_texts(o):
            pieces.append(Piece(obj=o, source=source, row=rows.get((type(o), o.pk, source.key)),
                                prefix=f"t-{content_type.pk}-{o.pk}-{source.key}"))
    return pieces
