# ruff: noqa: E501 - one phrasing per string reads better than wrapped data
"""How the demo's citizens describe their problems, so triage has words to learn
from: several phrasings per service, in English, other official languages and
code-switched English, with typos; a share of cases carries a complaint about
how the municipality behaved, and staff tagged most of those with a Batho Pele
principle (cases.Case.principles).

Not the evaluation set: tests/fixtures/triage/descriptions.csv is written
separately, by hand, in other words.
"""

import random

PHRASES = {
    "water-leak": ("Water pouring out of the ground next to the meter.", "Burst pipe flooding the road.",
                   "Pipe leaking on the corner for two days, clean water wasted.",
                   "Big leak under the pavement, water running down the street.",
                   "Amanzi ayachitheka epayipini emgwaqweni.", "Pyp gebars, water loop in die straat.",
                   "Water leak by the hydrant, it's spraying everywhere."),
    "no-water": ("No water since this morning.", "Our taps are dry since yesterday.",
                 "No water in the whole section, ext 5.", "Akukho manzi kusukela izolo.",
                 "Ga go na metsi mo kgaolong ya rona.", "Geen water in ons straat nie.",
                 "Taps dry again, no water supply since Friday eish."),
    "water-quality": ("The water from the tap is brown.", "Water smells bad and tastes funny.",
                      "Dirty water coming out of the taps, kids got sick.",
                      "Amanzi angcolile, anombala onsundu.", "Die water is bruin en stink.",
                      "Discoloured water for a week, is it safe to drink?"),
    "water-meter": ("My water meter is broken and spinning.", "Water meter reading is wrong on my bill.",
                    "Meter leaking and the glass is cracked.", "Ngicela ukuhlolwa kwemitha yamanzi.",
                    "Watermeter lees verkeerd, rekening te hoog.", "Estimated reading again, nobody reads the meter."),
    "sewer-blockage": ("Sewage running in the street.", "Manhole overflowing behind the shops.",
                       "Sewer blocked, toilet won't flush and it smells.",
                       "Sewerage pipe blocked, dirty water coming up in the yard.",
                       "Indle igcwele emgwaqweni.", "Riool loop oor by die mangat.",
                       "Manhole cover off and sewage spilling out."),
    "toilet-facility": ("The communal toilet is broken.", "Chemical toilets not cleaned for weeks.",
                        "Public toilet door broken and no water to flush.",
                        "Izindlu zangasese zomphakathi azihlanzwa.", "Toilets in the settlement are full."),
    "power-outage": ("Whole street without power since last night.", "No electricity in the area since 4pm.",
                     "Power out, the whole block is dark.", "Akukho gesi kusukela izolo ebusuku.",
                     "Ga go na motlakase mo motseng.", "Krag is af in ons hele straat.",
                     "Lights are out, not load shedding, no power for hours."),
    "streetlight-out": ("Streetlight off for a week.", "The street lamp outside number 12 is not working.",
                        "Street lights on the main road are all out, dangerous at night.",
                        "Isibani sasemgwaqweni asisebenzi.", "Straatlig werk nie, dis donker.",
                        "Streetlight flickering on and off every night."),
    "prepaid-fault": ("Prepaid meter rejects my token.", "Bought electricity but the token won't load.",
                      "Prepaid meter says error, no power now.", "Ithokheni kagesi ayingeni.",
                      "Kragmeter aanvaar nie die kode nie.", "Token rejected twice, meter beeping."),
    "electricity-connection": ("I need a new electricity connection for my house.",
                               "Applying for power to our new house.", "How do I get electricity connected?",
                               "Ngidinga ugesi endlini yami entsha.", "Nuwe kragaansluiting vir my huis asseblief."),
    "illegal-connection": ("Illegal connections on the pole, izinyoka everywhere.",
                           "Neighbours stealing electricity with wires across the road.",
                           "Illegal connection cables lying on the ground.",
                           "Onwettige kragaansluitings by die paal.", "Abantu bantshontsha ugesi ngezintambo."),
    "pothole": ("Deep pothole in the left lane.", "Huge pothole damaged my tyre.",
                "Potholes all over the road near the school.", "Umgodi omkhulu emgwaqweni.",
                "Slaggat in die pad, baie gevaarlik.", "Pot hole getting bigger every day on main rd.",
                "Road full of holes, the tar is broken."),
    "traffic-signal": ("Traffic light stuck on red.", "Robot not working at the intersection.",
                       "Traffic lights flashing, cars don't know who goes.", "Irobothi alisebenzi.",
                       "Verkeerslig is buite werking by die kruising.", "Robots out on the main road again."),
    "stormwater-drain": ("Drain blocked, water over the road.", "Stormwater drain full of rubbish.",
                         "Rain water not draining, the road becomes a river.",
                         "Umsele wamanzi emvula uvalekile.", "Stormwaterdrein is verstop.",
                         "Storm drain grid missing and blocked with sand."),
    "road-marking": ("The stop sign has been knocked down.", "Road markings faded, no lines on the road.",
                     "Street name sign missing.", "Stopteken is weg by die hoek.",
                     "Zebra crossing paint gone near the school."),
    "sidewalk-repair": ("Pavement broken, people trip.", "Sidewalk cracked and lifted by tree roots.",
                        "Paving stones missing on the footpath.", "Sypaadjie is stukkend.",
                        "Indlela yabahamba ngezinyawo yonakele."),
    "missed-bin": ("Bins not collected on Tuesday.", "Refuse not collected for two weeks.",
                   "Garbage truck skipped our street.", "Udoti awuthathwanga.",
                   "Vullis is nie verwyder nie.", "Rubbish bags piling up, no collection this week."),
    "illegal-dumping": ("Rubble dumped on the open field.", "People dumping rubbish next to the river.",
                        "Builders dumped bricks and sand on the corner.", "Abantu balahla udoti endaweni evulekile.",
                        "Onwettige storting langs die pad.", "Illegal dump site growing behind the clinic."),
    "new-bin": ("My wheelie bin was stolen.", "I need a new refuse bin.", "Bin broken, the wheels came off.",
                "Ngidinga umgqomo omusha kadoti.", "My vullisblik is gesteel."),
    "dead-animal": ("Dead dog on the road.", "Dead cow lying next to the bridge, smelling.",
                    "Carcass of a cat in the street.", "Inja efile emgwaqweni.", "Dooie hond in die straat."),
    "garden-refuse": ("The garden refuse site is closed.", "Green waste site full, cannot drop branches.",
                      "Garden site gate locked during opening hours.", "Tuinafvalterrein is gesluit."),
    "housing-application": ("I want to apply for an RDP house.", "How do I apply for a housing subsidy?",
                            "Application for a government house.", "Ngifuna ukufaka isicelo sendlu.",
                            "Aansoek vir 'n subsidiehuis."),
    "housing-list": ("Where am I on the housing waiting list?", "Registered in 2009, still waiting for a house.",
                     "Check my status on the housing list please.", "Ngisalindile ohlwini lwezindlu.",
                     "Waar is ek op die behuisingslys?"),
    "housing-defect": ("Cracks in the walls of my RDP house.", "Roof of the new house leaking.",
                       "Subsidised house built badly, walls cracking.", "Indlu ye-RDP inemifantu.",
                       "Dak van my huis lek."),
    "informal-settlement": ("No toilets or taps in the informal settlement.",
                            "Shacks need water and lights in our settlement.",
                            "Informal settlement has no services.", "Imijondolo ayinawo amanzi.",
                            "Plakkerskamp het geen dienste nie."),
    "indigent-registration": ("I want to register as indigent.", "Pensioner, cannot afford rates, need indigent support.",
                              "How to apply for free basic services?", "Ngifuna ukubhaliswa njengompofu.",
                              "Registrasie vir deernis ondersteuning."),
    "food-relief": ("We have no food at home.", "Family needs a food parcel.",
                    "Children hungry, please help with food.", "Asinakho ukudla ekhaya.",
                    "Ons het geen kos nie."),
    "ecd-registration": ("Register my creche with the municipality.", "How to register an early childhood centre?",
                         "Daycare registration forms.", "Ukubhalisa inkulisa.", "Registrasie van my kleuterskool."),
    "vulnerable-person": ("Old lady living alone needs help.", "Child living on the street needs care.",
                          "Disabled neighbour has nobody to look after him.", "Ugogo uhlala yedwa udinga usizo.",
                          "Ou man alleen, het hulp nodig."),
    "clinic-complaint": ("Waited the whole day at the clinic.", "Nurses at the clinic were rude.",
                         "Clinic closed early, we were sent home.", "Esibhedlela sesifundazwe silindile usuku lonke.",
                         "Kliniek tou is te lank."),
    "clinic-medicine": ("The clinic has no medicine.", "No ARVs at the clinic this month.",
                        "Out of stock, told to come back next week for pills.", "Akukho mithi emtholampilo.",
                        "Kliniek het nie medisyne nie."),
    "food-safety": ("Restaurant kitchen is dirty.", "Bought rotten meat at the butchery.",
                    "Food sold past expiry date at the spaza.", "Ukudla okubolile esitolo.",
                    "Vuil kombuis by die restaurant."),
    "pest-control": ("Rats in the park.", "Cockroaches and rats at the taxi rank.",
                     "Rat infestation in the public toilets.", "Amagundane amaningi epaki.",
                     "Rotte by die mark."),
    "noise-nuisance": ("Loud music from the tavern every night.", "Factory smoke making us cough.",
                       "Noise from the church until 2am.", "Umsindo omkhulu wotshwala.",
                       "Harde musiek by die kroeg."),
    "drivers-licence": ("My driving licence expires next month.", "Renew driver's licence card.",
                        "Licence card not ready after 3 months.", "Ukuvuselela ilayisense yokushayela.",
                        "Hernu my bestuurslisensie."),
    "learners-booking": ("Book a learner's test.", "No dates for the driving test booking.",
                         "How to book for K53?", "Ngifuna ukubhukha ukuhlolwa kwelayisense.",
                         "Bespreek leerlinglisensietoets."),
    "vehicle-registration": ("Renew my licence disc.", "Register a car I bought.",
                             "Vehicle licence disc expired.", "Ukubhalisa imoto.", "Lisensieskyf hernu."),
    "business-licence": ("Apply for a business licence for my shop.", "Trading licence for a tavern.",
                         "Business licence renewal.", "Ilayisense yebhizinisi.", "Besigheidslisensie aansoek."),
    "informal-trading": ("Permit to sell fruit on the street.", "Informal trader permit for the taxi rank.",
                         "Street vendor permit renewal.", "Imvume yokudayisa emgwaqweni.",
                         "Permit vir straatsmous."),
    "account-query": ("My rates account is wrong.", "Municipal bill too high this month.",
                      "Charged twice on my account.", "I-akhawunti yami ye-municipality inephutha.",
                      "Munisipale rekening is verkeerd."),
    "staff-conduct": ("The official at the counter shouted at me.", "Staff member asked for a bribe.",
                      "Rude security guard at the office.", "Isisebenzi besinenhlamba.",
                      "Amptenaar was onbeskof."),
    "compliment": ("Thank you for fixing the leak so fast.", "Great service from the team today.",
                   "The lady at the desk was very helpful.", "Ngiyabonga ngosizo.",
                   "Baie dankie vir die goeie diens."),
    "feedback-follow-up": ("Nobody called me back after my rating.", "Following up on my poor rating.",
                           "I rated you badly, still not sorted.", "Ngilandela isikhalazo sami.",
                           "Opvolg op my swak gradering."),
    "general-enquiry": ("What are the office hours?", "Where is the nearest municipal office?",
                        "Who do I speak to about a by-law?", "Amahora ehhovisi ngawaphi?",
                        "Wat is die kantoorure?"),
}

# What citizens add when the municipality let them down, and the principle staff tag.
COMPLAINTS = (
    ("Nobody answers the phone at the call centre.", "access"),
    ("Reported three times already and nobody came.", "redress"),
    ("Nobody told us when it will be fixed.", "information"),
    ("The lady on the phone was rude to me.", "courtesy"),
    ("It is taking much longer than you promised.", "service_standards"),
    ("We were never asked before the work started.", "consultation"),
    ("We pay rates for nothing.", "value_for_money"),
    ("Akekho ophendula ucingo.", "access"),
    ("Niemand het ons laat weet nie.", "information"),
    ("Sibike kaningi akekho oze.", "redress"),
)

_SWAPS = {"ee": "e", "ou": "o", "th": "t", "ck": "k", "ph": "f"}


def typo(rng: random.Random, text: str) -> str:
    """One slip of the thumb: a letter dropped, doubled or swapped."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    for a, b in _SWAPS.items():
        if a in text:
            return text.replace(a, b, 1)
    return text.lower()


def describe(rng: random.Random, code: str, name: str) -> tuple[str, list[str]]:
    """A citizen's words for a case of service `code`, and its principle tags."""
    phrases = PHRASES.get(code) or (f"About: {name}.",)
    text = rng.choice(phrases)
    principles: list[str] = []
    if rng.random() < 0.12:
        extra, principle = rng.choice(COMPLAINTS)
        text = f"{text} {extra}"
        if rng.random() < 0.8:  # staff tagged most of them
            principles = [principle]
    roll = rng.random()
    if roll < 0.25:
        text = typo(rng, text)
    elif roll < 0.35:
        text = text.lower().rstrip(".")
    elif roll < 0.40:
        text = text.upper()
    return text, principles
