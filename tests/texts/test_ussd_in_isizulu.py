"""A USSD caller who picks isiZulu is offered the services by their isiZulu
names and told the pledge in isiZulu."""

import pytest

from imbizo.cases.models import Case
from imbizo.texts.services import translation_save
from tests.channels.conftest import SECRET, gateway_make

pytestmark = pytest.mark.django_db

PHONE = "+27821234567"


@pytest.fixture
def ussd(zulu, catalogues_compiled):
    zulu.ward.name = "Ward 5"
    zulu.ward.save()
    translation_save(obj=zulu.standard, key="pledge", language="zu",
                     text="Siyilungisa ngokushesha futhi sikwazise.")
    return gateway_make(kind="ussd", slug="africastalking", settings={"menu": {
        "services": [zulu.service.code], "languages": ["en", "zu"]}})


def step(client, text):
    response = client.post(f"/channels/ussd/africastalking/{SECRET}/", {
        "sessionId": "ATUid_zu", "serviceCode": "*120*4629#", "phoneNumber": PHONE,
        "networkCode": "65501", "text": text})
    return response.content.decode()


def test_a_report_in_isizulu_names_the_service_and_pledge_in_isizulu(client, ussd, zulu):
    main = step(client, "")
    assert "4 isiZulu" in main

    inputs = ["4", "1", "1", "5", "Ipayipi liqhumile", "1"]
    bodies = [step(client, "*".join(inputs[:n])) for n in range(1, len(inputs) + 1)]

    assert "\n1 Amanzi avuzayo" in bodies[1]  # which service?
    assert "Amanzi avuzayo" in bodies[4]  # report it at the place?
    case = Case.objects.get()
    assert bodies[-1].startswith("END ") and case.reference in bodies[-1]
    assert "Siyilungisa ngokushesha futhi sikwazise." in bodies[-1]
    assert zulu.standard.pledge not in bodies[-1]
    assert all(len(body) - 4 <= 182 for body in bodies)
