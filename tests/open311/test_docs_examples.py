"""Every curl example in docs/open311.md runs against a live server and answers
as the comment above it says, with a well-formed document."""

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine

from tests.open311.factories import open_case
from tests.open311.schemas import xml_strict
from tests.support import sast

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "open311.md"
EXAMPLE = re.compile(r"<!-- expect (\d{3}) -->\n```sh\n(.*?)```", re.DOTALL)
# A valid 1x1 PNG: photos are checked by decoding them.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc8!'\x07\x00\x02\xb6\x01\x054\xa6u\xaa\x00\x00\x00"
       b"\x00IEND\xaeB`\x82")


def examples() -> list[tuple[int, str]]:
    return [(int(status), command.replace("\\\n", " ").strip())
            for status, command in EXAMPLE.findall(DOCS.read_text())]


def test_the_guide_has_examples_of_every_endpoint():
    commands = " ".join(command for _status, command in examples())

    for resource in ("discovery", "services.", "services/", "requests.", "requests/", "tokens/",
                     "servicerequestupdates"):
        assert f"$BASE/{resource}" in commands, resource


def test_every_curl_example_answers_as_documented(live_server, questions, api_key, tmp_path,
                                                  settings):
    assert shutil.which("curl"), "the documentation examples need curl (apt-get install curl)"
    settings.MEDIA_ROOT = tmp_path
    photo = tmp_path / "pothole.png"
    photo.write_bytes(PNG)
    with time_machine.travel(sast(2026, 3, 10, 10, 0), tick=True):
        case = open_case(questions, attributes={"depth": 20, "hazard": "no"})
        variables = {"BASE": live_server.url + "/open311/v2", "API_KEY": api_key,
                     "LAT": str(questions.ward.centroid_lat),
                     "LONG": str(questions.ward.centroid_lon), "REFERENCE": case.reference,
                     "PHOTO": str(photo), "TOKEN": ""}
        for expected, command in examples():
            if "$TOKEN" in command and not variables["TOKEN"]:
                pytest.fail("an example reads a token before any example made one")
            answer = _run(command, variables)
            assert answer["status"] == expected, (command, answer)
            if "token" in answer["document"]:
                variables["TOKEN"] = answer["document"]["token"]


def _run(command: str, variables: dict) -> dict:
    words = shlex.split(command)
    assert words[0] == "curl"
    words = [re.sub(r"\$(\w+)", lambda m: variables[m[1]], w) for w in words]
    result = subprocess.run([*words, "-w", "\n%{http_code}"], capture_output=True, timeout=30,
                            check=True)
    body, _, status = result.stdout.rpartition(b"\n")
    if b".json" in command.encode():
        parsed = json.loads(body)
        document = parsed[0] if isinstance(parsed, list) and parsed else parsed
    else:
        root = xml_strict(body)
        document = {child.tag: child.text for child in root[0]} if len(root) else {}
    return {"status": int(status), "document": document if isinstance(document, dict) else {}}
