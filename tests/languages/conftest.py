"""Compiled catalogues for the language tests.

The .mo files are built by the release (make compilemessages), never
committed; Django only activates a language it has a catalogue for. Here the
project's .po files are compiled into a temporary LOCALE_PATHS. While the
isiXhosa draft catalogue still has these entries empty, the few below stand
in so that "answered in isiXhosa" is visible; once the real translation is
in the .po, it wins and XHOSA_STAND_INS may be deleted (the tests compare
with gettext in isiXhosa, not with these strings).
"""

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings as django_settings

LOCALE = Path(django_settings.BASE_DIR) / "imbizo" / "locale"

XHOSA_STAND_INS = {
    "%(name)s: we received your report, ref %(ref)s.":
        "%(name)s: siyifumene ingxelo yakho, inombolo %(ref)s.",
    "We received your report %(ref)s": "Siyifumene ingxelo yakho %(ref)s",
    "Thank you for telling us. Your reference is %(ref)s (%(service)s). Quote it whenever "
    "you contact us.":
        "Enkosi ngokusazisa. Inombolo yakho ngu-%(ref)s (%(service)s). Yisebenzise "
        "qho xa uqhagamshelana nathi.",
    "Report a problem": "Xela ingxaki",
    "Report a problem, complain or pay a compliment":
        "Xela ingxaki, ukhalaze okanye uncome umsebenzi",
    "Send the report": "Thumela ingxelo",
    "Report %(ref)s": "Ingxelo %(ref)s",
}


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("locale")
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        code = po_path.parent.parent.name
        with po_path.open("rb") as po:
            catalog = read_po(po, locale=None)
        if code == "xh":
            for msgid, text in XHOSA_STAND_INS.items():
                message = catalog.get(msgid)
                if message is None:
                    catalog.add(msgid, text)
                elif not message.string:
                    message.string = text
        target = root / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        with (target / "django.mo").open("wb") as mo:
            write_mo(mo, catalog)
    return root


@pytest.fixture
def catalogues(settings, compiled_locale):
    """Every enabled language has its catalogue (the build's compilemessages)."""
    settings.LOCALE_PATHS = [compiled_locale]
    return compiled_locale
