"""Each change of an action's status is recorded as an ActionEvent. Actions
that ended before events were kept get the one event their closing fields
describe (open -> their status, at closed_at, by closed_by, with the closing
note), so every ended action has its history."""

import django.db.models.deletion
from django.db import migrations, models

STATUS_CHOICES = [
    ("open", "Open"),
    ("effective", "Closed: effective"),
    ("not_effective", "Closed: not effective"),
    ("cancelled", "Cancelled"),
]


def record_past_changes(apps, schema_editor):
    Action = apps.get_model("quality", "Action")
    ActionEvent = apps.get_model("quality", "ActionEvent")
    ended = Action.objects.exclude(status="open").exclude(closed_at=None)
    ActionEvent.objects.bulk_create(
        ActionEvent(action_id=action.pk, at=action.closed_at, actor_id=action.closed_by_id,
                    from_status="open", to_status=action.status, note=action.closing_note)
        for action in ended.only("pk", "status", "closed_at", "closed_by", "closing_note")
        .iterator()
    )


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0001_initial"),
        ("quality", "0003_metric_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="ActionEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("at", models.DateTimeField()),
                ("from_status", models.CharField(choices=STATUS_CHOICES, max_length=14)),
                ("to_status", models.CharField(choices=STATUS_CHOICES, max_length=14)),
                ("note", models.TextField(blank=True)),
                ("action", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name="events", to="quality.action")),
                ("actor", models.ForeignKey(blank=True, null=True,
                                            on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="org.staff")),
            ],
            options={
                "ordering": ["at", "id"],
            },
        ),
        migrations.RunPython(record_past_changes, migrations.RunPython.noop),
    ]
