"""The record of triage in use: what was suggested when a case was opened,
which service was chosen, and whether staff corrected it later.

Accuracy in use is the share of recorded cases, among those where triage
offered a service, whose final service (the correction if any, else the
choice) was the first suggestion: the figure that says whether the model
helps at the desk, next to its evaluation on held-back cases.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.core.errors import DomainError

from .suggest import services_suggested
from .usage_models import SuggestionRecord

SUGGESTED_MAX = 3


def suggestion_unsaved(*, case, door: str, suggested: Sequence[str], model: str = "",
                       ) -> SuggestionRecord:
    """The record that `case` was opened through `door` after triage offered the
    service codes `suggested` (best first; at most SUGGESTED_MAX kept, unknown
    codes dropped), not yet saved."""
    services = catalogue_snapshot().services
    codes = [c for c in dict.fromkeys(str(c) for c in suggested) if c in services][:SUGGESTED_MAX]
    chosen = case.service.code
    return SuggestionRecord(
        case=case, door=door, at=case.opened_at, model=(model or "")[:40], suggested=codes,
        first_suggested=services[codes[0]] if codes else None,
        chosen_id=case.service_id, chosen_rank=codes.index(chosen) + 1 if chosen in codes else None)


def suggestion_record(*, case, door: str, suggested: Sequence[str], model: str = "",
                      ) -> SuggestionRecord:
    """Record that `case` was opened through `door` after triage offered the
    service codes `suggested` (see suggestion_unsaved). One INSERT."""
    record = suggestion_unsaved(case=case, door=door, suggested=suggested, model=model)
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        # The same form sent twice at the same moment: both requests found the
        # one case its idempotency key names, and the other recorded it first.
        return SuggestionRecord.objects.get(case=case)
    return record


def choice_unsaved(*, case, door: str) -> SuggestionRecord:
    """What triage suggests for the words of `case`, being opened through
    `door`, against the service chosen, not yet saved. The model is
    deterministic for a version, so this is what the form offered."""
    try:
        suggested, model = services_suggested(description=case.description)
    except DomainError:
        suggested, model = [], ""
    return suggestion_unsaved(case=case, door=door, suggested=suggested, model=model)


def choice_record(*, case, door: str) -> SuggestionRecord:
    """Record what triage suggests for `case`, just opened through `door`
    (choice_unsaved). Once per case: a resubmitted form (the same case) keeps
    the first record. A door that opens the case itself passes
    CaseDraft.triage_door instead, and the record goes in with the case."""
    existing = SuggestionRecord.objects.filter(case=case).first()
    if existing is not None:
        return existing
    record = choice_unsaved(case=case, door=door)
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        return SuggestionRecord.objects.get(case=case)
    return record


def record_correction(*, case_id: int, service_to: int, at: datetime | None = None) -> None:
    """Note that staff corrected the service of `case_id` to `service_to`.
    Nothing when the case has no record; back to the chosen service clears the
    correction. Called inside the correcting transaction."""
    records = SuggestionRecord.objects.filter(case_id=case_id)
    records.exclude(chosen_id=service_to).update(corrected_to_id=service_to,
                                                 corrected_at=at or clock.now())
    records.filter(chosen_id=service_to).update(corrected_to=None, corrected_at=None)


@dataclass(frozen=True)
class UsageFigures:
    cases: int  # cases opened with triage in view
    offered: int  # ... where triage offered at least one service
    accepted_first: int  # the first suggestion was chosen
    accepted_any: int  # one of the suggestions was chosen
    corrected: int  # staff corrected the service later
    final_first: int  # the final service was the first suggestion

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(part / whole, 3) if whole else None

    @property
    def accuracy_in_use(self) -> float | None:
        """Final service = first suggestion, among cases where one was offered."""
        return self._share(self.final_first, self.offered)

    @property
    def acceptance(self) -> float | None:
        """One of the suggestions chosen, among cases where one was offered."""
        return self._share(self.accepted_any, self.offered)

    @property
    def correction_rate(self) -> float | None:
        return self._share(self.corrected, self.cases)


def _counts() -> dict:
    final_first = (Q(corrected_to__isnull=True, chosen_rank=1)
                   | Q(corrected_to__isnull=False, corrected_to=F("first_suggested")))
    return {
        "cases": Count("id"),
        "offered": Count("id", filter=Q(first_suggested__isnull=False)),
        "accepted_first": Count("id", filter=Q(chosen_rank=1)),
        "accepted_any": Count("id", filter=Q(chosen_rank__isnull=False)),
        "corrected": Count("id", filter=Q(corrected_to__isnull=False)),
        "final_first": Count("id", filter=final_first),
    }


def _records(*, since: datetime | None, door: str | None):
    records = SuggestionRecord.objects.all()
    if since is not None:
        records = records.filter(at__gte=since)
    if door:
        records = records.filter(door=door)
    return records


def usage_figures(*, since: datetime | None = None, door: str | None = None) -> UsageFigures:
    """The figures over the records since `since` (all when None): one query."""
    return UsageFigures(**_records(since=since, door=door).aggregate(**_counts()))


def usage_by_model(*, since: datetime | None = None) -> dict[str, UsageFigures]:
    """The figures per model version ("" for cases opened with no model): one query."""
    rows = (_records(since=since, door=None).order_by().values("model")
            .annotate(**_counts()))
    return {row.pop("model"): UsageFigures(**row) for row in rows}
