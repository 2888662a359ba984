"""The database out of reach: a clear 503 (HTML for people, JSON for machines),
never a stack trace, and the site recovers by itself when it is back.

The real outage runs on PostgreSQL: this test's connection goes through a TCP
proxy the test cuts, so the server and everyone else's databases are untouched.
"""

from unittest import mock

import pytest
from django.db import connection
from django.db.utils import IntegrityError, OperationalError
from django.test import Client
from django.urls import reverse

from tests.ops.tcp_proxy import TcpProxy

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="a real network outage needs PostgreSQL")


@pytest.fixture
def through_proxy(transactional_db):
    """This process's database connection, routed through a proxy the test can cut."""
    settings = connection.settings_dict
    saved = settings["HOST"], settings["PORT"]
    proxy = TcpProxy(target=(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    proxy.start()
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", str(proxy.port)
    try:
        yield proxy
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = saved
        proxy.cut()


@pytest.fixture
def client():
    # Errors become responses, as under gunicorn, instead of being re-raised.
    return Client(raise_request_exception=False)


@postgres_only
def test_pages_answer_503_while_the_database_is_cut_and_recover_after(
        client, world, through_proxy):
    assert client.get(reverse("portal:service_list")).status_code == 200

    through_proxy.cut()
    during = client.get(reverse("portal:service_list"))
    through_proxy.restore()
    after = client.get(reverse("portal:service_list"))

    assert during.status_code == 503
    assert "We cannot reach our records for a moment" in during.content.decode()
    assert "Traceback" not in during.content.decode()
    assert during["Retry-After"] == "30"
    assert after.status_code == 200


@postgres_only
def test_a_report_sent_during_the_outage_is_refused_clearly_and_stores_nothing(
        client, world, through_proxy):
    form = {"kind": "request", "service": "water-leak", "description": "Burst pipe",
            "lat": str(world.ward.centroid_lat), "lon": str(world.ward.centroid_lon),
            "idempotency_key": "e" * 32}
    client.get(reverse("portal:service_list"))

    through_proxy.cut()
    during = client.post(reverse("portal:report"), form)
    through_proxy.restore()
    again = client.post(reverse("portal:report"), form)

    from imbizo.cases.models import Case

    assert during.status_code == 503
    assert again.status_code == 302
    assert Case.objects.count() == 1


@postgres_only
def test_a_connection_dropped_by_the_server_is_replaced_on_the_next_request(
        client, world, through_proxy):
    client.get(reverse("portal:service_list"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    import psycopg

    # Another connection (direct, not through the proxy) ends this test's own backend.
    settings = connection.settings_dict
    with psycopg.connect(host="127.0.0.1", port=through_proxy.target[1], dbname="postgres",
                         user=settings["USER"] or "postgres", password=settings["PASSWORD"],
                         autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    first = client.get(reverse("portal:service_list"))
    second = client.get(reverse("portal:service_list"))

    assert (first.status_code, second.status_code) in ((503, 200), (200, 200))
    assert second.status_code == 200


@postgres_only
def test_a_json_client_gets_json_during_the_outage(client, world, through_proxy):
    through_proxy.cut()
    response = client.get(reverse("portal:service_list"), HTTP_ACCEPT="application/json")
    through_proxy.restore()

    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


@pytest.mark.parametrize(("path", "shape"), [
    ("/api/v1/cases", dict), ("/open311/v2/services.json", list), ("/services/", None)])
def test_the_503_answer_fits_the_path(rf, path, shape):
    import json

    from imbizo.ops.outage import unavailable_response

    response = unavailable_response(rf.get(path))

    assert response.status_code == 503
    if shape is dict:
        assert json.loads(response.content)["error"] == "unavailable"
    elif shape is list:
        assert json.loads(response.content)[0]["code"] == 503
    else:
        assert response["Content-Type"].startswith("text/html")


# --- without a real outage (both databases) ------------------------------------------


@pytest.mark.django_db
def test_a_database_error_in_a_view_is_a_503_page(client, world):
    with mock.patch("imbizo.portal.views.catalogue.service_list_public",
                    side_effect=OperationalError("connection refused")):
        response = client.get(reverse("portal:service_list"))

    assert response.status_code == 503
    assert b"We cannot reach our records" in response.content


@pytest.mark.django_db
def test_a_database_error_outside_views_is_a_503_too(rf):
    # Raised in middleware (a session saved on the way out), it reaches handler500.
    from config import urls
    from imbizo.ops.outage import server_error

    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/staff/"))

    assert urls.handler500 == "imbizo.ops.outage.server_error"
    assert response.status_code == 503
    assert b"We cannot reach our records" in response.content


def test_any_other_error_outside_views_is_the_usual_500(rf):
    from imbizo.ops.outage import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/staff/"))

    assert response.status_code == 500


@pytest.mark.django_db
def test_a_json_client_gets_json(client, world):
    with mock.patch("imbizo.portal.views.catalogue.service_list_public",
                    side_effect=OperationalError("connection refused")):
        response = client.get(reverse("portal:service_list"), HTTP_ACCEPT="application/json")

    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


@pytest.mark.django_db
def test_other_database_errors_stay_server_errors(client, world):
    with mock.patch("imbizo.portal.views.catalogue.service_list_public",
                    side_effect=IntegrityError("duplicate key")):
        response = client.get(reverse("portal:service_list"))

    assert response.status_code == 500
