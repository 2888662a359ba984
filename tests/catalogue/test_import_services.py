"""`imbizo import-services`: real Open311 documents (copies in tests/fixtures/open311, see SOURCES.md)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from imbizo.catalogue.importers import services_import
from imbizo.catalogue.models import AttributeDatatype, Open311Type, Service, ServiceAttribute
from imbizo.core.errors import DomainError
from tests.factories import ServiceFactory, ServiceStandardFactory

pytestmark = pytest.mark.django_db
REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "open311"
DC = FIXTURES / "dc-services.xml"
DC_POTHOLE = FIXTURES / "dc-services-S0301.xml"


def _write(folder: Path, name: str, content) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


# --- the real documents ---------------------------------------------------------


def test_washington_dc_services_list_imports_every_service_with_its_fields():
    summary = services_import([DC])

    assert (summary.created, summary.updated, summary.attributes) == (86, 0, 0)
    assert Service.objects.count() == 86
    issues = Service.objects.get(code="CSRREPIS")
    assert issues.name == "311 Online Reported Issues"
    assert issues.group == "311 - Call Center"
    assert issues.keywords == "311, Online, Reported, Issues"
    assert issues.description.startswith("Please use this request type to report system issues")
    assert (issues.open311_type, issues.metadata) == ("realtime", True)
    assert Service.objects.get(code="S0011").group == "Swm - Str & Alley Cleaning - Street Cleaning"
    assert not issues.standards.exists()


def test_a_definition_given_with_its_list_creates_the_attributes_in_order():
    summary = services_import([DC, DC_POTHOLE])

    assert (summary.created, summary.attributes) == (86, 6)
    pothole = Service.objects.get(code="S0301")
    assert (pothole.name, pothole.group) == ("Pothole", "Toa - Street & Bridge Maintenance")
    assert [(a.order, a.code) for a in pothole.attributes.order_by("order")] == [
        (1, "WHISPOLO"), (2, "WHMAISAL"), (3, "ISITHAZA"), (4, "WATHPRDA"), (8, "NOTE001"),
        (9, "DSITR001")]
    where = pothole.attributes.get(code="WHISPOLO")
    assert (where.datatype, where.variable, where.required) == ("singlevaluelist", True, True)
    assert where.description == "Where is the pothole located?"
    assert where.datatype_description == "Optional List of Values"
    assert where.values == [{"key": "ALLEY002", "name": "Alley"}, {"key": "STREE001", "name": "Street"}]
    assert [v["key"] for v in pothole.attributes.get(code="WHMAISAL").values] == [
        "ASPHALT", "BRICK", "COBBLEST", "CONCRETE", "OTHER015", "UNKNO001"]
    note = pothole.attributes.get(code="DSITR001")
    assert (note.datatype, note.variable, note.values) == ("text", False, [])
    assert note.datatype_description == "Character"


def test_documents_are_recognised_by_content_not_by_name_or_order(tmp_path):
    definition = shutil.copy(DC_POTHOLE, tmp_path / "services.json")
    services = shutil.copy(DC, tmp_path / "definition.txt")

    summary = services_import([definition, services])

    assert (summary.created, summary.attributes) == (86, 6)


def test_bloomington_json_imports_with_groups():
    summary = services_import([FIXTURES / "bloomington_services.json"])

    assert summary.created == Service.objects.count() == 46
    graffiti = Service.objects.get(code="4e090d24992b941e78000027")
    assert (graffiti.name, graffiti.group, graffiti.metadata) == ("Graffiti", "Most Popular", True)
    assert graffiti.description == "Report graffiti on public or private structures"
    assert Service.objects.get(code="4e090d24992b941e78000020").group == "Cleanup & Sanitation"
    assert Service.objects.filter(metadata=True).count() == 11


def test_giessen_keeps_its_non_ascii_names():
    summary = services_import([FIXTURES / "giessen-services.xml"])

    assert summary.created == 8
    assert Service.objects.get(code="011").name == "Straßen- und Gehwegschäden"
    assert Service.objects.get(code="012").name == "Verkehrsschild beschädigt"
    assert Service.objects.get(code="014").name == "Grünflächen und Spielplätze"
    assert Service.objects.get(code="011").keywords == "litter, trash, garbage"
    assert Service.objects.get(code="015").keywords == ""


def test_the_allowed_types_are_those_of_the_georeport_schemas():
    service = json.loads((FIXTURES / "schema" / "service.json").read_text())
    definition = json.loads((FIXTURES / "schema" / "service-definition.json").read_text())

    attribute = definition["properties"]["attributes"]["items"]["properties"]
    assert set(service["properties"]["type"]["enum"]) == set(Open311Type.values)
    assert set(attribute["datatype"]["enum"]) == set(AttributeDatatype.values)


# --- the variations cities send -------------------------------------------------


def test_a_default_namespace_on_the_root_is_understood(tmp_path):
    document = _write(tmp_path, "services.xml",
                      '<?xml version="1.0" encoding="utf-8"?>'
                      '<services xmlns="http://open311.org/georeport/v2"><service>'
                      "<service_code>001</service_code><service_name>Cans left out</service_name>"
                      "<metadata>false</metadata><type>batch</type><keywords>trash</keywords>"
                      "<group>sanitation</group><description>Bins on the kerb</description>"
                      "</service></services>")

    services_import([document])

    service = Service.objects.get(code="001")
    assert (service.name, service.open311_type, service.group) == ("Cans left out", "batch", "sanitation")


def test_json_with_missing_and_null_keys_and_loose_values(tmp_path):
    document = _write(tmp_path, "services.json", [
        {"service_code": "A", "service_name": "Only the required two"},
        {"service_code": "B", "service_name": "Nulls", "description": None, "group": None,
         "keywords": None, "metadata": None, "type": None},
        {"service_code": "C", "service_name": "Strings", "metadata": "true", "type": "Blackbox",
         "keywords": "a,b , ,c"},
        {"service_code": 7, "service_name": "Numeric code", "metadata": False, "type": "batch",
         "keywords": ["water", "leak"]},
    ])

    services_import([document])

    rows = {s.code: s for s in Service.objects.all()}
    assert (rows["A"].description, rows["A"].group, rows["A"].keywords) == ("", "", "")
    assert (rows["A"].metadata, rows["A"].open311_type) == (False, "realtime")
    assert (rows["B"].metadata, rows["B"].open311_type, rows["B"].group) == (False, "realtime", "")
    assert (rows["C"].metadata, rows["C"].open311_type, rows["C"].keywords) == (True, "blackbox", "a, b, c")
    assert (rows["7"].metadata, rows["7"].open311_type, rows["7"].keywords) == (False, "batch", "water, leak")


def test_a_json_definition_replaces_the_attributes(tmp_path):
    services_import([DC, DC_POTHOLE])
    definition = _write(tmp_path, "S0301.json", {"service_code": "S0301", "attributes": [
        {"variable": True, "code": "SIZE", "datatype": "multivaluelist", "required": False,
         "datatype_description": None, "order": 2, "description": "How big?",
         "values": [{"key": "s", "name": "Small"}, {"key": "l", "name": "Large"}]},
        {"variable": True, "code": "DEPTH", "datatype": "number", "required": True, "order": 1,
         "description": "How deep, in cm?"},
    ]})

    summary = services_import([definition])

    assert (summary.created, summary.updated, summary.attributes) == (0, 0, 2)
    attributes = list(ServiceAttribute.objects.filter(service__code="S0301").order_by("order"))
    assert [(a.code, a.datatype, a.required) for a in attributes] == [
        ("DEPTH", "number", True), ("SIZE", "multivaluelist", False)]
    assert attributes[1].values == [{"key": "s", "name": "Small"}, {"key": "l", "name": "Large"}]


# --- importing again ------------------------------------------------------------


def test_importing_twice_updates_instead_of_duplicating():
    services_import([DC, DC_POTHOLE])

    summary = services_import([DC, DC_POTHOLE])

    assert (summary.created, summary.updated, summary.attributes) == (0, 86, 6)
    assert Service.objects.count() == 86
    assert ServiceAttribute.objects.count() == 6


def test_an_update_changes_the_open311_fields_and_keeps_standard_and_department(tmp_path):
    standard = ServiceStandardFactory(service=ServiceFactory(code="001", name="Old name", group="old"))
    document = _write(tmp_path, "services.json",
                      [{"service_code": "001", "service_name": "New name", "group": "new"}])

    summary = services_import([document])

    service = Service.objects.get(code="001")
    assert (summary.created, summary.updated) == (0, 1)
    assert (service.name, service.group) == ("New name", "new")
    assert service.department_id == standard.service.department_id
    assert list(service.standards.all()) == [standard]


# --- refusals: nothing is stored ------------------------------------------------


def test_a_bad_record_in_the_middle_imports_nothing_and_names_file_record_and_field(tmp_path):
    services = [{"service_code": f"S{n}", "service_name": f"Service {n}", "type": "realtime"}
                for n in range(1, 21)]
    services[11]["type"] = "x"
    document = _write(tmp_path, "city.json", services)

    with pytest.raises(DomainError) as caught:
        services_import([DC, document])

    assert caught.value.message == (
        "city.json: service #12 (S12): 'type' must be realtime, batch or blackbox, not 'x'")
    assert Service.objects.count() == 0


def test_a_bad_attribute_names_the_service_the_attribute_and_the_field(tmp_path):
    text = DC_POTHOLE.read_text().replace("<order>3</order>", "<order>third</order>")
    definition = _write(tmp_path, "S0301.xml", text)

    with pytest.raises(DomainError) as caught:
        services_import([DC, definition])

    assert caught.value.message == (
        "S0301.xml: service S0301, attribute #2 (ISITHAZA): 'order' must be a whole number, not 'third'")
    assert Service.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("<services><service><service_code>1</service_code>", "not well-formed XML"),
        ('[{"service_code":001}]', "not valid JSON"),
        ('{"hello": 1}', "neither a services list"),
        ("<catalogue/>", "the root element is <catalogue>, not <services> or <service_definition>"),
        ('[{"service_name": "No code"}]', "service #1: 'service_code' is missing"),
        ('[{"service_code": "X", "service_name": ""}]', "service #1 (X): 'service_name' is missing"),
        ('[{"service_code": "X", "service_name": "X", "metadata": "maybe"}]',
         "service #1 (X): 'metadata' must be true or false, not 'maybe'"),
        ('[{"service_code": "X", "service_name": {"en": "X"}}]', "'service_name' must be text"),
        (json.dumps([{"service_code": "X", "service_name": "n" * 201}]),
         "'service_name' is longer than 200 characters"),
        ('[{"service_code": "X", "service_name": "X"}, {"service_code": "X", "service_name": "Y"}]',
         "bad.txt: service #2 (X): the code was already given as bad.txt: service #1 (X)"),
        ('{"service_code": "X", "attributes": [{"code": "Q", "datatype": "colour"}]}',
         "service X, attribute #1 (Q): 'datatype' must be one of string, number, datetime, text, "
         "singlevaluelist, multivaluelist, not 'colour'"),
        ('{"service_code": "X", "attributes": [{"code": "Q", "datatype": "singlevaluelist"}]}',
         "service X, attribute #1 (Q): a singlevaluelist question needs 'values'"),
        ('{"service_code": "X", "attributes": [{"code": "Q", "datatype": "singlevaluelist", '
         '"values": [{"key": "a"}, {"key": "a"}]}]}', "value #2 repeats the key 'a'"),
        ('{"service_code": "X", "attributes": [{"code": "Q", "datatype": "text"}, '
         '{"code": "Q", "datatype": "text"}]}', "attribute #2: the code 'Q' appears twice"),
    ],
)
def test_malformed_documents_are_refused_with_a_clear_reason(tmp_path, content, words):
    document = _write(tmp_path, "bad.txt", content)

    with pytest.raises(DomainError) as caught:
        services_import([document])

    assert caught.value.message.startswith("bad.txt: ")
    assert words in caught.value.message
    assert Service.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("chicago-requests.json", "a list of service requests"),
        ("bloomington_requests.json", "a list of service requests"),
        ("toronto-requests-many.xml", "a list of service requests"),
        ("boston-submitrequest-token.xml", "a list of service requests"),
        ("discovery-dc.xml", "a discovery document"),
        ("boston-err-submitrequest-base_is_duplicate.xml", "an Open311 error response"),
    ],
)
def test_other_open311_documents_are_refused_for_what_they_are(name, what):
    with pytest.raises(DomainError) as caught:
        services_import([FIXTURES / name])

    assert caught.value.message == f"{name}: this is {what}, not a services list or a service definition"
    assert Service.objects.count() == 0


def test_a_discovery_json_document_is_not_taken_for_a_definition():
    with pytest.raises(DomainError, match="discovery-boston.json: neither a services list"):
        services_import([FIXTURES / "discovery-boston.json"])


def test_entity_declarations_are_refused_even_after_a_long_prolog(tmp_path):
    laughs = ('<?xml version="1.0"?><!--' + "x" * 10_000 + '--><!DOCTYPE services ['
              '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              "<services><service><service_code>1</service_code><service_name>&b;</service_name>"
              "</service></services>")
    document = _write(tmp_path, "laughs.xml", laughs)

    with pytest.raises(DomainError, match="laughs.xml: documents with a DOCTYPE or entity declarations"):
        services_import([document])


def test_a_definition_for_an_unknown_service_is_refused_naming_the_file():
    with pytest.raises(DomainError) as caught:
        services_import([DC_POTHOLE])

    assert caught.value.message == ("dc-services-S0301.xml: service S0301 is neither in the services "
                                    "lists given nor in the catalogue; import its services list too")


def test_the_same_definition_twice_is_refused(tmp_path):
    again = shutil.copy(DC_POTHOLE, tmp_path / "again.xml")

    with pytest.raises(DomainError, match="again.xml: the definition of service S0301 was already given "
                                          "in dc-services-S0301.xml"):
        services_import([DC, DC_POTHOLE, again])


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DomainError, match="nowhere.xml: cannot be read"):
        services_import([tmp_path / "nowhere.xml"])


# --- the command ----------------------------------------------------------------


def test_the_command_prints_a_summary(capsys):
    call_command("import_services", str(DC), str(DC_POTHOLE))

    assert capsys.readouterr().out.strip() == (
        "Imported 86 services (86 created, 0 updated), 6 attributes from "
        "dc-services.xml, dc-services-S0301.xml")


def test_the_command_fails_with_the_reason_and_stores_nothing(tmp_path):
    document = _write(tmp_path, "broken.xml", "<services>")

    with pytest.raises(CommandError, match="Nothing was imported. broken.xml: not well-formed XML"):
        call_command("import_services", str(DC), str(document))
    assert Service.objects.count() == 0


def test_the_imbizo_command_exits_non_zero_on_a_bad_file(tmp_path):
    document = _write(tmp_path, "broken.json", "[{")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}

    finished = subprocess.run(
        [sys.executable, "-m", "imbizo.cli", "import-services", str(document)],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=60, check=False)

    assert finished.returncode == 1
    assert "Nothing was imported. broken.json: not valid JSON" in finished.stderr
    assert finished.stdout == ""
