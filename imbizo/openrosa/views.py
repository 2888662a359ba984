"""The OpenRosa 1.0 server ODK Collect and Enketo talk to (docs/openrosa.md):
the form list, each form's XForm and manifest, and the submission door.
Each handler authenticates the field worker, calls one field service or
selector, and answers in OpenRosa's documents; nothing else happens here.
"""

from functools import wraps

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from imbizo.core.errors import DomainError
from imbizo.core.links import site_link
from imbizo.core.ratelimit import RATE_LIMITED, RateLimited, client_address, limit_check
from imbizo.field import services as field_services
from imbizo.field.errors import AttachmentRefused, FieldError
from imbizo.field.models import FieldForm
from imbizo.field.services import IncomingFile, ReceiptStatus

from .auth import Caller, Refused, caller_of, challenge
from .documents import (
    FormEntry,
    form_list_response,
    manifest_response,
    message_response,
    openrosa_headers,
    xform_response,
)
from .instances import InstanceProblem, instance_read
from .xforms import xform_of

XML_PART = "xml_submission_file"
INCOMPLETE_PART = "*isIncomplete*"
MAX_XML_BYTES = 1024 * 1024
MAX_FILES = 20
RATE_SCOPE = "openrosa"

STATUS_OF = {
    FieldError.UNKNOWN_FORM: 404,
    FieldError.MALFORMED_RECORD: 400,
    FieldError.ATTACHMENT_REFUSED: 400,
    RATE_LIMITED: 429,
}


class Failure(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _refusal(status: int, message: str, *, retry_after: int | None = None) -> HttpResponse:
    response = message_response(message, status=status, nature="error")
    if status == 401:
        response["WWW-Authenticate"] = challenge()
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _endpoint(*methods: str):
    """Wrap a handler: allowed methods, the address's rate limit, the field
    worker's credentials, and every refusal as an OpenRosaResponse."""
    def decorate(handler):
        @csrf_exempt
        @wraps(handler)
        def view(request, *args, **kwargs):
            if request.method not in methods:
                response = _refusal(405, _("Use %(methods)s here.")
                                    % {"methods": " or ".join(methods)})
                response["Allow"] = ", ".join(methods)
                return response
            try:
                limit_check(scope=RATE_SCOPE, client=client_address(request))
                caller = caller_of(request)
                return handler(request, caller, *args, **kwargs)
            except Refused as refused:
                return _refusal(refused.status, refused.message, retry_after=refused.retry_after)
            except RateLimited as limited:
                return _refusal(429, limited.message, retry_after=limited.retry_after)
            except Failure as failure:
                return _refusal(failure.status, failure.message)
            except AttachmentRefused as error:
                return _refusal(413 if error.too_large else 400, error.message)
            except DomainError as error:
                return _refusal(STATUS_OF.get(error.code, 400), error.message)
        return view
    return decorate


def _form(code: str, version: str) -> FieldForm:
    # Any version ever published is served: a phone holding last month's form
    # may still ask for it (and its records are still received).
    form = FieldForm.objects.filter(code=code, version=version).first()
    if form is None:
        raise Failure(404, _("There is no form %(code)s version %(version)s on this server.")
                      % {"code": code[:64], "version": version[:32]})
    return form


def _submitted_form(code: str, version: str) -> FieldForm:
    """The form a submission names: 404 for a form this server never had,
    400 for a version of a known form it does not have (the phone holds a
    form from another server, or an unpublished draft)."""
    form = FieldForm.objects.filter(code=code, version=version).first()
    if form is not None:
        return form
    versions = list(FieldForm.objects.filter(code=code).values_list("version", flat=True)[:10])
    if not versions:
        raise Failure(404, _("There is no form %(code)s on this server.") % {"code": code[:64]})
    raise Failure(400, _("This server has no version %(version)s of form %(code)s (it has "
                         "%(versions)s): get the blank form again.")
                  % {"version": version[:32] or "?", "code": code[:64],
                     "versions": ", ".join(versions)})


def _xform(form: FieldForm):
    return xform_of(code=form.code, version=form.version, title=form.title,
                    definition=form.definition)


# --- forms ----------------------------------------------------------------------------


@_endpoint("GET", "HEAD")
def form_list(request, caller: Caller):
    """The forms this worker may fill in, the newest version of each; only
    `formID` when asked (Enketo asks for one form)."""
    wanted = request.GET.get("formID", "")
    forms = [form for form in field_services.forms_for(caller.worker)
             if not wanted or form.code == wanted]
    entries = []
    for form in forms:
        kwargs = {"code": form.code, "version": form.version}
        entries.append(FormEntry(
            code=form.code, title=form.title, version=form.version, hash=_xform(form).hash,
            download_url=site_link(reverse("openrosa:form", kwargs=kwargs)),
            manifest_url=site_link(reverse("openrosa:manifest", kwargs=kwargs)),
            description=form.definition.get("description", "") if isinstance(
                form.definition, dict) else ""))
    return form_list_response(entries, verbose=request.GET.get("verbose") == "true")


@_endpoint("GET", "HEAD")
def form_download(request, caller: Caller, code: str, version: str):
    return xform_response(_xform(_form(code, version)).xml)


@_endpoint("GET", "HEAD")
def form_manifest(request, caller: Caller, code: str, version: str):
    """The form's media files: none yet (the forms carry their choices
    inside), but ODK Collect and Enketo ask, and an empty manifest is the
    answer that keeps them going."""
    _form(code, version)
    return manifest_response([])


# --- submissions ---------------------------------------------------------------------


def _parts(request) -> tuple[bytes, list[IncomingFile]]:
    """The instance XML and the attachments of a multipart submission."""
    if not (request.content_type or "").startswith("multipart/form-data"):
        raise Failure(400, _("Send the submission as multipart/form-data with the instance "
                             "in the part %(part)s.") % {"part": XML_PART})
    try:
        files = request.FILES
    except RequestDataTooBig as exc:
        raise Failure(413, _("The submission's form fields are too large.")) from exc
    except TooManyFieldsSent as exc:
        raise Failure(400, _("The submission has too many parts.")) from exc
    except (MultiPartParserError, UnicodeDecodeError, ValueError) as exc:
        raise Failure(400, _("The submission cannot be read as multipart/form-data: %(error)s")
                      % {"error": str(exc)[:120]}) from exc
    xml_file = files.get(XML_PART)
    if xml_file is None:
        raise Failure(400, _("The submission has no %(part)s part holding the instance XML.")
                      % {"part": XML_PART})
    if xml_file.size > MAX_XML_BYTES:
        raise Failure(413, _("The instance XML is larger than %(kb)d kB.")
                      % {"kb": MAX_XML_BYTES // 1024})
    attachments = [upload for name, uploads in files.lists() if name != XML_PART
                   for upload in uploads]
    if len(attachments) > MAX_FILES:
        raise Failure(400, _("Send at most %(n)d files in one POST; ODK Collect splits larger "
                             "submissions by itself.") % {"n": MAX_FILES})
    incoming = [IncomingFile(name=upload.name or "", content_type=upload.content_type or "",
                             data=upload.read()) for upload in attachments]
    return xml_file.read(), incoming


def _success(receipt) -> HttpResponse:
    if receipt.status in (ReceiptStatus.CREATED, ReceiptStatus.UPDATED, ReceiptStatus.ATTACHED):
        if receipt.complete:
            message = _("Received. Receipt %(receipt)s.") % {"receipt": receipt.receipt}
        else:
            message = _("Received; waiting for %(files)s. Receipt %(receipt)s.") % {
                "files": ", ".join(receipt.missing_attachments), "receipt": receipt.receipt}
        return message_response(message, status=201, nature="submit_success")
    if receipt.status == ReceiptStatus.CONFLICT:
        message = _("Received, but the record changed on the server since this copy was "
                    "made: a supervisor will decide. Receipt %(receipt)s.") % {
                        "receipt": receipt.receipt}
        return message_response(message, status=202, nature="submit_success")
    when = timezone.localtime(receipt.received_at).strftime("%Y-%m-%d %H:%M")
    message = _("Already received on %(when)s. Receipt %(receipt)s.") % {
        "when": when, "receipt": receipt.receipt}
    return message_response(message, status=202, nature="submit_success")


@_endpoint("HEAD", "POST")
def submission(request, caller: Caller):
    """HEAD: where and how much to send (204). POST: one submission, or one
    part of a submission split over several POSTs under one instanceID."""
    if request.method == "HEAD":
        response = openrosa_headers(HttpResponse(status=204))
        response["Location"] = site_link(reverse("openrosa:submission"))
        return response
    xml, files = _parts(request)
    try:
        instance = instance_read(xml)
    except InstanceProblem as problem:
        raise Failure(400, str(problem)) from problem
    form = _submitted_form(instance.form_code, instance.form_version)
    receipt = field_services.record_receive(
        form_code=form.code, form_version=form.version, instance_id=instance.instance_id,
        answers=instance.answers(form.definition), worker=caller.worker, device=caller.device,
        captured_at=instance.captured_at, attachments=files)
    return _success(receipt)
