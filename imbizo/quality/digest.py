"""The monthly recognition digest: each manager hears, once a month, who was
recognised in their department and who the candidates were."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from imbizo.core import clock
from imbizo.core.links import site_link
from imbizo.notify.models import OutboxMessage
from imbizo.notify.services import message_enqueue
from imbizo.org.models import Role, Staff
from imbizo.org.selectors import institution_get

from .models import Nomination
from .selectors import candidates, local_start


def digest_month(now: datetime.datetime, tz) -> datetime.date:
    """The first day of the month before the one `now` falls in (local time)."""
    first_of_this = now.astimezone(tz).date().replace(day=1)
    return (first_of_this - datetime.timedelta(days=1)).replace(day=1)


def recognition_digest_send(*, now: datetime.datetime | None = None) -> int:
    """Queue last month's digest for every active manager not yet sent it.

    Idempotent: each digest has a dedupe key (month and manager), so running
    it every hour, or on two workers, sends each manager one digest a month.
    Returns how many were queued.
    """
    now = now or clock.now()
    institution = institution_get()
    month = digest_month(now, ZoneInfo(institution.time_zone))
    since = local_start(month)
    until = local_start((month + datetime.timedelta(days=32)).replace(day=1))
    managers = list(Staff.objects.filter(role=Role.MANAGER, active=True, department__isnull=False)
                    .exclude(user__email="").select_related("user", "department"))
    keys = {f"quality-digest:{month:%Y-%m}:{m.pk}": m for m in managers}
    done = set(OutboxMessage.objects.filter(dedupe_key__in=list(keys))
               .values_list("dedupe_key", flat=True))
    queued = 0
    for key, manager in keys.items():
        if key in done:
            continue
        department = manager.department_id
        nominations = list(
            Nomination.objects.filter(nominated_at__gte=since, nominated_at__lt=until,
                                      withdrawn_at__isnull=True)
            .filter(Q(staff__department_id=department) | Q(office__department_id=department))
            .select_related("staff__user", "staff__office", "office", "nominated_by__user"))
        surfaced = candidates(staff=manager, since=since, until=until, limit=5)
        with transaction.atomic():
            message_enqueue(
                channel="email", recipient=manager.user.email,
                template="quality_recognition_digest", dedupe_key=key,
                context={"manager": manager, "month": month, "nominations": nominations,
                         "candidates": surfaced, "institution": institution,
                         "link": site_link("/staff/quality/recognition/")})
        queued += 1
    return queued
