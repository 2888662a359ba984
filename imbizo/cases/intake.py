"""What a channel hands over when it opens a case, checked before anything is stored.

The checks are cases.rules, the ones the import makes too; the words here are
those a person reporting sees.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from imbizo.catalogue.models import AttributeDatatype, Channel, Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.errors import DomainError
from imbizo.core.languages import official_language
from imbizo.core.limits import TEXT_MAX
from imbizo.org.selectors import institution_country

from . import rules
from .errors import CaseError
from .models import ClientType, Kind, Priority
from .rules import MAX_DESCRIPTION as MAX_DESCRIPTION  # where open311 has read it

# Channels where staff write down what a person said: their words are a
# private note unless staff also give a public summary (docs/adr/0017).
STAFF_TYPED_CHANNELS = frozenset({Channel.HOTLINE, Channel.WALK_IN, Channel.FIELD,
                                  Channel.OUTREACH})

MAX_MEDIA_URLS = 5
MAX_MEDIA_URL_LENGTH = 500

_media_url_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class CaseDraft:
    service_code: str
    description: str
    channel: str
    kind: str = Kind.REQUEST
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    citizen_name: str = ""
    citizen_phone: str = ""
    citizen_email: str = ""
    contact_consent: bool = False
    anonymous: bool = False
    client_type: str = ClientType.EXTERNAL
    priority: str = Priority.NORMAL
    attributes: dict = field(default_factory=dict)
    principles: tuple[str, ...] = ()
    media_urls: tuple[str, ...] = ()  # links to photos kept by the channel (Open311 media_url)
    # The words the citizen agreed to when contact_consent is given, exactly as
    # shown or read to them (imbizo.privacy.consent); stored with the case.
    consent_text: str = ""
    # The place (docs/places.md): a ward chosen by code when there is no
    # point (a point's own ward wins). A door that asks for the place (staff
    # intake, the REST API) sets place_asked: a request or complaint about a
    # service that needs a place must then have a ward, unless place_unknown.
    ward_code: str = ""
    place_asked: bool = False
    place_unknown: bool = False
    # What the public may read. None: the description itself where the citizen
    # typed it (web, Open311, SMS, email), nothing where staff did (hotline,
    # walk-in, field, outreach). "": nothing is published.
    public_description: str | None = None
    kept_private: bool = False  # the citizen asked that nothing be published
    # The citizen's language (docs/languages.md): the page's on the web, the one
    # chosen on the phone menu for USSD. "" lets triage find it in the text. An
    # unknown code is dropped, never refused: the report matters more.
    language: str = ""
    # The door whose form offered triage's suggestions (a triage Door value),
    # "" for none: triage then records what it suggested in the case's own
    # insert (case_opening), so the report stays one statement.
    triage_door: str = ""


def phone_normalise(raw: str, *, region: str | None = None) -> str:
    """E.164 form of a phone number as people type it ('082 123 4567'), or DomainError.

    A number without a country code is read as one of `region` (ISO 3166),
    by default the institution's country.
    """
    try:
        return rules.phone_e164(raw, region=region or institution_country().code)
    except rules.Broken as broken:
        if broken.reason is rules.Reason.NOT_A_NUMBER:
            raise DomainError(
                CaseError.INVALID_PHONE, _("This is not a phone number."), field="citizen_phone"
            ) from broken
        raise DomainError(
            CaseError.INVALID_PHONE,
            _("This phone number is not valid; check the number of digits."),
            field="citizen_phone",
        ) from broken


def _choice(value: str, rule: rules.Choice, name: str) -> str:
    try:
        return rule.check(value)
    except rules.Broken as broken:
        raise DomainError(
            CaseError.INVALID_CHOICE,
            _("'%(value)s' is not one of: %(allowed)s.") % broken.figures,
            field=name,
        ) from broken


def draft_check(draft: CaseDraft) -> tuple[Service, dict]:
    """Validate `draft`; return its service and the cleaned fields for a Case row.

    Raises DomainError naming the first field at fault (draft_problems has them all).
    """
    problems: list[DomainError] = []
    service, cleaned = _draft_clean(draft, problems)
    if problems:
        raise problems[0]
    return service, cleaned


def draft_problems(draft: CaseDraft) -> list[DomainError]:
    """Every problem with `draft`, in field order; empty when it can be opened.

    For channels that report all faults at once (Open311); the checks are
    draft_check's own, so the two never disagree.
    """
    problems: list[DomainError] = []
    _draft_clean(draft, problems)
    return problems


def _attempt(problems: list, check, *args, **kwargs):
    try:
        return check(*args, **kwargs)
    except DomainError as exc:
        problems.append(exc)
        return None


def _service_of(code: str) -> Service:
    try:
        return rules.known(code, catalogue_snapshot().services)
    except rules.Broken as broken:
        raise DomainError(
            CaseError.UNKNOWN_SERVICE,
            _("There is no service with the code '%(code)s'.") % {"code": code},
            field="service_code",
        ) from broken


def _description(text: str) -> str:
    try:
        return rules.DESCRIPTION.check((text or "").strip())
    except rules.Broken as broken:
        if broken.reason is rules.Reason.EMPTY:
            message = _("Please describe the matter.")
        else:
            message = (_("The description is %(n)s characters long; the limit is %(max)s.")
                       % broken.figures)
        raise DomainError(CaseError.INVALID_DESCRIPTION, message, field="description") from broken


def _public_description(draft: CaseDraft, description: str | None) -> str:
    if draft.kept_private:
        return ""
    if draft.public_description is None:
        if draft.channel in STAFF_TYPED_CHANNELS:
            return ""
        return description or ""
    return public_text_checked(draft.public_description)


def public_text_checked(text: str | None) -> str:
    """`text` as a case's public description, stripped; a DomainError naming
    the field when it breaks the rule (at intake and on a correction alike)."""
    try:
        return rules.PUBLIC_DESCRIPTION.check((text or "").strip())
    except rules.Broken as broken:
        raise DomainError(
            CaseError.INVALID_DESCRIPTION,
            _("The public description is %(n)s characters long; the limit is %(max)s.")
            % broken.figures, field="public_description",
        ) from broken


def _location(lat: float | None, lon: float | None) -> None:
    try:
        rules.point(lat, lon)
    except rules.Broken as broken:
        if broken.reason is rules.Reason.HALF_POINT:
            message = _("A location needs both a latitude and a longitude.")
        else:
            message = _("Latitude must be between -90 and 90 and longitude between -180 and 180.")
        raise DomainError(CaseError.INVALID_LOCATION, message, field="location") from broken


def media_urls_check(urls) -> list[str]:
    """Links to photos kept elsewhere (an Open311 client's `media_url`): http(s) only."""
    urls = [str(url).strip() for url in urls if str(url).strip()]
    if len(urls) > MAX_MEDIA_URLS:
        raise DomainError(
            CaseError.INVALID_UPLOAD,
            _("Send at most %(n)d media links.") % {"n": MAX_MEDIA_URLS}, field="media_url",
        )
    for url in urls:
        try:
            if len(url) > MAX_MEDIA_URL_LENGTH:
                raise ValidationError("too long")
            _media_url_validator(url)
        except ValidationError as exc:
            raise DomainError(
                CaseError.INVALID_UPLOAD,
                _("'%(url)s' is not an http or https link of at most %(n)d characters.")
                % {"url": url[:80], "n": MAX_MEDIA_URL_LENGTH},
                field="media_url",
            ) from exc
    return urls


def _text(rule: rules.Text, text: str, name: str) -> str:
    """A short text (a name, an address) by `rule`: refused, never shortened."""
    try:
        return rule.check((text or "").strip())
    except rules.Broken as broken:
        if broken.reason is rules.Reason.NOT_ONE_LINE:
            message = _("Write this on one line.")
        else:
            message = (_("This is %(n)s characters long; the limit is %(max)s.")
                       % broken.figures)
        raise DomainError(CaseError.INVALID_TEXT, message, field=name) from broken


def _draft_clean(draft: CaseDraft, problems: list) -> tuple[Service | None, dict]:
    service = _attempt(problems, _service_of, draft.service_code)
    description = _attempt(problems, _description, draft.description)
    cleaned = {
        "service": service,
        "description": description,
        "public_description": _attempt(problems, _public_description, draft, description) or "",
        "kept_private": draft.kept_private,
    }
    _attempt(problems, _location, draft.lat, draft.lon)
    cleaned.update({
        "channel": _attempt(problems, _choice, draft.channel, rules.CHANNEL, "channel"),
        "kind": _attempt(problems, _choice, draft.kind, rules.KIND, "kind"),
        "client_type": _attempt(problems, _choice, draft.client_type, rules.CLIENT_TYPE,
                                "client_type"),
        "priority": _attempt(problems, _choice, draft.priority, rules.PRIORITY, "priority"),
        "lat": draft.lat,
        "lon": draft.lon,
        "address": _attempt(problems, _text, rules.ADDRESS, draft.address, "address") or "",
        "principles": [_attempt(problems, _choice, p, rules.PRINCIPLE, "principles")
                       for p in draft.principles],
        "attributes": _attributes_clean(service, draft.attributes, problems) if service else {},
        "media_urls": _attempt(problems, media_urls_check, draft.media_urls) or [],
        "anonymous": draft.anonymous,
        "language": official_language(draft.language),
    })
    cleaned.update(_contact(draft, problems))
    return service, cleaned


def _contact(draft: CaseDraft, problems: list) -> dict:
    if draft.anonymous:
        return {
            "citizen_name": "",
            "citizen_phone": "",
            "citizen_email": "",
            "contact_consent": False,
        }
    phone = ""
    if draft.citizen_phone.strip():
        phone = _attempt(problems, phone_normalise, draft.citizen_phone) or ""
    email = draft.citizen_email.strip()
    if email:
        try:
            rules.EMAIL.check(email)
        except rules.Broken:
            problems.append(DomainError(
                CaseError.INVALID_EMAIL, _("This is not an email address."), field="citizen_email"
            ))
            email = ""
    return {
        "citizen_name": _attempt(problems, _text, rules.CITIZEN_NAME, draft.citizen_name,
                                 "citizen_name") or "",
        "citizen_phone": phone,
        "citizen_email": email,
        "contact_consent": bool(draft.contact_consent and (phone or email)),
    }


def attributes_check(service: Service, answers: dict) -> dict:
    """Check answers to the service's extra questions; return them cleaned (by code).

    `service` comes from the catalogue snapshot, with its questions loaded.
    Raises DomainError naming the first question at fault.
    """
    problems: list[DomainError] = []
    cleaned = _attributes_clean(service, answers, problems)
    if problems:
        raise problems[0]
    return cleaned


def attributes_problems(service: Service, answers: dict) -> tuple[dict, list[DomainError]]:
    """The cleaned answers and every problem with them, question by question.

    For forms that show each problem beside its question; the rule is
    attributes_check's own, so a form and Open311 never disagree.
    """
    problems: list[DomainError] = []
    cleaned = _attributes_clean(service, answers, problems)
    return cleaned, problems


def _attributes_clean(service: Service, answers: dict, problems: list) -> dict:
    definitions = {a.code: a for a in service.questions if a.variable}
    for code in sorted(set(answers) - set(definitions)):
        problems.append(DomainError(
            CaseError.INVALID_ATTRIBUTE,
            _("The service '%(service)s' asks no question '%(code)s'.")
            % {"service": service.code, "code": code},
            field=f"attribute[{code}]",
        ))
    cleaned = {}
    for code, definition in definitions.items():
        value = answers.get(code)
        if value in (None, "", []):
            if definition.required:
                problems.append(DomainError(
                    CaseError.INVALID_ATTRIBUTE,
                    _("Please answer: %(question)s") % {"question": definition.description},
                    field=f"attribute[{code}]",
                ))
            continue
        answer = _attempt(problems, _attribute_value, definition, value)
        if answer is not None:
            cleaned[code] = answer
    return cleaned


def _attribute_value(definition, value):
    field_name = f"attribute[{definition.code}]"
    datatype = definition.datatype
    keys = {str(v.get("key")) for v in definition.values or []}
    if datatype == AttributeDatatype.MULTI:
        values = value if isinstance(value, list | tuple) else [value]
        bad = [str(v) for v in values if str(v) not in keys]
        if bad:
            raise DomainError(
                CaseError.INVALID_ATTRIBUTE,
                _("'%(value)s' is not one of the choices.") % {"value": bad[0]},
                field=field_name,
            )
        return [str(v) for v in values]
    if isinstance(value, list | tuple):
        if len(value) != 1:
            raise DomainError(
                CaseError.INVALID_ATTRIBUTE, _("Give one answer only."), field=field_name
            )
        value = value[0]
    if datatype == AttributeDatatype.SINGLE:
        if str(value) not in keys:
            raise DomainError(
                CaseError.INVALID_ATTRIBUTE,
                _("'%(value)s' is not one of the choices.") % {"value": value},
                field=field_name,
            )
        return str(value)
    if datatype == AttributeDatatype.NUMBER:
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise DomainError(
                CaseError.INVALID_ATTRIBUTE, _("This must be a number."), field=field_name
            ) from exc
        if number != number or number in (float("inf"), float("-inf")):
            raise DomainError(
                CaseError.INVALID_ATTRIBUTE, _("This must be a number."), field=field_name
            )
        return number
    if datatype == AttributeDatatype.DATETIME:
        try:
            parsed = parse_datetime(str(value)) if not isinstance(value, datetime) else value
        except ValueError:
            parsed = None
        if parsed is None:
            raise DomainError(
                CaseError.INVALID_ATTRIBUTE,
                _("This must be a date and time such as 2026-03-01T14:30:00+02:00."),
                field=field_name,
            )
        return parsed.isoformat()
    text = str(value).strip()
    if len(text) > TEXT_MAX:
        raise DomainError(
            CaseError.INVALID_ATTRIBUTE, _("The answer is too long."), field=field_name
        )
    return text
