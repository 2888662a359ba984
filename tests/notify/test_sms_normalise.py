"""Typography is normalised before an SMS is counted and sent, and a language's
rules offer a GSM-7 wording where they can (notify.segments)."""

import pytest

from imbizo.notify.models import MessageChannel
from imbizo.notify.segments import (
    GSM7,
    UCS2,
    is_gsm7,
    sms_gsm7_variant,
    sms_length,
    sms_normalise,
)
from imbizo.notify.texts import message_render


def test_curly_quotes_dashes_ellipsis_and_odd_spaces_become_plain():
    text = "\u201cWe\u2019re on it\u201d \u2014 ref\u00a0A-1\u2026 ok\u202fnow\u2013then\u00ad"
    assert sms_normalise(text) == "\"We're on it\" - ref A-1... ok now-then"
    assert sms_length(text).encoding == UCS2
    assert sms_length(sms_normalise(text)).encoding == GSM7


@pytest.mark.parametrize(("language", "text", "variant"), [
    ("af", "Ons sê vir jou wanneer die wêreld reg is", "Ons se vir jou wanneer die wereld reg is"),
    ("af", "Die kliëntediens bel jou", "Die klientediens bel jou"),
    ("tn", "Re tla go itsêse ka nakô", "Re tla go itsese ka nako"),
])
def test_afrikaans_and_setswana_drop_their_diacritics(language, text, variant):
    assert sms_gsm7_variant(text, language) == variant
    assert is_gsm7(variant)


def test_sepedi_s_caron_is_never_replaced_by_a_machine():
    assert sms_gsm7_variant("Re a šoma", "nso") is None


def test_a_text_already_in_gsm7_is_its_own_variant():
    assert sms_gsm7_variant("Sivala umgodi \u2019masinyane", "zu") == "Sivala umgodi 'masinyane"


def test_a_language_without_rules_offers_nothing_for_ucs2_text():
    assert sms_gsm7_variant("Umgodi \u0161", "zu") is None


def test_a_rendered_sms_is_normalised_before_it_is_counted_and_sent():
    case = type("Case", (), {"reference": "A-1", "resolve_due_at": None})()
    institution = type("Institution", (), {"name": "Thekwini \u2014 \u201cWater\u201d"})()

    _subject, body = message_render(MessageChannel.SMS, "case_received",
                                    {"case": case, "institution": institution, "reopen_url": ""},
                                    language="en")

    assert body.startswith('Thekwini - "Water": we received your report, ref A-1.')
    assert sms_length(body).encoding == GSM7
