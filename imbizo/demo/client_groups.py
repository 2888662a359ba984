"""Demo client groups: who the municipality serves, what each group judges it
by, its measures, the services x groups matrix, the groups' cases, and five
or six past quarterly reviews with key clients' suggestions and the quality
actions they became.

Households and other municipal departments are the default groups of their
client type, so most cases need no link; a slice of the history is linked to
businesses, schools, community organisations and provincial departments by
service (a business asks for a connection or a licence, a school reports the
pothole outside its gate). Rows are written in bulk; the reviews' figures are
computed from the history by clients.measures, one query per measure.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from imbizo.cases.models import Case, ClientType, Principle
from imbizo.catalogue.models import Service
from imbizo.clients.group_models import (
    Better,
    Criterion,
    Measure,
    MeasureSource,
    Review,
    ReviewFigure,
    ReviewStatus,
    ServiceBenefit,
    Suggestion,
)
from imbizo.clients.measures import Quarter, measure_figures_by_quarter, rate
from imbizo.clients.models import CaseClient, ClientGroup, KeyClient
from imbizo.core import clock
from imbizo.org.models import Staff
from imbizo.quality.figures import DIRECTION, Metric
from imbizo.quality.models import Action, ActionSource, ActionStatus

TZ = "Africa/Johannesburg"
EXT, INT = ClientType.EXTERNAL, ClientType.INTERNAL

# code, name, type, default, who they are, what they expect
GROUPS = (
    ("households", "Households", EXT, True,
     "Residents who pay for and use water, electricity, refuse removal and roads at home.",
     "Services that work, problems fixed when we say, and a clear answer when they call."),
    ("businesses", "Businesses", EXT, False,
     "Shops, factories and offices, from spaza shops to the industrial park.",
     "Connections and licences on time, accounts that are right, no surprises in supply."),
    ("schools", "Schools and creches", EXT, False,
     "Public schools and registered early childhood centres.",
     "Safe roads and water at the gate, quick help when a child's safety is at stake."),
    ("community-organisations", "Ratepayers' and community organisations", EXT, False,
     "Ratepayers' associations, ward forums, churches and residents' groups.",
     "A say in plans that affect their area and straight answers at meetings."),
    ("municipal-departments", "Other municipal departments", INT, True,
     "Colleagues in the municipality who rely on another department's service.",
     "Work orders taken up quickly and a single point of contact."),
    ("provincial-departments", "Provincial departments", INT, False,
     "Provincial education, health and human settlements, working in the municipality.",
     "Joint plans kept, and information shared in time for their own reports."),
)

CRITERIA = (
    ("timeliness", "Timeliness", "Done within the time promised.",
     ("households", "businesses", "schools", "municipal-departments", "provincial-departments")),
    ("cost", "Cost", "Fair charges and accounts that are right.",
     ("households", "businesses")),
    ("participation", "Participation in decisions", "Consulted before plans that affect them.",
     ("community-organisations", "schools", "provincial-departments")),
    ("courtesy", "Courtesy", "Treated with respect by every member of staff.",
     ("households", "businesses", "schools", "community-organisations")),
    ("information", "Information", "Told what is happening, and when.",
     ("households", "businesses", "community-organisations", "municipal-departments",
      "provincial-departments")),
)

# group -> [(criterion, name, source, target, better, extra)]
MEASURES = {
    "households": [
        ("timeliness", "Cases resolved within the standard", MeasureSource.COMPLIANCE, 85,
         Better.HIGHER, {}),
        ("timeliness", "Hours to the first response (median)", MeasureSource.FIRST_RESPONSE, 24,
         Better.LOWER, {}),
        ("courtesy", "Satisfaction with the contact", MeasureSource.SURVEY, 4.0, Better.HIGHER,
         {"instrument_code": "after-contact", "question_code": "overall"}),
        ("cost", "Account queries resolved first time (%)", MeasureSource.MANUAL, 70,
         Better.HIGHER, {}),
    ],
    "businesses": [
        ("timeliness", "Cases resolved within the standard", MeasureSource.COMPLIANCE, 90,
         Better.HIGHER, {}),
        ("timeliness", "Hours to resolution (median)", MeasureSource.RESOLUTION, 168,
         Better.LOWER, {}),
        ("courtesy", "Courtesy and respect", MeasureSource.SURVEY, 4.2, Better.HIGHER,
         {"instrument_code": "after-contact", "question_code": "civility"}),
        ("cost", "Disputed accounts per 100 business accounts", MeasureSource.MANUAL, 3,
         Better.LOWER, {}),
    ],
    "schools": [
        ("timeliness", "Cases resolved within the standard", MeasureSource.COMPLIANCE, 90,
         Better.HIGHER, {}),
        ("timeliness", "Hours to the first response (median)", MeasureSource.FIRST_RESPONSE, 18,
         Better.LOWER, {}),
        ("courtesy", "Concern shown", MeasureSource.SURVEY, 4.0, Better.HIGHER,
         {"instrument_code": "after-contact", "question_code": "concern"}),
    ],
    "community-organisations": [
        ("participation", "Forums held with the organisations (per quarter)",
         MeasureSource.MANUAL, 3, Better.HIGHER, {}),
        ("information", "Satisfaction with the contact", MeasureSource.SURVEY, 3.8,
         Better.HIGHER, {"instrument_code": "after-contact", "question_code": "overall"}),
        ("information", "Cases resolved within the standard", MeasureSource.COMPLIANCE, 80,
         Better.HIGHER, {}),
    ],
    "municipal-departments": [
        ("timeliness", "Hours to the first response (median)", MeasureSource.FIRST_RESPONSE, 16,
         Better.LOWER, {}),
        ("timeliness", "Cases resolved within the standard", MeasureSource.COMPLIANCE, 85,
         Better.HIGHER, {}),
    ],
    "provincial-departments": [
        ("participation", "Joint planning meetings held", MeasureSource.MANUAL, 1, Better.HIGHER,
         {}),
        ("timeliness", "Hours to resolution (median)", MeasureSource.RESOLUTION, 120,
         Better.LOWER, {}),
    ],
}

# Which services' cases a group's clients plausibly raise, and one case in `every` of them.
LINKS = {
    "businesses": (("electricity-connection", "business-licence", "water-meter",
                    "account-query", "power-outage", "informal-trading"), 4),
    "schools": (("pothole", "stormwater-drain", "water-leak", "toilet-facility",
                 "ecd-registration", "traffic-signal"), 9),
    "community-organisations": (("illegal-dumping", "missed-bin", "streetlight-out",
                                 "informal-settlement", "noise-nuisance"), 6),
}
INTERNAL_EVERY = 40  # one case in 40 is a department's; one in two of those provincial

BENEFITS = {
    "households": {
        "water-leak": "Water kept in the pipes and off the street, and bills that stay fair.",
        "no-water": "Taps running again, with a tanker when it takes longer.",
        "power-outage": "Power back at home, with updates until it is.",
        "missed-bin": "A clean yard and street every week.",
        "pothole": "Safer roads for the family car and taxi.",
        "account-query": "An account that is right, explained in plain words.",
        "indigent-registration": "Free basic water and electricity for those who qualify.",
        "housing-application": "A fair place on the housing list and news of progress.",
    },
    "businesses": {
        "electricity-connection": "Supply agreed to the business's load and opening date.",
        "business-licence": "Trading legally, with the licence on the day agreed.",
        "power-outage": "Less downtime and lost stock.",
        "water-leak": "Water supply kept steady for production.",
        "account-query": "Correct accounts and one person to call.",
        "informal-trading": "A permitted stand in a safe, serviced place.",
    },
    "schools": {
        "pothole": "Safe roads for learners and scholar transport.",
        "water-leak": "Water at school so that it does not close early.",
        "toilet-facility": "Working toilets: dignity and health for learners.",
        "ecd-registration": "A registered centre that can receive subsidies.",
        "traffic-signal": "Safe crossings at the school gate.",
    },
    "community-organisations": {
        "illegal-dumping": "Open spaces cleared and kept clean.",
        "missed-bin": "A clean neighbourhood.",
        "streetlight-out": "Lit streets and safer walks home.",
        "informal-settlement": "Basic services while people wait for housing.",
    },
    "municipal-departments": {
        "streetlight-out": "Lights fixed in time for the ward councillor's walkabout.",
        "water-leak": "Leaks fixed before they damage roads and buildings.",
        "account-query": "Accounts for municipal buildings that are right.",
    },
    "provincial-departments": {
        "toilet-facility": "Sanitation at schools and clinics they run.",
        "water-leak": "Water at clinics and schools.",
        "housing-application": "Beneficiary lists agreed in time for housing projects.",
    },
}

SUGGESTIONS = {
    EXT: ("Send an SMS when the water will be back, not only when it is off.",
          "Open the walk-in centre on Saturday mornings.",
          "Give one reference number for the whole problem, not one per call.",
          "Tell us who is responsible for the work in our street.",
          "Let us pay the account in the same visit as the query.",
          "Call back when the case is closed to check that it is fixed.",
          "Publish the refuse collection days for every ward.",
          "Put the pothole crews' weekly plan on the website."),
    INT: ("Give us one contact person per department for work orders.",
          "Share the monthly backlog before the joint meeting, not at it.",
          "Agree response times for internal requests in writing.",
          "Copy us in when a case of ours is reassigned."),
}

DAY = datetime.timedelta(days=1)
QUARTERS = 6


def _held_on(quarter: Quarter, rng) -> datetime.date:
    return quarter.next.first_day + datetime.timedelta(days=rng.randrange(7, 21))


@transaction.atomic
def client_groups_build(*, seed: int, until_day: datetime.date | None = None) -> dict[str, int]:
    """Create the client groups' demo rows; returns counts by kind."""
    rng = random.Random(f"{seed}:client-groups")
    now = clock.now() if until_day is None else datetime.datetime.combine(
        until_day, datetime.time(17, 0), tzinfo=ZoneInfo(TZ))
    today = now.astimezone(ZoneInfo(TZ)).date()
    supervisor = Staff.objects.select_related("office").filter(
        user__username="supervisor").first()
    manager = Staff.objects.filter(user__username="manager").first()
    if supervisor is None or manager is None:
        return {}

    groups = {}
    for order, (code, name, kind, default, description, expectations) in enumerate(GROUPS):
        groups[code] = ClientGroup.objects.update_or_create(code=code, defaults={
            "name": name, "client_type": kind, "default_for_type": default, "order": order,
            "description": description, "expectations": expectations})[0]
    for order, (code, name, description, members) in enumerate(CRITERIA):
        criterion = Criterion.objects.update_or_create(code=code, defaults={
            "name": name, "description": description, "order": order})[0]
        criterion.groups.set([groups[m] for m in members])
    criteria = {c.code: c for c in Criterion.objects.all()}
    Measure.objects.bulk_create([
        Measure(group=groups[code], criterion=criteria[crit], name=name, source=source,
                target=target, better=better, order=i, **extra)
        for code, rows in MEASURES.items()
        for i, (crit, name, source, target, better, extra) in enumerate(rows)])

    services = dict(Service.objects.values_list("code", "pk"))
    ServiceBenefit.objects.bulk_create([
        ServiceBenefit(service_id=services[s], group=groups[g], benefit=text)
        for g, cells in BENEFITS.items() for s, text in cells.items() if s in services])

    links = _link_cases(groups, services)

    # Reviews: the last six quarters before this one; the households' latest is still
    # being prepared (its suggestions wait to be chosen), the others are held.
    last = Quarter.of(today).previous
    quarters = last.last(QUARTERS)
    key_clients: dict[int, list] = {}
    for key_client in KeyClient.objects.filter(active=True).order_by("pk"):
        key_clients.setdefault(key_client.group_id, []).append(key_client)
    reviews, figures, suggestions = [], [], []
    measures = list(Measure.objects.select_related("group").order_by("group_id", "order"))
    computed = {m.pk: measure_figures_by_quarter(m, quarters, tz_name=TZ) for m in measures}
    for group in groups.values():
        for quarter in quarters:
            draft = group.code == "households" and quarter == last
            held_on = _held_on(quarter, rng)
            if held_on > today:
                held_on = today
            reviews.append(Review(
                group=group, year=quarter.year, quarter=quarter.quarter,
                status=ReviewStatus.DRAFT if draft else ReviewStatus.HELD,
                created_by=supervisor, created_at=datetime.datetime.combine(
                    quarter.next.first_day, datetime.time(9), tzinfo=ZoneInfo(TZ)),
                held_on=None if draft else held_on, held_by=None if draft else manager,
                notes="" if draft else "Met the group's representatives at the civic centre."))
    Review.objects.bulk_create(reviews)
    reviews = list(Review.objects.filter(group__in=groups.values()).select_related("group"))
    for review in reviews:
        quarter = Quarter(review.year, review.quarter)
        pool = SUGGESTIONS[review.group.client_type]
        for text in rng.sample(pool, k=min(len(pool), rng.choice((3, 4)))):
            members = key_clients.get(review.group_id) or [None]
            suggestions.append(Suggestion(
                review=review, text=text, key_client=rng.choice(members),
                recorded_by=supervisor, recorded_at=review.created_at + DAY))
        if not review.is_held:
            continue
        for measure in (m for m in measures if m.group_id == review.group_id):
            if measure.source == MeasureSource.MANUAL:
                value = measure.target * rng.uniform(0.7, 1.25)
                # Counts of meetings are whole numbers; shares keep one decimal.
                value = float(round(value)) if measure.target < 10 else round(value, 1)
                count = 1
            else:
                found = computed[measure.pk][quarter]
                value, count = found.value, found.count
            figures.append(ReviewFigure(
                review=review, measure=measure, value=value, count=count, target=measure.target,
                rating=rate(value, target=measure.target, better=measure.better,
                            tolerance=measure.tolerance)))
    ReviewFigure.objects.bulk_create(figures)
    Suggestion.objects.bulk_create(suggestions)
    actions = _actions(rng, reviews, supervisor=supervisor, manager=manager, today=today)
    return {"client groups": len(groups), "measures": len(measures),
            "service benefits": ServiceBenefit.objects.count(), "cases linked": links,
            "quarterly reviews": len(reviews), "suggestions": len(suggestions),
            "actions from reviews": actions}


def _link_cases(groups, services) -> int:
    """Link a slice of the history to the non-default groups, set-based."""
    by_service = {}
    for pk, service_id in Case.objects.values_list("pk", "service_id").iterator(chunk_size=20000):
        by_service.setdefault(service_id, []).append(pk)
    rows, internal = [], []
    taken = set()
    for code, (codes, every) in LINKS.items():
        for service_code in codes:
            for pk in by_service.get(services.get(service_code), ()):
                if pk % every == 1 and pk not in taken:
                    taken.add(pk)
                    rows.append(CaseClient(case_id=pk, group=groups[code],
                                           source=CaseClient.Source.INTAKE))
    for ids in by_service.values():
        for pk in ids:
            if pk % INTERNAL_EVERY == 0 and pk not in taken:
                internal.append(pk)
                if pk % (2 * INTERNAL_EVERY) == 0:
                    rows.append(CaseClient(case_id=pk, group=groups["provincial-departments"],
                                           source=CaseClient.Source.INTAKE))
    for start in range(0, len(internal), 5000):
        Case.objects.filter(pk__in=internal[start:start + 5000]).update(client_type=INT)
    CaseClient.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows) + len(internal)


def _actions(rng, reviews, *, supervisor, manager, today) -> int:
    """Two suggestions of each held review (and the draft's none yet) become actions:
    closed and judged for reviews more than two quarters old, open for the others."""
    made = 0
    recent = Quarter.of(today).previous.previous
    for review in reviews:
        if not review.is_held:
            continue
        quarter = Quarter(review.year, review.quarter)
        chosen = list(review.suggestions.order_by("pk")[:2])
        for suggestion in chosen:
            at = datetime.datetime.combine(review.held_on, datetime.time(11),
                                           tzinfo=ZoneInfo(TZ))
            due = review.held_on + datetime.timedelta(days=60)
            metric = rng.choice((Metric.SHARE_RESOLVED_IN_TIME, Metric.RATING_OVERALL))
            closed = quarter < recent and due < today
            before = 71.0 if metric == Metric.SHARE_RESOLVED_IN_TIME else 3.4
            after = before + (rng.uniform(2, 9) if metric == Metric.SHARE_RESOLVED_IN_TIME
                              else rng.uniform(0.1, 0.5))
            owner = supervisor if made % 2 else manager
            action = Action.objects.create(
                title=suggestion.text, source=ActionSource.CLIENT_REVIEW,
                detail=f"Suggested at the {quarter.label} review of {review.group.name}.",
                owner=owner, created_by=manager, created_at=at, due_on=due,
                principle=rng.choice((Principle.INFORMATION, Principle.SERVICE_STANDARDS,
                                      Principle.ACCESS, Principle.COURTESY)),
                metric=metric, direction=DIRECTION[Metric(metric)], office=supervisor.office,
                window_days=60,
                status=ActionStatus.EFFECTIVE if closed else ActionStatus.OPEN,
                closed_at=at + datetime.timedelta(days=90) if closed else None,
                closed_by=manager if closed else None,
                closing_note="Done; the figure moved the right way." if closed else "",
                before_since=at - datetime.timedelta(days=60) if closed else None,
                before_until=at if closed else None,
                before_value=round(before, 2) if closed else None,
                before_count=140 if closed else None,
                after_since=at + datetime.timedelta(days=60) if closed else None,
                after_until=at + datetime.timedelta(days=90) if closed else None,
                after_value=round(after, 2) if closed else None,
                after_count=90 if closed else None)
            suggestion.chosen = True
            suggestion.action = action
            suggestion.save(update_fields=["chosen", "action"])
            made += 1
    return made
