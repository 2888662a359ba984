"""Import a service catalogue from Open311 GeoReport v2 documents.

Takes services lists (`services.xml` / `services.json`) and service
definitions (`services/{code}.xml|json`), recognised by their content. An
import is all-or-nothing: every document is read and checked first, then
everything is written in one transaction; any error names the file, the
record and the field, and nothing is stored.
"""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPEs are refused before parsing (below)
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from imbizo.core.errors import DomainError

from .errors import CatalogueError
from .models import AttributeDatatype, Open311Type, Service, ServiceAttribute

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass
class ServiceRecord:
    code: str
    name: str
    description: str = ""
    group: str = ""
    keywords: str = ""
    type: str = Open311Type.REALTIME
    metadata: bool = False


@dataclass
class AttributeRecord:
    code: str
    datatype: str
    description: str
    variable: bool = True
    required: bool = False
    datatype_description: str = ""
    order: int = 0
    values: list[dict] = field(default_factory=list)


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
    """An error inside one document, before the file name is known."""


def _fail(file: str, message: str) -> DomainError:
    return DomainError(CatalogueError.IMPORT_INVALID, f"{file}: {message}")


# --- reading ------------------------------------------------------------------


def _strip_namespace(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_root(data: bytes) -> ET.Element:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise _Problem(_("documents with a DOCTYPE or entities are refused"))
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DOCTYPE, so no entity expansion
    except ET.ParseError as exc:
        raise _Problem(_("not well-formed XML (%(error)s)") % {"error": exc}) from exc
    for element in root.iter():
        element.tag = _strip_namespace(element.tag)
    return root


def _text(element: ET.Element, name: str) -> str:
    child = element.find(name)
    return (child.text or "").strip() if child is not None else ""


def _boolean(value, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        return False
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise _Problem(_("%(where)s must be true or false, not '%(value)s'")
                   % {"where": where, "value": value})


def _service(raw: dict, index: int) -> ServiceRecord:
    code = str(raw.get("service_code") or "").strip()
    where = f"service #{index}" + (f" ({code})" if code else "")
    if not code:
        raise _Problem(_("%(where)s: 'service_code' is missing") % {"where": where})
    if len(code) > 64:
        raise _Problem(_("%(where)s: 'service_code' is longer than 64 characters")
                       % {"where": where})
    name = str(raw.get("service_name") or "").strip()
    if not name:
        raise _Problem(_("%(where)s: 'service_name' is missing") % {"where": where})
    kind = str(raw.get("type") or Open311Type.REALTIME).strip().lower()
    if kind not in Open311Type.values:
        raise _Problem(_("%(where)s: 'type' must be realtime, batch or blackbox, not '%(value)s'")
                       % {"where": where, "value": kind})
    keywords = raw.get("keywords") or ""
    if isinstance(keywords, list):
        keywords = ", ".join(str(k) for k in keywords)
    return ServiceRecord(
        code=code, name=name[:200], description=str(raw.get("description") or "").strip(),
        group=str(raw.get("group") or "").strip()[:120], keywords=str(keywords).strip()[:500],
        type=kind, metadata=_boolean(raw.get("metadata"), f"{where}: 'metadata'"),
    )


def _attribute(raw: dict, index: int, service_code: str) -> AttributeRecord:
    code = str(raw.get("code") or "").strip()
    where = f"service {service_code}, attribute #{index}" + (f" ({code})" if code else "")
    if not code:
        raise _Problem(_("%(where)s: 'code' is missing") % {"where": where})
    datatype = str(raw.get("datatype") or "").strip().lower()
    if datatype not in AttributeDatatype.values:
        raise _Problem(
            _("%(where)s: 'datatype' must be one of %(allowed)s, not '%(value)s'")
            % {"where": where, "allowed": ", ".join(AttributeDatatype.values), "value": datatype})
    try:
        order = int(raw.get("order") or 0)
    except (TypeError, ValueError) as exc:
        raise _Problem(_("%(where)s: 'order' must be a whole number") % {"where": where}) from exc
    values = []
    for n, value in enumerate(raw.get("values") or [], start=1):
        if not isinstance(value, dict) or value.get("key") in (None, ""):
            raise _Problem(_("%(where)s: value #%(n)d has no 'key'") % {"where": where, "n": n})
        values.append({"key": str(value["key"]), "name": str(value.get("name") or value["key"])})
    if datatype in (AttributeDatatype.SINGLE, AttributeDatatype.MULTI) and not values \
            and _boolean(raw.get("variable", True), f"{where}: 'variable'"):
        raise _Problem(_("%(where)s: a list question needs values") % {"where": where})
    return AttributeRecord(
        code=code, datatype=datatype, description=str(raw.get("description") or code).strip(),
        variable=_boolean(raw.get("variable", True), f"{where}: 'variable'"),
        required=_boolean(raw.get("required"), f"{where}: 'required'"),
        datatype_description=str(raw.get("datatype_description") or "").strip()[:255],
        order=order, values=values,
    )


def _xml_records(root: ET.Element):
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
                {"key": _text(v, "key"), "name": _text(v, "name")}
                for v in element.iterfind("values/value")
            ]
            attributes.append(raw)
        return "definition", {"service_code": _text(root, "service_code"), "attributes": attributes}
    raise _Problem(_("the root element is <%(tag)s>, not <services> or <service_definition>")
                   % {"tag": root.tag})


def _json_records(data: bytes):
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Problem(_("not valid JSON (%(error)s)") % {"error": exc}) from exc
    if isinstance(document, list):
        if not all(isinstance(item, dict) for item in document):
            raise _Problem(_("a services list must hold objects"))
        return "services", document
    if isinstance(document, dict) and "attributes" in document:
        if not isinstance(document["attributes"], list):
            raise _Problem(_("'attributes' must be a list"))
        return "definition", document
    raise _Problem(_("neither a services list (an array) nor a service definition "
                     "(an object with 'attributes')"))


def document_read(name: str, data: bytes):
    """('services', [ServiceRecord]) or ('definition', (code, [AttributeRecord])) from a file."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _fail(name, _("larger than %(mb)d MB") % {"mb": MAX_DOCUMENT_BYTES // 2**20})
    try:
        stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
        kind, raw = _xml_records(_xml_root(data)) if stripped.startswith(b"<") \
            else _json_records(data)
        if kind == "services":
            return kind, [_service(item, n) for n, item in enumerate(raw, start=1)]
        code = str(raw.get("service_code") or "").strip()
        if not code:
            raise _Problem(_("the service definition has no 'service_code'"))
        attributes = [_attribute(a, n, code) for n, a in enumerate(raw["attributes"], 1)]
        codes = [a.code for a in attributes]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise _Problem(_("service %(service)s: attribute code '%(code)s' appears twice")
                           % {"service": code, "code": repeated[0]})
        return kind, (code, attributes)
    except _Problem as problem:
        raise _fail(name, str(problem)) from problem


# --- writing ------------------------------------------------------------------


def services_import(
    paths: list[Path], *, progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Read every document, check it, then write all of it in one transaction."""
    services: dict[str, ServiceRecord] = {}
    definitions: dict[str, list[AttributeRecord]] = {}
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise _fail(str(path), _("cannot be read (%(error)s)") % {"error": exc.strerror}) from exc
        kind, records = document_read(Path(path).name, data)
        if kind == "services":
            for record in records:
                services[record.code] = record
        else:
            code, attributes = records
            definitions[code] = attributes
    unknown = set(definitions) - set(services) - set(
        Service.objects.filter(code__in=definitions).values_list("code", flat=True))
    if unknown:
        raise DomainError(
            CatalogueError.IMPORT_INVALID,
            _("Service definitions for unknown services: %(codes)s (import their services "
              "list too)") % {"codes": ", ".join(sorted(unknown))},
        )
    summary = ImportSummary(files=[Path(p).name for p in paths])
    with transaction.atomic():
        existing = {s.code: s for s in Service.objects.filter(code__in=services)}
        total = len(services)
        for done, record in enumerate(services.values(), start=1):
            values = {"name": record.name, "description": record.description,
                      "group": record.group, "keywords": record.keywords,
                      "open311_type": record.type, "metadata": record.metadata}
            if record.code in existing:
                Service.objects.filter(pk=existing[record.code].pk).update(**values)
                summary.updated += 1
            else:
                existing[record.code] = Service.objects.create(code=record.code, **values)
                summary.created += 1
            if progress:
                progress(done, total)
        for code, attributes in definitions.items():
            service = existing.get(code) or Service.objects.get(code=code)
            service.attributes.all().delete()
            ServiceAttribute.objects.bulk_create(
                ServiceAttribute(service=service, code=a.code, datatype=a.datatype,
                                 description=a.description, variable=a.variable,
                                 required=a.required, datatype_description=a.datatype_description,
                                 order=a.order, values=a.values)
                for a in attributes
            )
            Service.objects.filter(pk=service.pk).update(metadata=True)
            summary.attributes += len(attributes)
    from .snapshot import snapshot_reset

    snapshot_reset()  # update() and bulk_create() send no signals
    return summary
