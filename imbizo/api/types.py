"""Parameter types shared by the routers."""

import functools
import re
import typing
from datetime import UTC, datetime, timedelta
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

from imbizo.core.errors import DomainError
from imbizo.core.inputs import INSTANT_MAX, INSTANT_MIN, instant_in_range

_ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_text(value):
    # pydantic would read 0.5 as a Unix time; a client means an ISO 8601 date and time.
    if isinstance(value, str) and not _ISO_DATE_TIME.match(value):
        raise ValueError("give a date and time such as 2026-03-01T08:00:00+02:00")
    return value


def _in_utc(value: datetime) -> datetime:
    # Offsets beyond what any zone uses (pydantic takes up to a day) are
    # refused; the database then sees UTC only.
    offset = value.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        raise ValueError("give an offset between -14:00 and +14:00")
    try:
        value = value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("this date is out of range") from exc
    if not instant_in_range(value):
        raise ValueError(f"give a date from {INSTANT_MIN.year} to {INSTANT_MAX.year - 1}")
    return value


MAX_OFFSET = timedelta(hours=14)
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_in_utc)]


def query_checked(view):
    """Refuse query parameters the operation does not take (a typo such as
    `?stauts=` would otherwise return everything), naming the first one.

    The known names are the fields of the view's `Query[Schema]` parameters.
    """
    known: set[str] = set()
    for hint in typing.get_type_hints(view, include_extras=True).values():
        args = typing.get_args(hint)
        if args and isinstance(args[0], type) and hasattr(args[0], "model_fields"):
            known.update(args[0].model_fields)

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise DomainError(
                "unknown_parameter",
                _("This operation takes no parameter '%(name)s'; it takes: %(known)s.")
                % {"name": unknown[0], "known": ", ".join(sorted(known)) or "-"},
                field=unknown[0],
            )
        return view(request, *args, **kwargs)

    return checked
