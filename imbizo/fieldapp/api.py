"""The field app's JSON API under /field/api/.

Phones authenticate with their device token (`Authorization: Bearer ...`,
from field.services.device_register), never with the staff session, which
expires after 8 hours and would strand an offline queue; these endpoints are
therefore exempt from CSRF (no cookie is read). Only /field/api/device, which
creates the token, takes the session (and its CSRF token).

Answers: 201 for a new record or file, 202 for a repeat (the first receipt,
nothing changed) or for an edit kept aside for a supervisor (a conflict);
400 with {"errors": [{"code", "field", "message"}]} naming what is wrong.
"""

from functools import wraps

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from imbizo.catalogue.selectors import service_list_requestable
from imbizo.core.errors import DomainError
from imbizo.field import services as field
from imbizo.field.errors import AttachmentRefused, UnknownForm, UnknownRecord
from imbizo.field.models import FieldRecord
from imbizo.org.authorisation import second_factor_pending, staff_of
from imbizo.org.permissions import Permission, staff_allows

from . import payloads
from .payloads import PayloadFault

# Receipt statuses a phone reads as "sent again, nothing new" (202).
_ACCEPTED_STATUSES = {field.ReceiptStatus.REPEAT, field.ReceiptStatus.CONFLICT}


def _error(status: int, *, code: str, field_name: str, message: str) -> JsonResponse:
    return JsonResponse({"errors": [{"code": code, "field": field_name, "message": message}]},
                        status=status)


def _unauthorised() -> JsonResponse:
    response = _error(401, code="unauthorised", field_name="Authorization",
                      message=_("This phone is not connected, or its connection was withdrawn: "
                                "sign in on the phone again."))
    response["WWW-Authenticate"] = 'Bearer realm="imbizo-field"'
    return response


def _bearer(request) -> str:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def device_required(view):
    """The request carries a live device token of a worker who may still capture
    (active staff whose role holds FIELD_CAPTURE): `request.device` is its FieldDevice."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        device = field.device_authenticate(_bearer(request))
        if device is None or not staff_allows(staff_of(device.worker), Permission.FIELD_CAPTURE):
            return _unauthorised()
        request.device = device
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _receipt_json(receipt, record: FieldRecord | None = None) -> dict:
    return {
        "status": receipt.status,
        "receipt": receipt.receipt,
        "instance_id": receipt.instance_id,
        "revision": receipt.revision,
        "received_at": receipt.received_at.isoformat(),
        "complete": receipt.complete,
        "missing_attachments": list(receipt.missing_attachments),
        "outside_wards": bool(record and record.outside_wards),
    }


def _receipt_status(receipt) -> int:
    return 202 if receipt.status in _ACCEPTED_STATUSES else 201


def _domain_error(error: DomainError) -> JsonResponse:
    if isinstance(error, UnknownRecord):
        status = 404
    elif isinstance(error, AttachmentRefused) and error.too_large:
        status = 413
    else:
        status = 400
    return _error(status, code=error.code, field_name=error.field or "body", message=error.message)


@require_GET
@device_required
def bootstrap(request):
    """What the phone keeps for offline work: the worker, the forms, the wards."""
    worker = request.device.worker
    forms = field.forms_for(worker)
    wards = field.wards_for(worker)
    return JsonResponse({
        "worker": {"name": worker.get_full_name() or worker.get_username()},
        "device": {"label": request.device.label},
        "forms": [{"code": f.code, "version": f.version, "title": f.title,
                   "definition": f.definition} for f in forms],
        "wards": [{"code": w.code, "name": w.name} for w in wards],
        "services": [{"code": s.code, "name": s.name}
                     for s in service_list_requestable().only("code", "name")],
    })


@require_POST
@device_required
def records(request):
    """Receive one record (exactly once by its instance_id)."""
    try:
        post = payloads.record_post(payloads.json_object(request.body))
    except PayloadFault as fault:
        return _error(400, code=fault.code, field_name=fault.field, message=fault.message)
    worker = request.device.worker
    try:
        # One transaction: a problem report the cases refuse (an unknown
        # service) leaves no record behind, so the phone can correct and resend.
        with transaction.atomic():
            receipt = field.record_receive(
                form_code=post.form, form_version=post.version, instance_id=post.instance_id,
                answers=post.answers, worker=worker, device=request.device,
                captured_at=post.captured_at, base_revision=post.base_revision,
                expected_attachments=list(post.attachments))
            record = FieldRecord.objects.select_related("ward").get(pk=receipt.record_id)
            case = None
            if post.problem is not None:
                # Exactly once per visit and service: a resent visit returns its first case.
                case = field.visit_case_open(record=record, service=post.problem.service,
                                             description=post.problem.description, worker=worker)
    except UnknownForm as error:
        return _error(400, code=error.code, field_name="form", message=error.message)
    except DomainError as error:
        if post.problem is not None and error.field in ("service", "service_code", "description"):
            error.field = f"problem.{'description' if error.field == 'description' else 'service'}"
        return _domain_error(error)
    body = _receipt_json(receipt, record)
    body["case_reference"] = case.reference if case is not None else None
    return JsonResponse(body, status=_receipt_status(receipt))


@require_POST
@device_required
def attachment(request, instance_id: str, name: str):
    """One file of a received record, sent alone: the raw body (its
    Content-Type) or a multipart form with a `file` field."""
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            return _error(400, code="required", field_name="file",
                          message=_("The multipart body has no 'file' field."))
        data, content_type = upload.read(), upload.content_type or ""
    else:
        # Read from the stream, not request.body, which refuses anything over
        # DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): a photo may be larger, up to
        # the field limit, which attachment_receive enforces with its own answer.
        data, content_type = request.read(settings.FIELD_ATTACHMENT_MAX_BYTES + 1), request.content_type or ""
    if not data:
        return _error(400, code="required", field_name="body", message=_("The file is empty."))
    try:
        receipt = field.attachment_receive(
            instance_id=instance_id, worker=request.device.worker,
            file=field.IncomingFile(name=name, content_type=content_type, data=data))
    except DomainError as error:
        return _domain_error(error)
    return JsonResponse(_receipt_json(receipt), status=_receipt_status(receipt))


@require_POST
@device_required
def status(request):
    """The phone says how many records and photos wait on it (for its supervisor)."""
    try:
        unsynced = payloads.unsynced_count(payloads.json_object(request.body))
    except PayloadFault as fault:
        return _error(400, code=fault.code, field_name=fault.field, message=fault.message)
    field.device_report(request.device, unsynced)
    return JsonResponse({"unsynced": unsynced,
                         "last_seen_at": request.device.last_seen_at.isoformat()})


@require_POST
def device(request):
    """Connect a phone: a device token for the signed-in member of staff (the
    session and its CSRF token), shown this once."""
    staff = staff_of(request.user)
    if staff is None or second_factor_pending(request):
        return _error(401, code="unauthorised", field_name="session",
                      message=_("Sign in as a member of staff first."))
    if not staff_allows(staff, Permission.FIELD_CAPTURE):
        return _error(403, code="forbidden", field_name="session",
                      message=_("Your role does not record field visits."))
    try:
        label = payloads.device_label(payloads.json_object(request.body))
    except PayloadFault as fault:
        return _error(400, code=fault.code, field_name=fault.field, message=fault.message)
    registered, token = field.device_register(worker=request.user, label=label)
    return JsonResponse({"token": token, "device": {"label": registered.label}}, status=201)
