"""docs/api.md: every curl example runs against a live server, in order, and
the signature check a consumer is given accepts Imbizo's signatures."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from imbizo.cases.models import Case, RoutingRule
from imbizo.integrations.webhooks import signature_header
from tests.api.conftest import key_for
from tests.factories import (
    InstitutionFactory,
    OfficeFactory,
    ServiceFactory,
    ServiceStandardFactory,
    WardFactory,
    square,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_page_has_curl_examples_for_each_kind_of_operation():
    examples = "\n".join(blocks("sh"))

    for fragment in ('"$IMBIZO/api/v1/services', '-X POST "$IMBIZO/api/v1/cases"',
                     '"$IMBIZO/api/v1/cases/$REF"', '-G "$IMBIZO/api/v1/cases"',
                     "/cases/$REF/status", "/cases/$REF/updates", "/api/v1/stats/cases"):
        assert fragment in examples


@pytest.mark.django_db(transaction=True)
def test_every_curl_example_works_against_a_live_server(live_server):
    if not shutil.which("curl"):
        pytest.fail("curl is needed to run the examples of docs/api.md")
    # The demo's place and service, as the examples use them.
    InstitutionFactory()
    ward = WardFactory(code="W017", boundary=square(30.99, -29.84, 0.02), centroid_lat=-29.83,
                       centroid_lon=31.0)
    office = OfficeFactory(code="north-water")
    service = ServiceFactory(code="water-leak", department=office.department)
    ServiceStandardFactory(service=service)
    RoutingRule.objects.create(service=service, office=office)
    env = {"PATH": os.environ["PATH"], "IMBIZO": live_server.url,
           "KEY": key_for("read,write"), "REF": ""}

    for example in blocks("sh"):
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", example], env=env,
                                capture_output=True, text=True, timeout=30, check=False)

        assert result.returncode == 0, (example, result.stdout, result.stderr)
        answer = json.loads(result.stdout)
        if "--fail-with-body" not in example:
            assert answer["errors"], example  # an example of a refusal
        elif isinstance(answer, dict) and "reference" in answer:
            env["REF"] = answer["reference"]

    case = Case.objects.get()
    assert (case.ward, case.office, case.channel) == (ward, office, "hotline")
    assert case.status == "acknowledged"
    assert case.events.filter(kind="public_update").exists()


def test_the_consumers_signature_check_accepts_imbizo_signatures_only():
    [code] = blocks("python")
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    check = namespace["imbizo_signature_ok"]
    body = b'{"event":"case.opened","id":"abc"}'
    header = signature_header("whsec_test", 1_772_438_400, body)

    assert check("whsec_test", header, body, now=1_772_438_460)
    assert not check("whsec_test", header, body + b" ", now=1_772_438_460)
    assert not check("whsec_other", header, body, now=1_772_438_460)
    assert not check("whsec_test", header, body, now=1_772_438_400 + 301)
    assert not check("whsec_test", "v1=nothing", body, now=1_772_438_460)
