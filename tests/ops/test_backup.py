"""Backups as docs/operations.md tells operators to take them: pg_dump in the
custom format, pg_restore into a new database, and every table's row count
the same. PostgreSQL only (SQLite's backup is a file copy)."""

import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from imbizo.notify.models import OutboxMessage
from tests.notify.factories import open_case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_dump"),
    reason="pg_dump and pg_restore against PostgreSQL")


def row_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalog
        counts[table] = cursor.fetchone()[0]
    return counts


def libpq_env(settings: dict) -> dict:
    import os

    return {**os.environ, "PGHOST": settings["HOST"] or "127.0.0.1",
            "PGPORT": str(settings["PORT"] or 5432), "PGUSER": settings["USER"] or "postgres",
            "PGPASSWORD": settings["PASSWORD"] or ""}


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_a_new_database_with_every_row(world, tmp_path):
    for n in range(3):
        open_case(world, citizen_email=f"c{n}@example.org")
    assert OutboxMessage.objects.count() == 3
    settings = connection.settings_dict
    env = libpq_env(settings)
    dump = tmp_path / "imbizo.dump"
    restored = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cursor:
        before = row_counts(cursor)

    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", "--no-owner",
                    settings["NAME"]], env=env, check=True, timeout=120)
    subprocess.run(["createdb", restored], env=env, check=True, timeout=60)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}",
                        str(dump)], env=env, check=True, timeout=120)
        import psycopg

        with psycopg.connect(dbname=restored, host=env["PGHOST"], port=env["PGPORT"],
                             user=env["PGUSER"], password=env["PGPASSWORD"]) as copy:
            after = row_counts(copy.cursor())
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", restored], env=env, timeout=60)

    assert after == before
    assert after["cases_case"] == 3
    assert after["django_migrations"] > 0
