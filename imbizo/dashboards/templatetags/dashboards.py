import datetime
import html
from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import date_format, get_format, localize, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language

register = template.Library()


@register.filter
def percent(value, digits: int = 0):
    """0.873 -> "87%"; empty when there is nothing to measure."""
    if value is None or value == "":
        return "—"
    return f"{number_format(float(value) * 100, int(digits))}%"


@register.filter
def decimal(value, digits: int = 1):
    if value is None or value == "":
        return "—"
    return number_format(float(value), int(digits))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def cell(value):
    """A table cell as a person reads it: instants in local time as
    "7 Dec 2026, 16:11", days as "7 Dec 2026", the rest as it is (the
    downloads keep ISO dates)."""
    if isinstance(value, datetime.datetime):
        return date_format(localtime(value), "j M Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    return value


def _number_formatter(use_l10n):
    """django.utils.formats.localize for numbers, with the locale's separators
    looked up once rather than three times a number."""
    if use_l10n is False:
        return str
    language = get_language()
    separator, grouping, thousands = (get_format(name, language, use_l10n=True) for name in (
        "DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR"))

    def formatted(value):
        return numberformat.format(value, separator, None, grouping, thousands, use_l10n=True)

    return formatted


def _cell_html(value, number) -> str:
    # What {{ value|cell|default_if_none:"—" }} gives, without the template
    # engine's cost per cell.
    value = cell(value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        value = str(value)
    elif isinstance(value, int | float | Decimal):
        value = number(value)
    elif not isinstance(value, str):
        value = localize(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    # django.utils.html.escape is this, behind a lazy-string wrapper that costs
    # more than the escaping itself.
    return html.escape(str(value))


@register.simple_tag(takes_context=True)
def table_rows(context, table) -> SafeString:
    """The <tr> rows of a dashboards Table, the first cell a row header (a link
    where the row has an "href", which is not a column and so not exported).

    Built in Python rather than a template loop: a province's ward tables have
    580 rows of six to eight cells, which Django's template engine renders in
    tens of milliseconds (docs/adr/0050-pages-at-province-scale.md). Counts
    repeat down a column, so each distinct number is formatted once."""
    number = _number_formatter(context.use_l10n)
    seen: dict = {}

    def shown(value):
        if isinstance(value, str) or value is None:
            return _cell_html(value, number)
        key = (type(value), value)
        done = seen.get(key)
        if done is None:
            done = seen[key] = _cell_html(value, number)
        return done

    keys = [key for key, _heading in table.columns]
    rows = []
    for row in table.rows:
        head, *rest = (shown(row.get(key)) for key in keys)
        if row.get("href"):
            head = f'<a href="{html.escape(row["href"])}">{head}</a>'
        rows.append(f'<tr><th scope="row">{head}</th>'
                    + "".join(f"<td>{part}</td>" for part in rest) + "</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 -- every cell is escaped above
