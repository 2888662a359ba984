"""Open311 GeoReport v2 handlers (interface only): parse, authorise, call one
selector or service, render. See docs/open311.md for the contract."""

import uuid
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from imbizo.cases import selectors as case_selectors
from imbizo.cases import services as case_services
from imbizo.cases.intake import CaseDraft, draft_problems
from imbizo.cases.selectors import Bound, CaseFilter, Span
from imbizo.cases.uploads import MAX_PHOTO_BYTES, MAX_PHOTOS, image_check
from imbizo.catalogue import selectors as catalogue_selectors
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.limits import TEXT_MAX
from imbizo.core.links import site_host, site_link
from imbizo.integrations.models import ApiKey, Scope
from imbizo.integrations.services import apikey_authenticate
from imbizo.org.selectors import institution_get

from . import limits, records
from .documents import document_response
from .errors import Open311Error, Open311Failure, Problem, error_response, problem_of
from .params import Parameters
from .statuses import REOPENING_STATES, STATUSES_OF, ExtendedStatus, Open311Status, client_state

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00+00:00"  # when this endpoint's contract last changed
DEFAULT_WINDOW = timedelta(days=90)
DEFAULT_UPDATES_WINDOW = timedelta(days=1)
MAX_PAGE_SIZE = 1000
MAX_PAGE = 100_000
MAX_IDEMPOTENCY_KEY = 200
UPLOAD_FIELDS = ("media", "media[]")
# Photos at their limit plus a megabyte of fields: anything larger is refused unread.
MAX_BODY_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TOKEN_PREFIX = "o311-"  # noqa: S105 - marks our tokens; not a secret


def jurisdiction_id() -> str:
    """The one jurisdiction served: OPEN311_JURISDICTION_ID, or the site's host name."""
    return getattr(settings, "OPEN311_JURISDICTION_ID", "") or site_host()


def _endpoint(*methods: str):
    """Wrap a handler: allowed methods, the jurisdiction, and every failure as an
    Open311 error document in the format asked for."""
    def decorate(handler):
        @csrf_exempt
        @wraps(handler)
        def view(request, *args, fmt: str | None = None, **kwargs):
            fmt = fmt or "xml"
            try:
                if request.method not in methods:
                    raise Open311Failure([Problem(
                        405, Open311Error.METHOD_NOT_ALLOWED,
                        _("Use %(methods)s here.") % {"methods": " or ".join(methods)})])
                limits.address_limit(request)
                params = _parameters(request)
                _refuse_nul(params, kwargs)
                given = params.text("jurisdiction_id")
                if given and given != jurisdiction_id():
                    raise Open311Failure([Problem(
                        404, Open311Error.UNKNOWN_JURISDICTION,
                        _("This endpoint serves the jurisdiction '%(ours)s' only, not "
                          "'%(given)s'.") % {"ours": jurisdiction_id(), "given": given[:80]},
                        "jurisdiction_id")])
                return handler(request, params, fmt, *args, **kwargs)
            except Open311Failure as failure:
                return error_response(fmt, failure)
            except DomainError as error:
                return error_response(fmt, Open311Failure.of(error))
        return view
    return decorate


def _refuse_nul(params: Parameters, path_parts: dict) -> None:
    """A NUL character has no place in any parameter (and PostgreSQL cannot store one)."""
    names = [name for source in params.sources for name, values in source.lists()
             if "\x00" in name or any("\x00" in value for value in values)]
    names += [name for name, value in path_parts.items() if "\x00" in str(value)]
    if names:
        raise Open311Failure([Problem(
            400, Open311Error.INVALID_PARAMETER,
            _("'%(name)s' contains a NUL character.") % {"name": names[0].replace("\x00", "\\0")[:40]},
            names[0].replace("\x00", "\\0")[:40])])


def _parameters(request) -> Parameters:
    if request.method != "POST":
        return Parameters(request.GET)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        raise Open311Failure([Problem(
            413, Open311Error.BODY_TOO_LARGE,
            _("The request body is larger than %(mb)d MB.") % {"mb": MAX_BODY_BYTES // 2**20})])
    content_type = request.content_type or ""
    if int(length) and content_type not in FORM_TYPES:
        raise Open311Failure([Problem(
            400, Open311Error.UNSUPPORTED_BODY,
            _("Send the parameters as application/x-www-form-urlencoded or "
              "multipart/form-data, not %(type)s.") % {"type": content_type[:80] or _("nothing")})])
    try:
        body = request.POST
        request.FILES  # noqa: B018 - parsed here so that a broken body fails here
    except RequestDataTooBig as exc:
        raise Open311Failure([Problem(
            413, Open311Error.BODY_TOO_LARGE,
            _("The form fields are larger than %(kb)d kB.")
            % {"kb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024})]) from exc
    except TooManyFieldsSent as exc:
        raise Open311Failure([Problem(
            400, Open311Error.INVALID_PARAMETER,
            _("The request has more than %(n)d parameters.")
            % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})]) from exc
    except (MultiPartParserError, UnicodeDecodeError, ValueError) as exc:
        raise Open311Failure([Problem(
            400, Open311Error.UNSUPPORTED_BODY,
            _("The request body cannot be read as a form: %(error)s") % {"error": str(exc)[:120]})
        ]) from exc
    return Parameters(body, request.GET)


def _authenticate(params: Parameters) -> ApiKey:
    try:
        key = apikey_authenticate(raw_key=params.text("api_key"), scope=Scope.OPEN311)
    except DomainError as error:
        raise Open311Failure.of(error, status=403) from error
    limits.key_limit(key)
    return key


def _tz():
    return catalogue_snapshot().calendar.tz


def _fail_on(params: Parameters) -> None:
    if params.problems:
        raise Open311Failure(params.problems)


# --- discovery and services ----------------------------------------------------------


@_endpoint("GET")
def discovery(request, params, fmt):
    institution = institution_get()
    contact = " ".join(x for x in (institution.name, institution.email, institution.phone) if x)
    return document_response(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": _("Ask the administrator of %(name)s for an API key with the scope "
                         "open311.") % {"name": institution.name},
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": site_link("/open311/v2"),
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    })


@_endpoint("GET")
def service_list(request, params, fmt):
    services = catalogue_selectors.service_list_requestable()
    return document_response(fmt, "services", [records.service_record(s) for s in services])


@_endpoint("GET")
def service_definition(request, params, fmt, code: str):
    service = catalogue_selectors.service_get_with_attributes(code=code)
    return document_response(fmt, "service_definition", records.definition_record(service))


# --- requests ------------------------------------------------------------------------------


@_endpoint("GET", "POST")
def request_list(request, params, fmt):
    if request.method == "POST":
        return _request_create(request, params, fmt)
    references = limits.references_checked(params, params.comma_list("service_request_id"))
    extensions = params.flag("extensions")
    page = params.whole("page", low=1, high=MAX_PAGE, default=1)
    page_size = limits.page_size(params, page_max=limits.page_size_max(params))
    filters = CaseFilter() if references else _list_filters(params)
    _fail_on(params)
    cases = case_selectors.case_list_open_data(
        references=references[:MAX_PAGE_SIZE], filters=filters, with_public_events=extensions)
    start = (page - 1) * page_size
    tz = _tz()
    return document_response(fmt, "service_requests", [
        records.request_record(case, tz=tz, extensions=extensions)
        for case in cases[start:start + page_size]
    ])


def _list_filters(params: Parameters) -> CaseFilter:
    codes = params.comma_list("service_code")
    known = catalogue_snapshot().services
    for code in codes:
        if code not in known:
            params.problem("service_code", _("There is no service with the code '%(code)s'.")
                           % {"code": code[:80]})
    statuses = set()
    for word in params.comma_list("status"):
        try:
            statuses |= STATUSES_OF[Open311Status(word.lower())]
        except ValueError:
            params.problem("status", _("'status' must be open or closed (or both, comma "
                                       "separated), not '%(value)s'.") % {"value": word[:40]})
    start, end = params.instant("start_date"), params.instant("end_date")
    updated_after, updated_before = params.instant("updated_after"), params.instant("updated_before")
    if start and end and start > end:
        params.problem("start_date", _("'start_date' is after 'end_date'."))
    if not (start or end or updated_after or updated_before):
        start = clock.now() - DEFAULT_WINDOW
    elif end and not start and not (updated_after or updated_before):
        start = end - DEFAULT_WINDOW
    # docs/open311.md: requested between start_date and end_date, both included;
    # changed strictly after updated_after and strictly before updated_before.
    return CaseFilter(
        service=tuple(codes), status=tuple(sorted(statuses)),
        opened=Span(start, end, end_bound=Bound.INCLUSIVE),
        updated=Span(updated_after, updated_before, start_bound=Bound.EXCLUSIVE))


@_endpoint("GET")
def request_detail(request, params, fmt, reference: str):
    extensions = params.flag("extensions")
    _fail_on(params)
    cases = list(case_selectors.case_list_open_data(references=[reference],
                                                    with_public_events=extensions))
    if not cases:
        raise Open311Failure([Problem(404, Open311Error.NOT_FOUND,
                                      _("There is no service request '%(id)s'.")
                                      % {"id": reference[:40]}, "service_request_id")])
    return document_response(fmt, "service_requests", [
        records.request_record(cases[0], tz=_tz(), extensions=extensions)])


@_endpoint("GET")
def token_detail(request, params, fmt, token: str):
    case = case_selectors.case_get_by_idempotency_key(
        key=token if token.startswith(TOKEN_PREFIX) else "")
    return document_response(fmt, "service_requests", [
        {"token": token, "service_request_id": case.reference}])


def _request_create(request, params: Parameters, fmt: str):
    key = _authenticate(params)
    draft, photos = _draft_from(request, params, key)
    token = _token(request, key, params)
    case = case_services.case_open(draft=draft, photos=photos, idempotency_key=token)
    return document_response(fmt, "service_requests", [{
        "service_request_id": case.reference,
        "token": token,
        "service_notice": case.standard.pledge if case.standard_id else None,
        "account_id": None,
    }])


def _token(request, key: ApiKey, params: Parameters) -> str:
    """The case's idempotency key, which is also its Open311 token.

    A client's Idempotency-Key header is scoped to its API key (two clients
    cannot collide) and keyed with the server's secret to a fixed length
    (limits.request_token); without one, a fresh token.
    """
    given = request.headers.get("Idempotency-Key", "").strip()
    if len(given) > MAX_IDEMPOTENCY_KEY:
        raise Open311Failure([Problem(400, Open311Error.INVALID_PARAMETER,
                                      _("The Idempotency-Key header is longer than %(n)d "
                                        "characters.") % {"n": MAX_IDEMPOTENCY_KEY},
                                      "Idempotency-Key")])
    if not given:
        return f"{TOKEN_PREFIX}{uuid.uuid4().hex}"
    return limits.request_token(key, given, TOKEN_PREFIX)


def _draft_from(request, params: Parameters, key: ApiKey) -> tuple[CaseDraft, list]:
    code = params.text("service_code")
    if not code:
        params.problem("service_code", _("'service_code' is required."),
                       reason=Open311Error.MISSING_PARAMETER)
    service = catalogue_snapshot().services.get(code)
    if service is not None and key.department_id and service.department_id != key.department_id:
        raise Open311Failure([Problem(403, "forbidden", _(
            "This API key may submit requests only for its own department's services."),
            "service_code")])
    lat = params.number("lat", low=-90, high=90)
    lon = params.number("long", low=-180, high=180)
    address = params.text("address_string")
    address_id = params.text("address_id")
    if not (params.text("lat") or params.text("long") or address or address_id):
        params.problem("lat", _("Say where: give lat and long, address_string or address_id."),
                       reason=Open311Error.MISSING_LOCATION)
    description = params.text("description")
    photos = _uploads(request, params)
    name = " ".join(x for x in (params.text("first_name"), params.text("last_name")) if x)
    email, phone = params.text("email"), params.text("phone")
    anonymous = params.flag("anonymous")
    draft = CaseDraft(
        service_code=code,
        # The specification makes the description optional; ours is not empty.
        description=description or (service.name if service else ""),
        channel="api",
        lat=lat, lon=lon,
        address=address or (_("Address ID %(id)s") % {"id": address_id} if address_id else ""),
        citizen_name=name, citizen_email=email, citizen_phone=phone,
        # A client passes the citizen's contact so that we can reach them.
        contact_consent=bool(email or phone),
        anonymous=anonymous,
        attributes=params.attributes(),
        media_urls=tuple(params.texts("media_url")),
    )
    for error in draft_problems(draft):
        if error.field == "location" and any(p.field in ("lat", "long") for p in params.problems):
            continue  # already said, more precisely
        if error.field == "service_code" and not code:
            continue
        params.problems.append(problem_of(error, status=400))
    _fail_on(params)
    return draft, photos


def _uploads(request, params: Parameters) -> list:
    for name in request.FILES:
        if name not in UPLOAD_FIELDS:
            params.problem(name, _("Send photos as 'media', not '%(name)s'.") % {"name": name[:40]})
    photos = [f for name in UPLOAD_FIELDS for f in request.FILES.getlist(name)]
    if len(photos) > MAX_PHOTOS:
        params.problem("media", _("Send at most %(n)d photos.") % {"n": MAX_PHOTOS})
    for photo in photos:
        try:
            image_check(photo)
        except DomainError as error:
            params.problems.append(problem_of(error, status=400))
    return photos


# --- FixMyStreet's service request updates -------------------------------------------------


@_endpoint("GET", "POST")
def update_list(request, params, fmt):
    if request.method == "POST":
        return _update_create(request, params, fmt)
    start, end = params.instant("start_date"), params.instant("end_date")
    page = params.whole("page", low=1, high=MAX_PAGE, default=1)
    page_size = limits.page_size(params, page_max=limits.page_size_max(params))
    _fail_on(params)
    since = start or (end or clock.now()) - DEFAULT_UPDATES_WINDOW
    events = case_selectors.case_public_updates(since=since, until=end)
    tz = _tz()
    start = (page - 1) * page_size
    return document_response(fmt, "service_request_updates", [
        records.update_record(event, tz=tz) for event in events[start:start + page_size]
    ])


def _update_create(request, params: Parameters, fmt: str):
    key = _authenticate(params)
    reference = params.text("service_request_id")
    if not reference:
        params.problem("service_request_id", _("'service_request_id' is required."),
                       reason=Open311Error.MISSING_PARAMETER)
    state_text = params.text("status")
    state = client_state(state_text) if state_text else ExtendedStatus.OPEN
    if state is None:
        params.problem("status", _("'status' must be one of %(states)s, not '%(value)s'.")
                       % {"states": ", ".join(s.value for s in ExtendedStatus),
                          "value": state_text[:40]})
    params.instant("updated_datetime")
    _fail_on(params)
    case = case_selectors.case_get_public(reference=reference)
    if key.department_id and key.department_id not in (
            case.service.department_id, case.office.department_id if case.office else None):
        raise Open311Failure([Problem(403, "forbidden", _(
            "This API key may update only its own department's cases."), "service_request_id")])
    client_update_id = params.text("update_id") or params.text("update_id_ext")
    event = case_services.case_client_update(
        case=case, message=params.text("description")[:TEXT_MAX],
        source=f"open311:{key.pk}", external_id=client_update_id[:80],
        reopen=state in REOPENING_STATES,
    )
    return document_response(fmt, "service_request_updates", [{"update_id": str(event.pk)}])


@_endpoint("GET", "POST")
def not_found(request, params, fmt, path: str = ""):
    raise Open311Failure([Problem(404, Open311Error.NOT_FOUND, _(
        "There is no Open311 resource here; see discovery.xml for what this endpoint offers."))])
