"""Issue 22, done when: a report made in isiXhosa gets its acknowledgement SMS
and email in isiXhosa, from the web form read in isiXhosa and from an SMS
written in isiXhosa.

The expected words are gettext's in isiXhosa from the project's catalogue,
and each check also makes sure they differ from the English.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from imbizo.cases.models import Case
from imbizo.engagement.models import Contact
from imbizo.notify.models import OutboxMessage
from imbizo.notify.texts import message_text
from imbizo.org.selectors import institution_get
from tests.channels.conftest import PHONE, at_post, gateway_make, replies_to

pytestmark = pytest.mark.django_db

RECEIVED_SMS = "%(name)s: we received your report, ref %(ref)s."
RECEIVED_SUBJECT = "We received your report %(ref)s"


def in_language(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return gettext(msgid) % values


def test_a_web_report_made_in_isixhosa_is_acknowledged_in_isixhosa(client, world, catalogues):
    client.post(reverse("set_language"), {"language": "xh", "next": "/report/"})
    page = client.get(reverse("portal:report"))
    assert b'<html lang="xh"' in page.content
    assert in_language("xh", "Report a problem").encode() in page.content

    client.post(reverse("portal:report"), {
        "kind": "request", "service": "water-leak", "description": "Kukho amanzi avuzayo",
        "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
        "citizen_name": "Ayanda Mbeki", "citizen_phone": "082 555 0101",
        "citizen_email": "ayanda@example.org", "contact_consent": "on", "idempotency_key": "x1",
    })

    case = Case.objects.get()
    assert case.language == "xh"
    name = institution_get().name
    sms = OutboxMessage.objects.get(case=case, template="case_received", channel="sms")
    email = OutboxMessage.objects.get(case=case, template="case_received", channel="email")
    assert sms.context["language"] == email.context["language"] == "xh"
    # Rendered by the worker, whose own language is the default: the case's wins.
    translation.activate("en")
    _subject, sms_body = message_text(sms)
    subject, _body = message_text(email)
    xhosa = in_language("xh", RECEIVED_SMS, name=name, ref=case.reference)
    assert xhosa != in_language("en", RECEIVED_SMS, name=name, ref=case.reference)
    assert sms_body.startswith(xhosa)
    assert subject == in_language("xh", RECEIVED_SUBJECT, ref=case.reference)


def test_an_sms_written_in_isixhosa_is_answered_in_isixhosa(client, world, catalogues):
    gateway_make()
    service = world.service
    service.name, service.keywords, service.channels = "Water leak", "umbhobho, leak", ["sms"]
    service.save()

    assert at_post(client, text="Kukho umbhobho wamanzi oqhekekileyo esitratweni sethu, "
                                "amanzi ayachitheka").status_code == 200
    assert at_post(client, text=world.ward.name).status_code == 200
    assert at_post(client, text="1").status_code == 200

    case = Case.objects.get()
    assert case.language == "xh"
    assert Contact.objects.get(case=case).language == "xh"
    name = institution_get().short_name or institution_get().name
    acknowledgement = replies_to(PHONE)[-1]
    assert acknowledgement.startswith(in_language("xh", RECEIVED_SMS, name=name,
                                                  ref=case.reference))
    assert not acknowledgement.startswith(in_language("en", RECEIVED_SMS, name=name,
                                                      ref=case.reference))
