
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_default_escalation_ladder'),
        ('catalogue', '0001_initial'),
        ('geo', '0001_initial'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='media_urls',
            field=models.JSONField(blank=True, default=list, help_text='Open311 media_url: photos hosted by the client that sent the report.', verbose_name='links to photos kept by the channel'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['opened_at'], name='case_opened'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['updated_at'], name='case_updated'),
        ),
        migrations.AddIndex(
            model_name='caseevent',
            index=models.Index(condition=models.Q(('public', True)), fields=['at'], name='event_public_at'),
        ),
    ]
