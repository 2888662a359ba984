"""GeoReport v2 documents as XML or JSON responses.

A document is built once as plain data (dicts in field order, lists, str,
int, float, bool, None) and rendered in either format. XML has no namespace
and declares UTF-8; a list inside a record becomes a container element of
items (`values` -> `value`); None is an empty element in XML and null in JSON.
"""

import json
import math
import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds documents, parses nothing

from django.http import HttpResponse

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"

# The item element of each list, by the list's element name.
ITEM_TAG = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "notes": "note",
    "duplicates": "duplicate",
}


# Characters XML 1.0 cannot carry at all (even escaped): dropped from text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    return _NOT_XML.sub("", str(value))


def _element(parent: ET.Element, tag: str, value) -> None:
    child = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, item in value.items():
            _element(child, key, item)
    elif isinstance(value, list):
        item_tag = ITEM_TAG[tag]
        for item in value:
            _element(child, item_tag, item)
    else:
        child.text = _text(value)


def xml_bytes(root_tag: str, content) -> bytes:
    """The document `content` (a list of records or one record) under <root_tag>."""
    root = ET.Element(root_tag)
    if isinstance(content, list):
        item_tag = ITEM_TAG[root_tag]
        for item in content:
            _element(root, item_tag, item)
    else:
        for key, item in content.items():
            _element(root, key, item)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                     xml_declaration=False)


def json_bytes(content) -> bytes:
    return json.dumps(content, ensure_ascii=False, allow_nan=False).encode("utf-8")


def document_response(fmt: str, root_tag: str, content, *, status: int = 200) -> HttpResponse:
    """`content` as an XML (<root_tag>) or JSON response."""
    if fmt == "json":
        return HttpResponse(json_bytes(content), status=status, content_type=JSON_CONTENT_TYPE)
    return HttpResponse(xml_bytes(root_tag, content), status=status,
                        content_type=XML_CONTENT_TYPE)
