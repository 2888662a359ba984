"""The rows of a dashboards table, built in Python (table_rows), say exactly
what the template loop they replace said, cell by cell."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from imbizo.dashboards.exports import Table
from tests.support import SAST

# The loop _table.html ran before table_rows, kept here as the reference.
LOOP = Template(
    '{% load dashboards %}{% for cells in table.cells %}<tr>{% for cell in cells %}'
    '{% if forloop.first %}<th scope="row">{{ cell|cell|default_if_none:"—" }}</th>'
    '{% else %}<td>{{ cell|cell|default_if_none:"—" }}</td>{% endif %}{% endfor %}</tr>\n'
    '{% endfor %}')
TAG = Template("{% load dashboards %}{% table_rows table %}")

COLUMNS = [("code", "Ward"), ("name", "Name"), ("open", "Open"), ("share", "Share"),
           ("due", "Due"), ("day", "Day"), ("note", "Note"), ("kept", "Kept")]
ROWS = [
    {"code": "W001", "name": "Ward <b>1</b> & \"Mabopane\"", "open": 1234567, "share": 87.5,
     "due": datetime.datetime(2026, 3, 2, 8, 30, tzinfo=SAST), "day": datetime.date(2026, 3, 1),
     "note": mark_safe("<em>safe</em>"), "kept": True},
    {"code": "W002", "name": "Ward 2", "open": 0, "share": None, "due": None, "day": None,
     "note": gettext_lazy("Other")},
    {"code": "W003", "name": "Ward 3", "open": -4321, "share": Decimal("1234.50"), "due": None,
     "day": None, "note": "='formula", "kept": False},
]


def rows_of(template, table) -> list[str]:
    return [line for line in template.render(Context({"table": table})).split("\n") if line]


@pytest.mark.parametrize("language", ["en", "af"])
@pytest.mark.parametrize("thousands", [False, True])
def test_the_rows_equal_the_template_loop(language, thousands):
    table = Table("wards", "Wards", COLUMNS, ROWS)

    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=thousands):
        built, looped = rows_of(TAG, table), rows_of(LOOP, table)

    assert built == looped and len(built) == 3


def test_text_is_escaped_and_a_missing_figure_is_a_dash():
    table = Table("wards", "Wards", COLUMNS, ROWS[:2])

    first, second = rows_of(TAG, table)

    assert first.startswith('<tr><th scope="row">W001</th>')
    assert "Ward &lt;b&gt;1&lt;/b&gt; &amp; &quot;Mabopane&quot;" in first
    assert "<em>safe</em>" in first  # already safe: not escaped twice
    assert second.count("<td>—</td>") == 4


def test_an_empty_table_has_no_rows():
    assert TAG.render(Context({"table": Table("wards", "Wards", COLUMNS, [])})) == ""


def test_a_row_with_an_href_links_its_first_cell_and_does_not_export_it():
    table = Table("wards", "Wards", COLUMNS[:2],
                  [{"code": "W001", "name": "Ward 1", "href": "/wards/W001/?period=3m&x=\"1\""}])

    (row,) = rows_of(TAG, table)

    assert row.startswith('<tr><th scope="row"><a href="/wards/W001/?period=3m&amp;x=&quot;1'
                          '&quot;">W001</a></th>')
    assert table.cells() == [["W001", "Ward 1"]]
