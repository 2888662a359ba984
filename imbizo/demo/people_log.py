"""Demo time logs, feedback and contacts to learn from (issue 20, part 2).

Every active staff member gets ten weeks of time log with a goal each week;
people who report to someone asked their manager and a colleague for
feedback; the `officer` login has rated contacts of their own (enough for the
client figures to show), a request waiting on them, and a good and a
difficult contact picked most weeks; the `supervisor` sees their team's.
Everything is written in bulk: a few hundred milliseconds.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from imbizo.core import clock
from imbizo.engagement.models import Answer, Contact, Instrument, Response
from imbizo.org.models import Role, Staff
from imbizo.people.feedback_models import FeedbackRequest, Relation
from imbizo.people.reflection_models import ContactReflection, ExtraStep, Pick
from imbizo.people.timelog import this_week
from imbizo.people.timelog_models import TimeLogEntry, TimeLogWeek, WorkKind

WEEKS = 10
# Hours per weekday by kind of work, before noise: an officer at a counter
# serves clients most of the day; an analyst mostly does other work.
PROFILE = {
    Role.OFFICER: (4.5, 0.8, 2.0, 0.7), Role.AGENT: (5.5, 0.3, 1.2, 1.0),
    Role.SUPERVISOR: (2.5, 2.0, 2.5, 1.0), Role.MANAGER: (1.2, 3.0, 3.0, 1.0),
}
OTHERS = (0.5, 2.5, 2.5, 2.5)
ANSWERS = (
    {"start": "Phone people back on the day you promise, even when there is no news yet.",
     "keep": "You explain the procedure calmly; clients leave knowing what happens next."},
    {"stop": "Stop passing difficult callers to the next desk.",
     "keep": "Your patience with elderly clients at the counter."},
    {"start": "Summarise what the client asked before you answer.",
     "comment": "You finish what you start: I never need to chase your cases."},
    {"keep": "Friendly and quick with walk-ins.",
     "start": "Tell clients when the team is coming, by SMS."},
)
CLIENT_COMMENTS = {"start": ("Send an SMS when the team is coming.", "Phone back when you say."),
                   "keep": ("Friendly and patient at the counter.", "Explained clearly what happens next."),
                   "stop": ("Stop the long wait before someone answers.",)}
GOOD = ("Listened to the whole story before answering, then explained the repair plan and the "
        "date; the client thanked me.",
        "Phoned the client back the same afternoon as promised with the job number.")
DIFFICULT = ("The caller was angry about a third outage; I defended the team instead of "
             "listening.",
             "Could not say when the meter would be fixed; I promised a call and forgot.")
DIFFERENTLY = ("Let them finish, say back what I heard, then say what I will do and by when.",
               "Write the call-back in my diary before the call ends.")
EXTRAS = ("Walked an elderly client to the right office and waited with her.",
          "Took extra time to explain why the repair needs a second visit.",
          "Phoned the client after the job to check the water was back.")


def _weeks() -> list[datetime.date]:
    last = this_week() - datetime.timedelta(days=7)  # this week is the person's to fill in
    return [last - datetime.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def _time_logs(rng: random.Random, staff: list[Staff], weeks: list[datetime.date], now) -> int:
    rows = []
    for person in staff:
        for i, week in enumerate(weeks):
            rows.append(TimeLogWeek(staff=person, week_start=week, saved_at=now,
                                    goal_share=min(95, 50 + 2 * i + rng.randrange(0, 15)),
                                    goal_note=""))
    TimeLogWeek.objects.bulk_create(rows)
    weeks_of = {(w.staff_id, w.week_start): w for w in
                TimeLogWeek.objects.filter(staff__in=staff, week_start__in=weeks)}
    entries = []
    for person in staff:
        base = PROFILE.get(person.role, OTHERS)
        trend = rng.uniform(-0.02, 0.06)
        for i, week in enumerate(weeks):
            log = weeks_of[(person.pk, week)]
            for day in range(5):
                for k, kind in enumerate(WorkKind):
                    hours = base[k] * (1 + trend * i if k < 2 else 1 - trend * i)
                    hours = max(0.0, rng.gauss(hours, 0.5))
                    entries.append(TimeLogEntry(week=log, day=day, kind=kind,
                                                hours=Decimal(round(hours * 4) / 4)))
    TimeLogEntry.objects.bulk_create(entries, batch_size=5000)
    return len(rows)


def _rated_contacts(rng: random.Random, person: Staff, n: int, now, mean: float) -> list[Contact]:
    instrument = Instrument.objects.filter(code="after-contact").order_by("-version").first()
    contacts = Contact.objects.bulk_create(
        Contact(at=now - datetime.timedelta(days=rng.uniform(1, 70), hours=rng.uniform(0, 6)),
                kind=Contact.Kind.PERSON, channel=rng.choice(("walk_in", "hotline")),
                staff=person, office=person.office,
                handling_seconds=rng.randrange(240, 1500), outcome="Helped at the counter")
        for _ in range(n))
    if instrument is None:
        return contacts
    questions = list(instrument.questions.all())
    responses = Response.objects.bulk_create(
        Response(instrument=instrument, contact=c, office=person.office,
                 channel=c.channel, submitted_at=c.at + datetime.timedelta(hours=3))
        for c in contacts if rng.random() < 0.8 or n <= 12)
    answers = []
    for response in responses:
        for q in questions:
            if q.type == "scale5":
                answers.append(Answer(response=response, question=q, driver=q.driver,
                                      number=max(1, min(5, round(rng.gauss(mean, 0.7))))))
            elif q.driver in CLIENT_COMMENTS and rng.random() < 0.35:
                answers.append(Answer(response=response, question=q, driver=q.driver,
                                      text=rng.choice(CLIENT_COMMENTS[q.driver])))
    Answer.objects.bulk_create(answers)
    return contacts


def _feedback(rng: random.Random, staff: list[Staff], officer, now) -> int:
    by_manager: dict[int, list[Staff]] = {}
    for person in staff:
        if person.manager_id:
            by_manager.setdefault(person.manager_id, []).append(person)
    rows = []
    for person in staff:
        if person.manager_id and (person == officer or rng.random() < 0.5):
            answer = rng.choice(ANSWERS)
            asked = now - datetime.timedelta(days=rng.randrange(20, 60))
            rows.append(FeedbackRequest(asker=person, giver_id=person.manager_id,
                                        relation=Relation.MANAGER, asked_at=asked,
                                        answered_at=asked + datetime.timedelta(days=2), **answer))
            peers = [p for p in by_manager.get(person.manager_id, []) if p.pk != person.pk]
            if peers:
                peer = rng.choice(peers)
                answer = rng.choice(ANSWERS)
                asked = now - datetime.timedelta(days=rng.randrange(3, 30))
                rows.append(FeedbackRequest(asker=person, giver=peer, relation=Relation.COLLEAGUE,
                                            asked_at=asked,
                                            answered_at=asked + datetime.timedelta(days=1),
                                            **answer))
    if officer is not None and officer.manager_id:
        # Someone on the officer's team waits for the officer's feedback.
        peers = [p for p in by_manager.get(officer.manager_id, []) if p.pk != officer.pk]
        if peers:
            rows.append(FeedbackRequest(asker=peers[0], giver=officer, relation=Relation.COLLEAGUE,
                                        question="How I handle angry callers",
                                        asked_at=now - datetime.timedelta(days=1)))
    FeedbackRequest.objects.bulk_create(rows)
    return len(rows)


def _reflections(rng: random.Random, people: list[Staff], weeks, contacts_of, now) -> int:
    rows, extras = [], []
    zone = timezone.get_current_timezone()
    for person in people:
        contacts = sorted(contacts_of.get(person.pk, []), key=lambda c: c.at)
        for week in weeks[-6:]:
            end = datetime.datetime.combine(week + datetime.timedelta(days=7), datetime.time.min,
                                            tzinfo=zone)
            usable = [c for c in contacts if end - datetime.timedelta(weeks=4) <= c.at < end]
            if len(usable) < 2 or rng.random() < 0.2:
                continue
            good, hard = rng.sample(usable, 2)
            i = rng.randrange(len(GOOD))
            rows.append(ContactReflection(staff=person, week_start=week, pick=Pick.GOOD,
                                          contact=good, what_i_did=GOOD[i],
                                          shared=rng.random() < 0.5, written_at=now))
            rows.append(ContactReflection(staff=person, week_start=week, pick=Pick.DIFFICULT,
                                          contact=hard, what_i_did=DIFFICULT[i],
                                          do_differently=DIFFERENTLY[i],
                                          shared=rng.random() < 0.3, written_at=now))
        for _ in range(rng.randrange(1, 3)):
            extras.append(ExtraStep(staff=person, done_on=weeks[-rng.randrange(1, 5)]
                                    + datetime.timedelta(days=rng.randrange(0, 5)),
                                    note=rng.choice(EXTRAS), shared=rng.random() < 0.6,
                                    written_at=now))
    ContactReflection.objects.bulk_create(rows)
    ExtraStep.objects.bulk_create(extras)
    return len(rows)


def _reporting_lines(staff: list[Staff]) -> None:
    """Only when no reporting line is set yet (people_dev's demo sets them):
    each office's officers and agents report to its supervisor."""
    supervisors = {}
    for s in staff:  # the `supervisor` login heads its office's team
        if s.role == Role.SUPERVISOR and s.office_id and (
                s.office_id not in supervisors or s.user.username == "supervisor"):
            supervisors[s.office_id] = s
    changed = []
    for person in staff:
        boss = supervisors.get(person.office_id)
        if person.role in (Role.OFFICER, Role.AGENT) and boss is not None:
            person.manager = boss
            changed.append(person)
    Staff.objects.bulk_update(changed, ["manager"])


@transaction.atomic
def people_log_build(*, seed: int) -> dict[str, int]:
    """Time logs for every active staff member; feedback, ratings and contact
    notes for the `supervisor` login's team and the people who ask."""
    rng = random.Random(f"{seed}:people-log")
    now = clock.now()
    staff = list(Staff.objects.filter(active=True, left_at__isnull=True)
                 .select_related("user", "office").order_by("pk"))
    if not staff:
        return {}
    if not any(s.manager_id for s in staff):
        _reporting_lines(staff)
    weeks = _weeks()
    logged = _time_logs(rng, staff, weeks, now)
    officer = next((s for s in staff if s.user.username == "officer"), None)
    supervisor = next((s for s in staff if s.user.username == "supervisor"), None)
    team = [s for s in staff if supervisor is not None and s.manager_id == supervisor.pk]
    if officer is not None and officer not in team:
        team.append(officer)
    contacts_of = {}
    for person in team:
        n = 14 if person == officer else rng.randrange(6, 10)
        contacts_of[person.pk] = _rated_contacts(rng, person, n, now,
                                                 4.1 if person == officer else 3.7)
    asked = _feedback(rng, staff, officer, now)
    picked = _reflections(rng, team, weeks, contacts_of, now)
    return {"weeks of time log": logged, "feedback requests": asked,
            "contacts picked to learn from": picked}
