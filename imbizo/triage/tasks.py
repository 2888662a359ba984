"""The weekly training, on the "triage" queue of its own: the worker that serves
messages and sweeps (the default queue) never waits behind it (`imbizo worker
--queue triage` runs it; `imbizo run` starts both)."""

import datetime
import logging

from django.conf import settings
from django_tasks import task

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.periodic import periodic

from .model_models import ModelVersion
from .training import model_train

logger = logging.getLogger("imbizo.triage")

QUEUE = "triage"


@periodic(every_seconds=3600)
@task(queue_name=QUEUE)
def triage_train_weekly() -> dict:
    """Train a new version when the newest is a week old (checked hourly, so a
    worker restart neither skips nor repeats a week)."""
    every = datetime.timedelta(days=getattr(settings, "TRIAGE_TRAIN_EVERY_DAYS", 7))
    newest = ModelVersion.objects.order_by("-trained_at").values_list(
        "trained_at", flat=True).first()
    if newest is not None and clock.now() - newest < every:
        return {"trained": False, "reason": "trained less than a week ago"}
    try:
        row = model_train(trained_by="weekly")
    except DomainError as exc:
        logger.info("triage: weekly training skipped: %s", exc.message)
        return {"trained": False, "reason": exc.code}
    return {"trained": True, "version": row.version, "promoted": row.promoted}
