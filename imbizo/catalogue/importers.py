"""Import a service catalogue from Open311 GeoReport v2 documents.

Takes services lists (`services.xml` / `services.json`) and service
definitions (`services/{code}.xml|json`), recognised by their content, not
their names. An import is all-or-nothing: every document is read and checked
first, then everything is written in one transaction; an error names the
file, the record and the field, and nothing is stored.

Imported services have no standard: they are drafts until an administrator
writes one.
"""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - declarations are refused before parsing (_xml_root)
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .errors import CatalogueError
from .models import AttributeDatatype, Open311Type, Service, ServiceAttribute
from .snapshot import snapshot_reset

# Services lists of the largest cities are a few hundred kilobytes.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

# Root elements of other GeoReport v2 documents, to say what was given instead.
_OTHER_DOCUMENTS = {
    "service_requests": "a list of service requests",
    "discovery": "a discovery document",
    "errors": "an Open311 error response",
}


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


@dataclass(frozen=True)
class ServiceRecord:
    code: str
    name: str
    description: str
    group: str
    keywords: str
    type: str
    metadata: bool
    where: str  # "dc-services.xml: service #12 (S0301)", for errors about it later


@dataclass(frozen=True)
class AttributeRecord:
    code: str
    datatype: str
    description: str
    variable: bool
    required: bool
    datatype_description: str
    order: int
    values: list[dict]


@dataclass(frozen=True)
class ServiceDefinition:
    service_code: str
    attributes: list[AttributeRecord]
    file: str


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    attributes: int = 0
    files: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return _(
            "Imported %(n)d services (%(c)d created, %(u)d updated), %(a)d attributes from %(f)s"
        ) % {"n": self.created + self.updated, "c": self.created, "u": self.updated,
             "a": self.attributes, "f": ", ".join(self.files)}


class _Problem(Exception):
    """An error inside one document, before the file name is added."""


def _invalid(message: str) -> DomainError:
    return DomainError(CatalogueError.IMPORT_INVALID, message)


# --- reading XML ----------------------------------------------------------------


def _refuse_declarations(data: bytes) -> None:
    """Refuse any DOCTYPE (and so any entity declaration) before the tree is built.

    Python 3.11's pyexpat links expat >= 2.4.1 (2.5.0 here), which caps entity
    amplification ("billion laughs"), and ElementTree never fetches external
    entities. An Open311 document has no use for a DTD, so one is refused
    outright rather than relying on those limits (defusedxml is not a
    dependency).
    """
    def refuse(*args) -> None:
        raise _Problem(_("documents with a DOCTYPE or entity declarations are refused"))

    scanner = expat.ParserCreate()
    scanner.StartDoctypeDeclHandler = refuse
    scanner.EntityDeclHandler = refuse
    try:
        scanner.Parse(data, True)
    except expat.ExpatError as exc:
        raise _Problem(_("not well-formed XML (%(error)s)") % {"error": exc}) from exc


def _xml_root(data: bytes) -> ET.Element:
    _refuse_declarations(data)
    try:
        root = ET.fromstring(data)  # noqa: S314 - checked by _refuse_declarations
    except ET.ParseError as exc:
        raise _Problem(_("not well-formed XML (%(error)s)") % {"error": exc}) from exc
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]  # "{namespace}service" -> "service"
    return root


def _child_text(element: ET.Element, name: str) -> str:
    child = element.find(name)
    return (child.text or "").strip() if child is not None else ""


def _xml_document(root: ET.Element) -> tuple[str, object]:
    if root.tag == "services":
        services = [
            {child.tag: (child.text or "").strip() for child in element}
            for element in root if element.tag == "service"
        ]
        return "services", services
    if root.tag == "service_definition":
        attributes = []
        for element in root.iterfind("attributes/attribute"):
            raw = {child.tag: (child.text or "").strip() for child in element if child.tag != "values"}
            raw["values"] = [
                {"key": _child_text(value, "key"), "name": _child_text(value, "name")}
                for value in element.iterfind("values/value")
            ]
            attributes.append(raw)
        return "definition", {"service_code": _child_text(root, "service_code"),
                               "attributes": attributes}
    if root.tag in _OTHER_DOCUMENTS:
        raise _Problem(_("this is %(what)s, not a services list or a service definition")
                       % {"what": _OTHER_DOCUMENTS[root.tag]})
    raise _Problem(_("the root element is <%(tag)s>, not <services> or <service_definition>")
                   % {"tag": root.tag})


# --- reading JSON ---------------------------------------------------------------


def _json_document(data: bytes) -> tuple[str, object]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Problem(_("not valid JSON (%(error)s)") % {"error": exc}) from exc
    if isinstance(document, list):
        for index, item in enumerate(document, start=1):
            if not isinstance(item, dict):
                raise _Problem(_("service #%(n)d is not an object") % {"n": index})
            if "service_request_id" in item or "requested_datetime" in item or "token" in item:
                raise _Problem(_("this is %(what)s, not a services list or a service definition")
                               % {"what": _OTHER_DOCUMENTS["service_requests"]})
            if "service_code" not in item and {"code", "description"} <= set(item):
                raise _Problem(_("this is %(what)s, not a services list or a service definition")
                               % {"what": _OTHER_DOCUMENTS["errors"]})
        return "services", document
    if isinstance(document, dict) and "attributes" in document:
        if not isinstance(document["attributes"], list) or not all(
                isinstance(a, dict) for a in document["attributes"]):
            raise _Problem(_("'attributes' must be a list of objects"))
        return "definition", document
    raise _Problem(_("neither a services list (an array) nor a service definition "
                     "(an object with 'attributes')"))


# --- checking records -----------------------------------------------------------


def _text(raw: dict, key: str, where: str, *, max_length: int | None = None,
          required: bool = False) -> str:
    """The value of `key` as stripped text; missing and null are empty."""
    value = raw.get(key)
    if isinstance(value, dict | list):
        raise _Problem(_("%(where)s: '%(field)s' must be text") % {"where": where, "field": key})
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _Problem(_("%(where)s: '%(field)s' is missing") % {"where": where, "field": key})
    if max_length is not None and len(text) > max_length:
        raise _Problem(_("%(where)s: '%(field)s' is longer than %(n)d characters")
                       % {"where": where, "field": key, "n": max_length})
    return text


def _boolean(raw: dict, key: str, where: str, *, default: bool) -> bool:
    value = raw.get(key)
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        return default
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise _Problem(_("%(where)s: '%(field)s' must be true or false, not '%(value)s'")
                   % {"where": where, "field": key, "value": value})


def _keywords(raw: dict, where: str) -> str:
    value = raw.get("keywords")
    words = value if isinstance(value, list) else _text(raw, "keywords", where).split(",")
    text = ", ".join(w for w in (str(w).strip() for w in words if w is not None) if w)
    limit = _max_length(Service, "keywords")
    if len(text) > limit:
        raise _Problem(_("%(where)s: 'keywords' is longer than %(n)d characters")
                       % {"where": where, "n": limit})
    return text


def _service(raw: dict, index: int, file: str) -> ServiceRecord:
    where = _("service #%(n)d") % {"n": index}
    code = _text(raw, "service_code", where)
    if code:
        where = _("service #%(n)d (%(code)s)") % {"n": index, "code": code}
    code = _text(raw, "service_code", where, required=True,
                 max_length=_max_length(Service, "code"))
    given_type = _text(raw, "type", where)
    kind = given_type.lower() or Open311Type.REALTIME
    if kind not in Open311Type.values:
        raise _Problem(_("%(where)s: 'type' must be realtime, batch or blackbox, not '%(value)s'")
                       % {"where": where, "value": given_type})
    return ServiceRecord(
        code=code,
        name=_text(raw, "service_name", where, required=True,
                   max_length=_max_length(Service, "name")),
        description=_text(raw, "description", where),
        group=_text(raw, "group", where, max_length=_max_length(Service, "group")),
        keywords=_keywords(raw, where),
        type=kind,
        metadata=_boolean(raw, "metadata", where, default=False),
        where=f"{file}: {where}",
    )


def _order(raw: dict, where: str) -> int:
    value = raw.get("order")
    if value is None or value == "":
        return 0
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, bool) and (isinstance(value, int) or str(value).strip().lstrip("-").isdigit()):
        return int(value)
    raise _Problem(_("%(where)s: 'order' must be a whole number, not '%(value)s'")
                   % {"where": where, "value": value})


def _values(raw: dict, where: str) -> list[dict]:
    given = raw.get("values")
    if given is None:
        return []
    if not isinstance(given, list):
        raise _Problem(_("%(where)s: 'values' must be a list") % {"where": where})
    values, keys = [], set()
    for n, value in enumerate(given, start=1):
        key = value.get("key") if isinstance(value, dict) else None
        key = "" if key is None else str(key).strip()
        if not key:
            raise _Problem(_("%(where)s: value #%(n)d has no 'key'") % {"where": where, "n": n})
        if key in keys:
            raise _Problem(_("%(where)s: value #%(n)d repeats the key '%(key)s'")
                           % {"where": where, "n": n, "key": key})
        keys.add(key)
        name = value.get("name")
        values.append({"key": key, "name": str(name).strip() if name not in (None, "") else key})
    return values


def _attribute(raw: dict, index: int, service_code: str) -> AttributeRecord:
    where = _("service %(service)s, attribute #%(n)d") % {"service": service_code, "n": index}
    code = _text(raw, "code", where)
    if code:
        where = _("service %(service)s, attribute #%(n)d (%(code)s)") % {
            "service": service_code, "n": index, "code": code}
    code = _text(raw, "code", where, required=True,
                 max_length=_max_length(ServiceAttribute, "code"))
    given_type = _text(raw, "datatype", where, required=True)
    datatype = given_type.lower()
    if datatype not in AttributeDatatype.values:
        raise _Problem(
            _("%(where)s: 'datatype' must be one of %(allowed)s, not '%(value)s'")
            % {"where": where, "allowed": ", ".join(AttributeDatatype.values), "value": given_type})
    variable = _boolean(raw, "variable", where, default=True)
    values = _values(raw, where)
    if datatype in (AttributeDatatype.SINGLE, AttributeDatatype.MULTI) and variable and not values:
        raise _Problem(_("%(where)s: a %(datatype)s question needs 'values' to choose from")
                       % {"where": where, "datatype": datatype})
    return AttributeRecord(
        code=code, datatype=datatype,
        description=_text(raw, "description", where) or code,
        variable=variable,
        required=_boolean(raw, "required", where, default=False),
        datatype_description=_text(raw, "datatype_description", where,
                                   max_length=_max_length(ServiceAttribute, "datatype_description")),
        order=_order(raw, where), values=values,
    )


def document_read(name: str, data: bytes) -> list[ServiceRecord] | ServiceDefinition:
    """The services of a services list, or the attributes of a service definition.

    `name` is the file name used in errors. Raises DomainError (IMPORT_INVALID)
    naming the file, the record and the field.
    """
    try:
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            kind, raw = _xml_document(_xml_root(data))
        else:
            kind, raw = _json_document(data)
        if kind == "services":
            return [_service(item, n, name) for n, item in enumerate(raw, start=1)]
        code = _text(raw, "service_code", _("the service definition"), required=True,
                     max_length=_max_length(Service, "code"))
        attributes, seen = [], set()
        for n, item in enumerate(raw["attributes"], start=1):
            attribute = _attribute(item, n, code)
            if attribute.code in seen:
                raise _Problem(_("service %(service)s, attribute #%(n)d: the code '%(code)s' "
                                 "appears twice") % {"service": code, "n": n, "code": attribute.code})
            seen.add(attribute.code)
            attributes.append(attribute)
        return ServiceDefinition(service_code=code, attributes=attributes, file=name)
    except _Problem as problem:
        raise _invalid(f"{name}: {problem}") from problem


def _file_read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise _invalid(_("%(file)s: larger than %(mb)d MB")
                           % {"file": path.name, "mb": MAX_DOCUMENT_BYTES // 2**20})
        return path.read_bytes()
    except OSError as exc:
        raise _invalid(_("%(file)s: cannot be read (%(error)s)")
                       % {"file": path, "error": exc.strerror}) from exc


# --- writing --------------------------------------------------------------------


def services_import(
    paths: Sequence[Path | str], *, progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Create or update the services of every document by code, and replace the
    attributes of each service whose definition is given, all in one transaction.

    Every document is read and checked before anything is written. A service
    code given twice, or a definition for a service neither given nor in the
    catalogue, is an error. `progress(done, total)` is called as rows are written.
    """
    services: dict[str, ServiceRecord] = {}
    definitions: dict[str, ServiceDefinition] = {}
    for path in map(Path, paths):
        document = document_read(path.name, _file_read(path))
        if isinstance(document, ServiceDefinition):
            earlier = definitions.get(document.service_code)
            if earlier:
                raise _invalid(_("%(file)s: the definition of service %(code)s was already given "
                                 "in %(earlier)s") % {"file": path.name, "code": document.service_code,
                                                       "earlier": earlier.file})
            definitions[document.service_code] = document
            continue
        for record in document:
            earlier = services.get(record.code)
            if earlier:
                raise _invalid(_("%(where)s: the code was already given as %(earlier)s")
                               % {"where": record.where, "earlier": earlier.where})
            services[record.code] = record

    summary = ImportSummary(files=[Path(p).name for p in paths])
    total = len(services) + len(definitions)
    with transaction.atomic():
        existing = {s.code: s for s in Service.objects.filter(code__in=set(services) | set(definitions))}
        for definition in definitions.values():
            if definition.service_code not in services and definition.service_code not in existing:
                raise _invalid(_("%(file)s: service %(code)s is neither in the services lists given "
                                 "nor in the catalogue; import its services list too")
                               % {"file": definition.file, "code": definition.service_code})
        done = 0
        for record in services.values():
            values = {"name": record.name, "description": record.description,
                      "group": record.group, "keywords": record.keywords,
                      "open311_type": record.type, "metadata": record.metadata}
            if record.code in existing:
                Service.objects.filter(pk=existing[record.code].pk).update(**values)
                summary.updated += 1
            else:
                existing[record.code] = Service.objects.create(code=record.code, **values)
                summary.created += 1
            done += 1
            if progress:
                progress(done, total)
        for code, definition in definitions.items():
            service = existing[code]
            ServiceAttribute.objects.filter(service=service).delete()
            ServiceAttribute.objects.bulk_create(
                ServiceAttribute(service=service, code=a.code, datatype=a.datatype,
                                 description=a.description, variable=a.variable,
                                 required=a.required, datatype_description=a.datatype_description,
                                 order=a.order, values=a.values)
                for a in definition.attributes
            )
            # Open311 'metadata' says whether the service has attributes; the definition decides.
            Service.objects.filter(pk=service.pk).update(metadata=bool(definition.attributes))
            summary.attributes += len(definition.attributes)
            done += 1
            if progress:
                progress(done, total)
        # update() and bulk_create() send no signals; the catalogue snapshot must still go.
        transaction.on_commit(snapshot_reset)
    return summary
