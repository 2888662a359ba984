"""South Africa's eleven official written languages, by ISO 639 code.

One list for every part that stores, detects or answers in a language: the
language found in a case's text (triage), a citizen's chosen language and the
translations (languages). Names are given in English and in the language itself.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    AFRIKAANS = "af", _("Afrikaans")
    ENGLISH = "en", _("English")
    NDEBELE = "nr", _("isiNdebele")
    SEPEDI = "nso", _("Sepedi")
    SESOTHO = "st", _("Sesotho")
    SISWATI = "ss", _("siSwati")
    SETSWANA = "tn", _("Setswana")
    XITSONGA = "ts", _("Xitsonga")
    TSHIVENDA = "ve", _("Tshivenda")
    XHOSA = "xh", _("isiXhosa")
    ZULU = "zu", _("isiZulu")


# What each language calls itself, for choosers shown to citizens.
ENDONYMS = {
    "af": "Afrikaans",
    "en": "English",
    "nr": "isiNdebele",
    "nso": "Sepedi",
    "st": "Sesotho",
    "ss": "siSwati",
    "tn": "Setswana",
    "ts": "Xitsonga",
    "ve": "Tshivenda",
    "xh": "isiXhosa",
    "zu": "isiZulu",
}
