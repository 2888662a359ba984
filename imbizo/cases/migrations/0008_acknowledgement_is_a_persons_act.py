"""Acknowledgement is a person's act (issue 13).

Until now a move to assigned, in progress or waiting stamped acknowledged_at,
so auto-assignment "acknowledged" a case the second it opened. The events say
what happened: a case keeps the acknowledgement of the first thing a person
did with it (a move to acknowledged, assigned, in progress or waiting, or an
update to the citizen, by a staff member who may acknowledge); one that no
person acted on is unacknowledged again, and missed its promise when the due
instant has passed (no apology is sent for the past). The rollups are rebuilt
after this (insights 0005).
"""

from django.db import migrations, models
from django.db.models import Case as SqlCase
from django.db.models import F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

ACKNOWLEDGING_ROLES = ("officer", "supervisor", "manager", "administrator")
ACKNOWLEDGING_MOVES = ("acknowledged", "assigned", "in_progress", "waiting_citizen",
                       "waiting_third_party")
OPEN = ("received", "acknowledged", "assigned", "in_progress", "waiting_citizen",
        "waiting_third_party", "reopened")


def automatic_acknowledgements_clear(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    now = timezone.now()
    first_person = Subquery(
        CaseEvent.objects.filter(case_id=OuterRef("pk"), actor__role__in=ACKNOWLEDGING_ROLES)
        .filter(Q(kind="public_update") | Q(to_status__in=ACKNOWLEDGING_MOVES))
        .order_by("at", "id").values("at")[:1])
    automatic = (Case.objects.filter(acknowledged_at__isnull=False, ack_breached_at__isnull=True)
                 .alias(person=first_person)
                 .filter(Q(person__isnull=True) | Q(person__gt=F("acknowledged_at"))
                         | Q(person__lt=F("acknowledged_at"))))
    automatic.update(
        acknowledged_at=first_person,
        ack_breached_at=SqlCase(
            When(ack_due_at__lt=Coalesce(first_person, now), then=F("ack_due_at")),
            default=None, output_field=models.DateTimeField()),
    )
    # Open cases whose acknowledgement is pending again: the sweep must look at them.
    Case.objects.filter(status__in=OPEN, acknowledged_at__isnull=True,
                        ack_breached_at__isnull=True, ack_due_at__isnull=False).filter(
        Q(next_check_at__isnull=True) | Q(next_check_at__gt=F("ack_due_at"))
    ).update(next_check_at=F("ack_due_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_case_reopen_secret_hash'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='acknowledged_by_system',
            field=models.BooleanField(default=False, help_text='The office tells citizens at once that the system received the report (Office.auto_acknowledge). Counted apart; a person still acknowledges.', verbose_name='acknowledged automatically on receipt'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('opened', 'Opened'), ('acknowledged', 'Acknowledged'), ('status', 'Status changed'), ('assigned', 'Assigned'), ('public_update', 'Update to the citizen'), ('note', 'Internal note'), ('warned', 'Deadline near'), ('ack_breached', 'Acknowledgement overdue'), ('update_overdue', 'Citizen update overdue'), ('breached', 'Resolution overdue'), ('escalated', 'Escalated'), ('merged', 'Merged into an incident'), ('reopened', 'Reopened'), ('public_text', 'Public description corrected'), ('priority', 'Priority changed'), ('service', 'Service corrected')], max_length=16),
        ),
        migrations.RunPython(automatic_acknowledgements_clear, migrations.RunPython.noop),
    ]
