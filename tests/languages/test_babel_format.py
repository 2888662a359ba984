"""Dates and numbers in the page's language through Babel's CLDR data: the
English output of the public pages is as before, the others use CLDR's month
names and decimal signs."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.web.templatetags.babel_format import cldr_pattern, local_date, local_number

DAY = datetime.date(2026, 12, 7)
NOON = datetime.datetime(2026, 12, 7, 10, 5, tzinfo=datetime.UTC)  # 12:05 in Johannesburg


def render(source: str, **context) -> str:
    return Template("{% load babel_format %}" + source).render(Context(context))


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Monday 7 December 2026, 12:05"), ("zu", "UMsombuluko 7 Disemba 2026, 12:05"),
    ("xh", "Mvulo 7 Disemba 2026, 12:05"), ("af", "Maandag 7 Desember 2026, 12:05"),
    ("nso", "Mošupologo 7 Disemere 2026, 12:05"), ("st", "Mantaha 7 Tshitwe 2026, 12:05"),
    ("tn", "Mosupologo 7 Sedimonthole 2026, 12:05"),
])
def test_a_date_reads_in_the_page_language(language, expected):
    with translation.override(language):
        assert render('{{ when|local_date:"l j F Y, H:i" }}', when=NOON) == expected


def test_english_is_exactly_what_djangos_date_filter_gave():
    with translation.override("en"):
        for fmt in ("j F Y", "j M Y", "l j F, H:i", "j M Y, H:i", "F Y", "H:i"):
            assert (render(f'{{{{ when|local_date:"{fmt}" }}}}', when=NOON)
                    == render(f'{{{{ when|date:"{fmt}" }}}}', when=NOON)), fmt
            if "H" not in fmt:  # Django refuses a time of a date
                assert (render(f'{{{{ day|local_date:"{fmt}" }}}}', day=DAY)
                        == render(f'{{{{ day|date:"{fmt}" }}}}', day=DAY)), fmt


def test_named_formats_and_the_datetime_filter():
    with translation.override("af"):
        assert local_date(DAY, "long") == "07 Desember 2026"  # CLDR's own long form
        assert render('{{ when|local_datetime:"j M H:i" }}', when=NOON) == "7 Des. 12:05"
    assert cldr_pattern("l j F Y") == "EEEE d MMMM y"
    assert cldr_pattern("j \\d\\e F") == "d' de 'MMMM"


@pytest.mark.parametrize(("value", "arg"), [
    (12.34, "-1"), (12.0, "-1"), (99.95, "-1"), (7.25, "1"), (0, "0"), (1234567.891, "0g"),
    (-3.45, "2"), ("8.5", "-1")])
def test_numbers_in_english_are_what_floatformat_gave(value, arg):
    with translation.override("en"):
        assert (render(f'{{{{ v|local_number:"{arg}" }}}}', v=value)
                == render(f'{{{{ v|floatformat:"{arg}" }}}}', v=value))


def test_numbers_take_the_languages_decimal_sign():
    with translation.override("af"):
        assert local_number(12.34, "1") == "12,3"
        assert local_number(1234567, "0g") == "1\xa0234\xa0567"
    with translation.override("zu"):
        assert local_number(12.34, "1") == "12.3"


@pytest.mark.parametrize("bad", [None, "", "abc", float("nan"), object()])
def test_bad_values_render_as_nothing(bad):
    assert local_number(bad, "1") == ""
    assert local_date(bad, "j F Y") == ""


@pytest.mark.django_db
def test_the_tracking_page_shows_its_dates_in_the_cases_language(client, world, catalogues):
    case = case_open(draft=CaseDraft(service_code="water-leak", description="Amanzi ayavuza",
                                     channel="web", ward_code=world.ward.code, language="zu"))
    page = client.get(reverse("portal:case_track", args=[case.reference])).content.decode()
    with translation.override("zu"):
        opened = local_date(case.opened_at, "j F Y, H:i")
    assert opened in page
