"""The demo's USSD menu (*120*4629#) and what citizens did with it: cases
reported and contacts rated from basic phones, made through the channels'
own services so that they count as every USSD session does."""

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
