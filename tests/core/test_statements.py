"""The intake path's prepared statements (imbizo.core.statements, ADR 0051)."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case
from imbizo.cases.services import case_open
from imbizo.core.statements import cursor_prepared
from tests.support import inside

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="prepared statements are PostgreSQL's")


def report(world, **changes) -> Case:
    fields = {"service_code": "water-leak", "description": "No water since this morning.",
              "channel": "web", "citizen_email": "thandi@example.org",
              "contact_consent": True, **inside(world.ward)}
    return case_open(draft=CaseDraft(**{**fields, **changes}))


def sent_case_insert(world, **changes) -> tuple[Case, str]:
    """Open a case; return it and the INSERT statement as sent to the server."""
    with CaptureQueriesContext(connection) as queries:
        case = report(world, **changes)
    return case, next(q["sql"] for q in queries.captured_queries
                      if q["sql"].startswith('WITH p AS (INSERT INTO "cases_case"'))


def prepared(statement: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s",
                       [statement])
        return cursor.fetchone()[0]


@on_postgres
def test_reports_of_one_shape_share_one_prepared_insert(world):
    _first, sent = sent_case_insert(world)
    _second, sent_again = sent_case_insert(world, description="The pipe is still running.")

    assert sent_again == sent
    assert prepared(sent) == 1
    assert Case.objects.count() == 2


@on_postgres
def test_an_anonymous_report_is_another_shape_and_stores_its_own_rows(world):
    with_contact, sent = sent_case_insert(world)
    anonymous, sent_anonymous = sent_case_insert(world, anonymous=True, contact_consent=False)

    assert sent_anonymous != sent  # no consent row
    assert prepared(sent_anonymous) == 1
    assert Case.objects.get(pk=anonymous.pk).citizen_email == ""
    assert Case.objects.get(pk=with_contact.pk).citizen_email == "thandi@example.org"


@on_postgres
@pytest.mark.django_db
@pytest.mark.parametrize(("enabled", "count"), [(True, 1), (False, 0)])
def test_the_setting_decides_whether_a_statement_is_prepared(settings, enabled, count):
    settings.DATABASE_PREPARED_STATEMENTS = enabled
    statement = f"SELECT %s + 1 AS setting_{str(enabled).lower()}"

    with cursor_prepared() as cursor:
        cursor.execute(statement, [1])
        assert cursor.fetchone()[0] == 2

    assert prepared(statement.replace("%s", "$1")) == count


@pytest.mark.django_db
def test_a_prepared_statement_answers_and_is_in_the_query_log():
    with CaptureQueriesContext(connection) as queries, cursor_prepared() as cursor:
        cursor.execute("SELECT %s + 1", [41])
        answer = cursor.fetchone()[0]

    assert answer == 42
    assert queries.captured_queries[-1]["sql"].startswith("SELECT")


@pytest.mark.django_db
def test_a_prepared_statement_raises_djangos_own_errors():
    with pytest.raises(IntegrityError), cursor_prepared() as cursor:
        cursor.execute("INSERT INTO cases_case (id) VALUES (NULL)")


def test_a_repeated_key_still_returns_the_first_case(world):
    first = case_open(draft=CaseDraft(service_code="water-leak", description="Leak.",
                                      channel="web", **inside(world.ward)),
                      idempotency_key="portal:abc")

    again = case_open(draft=CaseDraft(service_code="water-leak", description="Leak again.",
                                      channel="web", **inside(world.ward)),
                      idempotency_key="portal:abc")

    assert again.pk == first.pk
    assert Case.objects.count() == 1
