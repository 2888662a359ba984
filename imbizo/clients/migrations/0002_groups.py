from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="clientgroup",
            name="default_for_type",
            field=models.BooleanField(
                default=False,
                help_text="Cases with no group chosen count in this group. At most one per type.",
                verbose_name="default for its client type"),
        ),
        migrations.AddConstraint(
            model_name="clientgroup",
            constraint=models.UniqueConstraint(
                condition=models.Q(("default_for_type", True)), fields=("client_type",),
                name="clientgroup_one_default_per_type"),
        ),
    ]
