"""Background work for outreach, run by `imbizo worker`."""

from .interruption_tasks import interruptions_tick_task  # noqa: F401
