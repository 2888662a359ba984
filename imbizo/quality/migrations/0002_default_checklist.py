"""The default unannounced-visit checklist and the remedies offered in learning
stories, as data (editable in the admin)."""

from django.db import migrations

ACCESS, INFO, STANDARDS, COURTESY = "access", "information", "service_standards", "courtesy"
OPEN, REDRESS, VALUE, IMPACT = "openness", "redress", "value_for_money", "customer_impact"

CHECKLIST = [
    ("Location and access", [
        ("The office is easy to find: signposted from the street, with directions given "
         "by phone and online.", ACCESS),
        ("A person in a wheelchair, with a pram or a walking aid can get in and reach the "
         "counter.", ACCESS),
        ("Public transport or parking is close by and the way in is safe and clear.", ACCESS),
    ]),
    ("Visibility and signage", [
        ("The office's name and the services it offers are shown outside and inside.", INFO),
        ("The service charter (what each service promises, and how to complain) is on display "
         "where visitors can read it.", STANDARDS),
        ("Staff wear name badges, or each counter shows who is serving.", OPEN),
    ]),
    ("Opening hours kept", [
        ("The opening hours are shown at the entrance and match what is published.", INFO),
        ("The doors opened on time and the counters were staffed for the hours shown.",
         STANDARDS),
        ("Breaks are staggered so that counters stay open over lunch.", ACCESS),
    ]),
    ("Dignified treatment", [
        ("Visitors are greeted and served with courtesy, patience and respect.", COURTESY),
        ("Staff show concern when people wait, and explain what happens next.", COURTESY),
        ("A private matter can be discussed without being overheard.", COURTESY),
    ]),
    ("Cleanliness and comfort", [
        ("The waiting area, counters and toilets are clean and in working order.", IMPACT),
        ("There is enough seating, shelter from sun and rain, and drinking water.", IMPACT),
    ]),
    ("Safety", [
        ("Emergency exits are marked and clear; fire equipment is in date.", ""),
        ("Visitors, including those queueing outside, are and feel safe.", ""),
    ]),
    ("Availability and speed of service", [
        ("Forms and leaflets are at hand, in the languages people in the area speak.", INFO),
        ("The wait before being served was reasonable (write down the minutes).", STANDARDS),
        ("The matter was settled in one visit, or the next step and its date were made "
         "clear.", STANDARDS),
        ("Systems were working, or another way was offered when they were not.", VALUE),
    ]),
    ("Complaints handling", [
        ("Visitors are told how to complain or compliment; forms or the feedback QR code are "
         "at hand.", REDRESS),
        ("A complaint made at the counter is written down and given a reference number.",
         REDRESS),
        ("A supervisor comes when a visitor asks for one.", REDRESS),
    ]),
]

GUIDANCE = "1: poor, clearly below what a citizen may expect. 4: excellent, nothing to improve."

STRATEGIES = [
    ("keep-informed", "Keep the citizen informed: what happens next, and by when"),
    ("set-standard", "Set and publish a clear standard for the service"),
    ("courtesy", "Coach staff in courtesy, concern and patience"),
    ("access", "Improve access: hours, place, channels or languages"),
    ("consult", "Ask the citizens concerned what they need"),
    ("redress", "Apologise, put it right and offer redress quickly"),
    ("fix-process", "Fix the process: remove hand-offs and repeat visits"),
    ("openness", "Be open: explain decisions, costs and who is responsible"),
    ("supervise", "Supervisor follows up and holds the team to the standard"),
]


def create(apps, schema_editor):
    Checklist = apps.get_model("quality", "Checklist")
    ChecklistItem = apps.get_model("quality", "ChecklistItem")
    Strategy = apps.get_model("quality", "Strategy")
    if not Checklist.objects.filter(code="default").exists():
        checklist = Checklist.objects.create(
            code="default", name="Unannounced visit",
            description="What a citizen notices at a service point, from the street to the "
                        "counter and the complaints box.")
        order = 0
        items = []
        for area, entries in CHECKLIST:
            for text, principle in entries:
                order += 1
                items.append(ChecklistItem(checklist=checklist, order=order, area=area, text=text,
                                           principle=principle, guidance=GUIDANCE))
        ChecklistItem.objects.bulk_create(items)
    for order, (code, name) in enumerate(STRATEGIES, start=1):
        Strategy.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
