"""Evidence a person's assessment or plan points at: records Imbizo already
holds, linked generically by kind and id and shown as links."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imbizo.core.errors import DomainError

from .errors import PeopleError


class EvidenceKind(models.TextChoices):
    CASE = "case", gettext_lazy("Case")
    CONTACT = "contact", gettext_lazy("Contact")
    RATING = "rating", gettext_lazy("Client rating")
    STORY = "story", gettext_lazy("Story")
    NOMINATION = "nomination", gettext_lazy("Recognition")
    VISIT = "visit", gettext_lazy("Field visit")


# How many of each kind the pickers offer: the person's most recent records.
CANDIDATES_PER_KIND = 6


def _sources(subject):
    """For each kind: the subject's own records of that kind, newest first,
    and how to label one. Imported here: these apps sit below people."""
    from imbizo.cases.models import Case
    from imbizo.engagement.models import Contact, Response
    from imbizo.field.models import FieldRecord
    from imbizo.quality.models import Nomination, Story

    return {
        EvidenceKind.CASE: (
            Case.objects.filter(assignee=subject).select_related("service").order_by("-opened_at"),
            lambda c: f"{c.reference} · {c.service.name if c.service_id else ''}".strip(" ·")),
        EvidenceKind.CONTACT: (
            Contact.objects.filter(staff=subject).order_by("-at"),
            lambda c: _("Contact of %(date)s (%(channel)s)") % {
                "date": f"{c.at:%Y-%m-%d}", "channel": c.get_channel_display()}),
        EvidenceKind.RATING: (
            Response.objects.filter(staff=subject).order_by("-submitted_at"),
            lambda r: _("Client rating of %(date)s") % {"date": f"{r.submitted_at:%Y-%m-%d}"}),
        EvidenceKind.STORY: (
            Story.objects.filter(created_by=subject).order_by("-created_at"),
            lambda s: s.title),
        EvidenceKind.NOMINATION: (
            Nomination.objects.filter(staff=subject, withdrawn_at__isnull=True)
            .order_by("-nominated_at"),
            lambda n: _("Recognised on %(date)s") % {"date": f"{n.nominated_at:%Y-%m-%d}"}),
        EvidenceKind.VISIT: (
            FieldRecord.objects.filter(worker_id=subject.user_id).select_related("ward")
            .order_by("-received_at"),
            lambda v: _("Field visit of %(date)s%(ward)s") % {
                "date": f"{v.received_at:%Y-%m-%d}",
                "ward": f" ({v.ward.code})" if v.ward_id else ""}),
    }


def evidence_candidates(subject, *, per_kind: int = CANDIDATES_PER_KIND) -> list[dict]:
    """The subject's recent records that may be linked as evidence: one
    query per kind, each limited."""
    rows = []
    for kind, (queryset, label) in _sources(subject).items():
        for obj in queryset[:per_kind]:
            rows.append({"kind": str(kind), "object_id": obj.pk, "label": str(label(obj))[:200],
                         "key": f"{kind}:{obj.pk}"})
    return rows


def evidence_resolve(subject, keys) -> list[dict]:
    """The evidence named by `keys` ("kind:id"), checked to be the subject's
    own records; a DomainError names the first one that is not."""
    wanted: dict[str, set[int]] = {}
    for key in dict.fromkeys(k.strip() for k in keys if k and k.strip()):
        kind, _sep, raw_id = key.partition(":")
        if kind not in EvidenceKind.values or not raw_id.isdigit():
            raise DomainError(PeopleError.INVALID_EVIDENCE,
                              _("“%(key)s” is not a record that can be linked as evidence.")
                              % {"key": key[:40]}, field="evidence")
        wanted.setdefault(kind, set()).add(int(raw_id))
    sources = _sources(subject)
    rows = []
    for kind, ids in wanted.items():
        queryset, label = sources[EvidenceKind(kind)]
        found = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
        missing = sorted(ids - set(found))
        if missing:
            raise DomainError(
                PeopleError.INVALID_EVIDENCE,
                _("%(kind)s %(id)s is not one of this person's records.")
                % {"kind": EvidenceKind(kind).label, "id": missing[0]}, field="evidence")
        rows += [{"kind": kind, "object_id": pk, "label": str(label(obj))[:200]}
                 for pk, obj in found.items()]
    return rows
