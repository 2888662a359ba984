"""Demo key clients: thirty organisations of Ubuntu Bay (businesses, schools,
clinics and departments, community organisations) with contact persons,
account managers (the demo `officer` and `supervisor` among them), two years
of visits, a slice of the history's cases, signals with corrective actions,
and one poor rating whose follow-up case went to the account manager.

Rows are written in bulk; the poor rating goes through the real closed loop
(engagement.services.loop_close), so it shows exactly what a live one does.
Contact persons' numbers are in the 082 555 range and addresses at
example.org: nobody real is reached.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from imbizo.cases.models import Case, ClientType
from imbizo.clients.key_clients import contact_person_keys
from imbizo.clients.key_models import Signal, SignalKind, Visit
from imbizo.clients.models import CaseClient, ClientGroup, ContactPerson, KeyClient
from imbizo.core import clock
from imbizo.engagement.models import Answer, Instrument, Response
from imbizo.engagement.scores import Rated
from imbizo.engagement.services import loop_close
from imbizo.org.models import Role, Staff

TZ = ZoneInfo("Africa/Johannesburg")
EXT, INT = ClientType.EXTERNAL, ClientType.INTERNAL

# The groups key clients belong to: the client groups demo (demo/client_groups.py)
# makes the same codes and completes them, whichever runs first.
GROUPS = {
    "businesses": ("Businesses", EXT),
    "schools": ("Schools and creches", EXT),
    "community-organisations": ("Ratepayers' and community organisations", EXT),
    "municipal-departments": ("Other municipal departments", INT),
    "provincial-departments": ("Provincial departments", INT),
}

# (name, kind, group, visit every days, contact persons: (name, role))
CLIENTS = [
    ("Bayside Fresh Produce Market", "business", "businesses", 60,
     [("Ayanda Zulu", "Market manager"), ("Gert Botha", "Facilities")]),
    ("Harbour View Hotel", "business", "businesses", 90, [("Naledi Mokoena", "General manager")]),
    ("Ubuntu Bay Brickworks", "business", "businesses", 90, [("Johan Pretorius", "Owner")]),
    ("Seaside Taxi Association", "business", "businesses", 60,
     [("Mandla Ngcobo", "Chairperson"), ("Busi Shabalala", "Secretary")]),
    ("Kwa-Nomsa Spaza Traders' Forum", "business", "businesses", 120,
     [("Nomsa Cele", "Convenor")]),
    ("Coastal Canning Co-operative", "business", "businesses", 90,
     [("Peter Ndlovu", "Plant manager")]),
    ("Riverside Shopping Centre", "business", "businesses", 60,
     [("Ilse van der Merwe", "Centre manager")]),
    ("Ubuntu Bay Chamber of Business", "business", "businesses", 90,
     [("Rajesh Naidoo", "President"), ("Carol Jacobs", "Executive officer")]),
    ("Bay Auto Repairs", "business", "businesses", 180, [("Themba Khoza", "Owner")]),
    ("Ocean Fisheries (Pty) Ltd", "business", "businesses", 120,
     [("Grace Mahlangu", "Operations")]),
    ("Thuto High School", "school", "schools", 60, [("Lerato Molefe", "Principal")]),
    ("Bayview Primary School", "school", "schools", 90,
     [("Anna Swart", "Principal"), ("Sibusiso Dube", "Caretaker")]),
    ("Masakhane Secondary School", "school", "schools", 90, [("Vusi Mabaso", "Principal")]),
    ("Little Stars Creche", "school", "schools", 120, [("Precious Nkosi", "Owner")]),
    ("Umzimvubu Technical College", "school", "schools", 90,
     [("Dr Farouk Ismail", "Campus manager")]),
    ("Siyakhula Early Learning Centre", "school", "schools", 120,
     [("Thandeka Mkhize", "Manager")]),
    ("Sea Point Combined School", "school", "schools", 90, [("Rudi Adams", "Deputy principal")]),
    ("Hillcrest Special School", "school", "schools", 60, [("Maria Fourie", "Principal")]),
    ("Ubuntu Bay Community Clinic", "department", "provincial-departments", 60,
     [("Sister Zanele Khumalo", "Operational manager")]),
    ("Bay District Hospital", "department", "provincial-departments", 60,
     [("Dr Ahmed Patel", "Clinical manager"), ("Joyce Radebe", "Facilities")]),
    ("Provincial Roads Depot", "department", "provincial-departments", 90,
     [("Sizwe Mthethwa", "Depot head")]),
    ("SAPS Ubuntu Bay", "department", "provincial-departments", 120,
     [("Captain Lindiwe Sithole", "Station commander")]),
    ("Municipal Fire and Rescue", "department", "municipal-departments", 90,
     [("Chief Bongani Zwane", "Chief fire officer")]),
    ("Municipal Libraries", "department", "municipal-departments", 120,
     [("Karen Louw", "Head of libraries")]),
    ("Ward 3 Residents' Association", "community", "community-organisations", 90,
     [("Thabo Moloi", "Chairperson")]),
    ("Bay Ratepayers' Association", "community", "community-organisations", 90,
     [("Hennie Smit", "Chairperson"), ("Fikile Ntuli", "Treasurer")]),
    ("Siyazenzela Women's Co-op", "community", "community-organisations", 120,
     [("Nosipho Gumede", "Coordinator")]),
    ("St Andrew's Church Food Kitchen", "community", "community-organisations", 180,
     [("Rev. Daniel Ferreira", "Minister")]),
    ("Ubuntu Bay Sports Council", "community", "community-organisations", 120,
     [("Kagiso Modise", "Secretary")]),
    ("Masiphumelele Burial Society", "community", "community-organisations", 180,
     [("Elias Maseko", "Chairperson")]),
]

VISIT_NOTES = [
    ("Walked the site with the manager; water pressure is good since the valve was replaced.",
     "Send the planned maintenance dates for the next quarter."),
    ("They raised the streetlights on the access road again.",
     "Log the lights as one case and report back weekly."),
    ("Quarterly check-in. Happy with refuse collection; unhappy with account queries.",
     "Arrange a meeting with the revenue office."),
    ("Discussed the new booking process for bulk services.", "Share the booking form."),
    ("Met the committee; they want earlier notice of planned water interruptions.",
     "Sign them up for ward alerts by email."),
    ("Short visit: nothing outstanding.", ""),
    ("Reviewed the two open cases with them; both on track.", "Call when the work is done."),
]

CORRECTIONS = [
    "Called the contact person, apologised, and had the crew sent the same day.",
    "Met the manager on site; agreed a fixed date and confirmed it in writing.",
    "Escalated to the depot head; the work was redone and checked with the client.",
]

VISITS_OVER_DAYS = 730
CASES_EVERY = 7  # one case of the account manager's office in seven joins a key client


@transaction.atomic
def key_clients_build(*, seed: int, until_day: datetime.date | None = None) -> dict[str, int]:
    """Create the demo's key clients and their records; returns counts by kind."""
    rng = random.Random(f"{seed}:key-clients")
    now = clock.now()
    today = until_day or now.astimezone(TZ).date()
    officer = Staff.objects.filter(user__username="officer").select_related("office").first()
    supervisor = Staff.objects.filter(user__username="supervisor").first()
    if officer is None or supervisor is None:
        return {}
    groups = {code: ClientGroup.objects.get_or_create(
        code=code, defaults={"name": name, "client_type": kind, "order": 10 + i})[0]
        for i, (code, (name, kind)) in enumerate(GROUPS.items())}
    others = list(Staff.objects.filter(role=Role.OFFICER, active=True, office__isnull=False)
                  .exclude(pk=officer.pk).order_by("pk"))
    rng.shuffle(others)
    # The demo officer manages six, the supervisor four, other officers the rest.
    managers = [officer] * 6 + [supervisor] * 4 + [others[i % len(others)] if others else officer
                                                   for i in range(len(CLIENTS) - 10)]
    rng.shuffle(managers)
    clients = KeyClient.objects.bulk_create([
        KeyClient(name=name, kind=kind, group=groups[group], account_manager=manager,
                  office_id=manager.office_id, visit_every_days=every,
                  created_at=now - datetime.timedelta(days=VISITS_OVER_DAYS + rng.randrange(30, 200)))
        for (name, kind, group, every, _people), manager in zip(CLIENTS, managers, strict=True)])
    persons = []
    for n, (client, (_name, _kind, _group, _every, people)) in enumerate(
            zip(clients, CLIENTS, strict=True)):
        for m, (person, role) in enumerate(people):
            handle = person.lower().replace(" ", ".").replace("'", "")
            persons.append(contact_person_keys(ContactPerson(
                key_client=client, name=person, role=role, phone=f"082 555 {2000 + 10 * n + m}",
                email=f"{handle}@example.org", survey_consent=rng.random() < 0.8)))
    ContactPerson.objects.bulk_create(persons)
    visits = _visits(rng, clients, today=today, now=now)
    links = _link_cases(rng, clients, today=today)
    signals = _signals(rng, clients, now=now)
    poor = _poor_rating(clients, officer=officer, now=now)
    return {"key clients": len(clients), "contact persons": len(persons), "visits": visits,
            "cases linked": links, "signals": signals + poor}


def _visits(rng, clients, *, today, now) -> int:
    rows = []
    for client in clients:
        day = today - datetime.timedelta(days=VISITS_OVER_DAYS - rng.randrange(0, 40))
        # A few clients are behind on their visits: the list shows them overdue.
        stop = today - datetime.timedelta(days=client.visit_every_days + 20
                                          if rng.random() < 0.2 else 0)
        while day <= stop:
            notes, actions = rng.choice(VISIT_NOTES)
            following = day + datetime.timedelta(days=client.visit_every_days)
            rows.append(Visit(key_client=client, visited_on=day, by=client.account_manager,
                              notes=notes, actions_agreed=actions, next_visit_on=following,
                              recorded_at=datetime.datetime.combine(day, datetime.time(16),
                                                                    tzinfo=TZ)))
            day = following + datetime.timedelta(days=rng.randrange(-10, 15))
    Visit.objects.bulk_create(rows)
    return len(rows)


def _link_cases(rng, clients, *, today) -> int:
    """Every seventh case of each account manager's office joins one of the
    office's key clients; four clients stopped bringing cases a year ago, so
    retention is not a flat 100 %."""
    by_office: dict[int, list[KeyClient]] = {}
    for client in clients:
        by_office.setdefault(client.office_id, []).append(client)
    lapsed = {c.pk for c in rng.sample(clients, 4)}
    year_ago = datetime.datetime.combine(today.replace(year=today.year - 1), datetime.time(),
                                         tzinfo=TZ)
    rows = []
    for office_id, members in by_office.items():
        cases = (Case.objects.filter(office_id=office_id, parent__isnull=True)
                 .order_by("pk").values_list("pk", "opened_at"))
        for i, (pk, opened_at) in enumerate(cases.iterator(chunk_size=20000)):
            if pk % CASES_EVERY:
                continue
            client = members[i % len(members)]
            if client.pk in lapsed and opened_at >= year_ago:
                continue
            rows.append(CaseClient(case_id=pk, group_id=client.group_id, key_client=client,
                                   source=CaseClient.Source.INTAKE))
    CaseClient.objects.bulk_create(rows, batch_size=5000, update_conflicts=True,
                                   unique_fields=["case"],
                                   update_fields=["group", "key_client", "source"])
    return len(rows)


def _signals(rng, clients, *, now) -> int:
    """Breaches on key clients' cases: the older ones with their corrective
    action, the latest few still open for the account manager."""
    breached = list(CaseClient.objects.filter(key_client__in=clients,
                                              case__resolve_breached_at__isnull=False)
                    .order_by("-case__resolve_breached_at")
                    .values_list("key_client_id", "case_id", "case__resolve_breached_at")[:400])
    by_client: dict[int, list] = {}
    for client_id, case_id, at in breached:
        by_client.setdefault(client_id, []).append((case_id, at))
    managers = {c.pk: c.account_manager for c in clients}
    rows = []
    for client_id, found in by_client.items():
        for n, (case_id, at) in enumerate(found[:3]):
            done = n > 0 or rng.random() < 0.4
            rows.append(Signal(
                key_client_id=client_id, case_id=case_id, kind=SignalKind.BREACH, at=at,
                corrective_action=rng.choice(CORRECTIONS) if done else "",
                recorded_by=managers[client_id] if done else None,
                recorded_at=min(now, at + datetime.timedelta(days=rng.randrange(1, 5)))
                if done else None))
    Signal.objects.bulk_create(rows)
    return len(rows)


def _poor_rating(clients, *, officer, now) -> int:
    """One citizen of the officer's first key client rated a resolved case
    poorly: the closed loop opens the follow-up and gives it to the officer."""
    mine = [c.pk for c in clients if c.account_manager_id == officer.pk]
    link = (CaseClient.objects.filter(key_client_id__in=mine, case__resolved_at__isnull=False,
                                      case__parent__isnull=True)
            .select_related("case").order_by("-case__resolved_at").first())
    instrument = Instrument.objects.filter(code="post-transaction").order_by("-version").first()
    if link is None or instrument is None:
        return 0
    case = link.case
    response = Response.objects.create(instrument=instrument, case=case, office=case.office,
                                       channel="sms", submitted_at=now)
    questions = list(instrument.questions.filter(type="scale5"))
    Answer.objects.bulk_create([Answer(response=response, question=q, driver=q.driver, number=1)
                                for q in questions])
    loop_close(response=response, answers=[Rated(question=q.code, type=q.type, driver=q.driver,
                                                 number=1) for q in questions])
    return 1
