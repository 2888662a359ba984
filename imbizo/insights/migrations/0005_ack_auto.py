"""Acknowledgements by the system counted apart (ack_auto), and the rollups
rebuilt after cases 0006 cleared the acknowledgements no person made."""

from django.db import migrations, models

from imbizo.insights.rollups import rollups_rebuild


def rollups_rebuild_if_any(apps, schema_editor):
    # The rebuild reads the current models: run it now, while they match this
    # schema (a database with no cases has nothing to rebuild).
    if apps.get_model("cases", "Case").objects.exists():
        rollups_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0004_ward_monthly_openings'),
        ('cases', '0008_acknowledgement_is_a_persons_act'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='openingdelta',
            name='ack_met',
        ),
        migrations.AddField(
            model_name='casedelta',
            name='ack_auto',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='dailycases',
            name='ack_auto',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='monthlycases',
            name='ack_auto',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='openingdelta',
            name='ack_auto',
            field=models.SmallIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='servicemonthlycases',
            name='ack_auto',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='wardday',
            name='ack_auto',
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.RunPython(rollups_rebuild_if_any, migrations.RunPython.noop),
    ]
