"""Recognition: candidates from compliments and ratings, nominations,
consent, the public wall and the monthly digest."""

import pytest
import time_machine
from django.urls import reverse

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_assign, case_open
from imbizo.core.errors import DomainError
from imbizo.engagement.models import Answer, Instrument, Response
from imbizo.notify.models import OutboxMessage
from imbizo.org.models import Role
from imbizo.quality import selectors
from imbizo.quality.digest import recognition_digest_send
from imbizo.quality.errors import QualityError
from imbizo.quality.services import nomination_consent, nomination_create, nomination_withdraw
from tests.factories import OfficeFactory, StaffFactory
from tests.support import inside, sast

pytestmark = pytest.mark.django_db
MARCH, APRIL = sast(2026, 3, 1, 0), sast(2026, 4, 1, 0)


def rate(staff_member, office, scores):
    instrument = Instrument.objects.get(code="after-contact")
    question = instrument.questions.get(driver="overall")
    for score in scores:
        response = Response.objects.create(instrument=instrument, office=office,
                                           staff=staff_member,
                                           submitted_at=sast(2026, 3, 10, 9))
        Answer.objects.create(response=response, question=question, driver="overall",
                              number=score)


def compliment_for(world, officer, day=5):
    """A compliment the supervisor gave to the officer it praises."""
    with time_machine.travel(sast(2026, 3, day, 9), tick=False):
        case = case_open(draft=CaseDraft(service_code="water-leak", kind="compliment",
                                         channel="web", description="So kind to my mother.",
                                         **inside(world.ward)))
        return case_assign(case=case, actor=None, assignee=officer)


def test_compliments_and_high_ratings_surface_candidates(world, staff,
                                                         django_assert_max_num_queries):
    praised = staff.officer
    rated = StaffFactory(office=world.office, role=Role.OFFICER)
    ordinary = StaffFactory(office=world.office, role=Role.OFFICER)
    compliment_for(world, praised)
    rate(rated, world.office, [5, 5, 4, 5, 5])
    rate(ordinary, world.office, [3, 4, 3, 3, 4])
    rate(StaffFactory(office=OfficeFactory(), role=Role.OFFICER), None, [5] * 6)

    with django_assert_max_num_queries(8):
        found = selectors.candidates(staff=staff.manager, since=MARCH, until=APRIL)
        names = [(c.staff.pk, c.compliments, c.average, c.staff.office.name)
                 for c in found["staff"]]

    assert [(pk, n, avg) for pk, n, avg, _office in names] == [
        (praised.pk, 1, None), (rated.pk, 0, 4.8)]
    assert found["teams"] == []  # one compliment is not yet a team's


def test_candidates_are_for_managers(world, staff):
    assert selectors.candidates(staff=staff.supervisor, since=MARCH, until=APRIL) == {
        "staff": [], "teams": []}


def test_a_manager_nominates_with_a_reason_and_the_nominee_is_told(world, staff):
    nomination = nomination_create(actor=staff.manager, staff=staff.officer,
                                   reason="Stayed late to restore a pensioner's water.")

    message = OutboxMessage.objects.get(template="quality_nominated")
    assert message.recipient == staff.officer.user.email
    assert "Stayed late to restore" in message.body
    assert not nomination.public_consent


def test_a_manager_nominates_only_within_the_department(world, staff):
    elsewhere = StaffFactory(office=OfficeFactory(), role=Role.OFFICER)

    with pytest.raises(DomainError) as error:
        nomination_create(actor=staff.manager, staff=elsewhere, reason="Good")

    assert error.value.code == QualityError.FORBIDDEN


def test_supervisors_do_not_nominate(world, staff):
    with pytest.raises(DomainError):
        nomination_create(actor=staff.supervisor, staff=staff.officer, reason="Good")


def test_only_the_nominee_gives_consent(world, staff):
    nomination = nomination_create(actor=staff.manager, staff=staff.officer, reason="Kind")

    with pytest.raises(DomainError):
        nomination_consent(nomination=nomination, actor=staff.manager, consent=True)
    nomination_consent(nomination=nomination, actor=staff.officer, consent=True)

    nomination.refresh_from_db()
    assert nomination.public_consent and nomination.consent_by == staff.officer


def test_a_teams_supervisor_consents_for_the_team(world, staff):
    nomination = nomination_create(actor=staff.manager, office=world.office, reason="Fast")

    nomination_consent(nomination=nomination, actor=staff.supervisor, consent=True)

    assert [r.office for r in selectors.public_wall()] == [world.office.name]


def test_the_public_wall_shows_a_first_name_office_and_reason_only_with_consent(world, staff,
                                                                               client):
    officer = staff.officer
    officer.user.first_name, officer.user.last_name = "Thandi", "Mokoena"
    officer.user.save()
    shown = nomination_create(actor=staff.manager, staff=officer,
                              reason="Ms Mokoena phoned the family back (083 222 1111) at once.")
    nomination_consent(nomination=shown, actor=officer, consent=True)
    nomination_create(actor=staff.manager, staff=staff.supervisor, reason="No consent given")
    withdrawn = nomination_create(actor=staff.manager, office=world.office, reason="Withdrawn")
    nomination_consent(nomination=withdrawn, actor=staff.supervisor, consent=True)
    nomination_withdraw(nomination=withdrawn, actor=staff.manager)

    page = client.get(reverse("portal:recognition")).content.decode()

    assert "Thandi" in page and world.office.name in page
    assert "phoned the family back" in page
    for private in ("Mokoena", "083 222 1111", "No consent given", "Withdrawn",
                    officer.user.email):
        assert private not in page


def test_the_public_wall_costs_one_query(world, staff, django_assert_max_num_queries):
    for _ in range(5):
        nomination = nomination_create(actor=staff.manager, staff=staff.officer, reason="Kind")
        nomination_consent(nomination=nomination, actor=staff.officer, consent=True)

    with django_assert_max_num_queries(1):
        assert len(selectors.public_wall()) == 5


def test_the_monthly_digest_goes_to_each_manager_once(world, staff):
    with time_machine.travel(sast(2026, 3, 20, 9), tick=False):
        nomination_create(actor=staff.manager, staff=staff.officer,
                          reason="Fixed the queue system")
        compliment_for(world, staff.officer, day=12)

    with time_machine.travel(sast(2026, 4, 1, 6), tick=False):
        first = recognition_digest_send()
        again = recognition_digest_send()

    digest = OutboxMessage.objects.get(template="quality_recognition_digest")
    assert (first, again) == (1, 0)
    assert digest.recipient == staff.manager.user.email
    assert digest.subject == "Recognition in March 2026"
    assert "Fixed the queue system" in digest.body and "1 compliment" in digest.body


def test_the_digest_runs_from_the_worker_every_hour():
    from imbizo.core.periodic import periodic_tasks
    from imbizo.quality import tasks

    entry = periodic_tasks()[tasks.recognition_digest_task.module_path]
    assert entry.every_seconds == 3600
