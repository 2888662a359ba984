"""Reading a submitted XForm instance: which form and version, the instance
UUID, the phone's clock, and the answers by the form definition.

The XML comes from the network, so it is parsed with defusedxml with DTDs
refused: no entity expansion, no external entities, no "billion laughs".
Element names are read without their namespace: ODK Collect, Enketo and
older clients differ in which namespace (if any) they put the instance in.
"""

import datetime
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

# As the field app and ODK make them ("uuid:" and a UUID), but any client's
# own scheme is accepted: printable, no spaces, short enough to index.
INSTANCE_ID = re.compile(r"^[\x21-\x7e]{1,80}$")
MAX_VERSION = 32
MAX_CODE = 64


class InstanceProblem(Exception):
    """The instance cannot be read; the message says why, for the person sending."""


@dataclass(frozen=True)
class Instance:
    form_code: str
    form_version: str
    instance_id: str
    captured_at: datetime.datetime | None
    # Every leaf element's text by its (namespace-free) name, first occurrence
    # wins; the meta block is kept apart so that no question can shadow it.
    values: dict[str, str] = field(default_factory=dict)

    def answers(self, definition: dict) -> dict[str, str]:
        """The answers to the definition's questions: non-empty texts by
        question name, as the form sent them (field.definitions checks and
        converts them)."""
        names = {q["name"] for q in definition.get("questions", [])}
        return {name: text for name, text in self.values.items() if name in names and text}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _leaves(element: Element, into: dict[str, str], meta: dict[str, str], in_meta: bool) -> None:
    for child in element:
        name = _local(child.tag)
        if len(child):
            _leaves(child, into, meta, in_meta or name == "meta")
            continue
        target = meta if in_meta else into
        target.setdefault(name, (child.text or "").strip())


def _timestamp(text: str) -> datetime.datetime | None:
    """A phone's jr:preload timestamp ("2026-12-07T08:15:22.123+02:00"); None
    when absent, unreadable or without an offset (the phone's clock may be
    anything: it never makes a record refused)."""
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def instance_read(xml: bytes) -> Instance:
    """The instance in `xml`; InstanceProblem naming what is wrong."""
    try:
        root = fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InstanceProblem(_(
            "The submission XML uses a DTD or entities, which are refused.")) from exc
    except (ParseError, ValueError) as exc:
        raise InstanceProblem(_("The submission is not well-formed XML: %(error)s")
                              % {"error": str(exc)[:160]}) from exc
    code = (root.get("id") or "").strip()
    version = (root.get("version") or "").strip()
    if not code:
        raise InstanceProblem(_(
            "The submission's root element <%(name)s> has no id attribute naming its form.")
            % {"name": _local(root.tag)[:60]})
    if len(code) > MAX_CODE or len(version) > MAX_VERSION:
        raise InstanceProblem(_("The submission's form id or version is too long."))
    values: dict[str, str] = {}
    meta: dict[str, str] = {}
    _leaves(root, values, meta, in_meta=False)
    if meta.get("deprecatedID"):
        # An edit of a sent record comes with a new instanceID; received as a
        # record it would count the household twice, and it names no
        # revision to check for a conflict (issue 17: never last-write-wins).
        raise InstanceProblem(_(
            "This is an edit of a record already sent (meta/deprecatedID): edits are not "
            "received over OpenRosa; ask a supervisor to correct the record in Imbizo."))
    instance_id = meta.get("instanceID", "")
    if not instance_id:
        raise InstanceProblem(_(
            "The submission has no meta/instanceID: the form must give every record one."))
    if not INSTANCE_ID.match(instance_id):
        raise InstanceProblem(_(
            "The submission's meta/instanceID is not a usable identifier (at most 80 "
            "printable characters without spaces)."))
    captured_at = _timestamp(values.get("end", "")) or _timestamp(values.get("start", ""))
    return Instance(form_code=code, form_version=version, instance_id=instance_id,
                    captured_at=captured_at, values=values)
