from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of one `imbizo worker` process (its ticker beats
    every few seconds); /readyz and /metrics read it."""

    worker_id = models.CharField(max_length=120, unique=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id
