"""A default escalation ladder, editable in the admin."""

from django.db import migrations

LADDER = [
    (1, "Office supervisor", 0, "supervisor"),
    (2, "Head of department", 16, "head_of_department"),
    (3, "War room", 40, "war_room"),
]


def create(apps, schema_editor):
    EscalationStep = apps.get_model("cases", "EscalationStep")
    if not EscalationStep.objects.exists():
        EscalationStep.objects.bulk_create(
            EscalationStep(level=level, name=name, after_hours=hours, notify=notify)
            for level, name, hours, notify in LADDER
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
