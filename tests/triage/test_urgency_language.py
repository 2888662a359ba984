"""Urgency rules per language and language identification on real sentences."""

import pytest
import time_machine

from imbizo.cases.intake import CaseDraft
from imbizo.cases.services import case_open
from imbizo.triage.language import language_of
from imbizo.triage.urgency import rules, urgency_of
from tests.outreach.conftest import MONDAY_10
from tests.support import inside


@pytest.mark.parametrize(("text", "urgency", "reason"), [
    ("There is a live wire lying in the road near the creche", "urgent", "live wire"),
    ("Izintambo zikagesi zilele phansi emgwaqweni", "urgent", "live wire"),
    ("Kaal drade hang by die skool", "urgent", "live wire"),
    ("Die hele straat is onder water, water in die huis", "urgent", "flooding"),
    ("Amanzi angene endlini ngemuva kwemvula", "urgent", "flooding"),
    ("Sewage in my kitchen from the drain", "urgent", "sewage in a home"),
    ("Metsi a kene ka tlung bosiu", "urgent", "flooding"),
    ("The transformer is on fire", "urgent", "fire or explosion"),
    ("Ngwana o wele ka mokoting", "urgent", "danger to life"),
])
def test_urgency_rules_in_several_languages(text, urgency, reason):
    got, reasons = urgency_of(text)
    assert got == urgency and reasons[0] == reason


def test_plain_words_keep_the_service_default():
    assert urgency_of("The bin was not collected") == ("normal", [])
    assert urgency_of("The bin was not collected", "compliment")[0] == "low"
    assert urgency_of("Please check the tap", "no-water") == ("high", [
        "the service's usual urgency"])
    # A rule raises the service's default, never lowers it.
    assert urgency_of("wires sparking everywhere", "compliment")[0] == "urgent"


def test_rules_match_whole_words_only():
    assert urgency_of("my floodlight is broken")[0] == "normal"
    assert all(r.pattern.pattern for r in rules())


@pytest.mark.parametrize(("text", "language"), [
    ("The streetlight outside our house has been off for a week.", "en"),
    ("Die straatlig voor ons huis werk al 'n week lank nie.", "af"),
    ("Isibani sasemgwaqweni phambi kwendlu yethu asisebenzi isonto lonke.", "zu"),
    ("Isibane sasesitratweni phambi kwendlu yam asisebenzi iveki yonke.", "xh"),
    ("Lebone la seterata ka pele ho ntlo ya rona ha le sebetse beke kaofela.", "st"),
    ("Lobone la mmila fa pele ga ntlo ya rona ga le dire sepe beke yotlhe.", "tn"),
    ("Lebone la mmila pele ga ntlo ya rena ga le šome beke ka moka.", "nso"),
    ("Rivoni ra xitarata emahlweni ka yindlu ya hina a ri tirhi vhiki hinkwaro.", "ts"),
    ("Ḽivhone ḽa bada phanḓa ha nnḓu yashu a ḽi shumi vhege yoṱhe.", "ve"),
    ("Sibane semgwaco embikwendlu yetfu asisebenti liviki lonkhe.", "ss"),
    ("Amanzi awekho since Friday, ngicela nisisize", "zu"),
])
def test_language_of_real_sentences(text, language):
    assert language_of(text) == language


@pytest.mark.parametrize("text", ["", "  ", "ok", "123 456"])
def test_too_little_text_gives_no_language(text):
    assert language_of(text) == ""


@time_machine.travel(MONDAY_10, tick=False)
def test_the_language_is_stored_on_the_case_as_it_is_opened(world):
    case = case_open(draft=CaseDraft(
        service_code="water-leak", channel="web", **inside(world.ward),
        description="Ipayipi liqhumile, amanzi agcwele umgwaqo wonke kusukela izolo"))
    case.refresh_from_db()
    assert case.language == "zu"
