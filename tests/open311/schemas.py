"""The published GeoReport v2 JSON schemas, and strict XML parsing, for the tests."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own responses in tests
from pathlib import Path
from xml.parsers import expat

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "open311"
SCHEMAS = FIXTURES / "schema"

REGISTRY = Registry().with_resources(
    (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT7))
    for path in SCHEMAS.glob("*.json")
)


def schema_validator(name: str) -> Draft7Validator:
    """A validator for one of the published schemas, with date-time and uri formats checked."""
    return Draft7Validator(json.loads((SCHEMAS / name).read_text()), registry=REGISTRY,
                           format_checker=Draft7Validator.FORMAT_CHECKER)


def assert_valid(document, schema: str) -> None:
    errors = sorted(schema_validator(schema).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def xml_strict(body: bytes) -> ET.Element:
    """Parse `body` as UTF-8 XML with expat (well-formed or it fails), and check it
    declares UTF-8, has no DOCTYPE and uses no namespace anywhere."""
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), body[:60]
    parser = expat.ParserCreate("UTF-8", namespace_separator="}")
    seen = []
    parser.StartElementHandler = lambda name, attrs: seen.append((name, attrs))
    parser.StartDoctypeDeclHandler = lambda *a: seen.append(("!DOCTYPE", {}))
    parser.Parse(body, True)
    assert seen and all("}" not in name and not attrs for name, attrs in seen), seen[:3]
    assert ("!DOCTYPE", {}) not in seen
    return ET.fromstring(body)  # noqa: S314 - our own, just checked


def xml_records(root: ET.Element) -> list[dict]:
    """The children of `root` as dicts of their simple fields (text or None)."""
    return [{child.tag: child.text for child in item if len(child) == 0} for item in root]
