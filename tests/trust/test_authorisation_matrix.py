"""Every URL of the project, every role: allowed or refused as the table says.

The URL resolver is walked, so a new page fails this test until it declares
itself in tests/trust/url_table.py. Refusals: an anonymous visitor is sent to
sign in (302), a role without the permission gets 403, and an object of
another department is "not found" (404) so that its existence is not leaked.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from imbizo.org.models import Role
from tests.trust.url_table import (
    API,
    ENTRIES,
    PUBLIC,
    SCOPED_ROLES,
    STAFF,
    Entry,
)

pytestmark = pytest.mark.django_db
ANONYMOUS = "anonymous"
IDENTITIES = [ANONYMOUS, *Role]


def url_patterns(resolver=None, prefix="", namespace=""):
    """(name or route, route) of every pattern under `resolver`, depth first."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from url_patterns(pattern, route,
                                    f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else route), route


def is_api(route: str) -> bool:
    return route.lstrip("^/").startswith(("api/", "open311/", "openrosa/", "channels/"))


def is_admin(route: str) -> bool:
    return route.lstrip("^/").startswith("admin/")


def test_every_url_of_the_project_is_in_the_expectation_table():
    declared = {entry.name: entry.area for entry in ENTRIES}

    missing, misfiled = [], []
    for name, route in url_patterns():
        if is_admin(route):
            continue  # checked as a whole: test_the_admin_site_is_for_administrators_only
        if name not in declared:
            missing.append(f"{name} ({route})")
        elif (declared[name] == API) != is_api(route):
            misfiled.append(f"{name}: declared {declared[name]}")

    # Public and staff entries prove their area below: a public page must answer
    # an anonymous visitor, a staff page must send them to sign in.
    assert missing == [], "add these to tests/trust/url_table.py: " + ", ".join(missing)
    assert misfiled == []


def test_the_table_names_no_url_that_does_not_exist():
    existing = {name for name, _route in url_patterns()}

    assert sorted({e.name for e in ENTRIES} - existing) == []


def _request(client, entry: Entry, seed, who: str, *, foreign: bool = False):
    client.logout()
    if who != ANONYMOUS:
        client.force_login(seed.staff[who].user)
    kwargs = (entry.foreign_kwargs if foreign else entry.kwargs)(seed)
    url = reverse(entry.name, kwargs=kwargs) + entry.query
    if entry.method == "POST":
        return client.post(url, entry.data(seed))
    return client.get(url)


def _expected(entry: Entry, who: str, *, foreign: bool) -> str:
    if who == ANONYMOUS:
        return "sign in"
    if foreign and entry.foreign_allow is not None:
        return "allowed" if who in entry.foreign_allow else "not found"
    if who not in entry.allow:
        return entry.denied
    if foreign and who in SCOPED_ROLES:
        return "not found"
    return "allowed"


def _outcome(entry: Entry, response) -> str:
    if response.status_code == 302 and "/staff/login/" in response.get("Location", ""):
        return "sign in"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 404:
        return "not found"
    if response.status_code in entry.ok:
        return "allowed"
    return f"status {response.status_code}"


STAFF_ENTRIES = [e for e in ENTRIES if e.area == STAFF]
SCOPED_ENTRIES = [e for e in STAFF_ENTRIES if e.foreign_kwargs is not None]


@pytest.mark.parametrize("entry", STAFF_ENTRIES, ids=lambda e: e.id)
def test_each_staff_page_lets_in_exactly_the_roles_of_the_table(client, seed, entry):
    outcomes = {who: _outcome(entry, _request(client, entry, seed, who)) for who in IDENTITIES}

    expected = {who: _expected(entry, who, foreign=False) for who in IDENTITIES}
    assert outcomes == expected


@pytest.mark.parametrize("entry", SCOPED_ENTRIES, ids=lambda e: e.id)
def test_another_departments_object_is_not_found_for_roles_of_one_area(client, seed, entry):
    outcomes = {who: _outcome(entry, _request(client, entry, seed, who, foreign=True))
                for who in IDENTITIES}

    expected = {who: _expected(entry, who, foreign=True) for who in IDENTITIES}
    assert outcomes == expected


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.area == PUBLIC], ids=lambda e: e.id)
def test_each_public_page_answers_an_anonymous_visitor(client, resolved_seed, entry):
    response = _request(client, entry, resolved_seed, ANONYMOUS)

    assert response.status_code in entry.ok


def _admin_urls():
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


def test_the_admin_site_is_for_administrators_only(client, seed):
    urls = _admin_urls()
    refused = {}
    for who in IDENTITIES:
        client.logout()
        if who != ANONYMOUS:
            client.force_login(seed.staff[who].user)
        statuses = {url: client.get(url).status_code for url in urls}
        refused[who] = sorted(url for url, status in statuses.items() if status != 200)
        if who == Role.ADMINISTRATOR:
            assert refused[who] == [], refused[who]
        else:
            # The admin sends anyone else to its sign-in page.
            assert refused[who] == sorted(urls), who


def test_an_is_staff_officer_is_still_kept_out_of_the_admin(client, seed):
    officer = seed.staff[Role.OFFICER]
    officer.user.is_staff = True
    officer.user.is_superuser = True
    officer.user.save()
    client.force_login(officer.user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_superuser_without_a_staff_record_may_use_the_admin(client, django_user_model, seed):
    operator = django_user_model.objects.create_superuser("operator", "op@example.org", "x")
    client.force_login(operator)

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_deactivated_staff_member_is_refused_everywhere(client, seed):
    officer = seed.staff[Role.OFFICER]
    officer.active = False
    officer.save()
    client.force_login(officer.user)

    assert client.get(reverse("backoffice:home")).status_code == 403
    assert client.get(reverse("backoffice:case_detail", args=[seed.case.reference])
                      ).status_code == 403


API_ENTRIES = [e for e in ENTRIES if e.area == API]


def _api_request(client, entry: Entry, seed, **headers):
    url = reverse(entry.name, kwargs=entry.kwargs(seed)) + entry.query
    if entry.method == "POST":
        return client.post(url, entry.data(seed), **headers)
    return client.get(url, **headers)


@pytest.mark.parametrize("entry", API_ENTRIES, ids=lambda e: f"{e.id}[{e.method}]")
def test_each_api_operation_answers_as_the_table_says(client, seed, entry):
    anonymous = _api_request(client, entry, seed)
    keyed = _api_request(client, entry, seed, HTTP_X_API_KEY=seed.api_key) \
        if entry.with_key else None

    assert anonymous.status_code in entry.ok
    if keyed is not None:
        assert keyed.status_code in entry.with_key


def test_a_staff_session_opens_no_api_operation(client, seed):
    client.force_login(seed.staff[Role.ADMINISTRATOR].user)

    response = client.get(reverse("api-v1:case_list"))

    assert response.status_code == 401
