"""Writes of the field app: receiving records exactly once, their files,
devices, assignments and conflict resolutions.

`record_receive` is the one door every client comes through (the field app
at /field/, OpenRosa at /openrosa/): it validates everything first and then
writes in one transaction, so a refused submission stores nothing.
"""

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from imbizo.cases.intake import CaseDraft, phone_normalise
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.cases.uploads import image_check
from imbizo.catalogue.models import Channel, Service
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.geo.models import Ward
from imbizo.geo.selectors import ward_id_at, ward_id_for_code

from . import definitions
from .errors import AttachmentRefused, FieldError, MalformedRecord, UnknownForm, UnknownRecord
from .models import (
    FieldAssignment,
    FieldAttachment,
    FieldCase,
    FieldConflict,
    FieldDevice,
    FieldForm,
    FieldRecord,
    FieldRecordNeed,
    FieldRecordRevision,
    NeedCategory,
    Resolution,
)
from .rollups import contribution_of, rollups_move

DEFAULT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# A phone's clock further than this from the server's is not believed for the
# day a visit counts on (a phone reset to 1970, or set a year ahead).
PLAUSIBLE_CLOCK_PAST = datetime.timedelta(days=60)
PLAUSIBLE_CLOCK_FUTURE = datetime.timedelta(days=1)
_MAX_INSTANCE_ID = 80


class ReceiptStatus(StrEnum):
    CREATED = "created"  # a new record (OpenRosa 201)
    REPEAT = "repeat"  # this instance (or this edit) was received before; nothing changed (202)
    UPDATED = "updated"  # an edit based on the current revision: a new revision (201)
    CONFLICT = "conflict"  # an edit based on a stale revision: kept for a supervisor (202)
    ATTACHED = "attached"  # answers unchanged, files joined the record (a split submission) (201)


@dataclass(frozen=True)
class IncomingFile:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Receipt:
    """What the server tells the phone: `receipt` is a short code a worker can read out."""

    status: str
    record_id: int
    instance_id: str
    revision: int
    received_at: datetime.datetime
    receipt: str
    complete: bool = True
    missing_attachments: tuple[str, ...] = field(default=())


def _attachment_max_bytes() -> int:
    return int(getattr(settings, "FIELD_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))


def receipt_code(record_id: int, revision: int, conflict_id: int | None = None) -> str:
    """F<record>-<revision>, or F<record>-C<conflict> for an edit kept aside."""
    if conflict_id is not None:
        return f"F{record_id}-C{conflict_id}"
    return f"F{record_id}-{revision}"


def _form_get(code: str, version: str) -> FieldForm:
    # Inactive versions still receive: a phone offline for a week must not
    # lose the households it recorded on last week's form.
    form = FieldForm.objects.filter(code=str(code or ""), version=str(version or "")).first()
    if form is None:
        raise UnknownForm(code, version)
    return form


def _instance_id_check(instance_id) -> str:
    text = str(instance_id or "").strip()
    if not text:
        raise MalformedRecord([_("instanceID: the record has no instance id")])
    if len(text) > _MAX_INSTANCE_ID or any(c.isspace() for c in text):
        raise MalformedRecord([_("instanceID: %(id)r is not an instance id") % {"id": text[:100]}])
    return text


def _visited_on(captured_at, received_at) -> datetime.date:
    when = received_at
    if captured_at is not None and (received_at - PLAUSIBLE_CLOCK_PAST <= captured_at
                                    <= received_at + PLAUSIBLE_CLOCK_FUTURE):
        when = captured_at
    return timezone.localdate(when)


def _ward_for(place: definitions.Place) -> tuple[int | None, bool]:
    """(ward id, outside every ward): the point decides; the typed ward number
    is used only when there is no point. A point in no ward is flagged even
    when a ward number was typed."""
    if place.latitude is not None:
        ward_id = ward_id_at(lat=place.latitude, lon=place.longitude)
        if ward_id is not None:
            return ward_id, False
        return (ward_id_for_code(place.ward_code) if place.ward_code else None), True
    ward_id = ward_id_for_code(place.ward_code) if place.ward_code else None
    return ward_id, ward_id is None


@dataclass(frozen=True)
class _Checked:
    answers: dict
    ward_id: int | None
    outside: bool
    latitude: float | None
    longitude: float | None
    needs: list[str]
    household: bool
    expected: list[str]


def _phones_normalise(definition: dict, cleaned: dict, problems: list[str]) -> None:
    """Phone numbers in E.164, as cases keep them, so a citizen's data request
    (found by number) finds the households too."""
    for question in definition.get("questions", []):
        name = question["name"]
        if question.get("format") == "phone" and cleaned.get(name):
            try:
                cleaned[name] = phone_normalise(cleaned[name])
            except DomainError as exc:
                problems.append(f"{name}: {exc.message}")


def _check(form: FieldForm, answers, expected_attachments) -> _Checked:
    cleaned, problems = definitions.answers_clean(form.definition, answers)
    _phones_normalise(form.definition, cleaned, problems)
    if problems:
        raise MalformedRecord(problems)
    place = definitions.place_of(form.definition, cleaned)
    ward_id, outside = _ward_for(place)
    expected = sorted(set(definitions.image_names(form.definition, cleaned))
                      | {str(n) for n in expected_attachments})
    return _Checked(answers=cleaned, ward_id=ward_id, outside=outside,
                    latitude=place.latitude, longitude=place.longitude,
                    needs=definitions.needs_of(form.definition, cleaned),
                    household=bool(form.definition.get("needs_question")), expected=expected)


@dataclass(frozen=True)
class _CheckedFile:
    name: str
    content_type: str
    extension: str
    data: bytes
    sha256: str


def _file_check(incoming: IncomingFile) -> _CheckedFile:
    name = str(incoming.name or "")
    if not name or "/" in name or "\\" in name or len(name) > 200:
        raise AttachmentRefused(name or "?", _("the file has no usable name"))
    limit = _attachment_max_bytes()
    if len(incoming.data) > limit:
        raise AttachmentRefused(
            name, _("the file is %(size).1f MB; the limit is %(max).1f MB")
            % {"size": len(incoming.data) / 1024 / 1024, "max": limit / 1024 / 1024},
            too_large=True)
    upload = ContentFile(incoming.data, name=name)
    try:
        content_type, extension = image_check(upload)
    except DomainError as exc:
        raise AttachmentRefused(name, exc.message) from exc
    return _CheckedFile(name=name, content_type=content_type, extension=extension,
                        data=incoming.data, sha256=hashlib.sha256(incoming.data).hexdigest())


def _names_check(files: list[_CheckedFile], expected) -> None:
    for checked in files:
        if checked.name not in expected:
            raise AttachmentRefused(checked.name, _("the record does not refer to this file"))


def _files_store(record: FieldRecord, files: list[_CheckedFile], now) -> int:
    """Store the files the record does not have yet; the number stored."""
    have = {a.name: a.sha256 for a in record.attachments.all()}
    stored = 0
    for checked in files:
        if checked.name in have:
            if have[checked.name] != checked.sha256:
                raise AttachmentRefused(
                    checked.name, _("a different file of this name is already stored"))
            continue
        attachment = FieldAttachment(record=record, name=checked.name,
                                     content_type=checked.content_type, size=len(checked.data),
                                     sha256=checked.sha256, received_at=now)
        attachment.file.save(f"{uuid.uuid4().hex}.{checked.extension}",
                             ContentFile(checked.data), save=False)
        attachment.save()
        have[checked.name] = checked.sha256
        stored += 1
    return stored


def _complete_refresh(record: FieldRecord) -> None:
    names = set(record.attachments.values_list("name", flat=True))
    complete = set(record.expected_attachments) <= names
    if complete != record.complete:
        record.complete = complete
        FieldRecord.objects.filter(pk=record.pk).update(complete=complete)


def _receipt(record: FieldRecord, status: str, *, revision: int, received_at,
             conflict_id: int | None = None) -> Receipt:
    names = set(record.attachments.values_list("name", flat=True))
    missing = tuple(n for n in record.expected_attachments if n not in names)
    return Receipt(status=str(status), record_id=record.pk, instance_id=record.instance_id,
                   revision=revision, received_at=received_at,
                   receipt=receipt_code(record.pk, revision, conflict_id),
                   complete=not missing, missing_attachments=missing)


def _needs_store(record: FieldRecord, needs: list[str]) -> None:
    FieldRecordNeed.objects.filter(record=record).exclude(need__in=needs).delete()
    have = set(FieldRecordNeed.objects.filter(record=record).values_list("need", flat=True))
    FieldRecordNeed.objects.bulk_create(
        [FieldRecordNeed(record=record, need=n) for n in needs if n not in have])


def _create(*, form, instance_id, checked: _Checked, worker, device, captured_at, base_revision,
            now) -> FieldRecord:
    record = FieldRecord.objects.create(
        instance_id=instance_id, form=form, form_version=form.version, worker=worker,
        device=device, ward_id=checked.ward_id, latitude=checked.latitude,
        longitude=checked.longitude, outside_wards=checked.outside, answers=checked.answers,
        needs=checked.needs, household=checked.household, captured_at=captured_at,
        received_at=now, visited_on=_visited_on(captured_at, now), updated_at=now, revision=1,
        expected_attachments=checked.expected, complete=not checked.expected)
    FieldRecordRevision.objects.create(record=record, revision=1, base_revision=base_revision,
                                       answers=checked.answers, received_at=now,
                                       captured_at=captured_at, worker=worker)
    FieldRecordNeed.objects.bulk_create([FieldRecordNeed(record=record, need=n)
                                         for n in checked.needs])
    rollups_move(before=None, after=contribution_of(record))
    return record


def _revise(record: FieldRecord, *, checked: _Checked, worker, captured_at, base_revision,
            now) -> FieldRecordRevision:
    """Make `checked` the record's current answers as a new revision."""
    before = contribution_of(record)
    record.revision += 1
    record.answers = checked.answers
    record.needs = checked.needs
    record.ward_id = checked.ward_id
    record.outside_wards = checked.outside
    record.latitude, record.longitude = checked.latitude, checked.longitude
    record.expected_attachments = checked.expected
    record.updated_at = now
    if captured_at is not None:
        record.captured_at = captured_at
    record.save(update_fields=["revision", "answers", "needs", "ward", "outside_wards", "latitude",
                               "longitude", "expected_attachments", "updated_at", "captured_at"])
    revision = FieldRecordRevision.objects.create(
        record=record, revision=record.revision, base_revision=base_revision,
        answers=checked.answers, received_at=now, captured_at=captured_at, worker=worker)
    _needs_store(record, checked.needs)
    rollups_move(before=before, after=contribution_of(record))
    return revision


def _record_lock(instance_id: str) -> FieldRecord | None:
    return (FieldRecord.objects.select_for_update().filter(instance_id=instance_id).first())


def record_receive(*, form_code: str, form_version: str, instance_id: str, answers: dict,
                   worker=None, device: FieldDevice | None = None,
                   captured_at: datetime.datetime | None = None, base_revision: int | None = None,
                   attachments=(), expected_attachments=()) -> Receipt:
    """Receive one submission of a record, exactly once by `instance_id`.

    - new instance: "created" (revision 1);
    - the same instance again without `base_revision`, or an edit already
      accepted: "repeat", nothing changed, the first receipt returned (files
      it brings that the record still lacks join it: then "attached");
    - `base_revision` equal to the current revision: "updated" (a new revision);
    - `base_revision` older: "conflict", a FieldConflict for a supervisor,
      the record unchanged.
    Files named in the answers (image questions) or in
    `expected_attachments` may come now or later (`attachment_receive`);
    the record is `complete` when all are in. Raises UnknownForm,
    MalformedRecord or AttachmentRefused before writing anything.
    """
    instance_id = _instance_id_check(instance_id)
    form = _form_get(form_code, form_version)
    checked = _check(form, answers, expected_attachments)
    files = [_file_check(incoming) for incoming in attachments]
    if captured_at is not None and timezone.is_naive(captured_at):
        raise MalformedRecord([_("captured_at: a time zone is required")])
    if base_revision is not None and (not isinstance(base_revision, int) or base_revision < 1):
        raise MalformedRecord([_("base_revision: a revision is a whole number from 1")])
    now = clock.now()
    try:
        with transaction.atomic():
            return _receive(form=form, instance_id=instance_id, checked=checked, files=files,
                            worker=worker, device=device, captured_at=captured_at,
                            base_revision=base_revision, now=now)
    except IntegrityError:
        # Another request created this instance between our look and our
        # insert; it is now a repeat (or an edit of that record).
        with transaction.atomic():
            return _receive(form=form, instance_id=instance_id, checked=checked, files=files,
                            worker=worker, device=device, captured_at=captured_at,
                            base_revision=base_revision, now=now)


def _receive(*, form, instance_id, checked, files, worker, device, captured_at, base_revision,
             now) -> Receipt:
    record = _record_lock(instance_id)
    if record is None:
        _names_check(files, checked.expected)
        record = _create(form=form, instance_id=instance_id, checked=checked, worker=worker,
                         device=device, captured_at=captured_at, base_revision=base_revision,
                         now=now)
        _files_store(record, files, now)
        _complete_refresh(record)
        return _receipt(record, ReceiptStatus.CREATED, revision=1, received_at=now)
    if record.form_id != form.pk and base_revision is None:
        raise MalformedRecord([_("instanceID: %(id)s was received for another form")
                               % {"id": instance_id}])
    if base_revision is None:
        return _repeat(record, files, checked, now)
    accepted = (record.revisions.filter(base_revision=base_revision)
                .order_by("revision").values_list("revision", "answers", "received_at"))
    for revision, answers, received_at in accepted:
        if answers == checked.answers:
            _names_check(files, record.expected_attachments)
            stored = _files_store(record, files, now)
            _complete_refresh(record)
            status = ReceiptStatus.ATTACHED if stored else ReceiptStatus.REPEAT
            return _receipt(record, status, revision=revision, received_at=received_at)
    if base_revision > record.revision:
        raise MalformedRecord([_("base_revision: the record has only revision %(n)d")
                               % {"n": record.revision}])
    if base_revision == record.revision:
        _names_check(files, checked.expected)
        revision = _revise(record, checked=checked, worker=worker, captured_at=captured_at,
                           base_revision=base_revision, now=now)
        _files_store(record, files, now)
        _complete_refresh(record)
        return _receipt(record, ReceiptStatus.UPDATED, revision=revision.revision,
                        received_at=now)
    # Files sent with the edit are kept with the record (lose nothing); the
    # answers wait for a supervisor.
    _names_check(files, set(record.expected_attachments) | set(checked.expected))
    _files_store(record, files, now)
    conflict = _conflict_same(record, base_revision, checked.answers)
    if conflict is None:
        conflict = FieldConflict.objects.create(
            record=record, answers=checked.answers, base_revision=base_revision,
            current_revision=record.revision, worker=worker, captured_at=captured_at,
            received_at=now)
    return _receipt(record, ReceiptStatus.CONFLICT, revision=record.revision,
                    received_at=conflict.received_at, conflict_id=conflict.pk)


def _conflict_same(record, base_revision, answers) -> FieldConflict | None:
    # JSON equality is compared in Python: SQLite and PostgreSQL disagree on
    # comparing JSON documents, and a record has few conflicts.
    for conflict in FieldConflict.objects.filter(record=record, base_revision=base_revision):
        if conflict.answers == answers:
            return conflict
    return None


def _repeat(record: FieldRecord, files, checked: _Checked, now) -> Receipt:
    # The later parts of a split submission may announce files the first did not.
    expected = sorted(set(record.expected_attachments) | set(checked.expected))
    _names_check(files, expected)
    if expected != record.expected_attachments:
        record.expected_attachments = expected
        record.save(update_fields=["expected_attachments"])
    first = record.revisions.order_by("revision").values_list("received_at", flat=True).first()
    stored = _files_store(record, files, now)
    _complete_refresh(record)
    status = ReceiptStatus.ATTACHED if stored else ReceiptStatus.REPEAT
    return _receipt(record, status, revision=1, received_at=first or record.received_at)


def attachment_receive(*, instance_id: str, file: IncomingFile, worker=None) -> Receipt:
    """Join one file to a received record (a photo whose upload failed, retried alone).

    Idempotent: the same file again changes nothing ("repeat"); a new one is
    "attached". Raises UnknownRecord when the record has not arrived, and
    AttachmentRefused for a file it does not refer to, too large or not an image.
    """
    instance_id = _instance_id_check(instance_id)
    checked = _file_check(file)
    now = clock.now()
    with transaction.atomic():
        record = _record_lock(instance_id)
        if record is None:
            raise UnknownRecord(instance_id)
        if checked.name not in record.expected_attachments:
            raise AttachmentRefused(checked.name, _("the record does not refer to this file"))
        stored = _files_store(record, [checked], now)
        _complete_refresh(record)
        status = ReceiptStatus.ATTACHED if stored else ReceiptStatus.REPEAT
        return _receipt(record, status, revision=record.revision,
                        received_at=now if stored else record.updated_at)


# Devices ---------------------------------------------------------------------

DEVICE_SEEN_EVERY = datetime.timedelta(minutes=1)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_register(*, worker, label: str) -> tuple[FieldDevice, str]:
    """A new device for `worker` and its token, shown this once (only its digest is kept)."""
    label = (label or "").strip()[:80] or _("Phone")
    token = "fld_" + secrets.token_urlsafe(32)
    device = FieldDevice.objects.create(worker=worker, label=label, token_hash=_token_digest(token),
                                        created_at=clock.now(), last_seen_at=clock.now())
    return device, token


def device_authenticate(token: str) -> FieldDevice | None:
    """The live device whose token this is (and note it was seen), or None."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    device = (FieldDevice.objects.select_related("worker")
              .filter(token_hash=_token_digest(token), revoked_at__isnull=True).first())
    if device is None or not device.worker.is_active:
        return None
    now = clock.now()
    if device.last_seen_at is None or now - device.last_seen_at >= DEVICE_SEEN_EVERY:
        FieldDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
    return device


def device_report(device: FieldDevice, unsynced: int) -> None:
    """Note how many records are waiting on the phone, as it says."""
    unsynced = max(0, min(int(unsynced), 1_000_000))
    now = clock.now()
    FieldDevice.objects.filter(pk=device.pk).update(unsynced_reported=unsynced, last_seen_at=now)
    device.unsynced_reported, device.last_seen_at = unsynced, now


def device_revoke(*, device: FieldDevice) -> FieldDevice:
    """Stop the device's token working (a lost phone)."""
    if device.revoked_at is None:
        device.revoked_at = clock.now()
        device.save(update_fields=["revoked_at"])
    return device


# What a worker is given --------------------------------------------------------

def forms_for(worker) -> list[FieldForm]:
    """The active forms, the latest published version of each code."""
    latest: dict[str, FieldForm] = {}
    for form in FieldForm.objects.filter(active=True, published_at__lte=clock.now()):
        latest.setdefault(form.code, form)  # ordered newest first within a code
    return list(latest.values())


def wards_for(worker) -> list[Ward]:
    """The wards `worker` is assigned to, by code."""
    if worker is None:
        return []
    return list(Ward.objects.filter(field_assignments__worker=worker).distinct().order_by("code"))




# Cases opened during a visit ---------------------------------------------------

def _contact_of(record: FieldRecord) -> tuple[str, str]:
    """(phone, consent text) when the household agreed to be contacted, else ("", "")."""
    definition = record.form.definition
    consent = definition.get("consent_question")
    if not consent or record.answers.get(consent) != "yes":
        return "", ""
    phone = next((record.answers[q["name"]] for q in definition.get("questions", [])
                  if q.get("personal") and q["kind"] == "text" and record.answers.get(q["name"])),
                 "")
    question = next((q for q in definition["questions"] if q["name"] == consent), {})
    return phone, question.get("label", {}).get("en", "")


def visit_case_open(*, record: FieldRecord, service: Service | str, description: str,
                    key: str = "", worker=None, priority: str | None = None,
                    public_description: str | None = None) -> Case:
    """Open a case during the visit `record` (channel "field"), linked to it.

    Exactly once per (record, key): `key` is made on the phone for each case
    (default: one case per service per visit); sending it again returns the
    first case. The case takes the record's point (or its ward when the point
    is in no ward) and, when the household agreed, its phone number.
    """
    service_code = service.code if isinstance(service, Service) else str(service)
    key = (key or service_code).strip()[:60]
    existing = (FieldCase.objects.select_related("case")
                .filter(record=record, key=key).first())
    if existing is not None:
        return existing.case
    phone, consent_text = _contact_of(record)
    inside = record.latitude is not None and not record.outside_wards
    draft = CaseDraft(
        service_code=service_code, description=description, channel=Channel.FIELD,
        lat=record.latitude if inside else None, lon=record.longitude if inside else None,
        ward_code=record.ward.code if (record.ward_id and not inside) else "",
        citizen_phone=phone, contact_consent=bool(phone), consent_text=consent_text,
        anonymous=not phone, public_description=public_description,
        **({"priority": priority} if priority else {}))
    actor = getattr(worker, "staff", None) if worker is not None else None
    digest = hashlib.sha256(f"{record.instance_id}|{key}".encode()).hexdigest()[:40]
    with transaction.atomic():
        case = case_open(draft=draft, actor=actor, idempotency_key=f"field:{digest}")
        FieldCase.objects.get_or_create(record=record, key=key,
                                        defaults={"case": case, "opened_at": clock.now()})
    return case


HOUSEHOLD_FORM_VERSION = "1"


def household_survey_ensure() -> FieldForm:
    """The household needs survey (version 1) and the need categories, created
    if missing (the seed migration makes them; tests that flush the database
    and the demo call this)."""
    for position, (code, label, group) in enumerate(definitions.NEED_CATEGORIES):
        NeedCategory.objects.get_or_create(
            code=code, defaults={"label": label, "service_group": group, "position": position})
    form, _created = FieldForm.objects.get_or_create(
        code=definitions.HOUSEHOLD_FORM_CODE, version=HOUSEHOLD_FORM_VERSION,
        defaults={"title": "Household needs survey",
                  "definition": definitions.household_needs_v1(),
                  "published_at": clock.now(), "active": True})
    return form


# Supervision -------------------------------------------------------------------

MAX_TARGET = 100_000


@transaction.atomic
def assignments_save(*, worker, wards: list[Ward], street: str = "",
                     target_households: int = 0) -> list[FieldAssignment]:
    """Give `worker` each of `wards` (or one `street` in them) with a target
    of households per ward; an existing assignment gets the new target."""
    if worker is None or not worker.is_active or getattr(worker, "staff", None) is None:
        raise DomainError(FieldError.ASSIGNMENT_INVALID,
                          _("Field workers are active staff members."), field="worker")
    if not wards:
        raise DomainError(FieldError.ASSIGNMENT_INVALID, _("Choose at least one ward."),
                          field="wards")
    if not 0 <= int(target_households) <= MAX_TARGET:
        raise DomainError(FieldError.ASSIGNMENT_INVALID,
                          _("The target is a number of households from 0 to %(max)d.")
                          % {"max": MAX_TARGET}, field="target_households")
    street = (street or "").strip()[:200]
    now = clock.now()
    saved = []
    for ward in wards:
        assignment, _created = FieldAssignment.objects.update_or_create(
            worker=worker, ward=ward, street=street,
            defaults={"target_households": int(target_households), "assigned_at": now})
        saved.append(assignment)
    return saved


def assignment_remove(*, assignment: FieldAssignment) -> None:
    """Take the ward (or street) off the worker's list; visits already made stay counted."""
    assignment.delete()


@transaction.atomic
def conflict_resolve(*, conflict: FieldConflict, resolution: str, actor) -> FieldConflict:
    """Settle an edit that was based on a stale revision.

    "keep_current" leaves the record as it is; "take_submitted" makes the
    submitted answers a new revision (based on the current one, so the
    history shows both). Either way the conflict records who decided and when.
    """
    conflict = FieldConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.resolved_at is not None:
        raise DomainError(FieldError.CONFLICT_RESOLVED,
                          _("This conflict was already resolved."), field="conflict")
    if resolution not in Resolution.values:
        raise DomainError(FieldError.CONFLICT_RESOLVED, _("Choose how to resolve the conflict."),
                          field="resolution")
    now = clock.now()
    if resolution == Resolution.TAKE_SUBMITTED:
        record = FieldRecord.objects.select_for_update().select_related("form").get(
            pk=conflict.record_id)
        checked = _check(record.form, conflict.answers, ())
        _revise(record, checked=checked, worker=conflict.worker, captured_at=conflict.captured_at,
                base_revision=record.revision, now=now)
        _complete_refresh(record)
    conflict.resolved_at, conflict.resolved_by, conflict.resolution = now, actor, resolution
    conflict.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return conflict


# A citizen's data requests (through privacy.hooks) -----------------------------------


def _personal_names(definition: dict) -> list[str]:
    """Answers that identify a household: personal questions, and free text
    (which may name people)."""
    return [q["name"] for q in definition.get("questions", [])
            if q.get("personal") or (q.get("kind") == "text" and q["name"] != definition.get(
                "ward_question"))]


def _records_of(identifiers) -> list[FieldRecord]:
    """Records whose personal answers hold one of `identifiers` (phones in E.164)."""
    phones = [i for i in identifiers if i and "@" not in i]
    if not phones:
        return []
    found: dict[int, FieldRecord] = {}
    for form in FieldForm.objects.all():
        for question in form.definition.get("questions", []):
            if question.get("format") == "phone":
                lookup = {f"answers__{question['name']}__in": phones}
                for record in (FieldRecord.objects.filter(form=form, **lookup)
                               .select_related("ward", "form")):
                    found[record.pk] = record
    return sorted(found.values(), key=lambda r: r.received_at)


def visits_of_citizen(*, identifiers) -> list[dict]:
    """The household visits that gave one of the citizen's numbers, as plain data."""
    return [{"received_at": r.received_at.isoformat(),
             "visited_on": r.visited_on.isoformat(),
             "ward": r.ward.name if r.ward else None,
             "latitude": r.latitude, "longitude": r.longitude,
             "answers": r.answers} for r in _records_of(identifiers)]


def _visits_strip(records) -> int:
    """Remove numbers and free text from `records`, their history and their
    conflicts; round their points to about 1 km. The needs stay."""
    for record in records:
        names = _personal_names(record.form.definition)
        point = record.form.definition.get("point_question")

        def strip(answers, names=names):
            return {k: v for k, v in answers.items() if k not in names}

        record.answers = strip(record.answers)
        if record.latitude is not None:
            record.latitude, record.longitude = round(record.latitude, 2), round(record.longitude, 2)
            if point and point in record.answers:
                record.answers[point] = f"{record.latitude} {record.longitude}"
        record.save(update_fields=["answers", "latitude", "longitude"])
        for row in (*record.revisions.all(), *record.conflicts.all()):
            row.answers = strip(row.answers)
            if point and point in row.answers:
                row.answers[point] = record.answers.get(point, "")
            row.save(update_fields=["answers"])
    return len(records)


@transaction.atomic
def visits_erase(*, identifiers) -> int:
    """Remove the phone numbers and free text of the visits that gave one of
    `identifiers`, from the record, its history and its conflicts; the point
    is rounded to about 1 km. The needs, and so the figures, stay."""
    return _visits_strip(_records_of(identifiers))


@transaction.atomic
def visits_expire(*, before, batch: int = 5000) -> int:
    """Strip the visits received before `before` that still hold a number or
    free text (PERSONAL_DATA_RETENTION_MONTHS, privacy.retention_sweep)."""
    holding = Q()
    for form in FieldForm.objects.all():
        names = _personal_names(form.definition)
        if names:
            has = Q()
            for name in names:
                has |= Q(answers__has_key=name)
            holding |= Q(form=form) & has
    if not holding:
        return 0
    records = list(FieldRecord.objects.filter(holding, received_at__lte=before)
                   .select_related("form").order_by("id")[:batch])
    return _visits_strip(records)
