"""OpenRosa 1.0 documents and the headers every OpenRosa response carries.

- formList: <xforms xmlns="http://openrosa.org/xforms/xformsList">
- manifest: <manifest xmlns="http://openrosa.org/xforms/xformsManifest">
- everything transactional (a submission's receipt, an error):
  <OpenRosaResponse xmlns="http://openrosa.org/http/response"> with one
  <message nature="..."> that ODK Collect shows to the field worker.
"""

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language

FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"
XML_TYPE = "text/xml; charset=utf-8"
DEFAULT_ACCEPT_CONTENT_LENGTH = 10 * 1024 * 1024


def accept_content_length() -> int:
    """The largest POST body we ask a client to send: ODK Collect splits a
    submission with more files than fit over several POSTs."""
    return int(getattr(settings, "OPENROSA_ACCEPT_CONTENT_LENGTH", DEFAULT_ACCEPT_CONTENT_LENGTH))


def openrosa_headers(response: HttpResponse) -> HttpResponse:
    """The headers the OpenRosa request standard asks of every response
    (`Date` too, which the WSGI server adds: gunicorn and runserver always do,
    and a second one from here would be sent as a duplicate)."""
    response["X-OpenRosa-Version"] = "1.0"
    response["X-OpenRosa-Accept-Content-Length"] = str(accept_content_length())
    response["Content-Language"] = get_language() or settings.LANGUAGE_CODE
    return response


def _document(root: Element, *, status: int = 200) -> HttpResponse:
    body = tostring(root, encoding="utf-8", xml_declaration=True)
    return openrosa_headers(HttpResponse(body, status=status, content_type=XML_TYPE))


@dataclass(frozen=True)
class FormEntry:
    code: str
    title: str
    version: str
    hash: str  # "md5:<hex>"
    download_url: str
    manifest_url: str
    description: str = ""


def form_list_response(entries: list[FormEntry], *, verbose: bool) -> HttpResponse:
    root = Element("xforms", xmlns=FORM_LIST_NS)
    for entry in entries:
        xform = SubElement(root, "xform")
        SubElement(xform, "formID").text = entry.code
        SubElement(xform, "name").text = entry.title
        SubElement(xform, "version").text = entry.version
        SubElement(xform, "hash").text = entry.hash
        if verbose and entry.description:
            SubElement(xform, "descriptionText").text = entry.description
        SubElement(xform, "downloadUrl").text = entry.download_url
        SubElement(xform, "manifestUrl").text = entry.manifest_url
    return _document(root)


@dataclass(frozen=True)
class MediaFile:
    filename: str
    hash: str
    download_url: str


def manifest_response(media: list[MediaFile]) -> HttpResponse:
    root = Element("manifest", xmlns=MANIFEST_NS)
    for item in media:
        node = SubElement(root, "mediaFile")
        SubElement(node, "filename").text = item.filename
        SubElement(node, "hash").text = item.hash
        SubElement(node, "downloadUrl").text = item.download_url
    return _document(root)


def message_response(message: str, *, status: int, nature: str) -> HttpResponse:
    """An OpenRosaResponse with one message: "submit_success" for a receipt,
    "error" for a refusal."""
    root = Element("OpenRosaResponse", xmlns=RESPONSE_NS, items="0")
    SubElement(root, "message", nature=nature).text = message
    return _document(root, status=status)


def xform_response(xml: bytes) -> HttpResponse:
    return openrosa_headers(HttpResponse(xml, content_type=XML_TYPE))
