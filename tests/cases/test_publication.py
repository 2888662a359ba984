"""What the public reads of a case: set at opening by who typed it, corrected by staff."""

from importlib import import_module

import pytest
from django.apps import apps

from imbizo.cases.intake import CaseDraft
from imbizo.cases.models import Case, EventKind
from imbizo.cases.publication import case_public_text_correct
from imbizo.cases.services import case_open
from imbizo.core.errors import DomainError
from imbizo.org.models import Role
from tests.factories import StaffFactory


def opened(channel, **fields):
    return case_open(draft=CaseDraft(service_code="water-leak", description="Leak at no. 5",
                                     channel=channel, **fields))


@pytest.mark.parametrize("channel", ["web", "api", "sms", "email"])
def test_what_a_citizen_typed_is_published(world, channel):
    assert opened(channel).public_description == "Leak at no. 5"


@pytest.mark.parametrize("channel", ["hotline", "walk_in", "field", "outreach"])
def test_what_staff_typed_at_intake_is_private_unless_summarised(world, channel):
    assert opened(channel).public_description == ""
    assert opened(channel, public_description=" Leak ").public_description == "Leak"


def test_a_report_kept_private_publishes_nothing(world):
    case = opened("web", kept_private=True, public_description="ignored")

    assert case.public_description == "" and case.kept_private


def test_a_correction_keeps_the_replaced_text_for_staff_only(world):
    officer = StaffFactory(office=world.office, role=Role.OFFICER)
    case = opened("web")

    case_public_text_correct(case=case, actor=officer, text="A leak in the street")

    case.refresh_from_db()
    assert case.public_description == "A leak in the street"
    event = case.events.get(kind=EventKind.PUBLIC_TEXT)
    assert "Leak at no. 5" in event.note and not event.public
    with pytest.raises(DomainError):
        case_public_text_correct(case=case, actor=officer, text="A leak in the street")


def test_the_migration_keeps_citizens_words_public_and_makes_staff_notes_private(world):
    web, hotline = opened("web"), opened("hotline")
    Case.objects.update(public_description="")
    migration = import_module("imbizo.cases.migrations.0006_public_description")

    migration.public_text_split(apps, None)

    web.refresh_from_db()
    hotline.refresh_from_db()
    assert web.public_description == "Leak at no. 5"
    assert hotline.public_description == ""
