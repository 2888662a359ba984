"""A partial index over the tasks that are RUNNING, for the worker's reclaim
(imbizo.ops.reclaim) every few seconds: without it that query reads every
finished task row the hourly prune has not removed yet (millions at a
province's rate). The table is django-tasks-db's, so the index is plain SQL,
the same on PostgreSQL and SQLite (both have partial indexes); Django's
state for that app is not touched."""

from django.db import migrations

INDEX = "ops_tasks_running_started_idx"
TABLE = "django_tasks_database_dbtaskresult"


class Migration(migrations.Migration):

    dependencies = [
        ("ops", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {INDEX} ON {TABLE} (started_at) WHERE status = 'RUNNING'",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
