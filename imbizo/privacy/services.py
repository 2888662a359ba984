"""Writes for personal data: consent wordings, the access log, export,
erasure and the retention sweep (ADR 0009).

Erasure and retention remove what identifies a citizen and keep the
anonymous history: a case keeps its service, ward, office, statuses, clock
instants and events (without their text), so figures and timelines stay true.
"""

import calendar
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from imbizo.cases.models import Attachment, Case, CaseEvent
from imbizo.cases.selectors import INSTITUTION, CaseFilter, case_event_list, case_filtered
from imbizo.cases.transitions import DONE_STATUSES
from imbizo.core import clock
from imbizo.core.limits import LINE_MAX
from imbizo.core.pseudonyms import citizen_key
from imbizo.engagement.models import Answer, Contact, Invitation, Response
from imbizo.notify.models import MessageStatus, OutboxMessage
from imbizo.ops.logs import request_id
from imbizo.ops.partitions import months_drop_before

from .hooks import (
    citizen_erasing,
    citizen_exporting,
    personal_data_expiring,
    retention_sweeping,
)
from .models import (
    AccessPurpose,
    Consent,
    ConsentWording,
    ErasedCase,
    ErasureReason,
    PersonalDataAccess,
)
from .selectors import CitizenMatch, citizen_consents

logger = logging.getLogger("imbizo.privacy")


# --- consent ---------------------------------------------------------------------------


# The wordings this process has used, by digest. A wording row is kept for
# ever (read-only in the admin, protected by the consents that point at it),
# so the row for a digest never changes: every report with consent would
# otherwise read it again on the intake hot path.
_wordings_used: dict[str, ConsentWording] = {}


def consent_wordings_forget() -> None:
    """Forget the wordings kept by this process (tests: a database rolled back)."""
    _wordings_used.clear()


def consent_wording(*, purpose: str, text: str, language: str | None = None) -> ConsentWording:
    """The stored wording for `text` as shown in `language`; a new version when it changed."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:10]
    text = str(text).strip()
    digest = hashlib.sha256(f"{purpose}\0{language}\0{text}".encode()).hexdigest()
    kept = _wordings_used.get(digest)
    if kept is not None:
        return kept
    wording = _wording_stored(purpose=purpose, language=language, text=text, digest=digest)
    # Kept once committed: a row written (or first seen) in a transaction that
    # rolls back must not be pointed at by the next report.
    transaction.on_commit(lambda: _wordings_used.setdefault(digest, wording))
    return wording


def _wording_stored(*, purpose: str, language: str, text: str, digest: str) -> ConsentWording:
    for _attempt in range(3):
        wording = ConsentWording.objects.filter(digest=digest).first()
        if wording is not None:
            return wording
        latest = ConsentWording.objects.filter(purpose=purpose, language=language).aggregate(
            v=Max("version"))["v"] or 0
        try:
            with transaction.atomic():
                return ConsentWording.objects.create(
                    purpose=purpose, language=language, text=text, digest=digest,
                    version=latest + 1, first_shown_at=clock.now())
        except IntegrityError:
            continue  # another process stored it (or took the version) first
    raise RuntimeError("could not store a consent wording")


def consent_unsaved(*, wording: ConsentWording, channel: str, at: datetime) -> Consent:
    """A Consent for a case being opened, saved by the caller with the case."""
    return Consent(wording=wording, channel=channel, given_at=at)


# --- the access log --------------------------------------------------------------------


def access_record(*, staff, purpose: AccessPurpose | str, case=None, identifier: str = "",
                  results: int | None = None) -> PersonalDataAccess:
    """Write down that `staff` was shown personal data, and why.

    `identifier` (a searched phone number or email) is kept only as its pseudonym.
    """
    return PersonalDataAccess.objects.create(
        at=clock.now(), staff=staff, username=staff.user.get_username(), purpose=purpose,
        case=case, citizen_key=citizen_key(identifier) if identifier else "",
        results=results, request_id=request_id.get() if request_id.get() != "-" else "",
    )


# --- export ----------------------------------------------------------------------------


def citizen_export(*, staff, match: CitizenMatch) -> dict:
    """Everything held about the citizen of `match`, as plain data (a JSON document).

    Logged as an export for each case.
    """
    cases = (case_filtered(viewer=INSTITUTION).filter(pk__in=match.case_ids)
             .select_related("service", "ward").order_by("opened_at"))
    consents = citizen_consents(case_ids=match.case_ids)
    events = {}
    for event in (case_event_list(viewer=INSTITUTION)
                  .filter(case_id__in=match.case_ids, public=True).order_by("at")):
        events.setdefault(event.case_id, []).append(
            {"at": event.at.isoformat(), "kind": event.kind, "status": event.to_status,
             "note": event.note})
    where = Q(case_id__in=match.case_ids) | Q(citizen_key__in=match.keys)
    responses = Response.objects.filter(where).select_related("instrument").prefetch_related(
        "answers__question").order_by("submitted_at")
    document = {
        "exported_at": clock.now().isoformat(),
        "cases": [{
            "reference": case.reference, "service": case.service.name, "kind": case.kind,
            "channel": case.channel, "status": case.status,
            "opened_at": case.opened_at.isoformat(),
            "closed_at": case.closed_at.isoformat() if case.closed_at else None,
            "name": case.citizen_name, "phone": case.citizen_phone, "email": case.citizen_email,
            "agreed_to_be_contacted": case.contact_consent, "anonymous": case.anonymous,
            "description": case.description, "address": case.address,
            "latitude": case.lat, "longitude": case.lon,
            "ward": case.ward.name if case.ward else None,
            "answers": case.attributes,
            "consents": [{"given_at": c.given_at.isoformat(), "channel": c.channel,
                          "wording": c.wording.text, "version": c.wording.version,
                          "language": c.wording.language} for c in consents.get(case.pk, [])],
            "updates": events.get(case.pk, []),
        } for case in cases],
        "contacts": [
            {"at": c.at.isoformat(), "channel": c.channel, "outcome": c.outcome}
            for c in Contact.objects.filter(where).order_by("at")],
        "survey_responses": [{
            "submitted_at": r.submitted_at.isoformat(), "survey": r.instrument.name,
            "answers": [{"question": a.question.text,
                         "answer": a.number if a.number is not None else a.text}
                        for a in r.answers.all()],
        } for r in responses],
    }
    citizen_exporting.send(sender=CitizenMatch, match=match, document=document)
    PersonalDataAccess.objects.bulk_create([
        _access(staff, AccessPurpose.EXPORT, case_id) for case_id in match.case_ids])
    if not match.case_ids:  # a citizen known only to the apps above (alert subscriptions)
        for identifier in sorted(match.identifiers):
            access_record(staff=staff, purpose=AccessPurpose.EXPORT, identifier=identifier)
    return document


def _access(staff, purpose, case_id) -> PersonalDataAccess:
    rid = request_id.get()
    return PersonalDataAccess(at=clock.now(), staff=staff, username=staff.user.get_username(),
                              purpose=purpose, case_id=case_id,
                              request_id=rid if rid != "-" else "")


# --- erasure ---------------------------------------------------------------------------


@transaction.atomic
def citizen_erase(*, staff, match: CitizenMatch, note: str) -> int:
    """Remove the personal data of the citizen of `match`; keep the anonymous history.

    Returns how many cases were erased. Logged as an erasure for each case.
    """
    PersonalDataAccess.objects.bulk_create([
        _access(staff, AccessPurpose.ERASURE, case_id) for case_id in match.case_ids])
    erased = cases_redact(case_ids=list(match.case_ids), keys=match.keys,
                          reason=ErasureReason.REQUEST, by=staff, note=note[:LINE_MAX])
    if match.identifiers:
        addressed = OutboxMessage.objects.filter(recipient__in=match.identifiers)
        addressed.filter(status__in=(MessageStatus.PENDING, MessageStatus.SENDING)).update(
            status=MessageStatus.FAILED, last_error=ERASED_NOTE)
        addressed.update(**_MESSAGE_BLANK)
    others = sum(count or 0 for _receiver, count in citizen_erasing.send(
        sender=CitizenMatch, match=match, staff=staff))
    logger.info("erased the personal data of %d cases (and %d other records) at a citizen's "
                "request", erased, others)
    return erased


ERASED_NOTE = "personal data erased"
_MESSAGE_BLANK = {"recipient": "", "subject": "", "body": "", "context": {}}


def cases_redact(*, case_ids: list[int], keys=frozenset(), reason: str, by=None,
                 note: str = "", now: datetime | None = None) -> int:
    """Remove personal data from the cases `case_ids` and from every engagement
    record of those cases or of the pseudonyms `keys`. Set-based; the caller
    holds the transaction. Returns the number of cases."""
    if not case_ids and not keys:
        return 0
    now = now or clock.now()
    keys = [k for k in keys if k]
    Case.objects.filter(pk__in=case_ids).update(
        citizen_name="", citizen_phone="", citizen_email="", contact_consent=False,
        description="", public_description="", address="", lat=None, lon=None, attributes={},
        outcome_reason="", root_cause="", redress="",
    )
    CaseEvent.objects.filter(case_id__in=case_ids).exclude(note="").update(note="")
    messages = OutboxMessage.objects.filter(case_id__in=case_ids)
    messages.filter(status__in=(MessageStatus.PENDING, MessageStatus.SENDING)).update(
        status=MessageStatus.FAILED, last_error=ERASED_NOTE)
    messages.update(**_MESSAGE_BLANK)
    engaged = Q(case_id__in=case_ids) | Q(citizen_key__in=keys) if keys else Q(
        case_id__in=case_ids)
    Contact.objects.filter(engaged).update(citizen_key="", notes="")
    Invitation.objects.filter(engaged).update(citizen_key="")
    responses = Response.objects.filter(engaged)
    Answer.objects.filter(response__in=responses.values("pk")).exclude(text="").update(text="")
    responses.update(citizen_key="")
    if keys:
        PersonalDataAccess.objects.filter(citizen_key__in=keys).update(citizen_key="")
    _photos_delete(case_ids)
    ErasedCase.objects.bulk_create(
        [ErasedCase(case_id=pk, erased_at=now, reason=reason, by=by, note=note)
         for pk in case_ids], ignore_conflicts=True)
    return len(case_ids)


def _photos_delete(case_ids: list[int]) -> None:
    attachments = Attachment.objects.filter(case_id__in=case_ids)
    files = [(a.file.storage, a.file.name) for a in attachments.only("file") if a.file]
    attachments.delete()

    def remove() -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not delete a photo file of an erased case")

    transaction.on_commit(remove)


# --- retention -------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionResult:
    cases: int
    contacts: int
    messages: int
    access_entries: int
    sign_ins: int = 0
    # What the apps above privacy removed (privacy.hooks.retention_sweeping).
    others: dict = field(default_factory=dict)


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` minus whole calendar months (the day clamped to the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_sweep(*, now: datetime | None = None, batch: int = 500,
                    max_batches: int = 40) -> RetentionResult:
    """Remove personal data kept longer than the retention settings allow.

    Cases resolved or closed more than PERSONAL_DATA_RETENTION_MONTHS ago lose
    their personal data (as on erasure); pseudonyms of older contacts, survey
    invitations and responses are cleared; message recipients and texts of
    older messages are blanked; access-log entries older than
    ACCESS_LOG_RETENTION_MONTHS are deleted (whole months of them dropped as
    partitions on PostgreSQL), with staff sign-in records of
    that age; expired sessions are deleted. Idempotent; at most
    `batch * max_batches` cases per run, in transactions of `batch`.
    """
    now = now or clock.now()
    months = int(getattr(settings, "PERSONAL_DATA_RETENTION_MONTHS", 0) or 0)
    cases = contacts = messages = access_entries = 0
    if months > 0:
        cutoff = months_before(now, months)
        done = CaseFilter(status=tuple(map(str, DONE_STATUSES)))
        due = (case_filtered(viewer=INSTITUTION, filters=done).filter(erasure__isnull=True)
               .annotate(done_at=Coalesce("closed_at", "resolved_at"))
               .filter(done_at__lte=cutoff).order_by().values_list("pk", flat=True))
        for _batch in range(max_batches):
            with transaction.atomic():
                ids = list(due[:batch])
                if not ids:
                    break
                cases += cases_redact(case_ids=ids, reason=ErasureReason.RETENTION, now=now)
        with transaction.atomic():
            for model, at in ((Contact, "at"), (Invitation, "created_at"),
                              (Response, "submitted_at")):
                count = model.objects.filter(**{f"{at}__lte": cutoff}).exclude(
                    citizen_key="").update(citizen_key="")
                contacts += count if model is Contact else 0
            messages = OutboxMessage.objects.filter(
                created_at__lte=cutoff,
                status__in=(MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.WITHHELD,
                           MessageStatus.DROPPED),
            ).exclude(recipient="").update(**_MESSAGE_BLANK)
            personal_data_expiring.send(sender=RetentionResult, cutoff=cutoff)
    log_months = int(getattr(settings, "ACCESS_LOG_RETENTION_MONTHS", 0) or 0)
    sign_ins = 0
    if log_months > 0:
        log_cutoff = months_before(now, log_months)
        # Whole months past the period go as partitions (PostgreSQL, ADR 0045):
        # no row-by-row DELETE, no dead rows left for vacuum; the rest row by row.
        access_entries = months_drop_before(table=PersonalDataAccess._meta.db_table,
                                            cutoff=log_cutoff)
        access_entries += PersonalDataAccess.objects.filter(at__lte=log_cutoff).delete()[0]
        sign_ins = _sign_in_records_delete(before=log_cutoff)
    Session.objects.filter(expire_date__lt=now).delete()
    others: dict[str, int] = {}
    for _receiver, counts in retention_sweeping.send(sender=RetentionResult, now=now):
        for what, count in (counts or {}).items():
            others[what] = others.get(what, 0) + count
    return RetentionResult(cases=cases, contacts=contacts, messages=messages,
                           access_entries=access_entries, sign_ins=sign_ins, others=others)


def _sign_in_records_delete(*, before: datetime) -> int:
    """Staff sign-in records (django-axes: address, browser, user name) past the period."""
    return sum(model.objects.filter(attempt_time__lte=before).delete()[0]
               for model in (AccessLog, AccessFailureLog, AccessAttempt))
