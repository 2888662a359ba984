"""How deferred case messages get their context when the outbox sends them."""

from imbizo.notify.services import context_builder
from imbizo.org.selectors import institution_get

from .models import Case


@context_builder("case_overdue")
def overdue_context(deferred: dict) -> dict:
    from .services import track_url

    case = Case.objects.select_related("service", "standard").get(pk=deferred["case_id"])
    return {"case": case, "institution": institution_get(), "standard": case.standard,
            "track_url": track_url(case)}
