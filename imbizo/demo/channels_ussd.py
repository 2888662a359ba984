"""The demo's USSD menu (*120*4629#) and what citizens did with it: cases
reported and contacts rated from basic phones, made through the channels'
own services so that they count as every USSD session does."""

import random

from django.db import transaction

from imbizo.catalogue.models import Channel, Service
from imbizo.catalogue.snapshot import catalogue_snapshot
from imbizo.channels.inbound import Inbound
from imbizo.channels.models import Gateway, GatewayKind
from imbizo.channels.services import case_open_from_channel, inbound_receive
from imbizo.channels.ussd import rating_record, service_options
from imbizo.channels.ussd_menu import menu_from
from imbizo.engagement.services import contact_record
from imbizo.geo.models import Ward
from imbizo.org.models import Role, Staff

# The menu as an administrator would keep it on the gateway: the services a
# caller picks from on a small screen, and the words in Afrikaans too (the
# Afrikaans wants a first-language reader's review before going live).
MENU = {
    "timeout_seconds": 180,
    "page_size": 6,
    "flows": ["report", "follow", "rate"],
    "services": [],
    "description_max": 120,
    "languages": ["en", "af"],
    "texts": {"af": {
        "main": "Wat wil u doen?",
        "report": "Meld 'n probleem aan",
        "follow": "Volg 'n verwysing",
        "rate": "Beoordeel ons laaste kontak",
        "service": "Watter diens?",
        "place": "U wyknommer, of 'n straat- of pleknaam:",
        "place_pick": "Watter plek?",
        "place_none": "Geen plek gevind nie. Probeer 'n wyknommer of 'n ander naam.",
        "description": "Beskryf die probleem in 'n paar woorde:",
        "confirm": "Meld {service} by {place} aan?",
        "yes": "Ja, stuur dit",
        "no": "Nee, kanselleer",
        "done": "Dankie. U verwysing is {reference}. {pledge}",
        "cancelled": "Niks is gestuur nie. Skakel weer enige tyd.",
        "reference": "Tik u verwysingsnommer:",
        "rate_none": "Ons het geen onlangse kontak met u gevind om te beoordeel nie. Dankie.",
        "rate_scale": "1 = baie swak, 5 = baie goed",
        "rate_done": "Dankie dat u ons beoordeel het. U antwoorde help ons om u beter te dien.",
        "more": "Meer",
        "back": "Terug",
        "bad_choice": "Kies 'n nommer uit die lys.",
        "bad_text": "Tik asseblief 'n paar woorde.",
        "too_long": "Te lank: hoogstens {max} karakters.",
        "bad_number": "Tik 'n nommer.",
        "bad_scale": "Antwoord met 'n nommer van 1 tot 5.",
        "none_offered": "Hier kan nog geen diens aangemeld word nie. Bel ons asseblief.",
        "failed": "Jammer, ons kon dit nie nou doen nie. Probeer later weer.",
    }},
}

PHRASES = ("since Monday", "for two weeks now", "it is getting worse", "near the school",
           "outside the clinic", "by the taxi rank", "third time this month", "please come soon")


def ussd_build(*, seed: int, cases: int = 100, rated: int = 80) -> dict[str, int]:
    """The USSD gateway's menu, then `cases` reports made from basic phones
    and `rated` of their citizens rating the officer who called them back,
    all through the channels' services (contacts on channel ussd, survey
    responses on channel ussd)."""
    rng = random.Random(seed + 18)
    gateway = Gateway.objects.filter(kind=GatewayKind.USSD, slug="africastalking").first()
    if gateway is None:
        gateway = Gateway(kind=GatewayKind.USSD, slug="africastalking", adapter="africastalking")
        gateway.secret_set("demo")
    menu = dict(MENU)
    # Problems at a spot first (leaks, potholes): what callers report most.
    place_first = set(Service.objects.filter(needs_place=True).values_list("code", flat=True))
    offered = sorted(service_options(menu_from(menu)), key=lambda s: s.code not in place_first)
    menu["services"] = [s.code for s in offered[:12]]
    gateway.settings = {**(gateway.settings or {}), "menu": menu}
    gateway.save()
    services = offered[:12]
    wards = list(Ward.objects.order_by("code"))
    officers = {}
    for staff in Staff.objects.filter(role=Role.OFFICER, active=True).order_by("pk"):
        officers.setdefault(staff.office_id, staff)
    made = ratings = 0
    for n in range(cases if services and wards else 0):
        option = rng.choice(services)
        ward = rng.choice(wards)
        phone = f"+2772{rng.randrange(10**7):07d}"
        attributes = {q.code: (q.choices[0][0] if q.choices else "1" if q.numeric else "At home")
                      for q in option.questions}
        description = f"{option.name} in {ward.name}, {rng.choice(PHRASES)}"[:120]
        with transaction.atomic():
            message, _new = inbound_receive(gateway=gateway, inbound=Inbound(
                provider_id=f"ATUid_demo_{seed}_{n}:report", sender=phone, text=description))
            case = case_open_from_channel(
                channel=Channel.USSD, sender=phone, service=catalogue_snapshot().services[
                    option.code], description=description, ward=ward, attributes=attributes,
                idempotency_key=f"ussd:demo:{seed}:{n}", message=message)
        made += 1
        officer = officers.get(case.office_id)
        if ratings >= rated or officer is None:
            continue
        with transaction.atomic():
            contact_record(channel=Channel.HOTLINE, staff=officer, office=case.office, case=case,
                           identifier=phone, outcome="Called the citizen back")
            answers = {code: str(rng.choice((2, 3, 4, 4, 5, 5)))
                       for code in ("concern", "friendliness", "civility", "overall")}
            rating, _new = inbound_receive(gateway=gateway, inbound=Inbound(
                provider_id=f"ATUid_demo_{seed}_{n}:rate", sender=phone,
                text=" ".join(answers.values())))
            if rating_record(gateway=gateway, address=phone, answers=answers, message=rating):
                ratings += 1
    return {"USSD cases": made, "USSD ratings": ratings}
