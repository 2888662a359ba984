from django.db import migrations, models

# Cases opened before reopen secrets get the hash of a secret nobody holds: the
# links in messages already sent carry none, so a citizen holding such a link
# is refused and asked to call or visit (staff reopen it), and the next
# resolution message of a case still open gives a fresh secret. One UPDATE,
# however many cases (docs/cases.md, "Reopening").
FILL = {
    "postgresql": "UPDATE cases_case SET reopen_secret_hash = "
                  "md5(random()::text || id::text) || md5(random()::text || clock_timestamp()::text)",
    "sqlite": "UPDATE cases_case SET reopen_secret_hash = lower(hex(randomblob(32)))",
}


def unknown_secrets(apps, schema_editor):
    sql = FILL.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_public_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reopen_secret_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(unknown_secrets, migrations.RunPython.noop),
    ]
