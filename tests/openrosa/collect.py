"""A stand-in for ODK Collect in tests: the requests it makes, in its order,
with its headers, through Django's test client.

Collect first asks without credentials, answers the 401's challenge with
HTTP Basic, sends HEAD to /submission to learn X-OpenRosa-Accept-Content-Length,
then POSTs multipart/form-data: the instance in `xml_submission_file`, each
file under its own name, and `*isIncomplete*=yes` on every POST of a split
submission but the last.
"""

import base64
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml.ElementTree import fromstring
from django.core.files.uploadedfile import SimpleUploadedFile

SERVER = "/openrosa"
HEADERS = {"HTTP_X_OPENROSA_VERSION": "1.0", "HTTP_DATE": "Mon, 07 Dec 2026 08:00:00 GMT",
           "HTTP_USER_AGENT": "org.odk.collect.android/v2025.2.1 okhttp/4.12.0"}
FORM_LIST_NS = "{http://openrosa.org/xforms/xformsList}"
RESPONSE_NS = "{http://openrosa.org/http/response}"
PASSWORD = "correct horse battery staple"


def basic(username: str, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def instance_xml(*, form: str = "household-needs", version: str = "1",
                 instance_id: str | None = None, answers: dict | None = None,
                 end: str = "2026-12-07T10:15:00.000+02:00") -> bytes:
    """An instance as Collect serialises it: the form's root with id and
    version, the answers, and meta/instanceID."""
    root = Element(form, {"id": form, "version": version,
                          "xmlns:jr": "http://openrosa.org/javarosa",
                          "xmlns:orx": "http://openrosa.org/xforms"})
    SubElement(root, "start").text = "2026-12-07T10:10:00.000+02:00"
    SubElement(root, "end").text = end
    for name, value in (answers or {}).items():
        SubElement(root, name).text = value
    meta = SubElement(root, "meta")
    SubElement(meta, "instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"
    return tostring(root, encoding="utf-8", xml_declaration=True)


def household_answers(**overrides) -> dict:
    """The household survey's answers for a point inside ward_at(..., 28.0)."""
    answers = {"location": "-26.195 28.005 1400 5", "needs": "water sanitation",
               "urgency": "urgent", "people": "5"}
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}


@dataclass
class Collect:
    """One phone with ODK Collect set up with a server URL and an account."""

    client: object
    username: str
    password: str = PASSWORD
    authorization: str = ""  # after the first 401, as Collect caches it per host
    requests: list = field(default_factory=list)

    def _call(self, method: str, path: str, body=dict):
        """`body()` makes the request's data afresh for each try (a file once
        sent is read to its end)."""
        send = getattr(self.client, method)
        response = send(path, **HEADERS, **body(), **(
            {"HTTP_AUTHORIZATION": self.authorization} if self.authorization else {}))
        if response.status_code == 401 and not self.authorization:
            assert response["WWW-Authenticate"].startswith("Basic ")
            self.authorization = basic(self.username, self.password)
            response = send(path, **HEADERS, **body(), HTTP_AUTHORIZATION=self.authorization)
        self.requests.append((method.upper(), path, response.status_code))
        return response

    def form_list(self):
        response = self._call("get", f"{SERVER}/formList")
        assert response.status_code == 200, response.content
        forms = []
        for xform in fromstring(response.content).findall(f"{FORM_LIST_NS}xform"):
            forms.append({child.tag.removeprefix(FORM_LIST_NS): child.text for child in xform})
        return forms

    def get(self, url: str):
        """GET an absolute URL the server gave (downloadUrl, manifestUrl)."""
        parts = urlsplit(url)
        return self._call("get", parts.path + (f"?{parts.query}" if parts.query else ""))

    def head_submission(self):
        return self._call("head", f"{SERVER}/submission")

    def submit(self, xml: bytes, files: dict[str, bytes] | None = None, *, incomplete=False):
        def body():
            data = {"xml_submission_file": SimpleUploadedFile("instance.xml", xml, "text/xml")}
            for name, content in (files or {}).items():
                data[name] = SimpleUploadedFile(name, content, "image/png")
            if incomplete:
                data["*isIncomplete*"] = "yes"
            return {"data": data}

        return self._call("post", f"{SERVER}/submission", body)


def message_of(response) -> tuple[str, str]:
    """(nature, text) of an OpenRosaResponse."""
    message = fromstring(response.content).find(f"{RESPONSE_NS}message")
    return message.get("nature", ""), message.text or ""
