"""The citizen's timeline: each public event in the words the citizen reads."""

from imbizo.cases.models import CaseEvent, EventKind
from imbizo.cases.timeline import citizen_headline, citizen_timeline
from tests.cases.conftest import sast

AT = sast(2026, 3, 2, 10, 0)


def event(kind, **fields):
    return CaseEvent(kind=kind, at=AT, **fields)


def test_kinds_with_a_sentence_of_their_own_read_as_that_sentence():
    assert citizen_headline(event(EventKind.OPENED)) == "We received your report."
    assert citizen_headline(event(EventKind.REOPENED, to_status="reopened")) == "Reopened."


def test_a_status_change_reads_as_its_new_status_and_another_event_as_its_kind():
    assert citizen_headline(event(EventKind.STATUS, from_status="received",
                                  to_status="in_progress")) == "In progress"
    assert citizen_headline(event(EventKind.ESCALATED)) == "Escalated"


def test_a_merge_tells_its_story_without_the_note_and_others_keep_theirs():
    merged, update = citizen_timeline([
        event(EventKind.MERGED, note="WTR-2026-000001"),
        event(EventKind.PUBLIC_UPDATE, note="A team is on site."),
    ])

    assert (merged.headline, merged.note) == ("Joined to a report of the same problem.", "")
    assert (update.headline, update.note, update.at) == ("Update", "A team is on site.", AT)
