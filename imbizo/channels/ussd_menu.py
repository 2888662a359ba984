"""The USSD menu as data: what is offered, in which order, in which words.

A gateway of kind "ussd" keeps its menu in `Gateway.settings["menu"]`
(edited by administrators in the gateway admin, checked by `menu_problems`
before it is saved). Anything left out falls back to `DEFAULT_MENU`. The
words are the English defaults below (marked for translation) unless the
menu gives its own for a language under "texts"; every language listed under
"languages" is offered on the main screen and walked by the screen-size test.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from imbizo.core.languages import ENDONYMS

SCREEN_MAX = 182  # characters a USSD screen shows (GSM 03.38 USSD limit)
FLOWS = ("report", "follow", "rate")
MORE, BACK = "98", "0"

# The words of every screen, English by default. Placeholders in braces are
# filled at run time; a menu's own texts may use the same ones and no others.
TEXTS = {
    "main": _("What would you like to do?"),
    "report": _("Report a problem"),
    "follow": _("Follow a reference"),
    "rate": _("Rate our last contact"),
    "service": _("Which service?"),
    "place": _("Your ward number, or a street or place name:"),
    "place_pick": _("Which place?"),
    "place_none": _("No place found. Try a ward number or another name."),
    "description": _("Describe the problem in a few words:"),
    "confirm": _("Report {service} at {place}?"),
    "yes": _("Yes, send it"),
    "no": _("No, cancel"),
    "done": _("Thank you. Your reference is {reference}. {pledge}"),
    "cancelled": _("Nothing was sent. Dial again any time."),
    "reference": _("Type your reference number:"),
    "rate_none": _("We found no recent contact with you to rate. Thank you."),
    "rate_scale": _("1 = very poor, 5 = very good"),
    "rate_done": _("Thank you for rating us. Your answers help us serve you better."),
    "more": _("More"),
    "back": _("Back"),
    "bad_choice": _("Choose a number from the list."),
    "bad_text": _("Please type a few words."),
    "too_long": _("Too long: at most {max} characters."),
    "bad_number": _("Type a number."),
    "bad_scale": _("Reply with a number from 1 to 5."),
    "none_offered": _("No service can be reported here yet. Please call us."),
    "failed": _("Sorry, we could not do that now. Please try again later."),
}
PLACEHOLDERS = {
    "confirm": {"service", "place"}, "done": {"reference", "pledge"}, "too_long": {"max"},
}
# What a menu's own words may hold at most: the rest of the screen holds options.
TEXT_MAX = 100

DEFAULT_MENU = {
    "timeout_seconds": 180,
    "page_size": 6,
    "flows": list(FLOWS),
    "services": [],  # service codes in the order shown; empty: every active service on ussd
    "description_max": 120,
    "languages": ["en"],
    "texts": {},
}
KEYS = set(DEFAULT_MENU)


@dataclass(frozen=True)
class Menu:
    """A checked menu (build it with `menu_from`)."""

    timeout_seconds: int = 180
    page_size: int = 6
    flows: tuple[str, ...] = FLOWS
    services: tuple[str, ...] = ()
    description_max: int = 120
    languages: tuple[str, ...] = ("en",)
    texts: dict = field(default_factory=dict, compare=False, hash=False)

    def text(self, language: str, key: str, **values) -> str:
        own = (self.texts.get(language) or {}).get(key)
        if own is None:
            own = _translated(language, key)
        return own.format(**values) if values else own


@functools.lru_cache(maxsize=512)
def _translated(language: str, key: str) -> str:
    """The default words of `key` in `language` (catalogues are fixed while a process runs)."""
    with translation.override(language):
        return str(TEXTS[key])


def _fields(text: str) -> set[str]:
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        return {"{"}


def menu_problems(data: object, *, service_codes: set[str] | None = None) -> list[str]:
    """What is wrong with a menu given as data, in plain words (empty: nothing).

    `service_codes`, when given, are the services that exist: a menu may only
    offer those."""
    if data in (None, {}):
        return []
    if not isinstance(data, dict):
        return [str(_("The menu must be an object of settings."))]
    problems = []
    unknown = sorted(set(data) - KEYS)
    if unknown:
        problems.append(str(_("Unknown menu settings: %(keys)s.") % {"keys": ", ".join(unknown)}))
    for key, low, high in (("timeout_seconds", 30, 600), ("page_size", 2, 8),
                           ("description_max", 20, 140)):
        value = data.get(key, DEFAULT_MENU[key])
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(str(_("%(key)s must be a whole number from %(low)d to %(high)d.")
                                % {"key": key, "low": low, "high": high}))
    flows = data.get("flows", DEFAULT_MENU["flows"])
    if (not isinstance(flows, list) or not flows or len(set(flows)) != len(flows)
            or not set(flows) <= set(FLOWS)):
        problems.append(str(_("flows must list one or more of %(flows)s, each once.")
                            % {"flows": ", ".join(FLOWS)}))
    services = data.get("services", [])
    if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
        problems.append(str(_("services must be a list of service codes.")))
    elif service_codes is not None and set(services) - service_codes:
        problems.append(str(_("Unknown services: %(codes)s.")
                            % {"codes": ", ".join(sorted(set(services) - service_codes))}))
    languages = data.get("languages", DEFAULT_MENU["languages"])
    if (not isinstance(languages, list) or not languages or len(set(languages)) != len(languages)
            or not set(languages) <= set(ENDONYMS)):
        problems.append(str(_("languages must list official language codes (%(codes)s), each "
                              "once.") % {"codes": ", ".join(ENDONYMS)}))
    texts = data.get("texts", {})
    if not isinstance(texts, dict):
        return problems + [str(_("texts must map a language code to its words."))]
    for language, words in texts.items():
        if language not in ENDONYMS or not isinstance(words, dict):
            problems.append(str(_("texts: %(lang)s is not an official language code with its "
                                  "words.") % {"lang": language}))
            continue
        for key, text in words.items():
            if key not in TEXTS:
                problems.append(str(_("texts %(lang)s: %(key)s is not a screen text.")
                                    % {"lang": language, "key": key}))
            elif not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
                problems.append(str(_("texts %(lang)s %(key)s: give words, at most %(max)d "
                                      "characters.") % {"lang": language, "key": key,
                                                        "max": TEXT_MAX}))
            elif _fields(text) - PLACEHOLDERS.get(key, set()):
                problems.append(str(_("texts %(lang)s %(key)s: only these placeholders may be "
                                      "used: %(names)s.")
                                    % {"lang": language, "key": key, "names": ", ".join(
                                        "{" + n + "}" for n in sorted(PLACEHOLDERS.get(key, ())))
                                       or "-"}))
    return problems


def menu_from(data: object) -> Menu:
    """The Menu of `data` (a gateway's settings["menu"]); defaults where it is
    empty. Call menu_problems first: bad data raises ValueError here."""
    if menu_problems(data):
        raise ValueError("menu data has problems; check it with menu_problems")
    merged = {**DEFAULT_MENU, **(data or {})}
    return Menu(timeout_seconds=merged["timeout_seconds"], page_size=merged["page_size"],
                flows=tuple(merged["flows"]), services=tuple(merged["services"]),
                description_max=merged["description_max"],
                languages=tuple(merged["languages"]), texts=dict(merged["texts"]))
