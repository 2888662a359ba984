"""The demo's citizens speak the institution's languages (imbizo.demo.languages)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count

from imbizo.cases.models import Case
from imbizo.demo.history import history_build
from imbizo.demo.languages import languages_build
from imbizo.demo.municipality import demo_build
from imbizo.engagement.models import Contact

pytestmark = pytest.mark.django_db
UNTIL = datetime.datetime(2026, 10, 30, 17, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


def test_every_case_and_contact_gets_an_enabled_language_in_two_statements(
        django_assert_max_num_queries):
    demo_build(seed=3)
    history_build(seed=3, cases=2000, until=UNTIL)
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[:5]).update(language="ve")

    with django_assert_max_num_queries(2):
        made = languages_build(seed=3)

    shares = dict(Case.objects.values_list("language").annotate(n=Count("id")))
    assert 0 < made["cases"] <= Case.objects.count() - 5
    assert {"en", "zu", "xh", "af", "st", "tn", "nso"} <= set(shares)
    assert shares["ve"] == 5  # a language already known is kept
    assert "" not in shares
    assert shares["zu"] > shares["nso"]
    assert not Contact.objects.filter(case__isnull=False, language="").exists()
