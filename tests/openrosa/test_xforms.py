"""The XForm made from a form definition: every question, its type, its
rules, labels in every served language, and a hash that changes only when
the form does."""

import pytest
from defusedxml.ElementTree import fromstring

from imbizo.field.definitions import household_needs_v1
from imbizo.openrosa.xforms import xform_of

H = "{http://www.w3.org/1999/xhtml}"
X = "{http://www.w3.org/2002/xforms}"


def definition():
    form = household_needs_v1()
    form["questions"][2]["label"]["zu"] = "Iyiphi insizakalo engekho noma embi?"
    return form


@pytest.fixture
def two_languages(settings):
    settings.LANGUAGES = [("en", "English"), ("zu", "isiZulu")]


def build(form=None, version="1"):
    return xform_of(code="household-needs", version=version, title="Household needs survey",
                    definition=form or definition())


def test_every_question_is_bound_with_its_type_and_rules(two_languages):
    model = fromstring(build().xml).find(f"{H}head/{X}model")
    binds = {b.get("nodeset").rsplit("/", 1)[1]: b for b in model.findall(f"{X}bind")}

    assert binds["people"].get("type") == "int" and binds["people"].get("required") == "true()"
    assert binds["location"].get("type") == "geopoint"
    assert binds["photo"].get("type") == "binary"
    assert "contact_phone" in binds["consent"].get("relevant")
    assert binds["end"].get("{http://openrosa.org/javarosa}preload") == "timestamp"
    assert binds["instanceID"].get("{http://openrosa.org/javarosa}preload") == "uid"


def test_labels_come_in_every_served_language_falling_back_to_english(two_languages):
    itext = fromstring(build().xml).find(f"{H}head/{X}model/{X}itext")
    texts = {t.get("lang"): {x.get("id"): x.find(f"{X}value").text for x in t}
             for t in itext.findall(f"{X}translation")}

    assert set(texts) == {"English (en)", "isiZulu (zu)"}
    needs = "/household-needs/needs:label"
    assert texts["isiZulu (zu)"][needs] == "Iyiphi insizakalo engekho noma embi?"
    assert texts["isiZulu (zu)"]["/household-needs/people:label"] == \
        texts["English (en)"]["/household-needs/people:label"]
    default = [t for t in itext.findall(f"{X}translation") if t.get("default")]
    assert [t.get("lang") for t in default] == ["English (en)"]


def test_the_need_choices_are_all_offered(two_languages):
    root = fromstring(build().xml)
    choices = root.find(f".//{X}instance[@id='needs_choices']")

    names = [item.find(f"{X}name").text for item in choices.iter(f"{X}item")]
    assert names[:3] == ["water", "sanitation", "electricity"] and "none" in names


def test_the_hash_is_stable_and_changes_with_the_form(two_languages):
    changed = definition()
    changed["questions"][4]["label"]["en"] = "How many people sleep here?"

    assert build().hash == build().hash
    assert build().hash != build(changed).hash
    assert build().hash != build(version="2").hash
    assert build().hash.startswith("md5:") and len(build().hash) == 36
