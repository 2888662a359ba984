"""Background work of the clients app, run by `imbizo worker`."""

from django_tasks import task

from imbizo.core.periodic import periodic

from .survey import rounds_due_send


@periodic(every_seconds=3600)
@task()
def survey_rounds_task() -> int:
    """Send the client-service survey rounds that fall due (see SamplingRule)."""
    return rounds_due_send()
