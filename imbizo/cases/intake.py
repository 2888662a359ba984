"""What a channel hands over when it opens a case, checked before anything is stored."""

from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from imbizo.catalogue.models import AttributeDatatype, Channel, Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.core.errors import DomainError

from .errors import CaseError
from .models import ClientType, Kind, Principle, Priority

MAX_DESCRIPTION = 4000


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
    # The words the citizen agreed to when contact_consent is given, exactly as
    # shown or read to them (imbizo.privacy.consent); stored with the case.
    consent_text: str = ""


def phone_normalise(raw: str, *, region: str = "ZA") -> str:
    """E.164 form of a phone number as people type it ('082 123 4567'), or DomainError."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise DomainError(
            CaseError.INVALID_PHONE, _("This is not a phone number."), field="citizen_phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            CaseError.INVALID_PHONE,
            _("This phone number is not valid; check the number of digits."),
            field="citizen_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _choice(value: str, choices, name: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise DomainError(
            CaseError.INVALID_CHOICE,
            _("'%(value)s' is not one of: %(allowed)s.") % {"value": value, "allowed": allowed},
            field=name,
        )
    return value


def draft_check(draft: CaseDraft) -> tuple[Service, dict]:
    """Validate `draft`; return its service and the cleaned fields for a Case row.

    Raises DomainError naming the first field at fault.
    """
    service = catalogue_snapshot().services.get(draft.service_code)
    if service is None:
        raise DomainError(
            CaseError.UNKNOWN_SERVICE,
            _("There is no service with the code '%(code)s'.") % {"code": draft.service_code},
            field="service_code",
        )
    description = (draft.description or "").strip()
    if not description:
        raise DomainError(
            CaseError.INVALID_DESCRIPTION, _("Please describe the matter."), field="description"
        )
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(
            CaseError.INVALID_DESCRIPTION,
            _("The description is %(n)s characters long; the limit is %(max)s.")
            % {"n": len(description), "max": MAX_DESCRIPTION},
            field="description",
        )
    if (draft.lat is None) != (draft.lon is None):
        raise DomainError(
            CaseError.INVALID_LOCATION,
            _("A location needs both a latitude and a longitude."),
            field="location",
        )
    if draft.lat is not None and not (-90 <= draft.lat <= 90 and -180 <= draft.lon <= 180):
        raise DomainError(
            CaseError.INVALID_LOCATION,
            _("Latitude must be between -90 and 90 and longitude between -180 and 180."),
            field="location",
        )
    cleaned = {
        "service": service,
        "description": description,
        "channel": _choice(draft.channel, Channel, "channel"),
        "kind": _choice(draft.kind, Kind, "kind"),
        "client_type": _choice(draft.client_type, ClientType, "client_type"),
        "priority": _choice(draft.priority, Priority, "priority"),
        "lat": draft.lat,
        "lon": draft.lon,
        "address": (draft.address or "").strip()[:255],
        "principles": [_choice(p, Principle, "principles") for p in draft.principles],
        "attributes": attributes_check(service, draft.attributes),
        "anonymous": draft.anonymous,
    }
    cleaned.update(_contact(draft))
    return service, cleaned


def _contact(draft: CaseDraft) -> dict:
    if draft.anonymous:
        return {
            "citizen_name": "",
            "citizen_phone": "",
            "citizen_email": "",
            "contact_consent": False,
        }
    phone = phone_normalise(draft.citizen_phone) if draft.citizen_phone.strip() else ""
    email = draft.citizen_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(
                CaseError.INVALID_EMAIL, _("This is not an email address."), field="citizen_email"
            ) from exc
    return {
        "citizen_name": draft.citizen_name.strip()[:160],
        "citizen_phone": phone,
        "citizen_email": email,
        "contact_consent": bool(draft.contact_consent and (phone or email)),
    }


def attributes_check(service: Service, answers: dict) -> dict:
    """Check answers to the service's extra questions; return them cleaned (by code).

    `service` comes from the catalogue snapshot, with its questions loaded.
    """
    definitions = {a.code: a for a in service.questions if a.variable}
    unknown = set(answers) - set(definitions)
    if unknown:
        raise DomainError(
            CaseError.INVALID_ATTRIBUTE,
            _("The service '%(service)s' asks no question '%(code)s'.")
            % {"service": service.code, "code": sorted(unknown)[0]},
            field=f"attribute[{sorted(unknown)[0]}]",
        )
    cleaned = {}
    for code, definition in definitions.items():
        value = answers.get(code)
        if value in (None, "", []):
            if definition.required:
                raise DomainError(
                    CaseError.INVALID_ATTRIBUTE,
                    _("Please answer: %(question)s") % {"question": definition.description},
                    field=f"attribute[{code}]",
                )
            continue
        cleaned[code] = _attribute_value(definition, value)
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
    if len(text) > 4000:
        raise DomainError(
            CaseError.INVALID_ATTRIBUTE, _("The answer is too long."), field=field_name
        )
    return text
