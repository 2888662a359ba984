"""Reading Open311 parameters: an empty parameter counts as absent, each fault
becomes a Problem naming the parameter, and all faults are reported together."""

import math
import re
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from imbizo.core.inputs import INSTANT_MAX, INSTANT_MIN, instant_in_range, text_fault, text_visible

from .errors import Open311Error, Problem

_UNENCODED_PLUS = re.compile(r" (\d\d:?\d\d)$")
_ATTRIBUTE = re.compile(r"^attribute\[(?P<code>[^\[\]]+)\](?P<many>\[\])?$")


class Parameters:
    """The parameters of one request: the body first, then the query string.

    Problems found while reading are collected in `problems`.
    """

    def __init__(self, *sources):
        self.sources = sources
        self.problems: list[Problem] = []

    def problem(self, field: str, description: str, *,
                reason: str = Open311Error.INVALID_PARAMETER) -> None:
        self.problems.append(Problem(status=400, reason=reason, description=description,
                                     field=field))

    def text(self, name: str) -> str:
        """The first non-empty value of `name` ('' when absent)."""
        for source in self.sources:
            for value in source.getlist(name):
                if text_visible(value):
                    return self._checked(name, value.strip())
        return ""

    def texts(self, name: str) -> list[str]:
        """Every non-empty value of `name`, from the first source that has any."""
        for source in self.sources:
            values = [self._checked(name, v.strip()) for v in source.getlist(name)
                      if text_visible(v)]
            if values:
                return values
        return []

    def _checked(self, name: str, value: str) -> str:
        """`value`, or '' with a problem when it holds what no text may (core.inputs)."""
        if text_fault(value) is None:
            return value
        self.problem(name, _("'%(name)s' holds a control character or bytes that are not "
                             "UTF-8 text.") % {"name": name})
        return ""

    def comma_list(self, name: str) -> list[str]:
        return [item.strip() for value in self.texts(name) for item in value.split(",")
                if item.strip()]

    def number(self, name: str, *, low: float, high: float) -> float | None:
        raw = self.text(name)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not low <= value <= high:
            self.problem(name, _("'%(name)s' must be a number from %(low)s to %(high)s, not "
                                 "'%(value)s'.") % {"name": name, "low": low, "high": high,
                                                    "value": raw[:40]})
            return None
        return value

    def whole(self, name: str, *, low: int, high: int, default: int) -> int:
        raw = self.text(name)
        if not raw:
            return default
        if not raw.isdigit() or not low <= int(raw) <= high:
            self.problem(name, _("'%(name)s' must be a whole number from %(low)d to %(high)d, "
                                 "not '%(value)s'.") % {"name": name, "low": low, "high": high,
                                                        "value": raw[:40]})
            return default
        return int(raw)

    def flag(self, name: str) -> bool:
        raw = self.text(name).lower()
        if raw in ("", "false", "0", "no"):
            return False
        if raw in ("true", "1", "yes"):
            return True
        self.problem(name, _("'%(name)s' must be true or false, not '%(value)s'.")
                     % {"name": name, "value": raw[:40]})
        return False

    def instant(self, name: str) -> datetime | None:
        """A W3C date-time with a time zone (2026-03-01T14:30:00+02:00 or ...Z)."""
        raw = self.text(name)
        if not raw:
            return None
        try:
            # An unencoded '+' in a query string arrives as a space.
            value = parse_datetime(_UNENCODED_PLUS.sub(r"+\1", raw))
        except ValueError:
            value = None
        if value is not None and value.tzinfo is not None and not instant_in_range(value):
            self.problem(name, _("'%(name)s' must be a date from %(low)d to %(high)d, not "
                                 "'%(value)s'.") % {"name": name, "low": INSTANT_MIN.year,
                                                    "high": INSTANT_MAX.year - 1,
                                                    "value": raw[:40]})
            return None
        if value is None or value.tzinfo is None:
            self.problem(name, _("'%(name)s' must be a date and time with a time zone, such as "
                                 "2026-03-01T14:30:00+02:00 or 2026-03-01T12:30:00Z; not "
                                 "'%(value)s'.") % {"name": name, "value": raw[:40]})
            return None
        return value

    def attributes(self) -> dict[str, str | list[str]]:
        """attribute[CODE]=v (one answer) and attribute[CODE][]=v (several), from the body
        or, when the body has none, the query string."""
        for source in self.sources:
            answers: dict[str, str | list[str]] = {}
            for key in source:
                match = _ATTRIBUTE.match(key)
                if match is None:
                    continue
                values = [v.strip() for v in source.getlist(key) if v.strip()]
                if not values:
                    continue
                code = match["code"]
                if match["many"] or len(values) > 1 or isinstance(answers.get(code), list):
                    earlier = answers.get(code, [])
                    answers[code] = (earlier if isinstance(earlier, list) else [earlier]) + values
                else:
                    answers[code] = values[0]
            if answers:
                return answers
        return {}
