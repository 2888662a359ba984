"""The place search index, one per database (ADR 0022).

SQLite: an FTS5 table over `geo_place.search_text` with the trigram tokenizer
(substrings and typos), kept in step by triggers, so bulk writes need nothing
more. PostgreSQL: the pg_trgm extension and a GIN trigram index, which serves
`<%` (word similarity, prefixes included), and a btree in byte order for
names that start with what was typed.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE geo_place_fts USING fts5("
    " search_text, content='geo_place', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER geo_place_fts_insert AFTER INSERT ON geo_place BEGIN"
    " INSERT INTO geo_place_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER geo_place_fts_delete AFTER DELETE ON geo_place BEGIN"
    " INSERT INTO geo_place_fts(geo_place_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER geo_place_fts_update AFTER UPDATE ON geo_place BEGIN"
    " INSERT INTO geo_place_fts(geo_place_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO geo_place_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO geo_place_fts(geo_place_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS geo_place_fts_update",
    "DROP TRIGGER IF EXISTS geo_place_fts_delete",
    "DROP TRIGGER IF EXISTS geo_place_fts_insert",
    "DROP TABLE IF EXISTS geo_place_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS geo_place_search_trgm"
    " ON geo_place USING gin (search_text gin_trgm_ops)",
    # Names starting with what was typed, in index order (byte order serves
    # both the LIKE range and the ORDER BY, so a LIMIT stops early).
    "CREATE INDEX IF NOT EXISTS geo_place_search_prefix"
    ' ON geo_place ((search_text COLLATE "C"))',
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS geo_place_search_prefix",
                    "DROP INDEX IF EXISTS geo_place_search_trgm"]


def _run(statements_of):
    def run(apps, schema_editor):
        for statement in statements_of.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("geo", "0002_place"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
