"""How a case's public history reads to the citizen: the wording of each event
is decided here, once, for every page that shows the timeline."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from .models import CaseEvent, EventKind

# Kinds with a sentence of their own. Any other event reads as the status it
# moved the case to ("In progress") or, when it moved none, as its kind.
HEADLINE_OF_KIND = {
    EventKind.OPENED: _("We received your report."),
    EventKind.ACKNOWLEDGED: _("A person at the office has read your report."),
    EventKind.BREACHED: _("We missed the date we promised. The office supervisor was told."),
    EventKind.PUBLIC_UPDATE: _("Update"),
    EventKind.MERGED: _("Joined to a report of the same problem."),
    EventKind.REOPENED: _("Reopened."),
}

# Kinds whose note the headline already tells (a merge's note is the other
# case's reference, shown as a link on the page instead).
NOTE_NOT_SHOWN = frozenset({EventKind.MERGED})


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    at: datetime
    headline: str
    note: str  # empty when there is nothing more to say


ACKNOWLEDGED_BY_SYSTEM = _("Received by our system. A person will look at it soon.")


def citizen_headline(event: CaseEvent) -> str:
    """The few words the citizen reads for `event`."""
    if event.kind == EventKind.ACKNOWLEDGED and (event.details or {}).get("automatic"):
        return str(ACKNOWLEDGED_BY_SYSTEM)
    headline = HEADLINE_OF_KIND.get(event.kind)
    if headline is not None:
        return str(headline)
    return str(event.to_status_label or event.get_kind_display())


def citizen_timeline(events: Iterable[CaseEvent]) -> list[TimelineEntry]:
    """`events` (public ones, already masked: cases.selectors.case_public_events)
    as the citizen reads them, in the same order."""
    return [
        TimelineEntry(kind=event.kind, at=event.at, headline=citizen_headline(event),
                      note="" if event.kind in NOTE_NOT_SHOWN else event.note)
        for event in events
    ]
