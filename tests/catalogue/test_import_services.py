from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from imbizo.catalogue.importers import services_import
from imbizo.catalogue.models import Service, ServiceAttribute
from imbizo.core.errors import DomainError

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "open311"


def test_washington_dc_services_and_a_definition_import_together():
    summary = services_import([FIXTURES / "dc-services.xml", FIXTURES / "dc-services-S0301.xml"])

    assert (summary.created, summary.updated) == (86, 0)
    pothole = Service.objects.get(code="S0301")
    assert pothole.name == "Pothole"
    assert pothole.group == "Toa - Street & Bridge Maintenance"
    assert pothole.metadata is True and pothole.open311_type == "realtime"
    attributes = list(pothole.attributes.order_by("order"))
    assert summary.attributes == len(attributes) > 0
    hazard = pothole.attributes.get(code="ISITHAZA")
    assert hazard.datatype == "singlevaluelist" and hazard.variable
    assert hazard.values[:2] == [{"key": "NO001", "name": "No"}, {"key": "UNKNOWN", "name": "Unknown"}]
    assert pothole.attributes.get(code="DSITR001").variable is False


def test_bloomington_json_imports_with_groups():
    services_import([FIXTURES / "bloomington_services.json"])

    assert Service.objects.count() == 46
    graffiti = Service.objects.get(code="4e090d24992b941e78000027")
    assert (graffiti.name, graffiti.group, graffiti.metadata) == ("Graffiti", "Most Popular", True)


def test_giessen_keeps_its_non_ascii_names():
    services_import([FIXTURES / "giessen-services.xml"])

    assert Service.objects.filter(name="Straßen- und Gehwegschäden").exists()
    assert Service.objects.get(code="012").name == "Verkehrsschild beschädigt"


def test_a_default_namespace_on_the_root_is_understood(tmp_path):
    document = tmp_path / "services.xml"
    document.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<services xmlns="http://open311.org/georeport/v2"><service>'
        "<service_code>001</service_code><service_name>Cans left out</service_name>"
        "<metadata>false</metadata><type>batch</type><keywords>trash</keywords>"
        "<group>sanitation</group><description>Bins on the kerb</description></service></services>"
    )

    services_import([document])

    service = Service.objects.get(code="001")
    assert (service.name, service.open311_type, service.group) == ("Cans left out", "batch", "sanitation")


def test_importing_twice_updates_instead_of_duplicating():
    services_import([FIXTURES / "dc-services.xml", FIXTURES / "dc-services-S0301.xml"])

    summary = services_import([FIXTURES / "dc-services.xml", FIXTURES / "dc-services-S0301.xml"])

    assert (summary.created, summary.updated) == (0, 86)
    assert Service.objects.count() == 86
    assert ServiceAttribute.objects.filter(service__code="S0301").count() == summary.attributes


def test_a_bad_record_in_the_middle_imports_nothing_and_names_file_record_and_field(tmp_path):
    services = [{"service_code": f"S{n}", "service_name": f"Service {n}", "type": "realtime"}
                for n in range(1, 21)]
    services[11]["type"] = "sometimes"
    document = tmp_path / "city.json"
    import json

    document.write_text(json.dumps(services))

    with pytest.raises(DomainError) as caught:
        services_import([document])

    assert caught.value.message == (
        "city.json: service #12 (S12): 'type' must be realtime, batch or blackbox, not 'sometimes'")
    assert Service.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("<services><service><service_code>1</service_code>", "not well-formed XML"),
        ('[{"service_code": 001}]', "not valid JSON"),
        ('{"hello": 1}', "neither a services list"),
        ("<catalogue/>", "not <services> or <service_definition>"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><services/>', "DOCTYPE"),
        ('[{"service_name": "No code"}]', "'service_code' is missing"),
        ('[{"service_code": "X", "service_name": "X", "metadata": "maybe"}]',
         "'metadata' must be true or false"),
    ],
)
def test_malformed_documents_are_refused_with_a_clear_reason(tmp_path, content, words):
    document = tmp_path / "bad.txt"
    document.write_text(content)

    with pytest.raises(DomainError, match=words) as caught:
        services_import([document])

    assert caught.value.message.startswith("bad.txt: ")
    assert Service.objects.count() == 0


def test_a_definition_for_an_unknown_service_is_refused():
    with pytest.raises(DomainError, match="unknown services: S0301"):
        services_import([FIXTURES / "dc-services-S0301.xml"])


def test_the_command_reports_a_summary(capsys):
    call_command("import_services", str(FIXTURES / "giessen-services.xml"))

    assert "Imported 8 services (8 created, 0 updated), 0 attributes from giessen-services.xml" in (
        capsys.readouterr().out)


def test_the_command_fails_with_the_reason_and_stores_nothing(tmp_path):
    document = tmp_path / "broken.xml"
    document.write_text("<services>")

    with pytest.raises(CommandError, match="Nothing was imported. broken.xml: not well-formed XML"):
        call_command("import_services", str(document))
    assert Service.objects.count() == 0
