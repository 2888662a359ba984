"""Case events partitioned by the month of `at` on PostgreSQL (ADR 0045).

Rebuilds the existing table with its rows in one transaction; the primary key
becomes (id, at) in the database while Django's model keeps `id`. SQLite is
left as it is.
"""

from django.db import migrations

from imbizo.ops.partitions import table_partition_by_month, table_unpartition

TABLE, COLUMN = "cases_caseevent", "at"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            table_partition_by_month(cursor, table=TABLE, column=COLUMN)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            table_unpartition(cursor, table=TABLE)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0011_case_language_event"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
