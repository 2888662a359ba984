"""Reading the field app's JSON: what a phone sends, checked before any
service sees it, each fault naming its field. Pure: no ORM, no clock."""

import datetime
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_LABEL = 80
MAX_PROBLEM_TEXT = 2000
MAX_ATTACHMENTS = 10


class PayloadFault(Exception):
    """The request body is not what the API takes; `field` names where."""

    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Problem:
    """A problem seen on the visit that should become a case."""

    service: str
    description: str


@dataclass(frozen=True)
class RecordPost:
    instance_id: str
    form: str
    version: str
    answers: dict
    captured_at: datetime.datetime | None
    base_revision: int | None
    attachments: tuple[str, ...]
    problem: Problem | None


def json_object(body: bytes) -> dict:
    """The request body as a JSON object, or PayloadFault."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PayloadFault("body", _("The body is not JSON.")) from None
    if not isinstance(document, dict):
        raise PayloadFault("body", _("The body must be a JSON object."))
    return document


def _text(document: dict, name: str, *, required: bool = True, limit: int = 200) -> str:
    value = document.get(name)
    if value is None or value == "":
        if required:
            raise PayloadFault(name, _("'%(field)s' is required.") % {"field": name}, "required")
        return ""
    if not isinstance(value, str):
        raise PayloadFault(name, _("'%(field)s' must be text.") % {"field": name})
    if len(value) > limit:
        raise PayloadFault(name, _("'%(field)s' is longer than %(n)d characters.")
                           % {"field": name, "n": limit})
    return value.strip()


def record_post(document: dict) -> RecordPost:
    """A record as the app sends it: {instance_id, form, version, answers,
    captured_at?, base_revision?, attachments?, problem?}."""
    answers = document.get("answers")
    if not isinstance(answers, dict):
        raise PayloadFault("answers", _("'answers' must be an object of question names to values."))
    return RecordPost(
        instance_id=_text(document, "instance_id", limit=80),
        form=_text(document, "form", limit=64),
        version=_text(document, "version", limit=32),
        answers=answers,
        captured_at=_moment(document.get("captured_at")),
        base_revision=_revision(document.get("base_revision")),
        attachments=_names(document.get("attachments")),
        problem=_problem(document.get("problem")),
    )


def _moment(value) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PayloadFault("captured_at", _("'captured_at' must be an ISO 8601 time."))
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise PayloadFault("captured_at", _("'captured_at' is not an ISO 8601 time.")) from None
    if moment.tzinfo is None:
        raise PayloadFault("captured_at", _("'captured_at' needs a time zone (Z or +02:00)."))
    return moment


def _revision(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PayloadFault("base_revision", _("'base_revision' must be a whole number from 1."))
    return value


def _names(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if (not isinstance(value, list) or len(value) > MAX_ATTACHMENTS
            or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in value)):
        raise PayloadFault("attachments", _("'attachments' must be a list of at most %(n)d file "
                                            "names.") % {"n": MAX_ATTACHMENTS})
    return tuple(value)


def _problem(value) -> Problem | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PayloadFault("problem", _("'problem' must be an object with a service and a "
                                        "description."))
    try:
        service = _text(value, "service", limit=64)
        description = _text(value, "description", limit=MAX_PROBLEM_TEXT)
    except PayloadFault as fault:
        raise PayloadFault(f"problem.{fault.field}", fault.message, fault.code) from None
    return Problem(service=service, description=description)


def device_label(document: dict) -> str:
    return _text(document, "label", limit=MAX_LABEL)


def unsynced_count(document: dict) -> int:
    value = document.get("unsynced")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise PayloadFault("unsynced", _("'unsynced' must be a whole number from 0."))
    return value
