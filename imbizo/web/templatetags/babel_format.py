"""Dates and numbers in the page's language, from Babel's CLDR data.

Django ships formats for English and Afrikaans only; CLDR has month and day
names and number symbols for all eleven official languages. The filters take
Django's own date format letters, so `{{ d|date:"j F Y" }}` becomes
`{{ d|local_date:"j F Y" }}` and English reads exactly as before, while
isiZulu reads "7 Disemba 2026" and Afrikaans "7 Desember 2026". CLDR's named
formats ("short", "medium", "long", "full") are accepted too.

    {% load babel_format %}
    {{ case.opened_at|local_date:"j F Y" }}   {{ when|local_datetime:"medium" }}
    {{ share|local_number:"-1" }}             (decimals as Django's floatformat)
"""

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from django import template
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from imbizo.core.languages import ENDONYMS

register = template.Library()

NAMED = frozenset({"short", "medium", "long", "full"})

# Django's date format letters -> CLDR pattern fields (the ones pages use).
_FIELDS = {
    "j": "d", "d": "dd", "D": "EEE", "l": "EEEE", "N": "MMM", "M": "MMM", "F": "MMMM",
    "n": "M", "m": "MM", "Y": "y", "y": "yy", "G": "H", "H": "HH", "g": "h", "h": "hh",
    "i": "mm", "s": "ss", "A": "a", "a": "a",
}


@functools.lru_cache(maxsize=32)
def babel_locale(language: str | None) -> Locale:
    """Babel's locale for a Django language code ("nso" → nso); English for
    anything CLDR does not know, so a page never fails over its dates."""
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@functools.lru_cache(maxsize=64)
def cldr_pattern(django_format: str) -> str:
    """The CLDR pattern for a Django date format ("j F Y" → "d MMMM y");
    letters without a CLDR field and other text are kept as quoted literals."""
    if django_format in NAMED:
        return django_format
    out, literal = [], []

    def flush():
        if literal:
            text = "".join(literal).replace("'", "''")
            out.append(f"'{text}'" if any(c.isalpha() for c in text) else text)
            literal.clear()

    escaped = False
    for char in django_format:
        if escaped:
            literal.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _FIELDS:
            flush()
            out.append(_FIELDS[char])
        else:
            literal.append(char)
    flush()
    return "".join(out)


def _locale() -> Locale:
    return babel_locale(translation.get_language())


@register.filter
def local_date(value, arg: str = "medium") -> str:
    """A date (or a datetime, in the current time zone) in the page's language."""
    if value in (None, ""):
        return ""
    pattern = cldr_pattern(arg or "medium")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if pattern in NAMED:
            return format_date(value.date(), pattern, locale=_locale())
        return format_datetime(value.replace(tzinfo=None), pattern, locale=_locale())
    if isinstance(value, datetime.date):
        try:
            return format_date(value, pattern, locale=_locale())
        except AttributeError:  # a time field asked of a date: nothing, as Django's filter
            return ""
    return ""


@register.filter
def local_datetime(value, arg: str = "medium") -> str:
    """A date and time in the current time zone, in the page's language."""
    if not isinstance(value, datetime.datetime):
        return local_date(value, arg)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_datetime(value.replace(tzinfo=None), cldr_pattern(arg or "medium"),
                           locale=_locale())


@register.filter
def local_number(value, arg: str | int = "-1") -> str:
    """A number with the page language's decimal sign, rounded like Django's
    floatformat: "2" two decimals, "-1" one only when needed, "0" none, a
    trailing "g" groups thousands; English reads as floatformat does."""
    if value in (None, ""):
        return ""
    arg = str(arg)
    grouped = arg.endswith("g")  # floatformat's "g": thousands grouped
    try:
        number = Decimal(str(value))
        places = int(arg.rstrip("g") or "-1")
    except (InvalidOperation, ValueError, TypeError):
        return ""
    if not number.is_finite():
        return ""
    rounded = number.quantize(Decimal(1).scaleb(-abs(places)), rounding=ROUND_HALF_UP)
    whole = "#,##0" if grouped else "0"
    if places < 0 and number == number.to_integral_value():
        return format_decimal(rounded, whole, locale=_locale())
    pattern = whole if places == 0 else whole + "." + "0" * abs(places)
    return format_decimal(rounded, pattern, locale=_locale(), decimal_quantization=True)


@register.filter
def local_ago(value) -> str:
    """How long ago `value` was ("3 days ago"), in the page's language, from
    the catalogues: CLDR has no relative times for isiXhosa, Sesotho,
    Setswana or Sepedi, and Django's humanize ships none of them either."""
    if not isinstance(value, datetime.datetime):
        return ""
    seconds = max(0, int((timezone.now() - value).total_seconds()))
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 1:
        return gettext("just now")
    if hours < 1:
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {
            "count": minutes}
    if days < 1:
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    if days < 14:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    weeks = days // 7
    return ngettext("%(count)d week ago", "%(count)d weeks ago", weeks) % {"count": weeks}


@register.filter
def language_name(code) -> str:
    """The name of an official language code ("nso" → "Sepedi"), in the
    language itself; the code as given when it is not one."""
    return ENDONYMS.get(str(code or ""), str(code or ""))
