"""The field app on a phone in a real browser (issue 17): connect the phone
once, lose the signal, record three households and a problem to report,
reload while offline (nothing lost: the app comes from the service worker and
the records from IndexedDB), come back online and sync, and send one record
twice when its answer is lost on the way back (one stored).

Playwright's offline mode does not cut a service worker's own requests, so
the test also aborts every request to the server while "offline"."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from imbizo.cases.models import Case
from imbizo.field.models import FieldAssignment, FieldAttachment, FieldRecord
from imbizo.field.services import household_survey_ensure
from tests.browser.conftest import assert_no_console_errors, axe_check
from tests.factories import StaffFactory, UserFactory
from tests.support import PNG

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SHOTS = Path("/tmp/shots/fieldapp")


@pytest.fixture
def field_world(world):
    household_survey_ensure()
    worker = StaffFactory(office=world.office, user=UserFactory(
        username="fieldworker", first_name="Thandi", last_name="Mokoena")).user
    FieldAssignment.objects.create(worker=worker, ward=world.ward, target_households=50)
    world.service.name = "Water leak"
    world.service.save()
    return world


def phone(browser, live_server, world, viewport=PHONE):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="en-ZA", is_mobile=viewport == PHONE,
        has_touch=viewport == PHONE, geolocation={"latitude": world.ward.centroid_lat,
                                                  "longitude": world.ward.centroid_lon},
        permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return context, page


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def connect(page):
    page.goto("/field/")
    expect(page.get_by_role("heading", name="Connect this phone")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("fieldworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Thandi Mokoena.")).to_be_visible()
    shot(page, "connect-" + ("phone" if page.viewport_size["width"] < 500 else "desktop"))
    page.get_by_role("button", name="Connect this phone").click()
    expect(page).to_have_url(re.compile(r"/field/$"))
    expect(page.get_by_text("Thandi Mokoena · Thandi Mokoena's phone")).to_be_visible()
    expect(page.locator("#waiting")).to_have_text("Nothing waiting to send.")
    # The service worker controls the page: the app now opens without a network.
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def record_household(page, *, needs, urgency, people, photo=False, problem=None, locate=False):
    page.get_by_role("button", name="Household needs survey").click()
    expect(page.get_by_role("heading", name="Household needs survey")).to_be_visible()
    if locate:
        page.get_by_role("button", name="Use my location").click()
        expect(page.get_by_text(re.compile(r"Location found"))).to_be_visible()
    else:
        page.get_by_label("Ward number (if the phone cannot find the location)").fill("W001")
    for need in needs:
        page.get_by_label(need, exact=True).check()
    page.get_by_label(urgency).check()
    page.get_by_label("How many people live in the household?").fill(str(people))
    if photo:
        page.get_by_label("Photo (optional: of the problem, not of people)").set_input_files(
            {"name": "standpipe.png", "mimeType": "image/png", "buffer": PNG})
    if problem:
        page.get_by_label("Also report a problem (for example a leaking standpipe)").check()
        page.get_by_label("Kind of problem").select_option(label=problem[0])
        page.get_by_label("What is wrong, and where exactly?").fill(problem[1])
        shot(page, "form-with-problem-phone")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Saved on this phone.")).to_be_visible()


def go_offline(context):
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def go_online(context):
    context.unroute("**/*")
    context.set_offline(False)


def test_a_field_worker_records_offline_reloads_and_syncs_without_loss_or_duplicates(
        browser, live_server, field_world):
    context, page = phone(browser, live_server, field_world)
    connect(page)
    axe_check(page)
    shot(page, "home-phone")

    go_offline(context)
    expect(page.locator("#connection")).to_contain_text("Offline")
    record_household(page, needs=["Water", "Sanitation"], urgency="Urgent: harm today or this week",
                     people=6, locate=True)
    record_household(page, needs=["Electricity"], urgency="Soon: within a few months", people=3,
                     photo=True)
    record_household(page, needs=["Water"], urgency="Urgent: harm today or this week", people=4,
                     problem=("Water leak", "The standpipe on the corner leaks day and night."))
    expect(page.locator("#waiting")).to_contain_text("3 records waiting to send.")
    expect(page.locator("#waiting")).to_contain_text("1 photo waiting to send.")
    expect(page.locator(".field-record.is-waiting")).to_have_count(3)
    shot(page, "offline-three-waiting-phone")
    assert FieldRecord.objects.count() == 0

    # The service worker keeps the forms and wards too, not only the page.
    assert "imbizo-field-data" in page.evaluate("caches.keys()")
    # The browser was asked to keep the records; when it would not, the worker is told.
    if not page.evaluate("navigator.storage.persisted()"):
        expect(page.locator("#storage-warning")).to_contain_text("did not promise to keep your records")

    response = page.reload()

    assert response.from_service_worker, "the app shell came from the network, not the service worker"
    expect(page.locator(".field-record.is-waiting")).to_have_count(3)
    expect(page.locator("#waiting")).to_contain_text("3 records waiting to send.")
    expect(page.get_by_text("Problem report waiting to send")).to_be_visible()
    # The form still opens offline, from what the phone kept.
    page.get_by_role("button", name="Household needs survey").click()
    expect(page.get_by_label("Ward number (if the phone cannot find the location)")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    assert FieldRecord.objects.count() == 0

    go_online(context)

    expect(page.locator("#waiting")).to_have_text("Nothing waiting to send.", timeout=15_000)
    expect(page.locator(".field-record.is-received")).to_have_count(3)
    expect(page.locator(".field-record").first).to_contain_text(re.compile(r"Receipt F\d+-1"))
    shot(page, "synced-phone")
    assert FieldRecord.objects.count() == 3
    assert FieldRecord.objects.filter(latitude__isnull=False, ward=field_world.ward).count() == 1
    assert FieldAttachment.objects.count() == 1
    assert FieldRecord.objects.filter(complete=False).count() == 0
    case = Case.objects.get()
    assert case.channel == "field" and case.service == field_world.service
    expect(page.get_by_text(f"Problem reported: {case.reference}")).to_be_visible()
    assert_no_console_errors(page)
    context.close()


def test_a_record_whose_answer_is_lost_is_sent_again_and_stored_once(browser, live_server, field_world):
    context, page = phone(browser, live_server, field_world)
    connect(page)
    lost = []

    def lose_the_answer(route):
        # The server receives and stores the record; its answer never reaches the phone.
        route.fetch()
        lost.append(route.request.url)
        route.abort("connectionreset")

    page.route("**/field/api/records", lose_the_answer)
    with page.expect_event("requestfailed", lambda r: r.url.endswith("/field/api/records")):
        record_household(page, needs=["Refuse removal"], urgency="Can wait", people=2)
    expect(page.locator(".field-record.is-waiting")).to_have_count(1)
    expect(page.get_by_text("No connection to the server.")).to_be_visible()
    assert len(lost) == 1 and FieldRecord.objects.count() == 1
    first = FieldRecord.objects.get()

    page.unroute("**/field/api/records")
    page.get_by_role("button", name="Sync now").click()

    expect(page.locator(".field-record.is-received")).to_have_count(1)
    expect(page.locator(".field-record")).to_contain_text(f"Receipt F{first.pk}-1")
    assert FieldRecord.objects.count() == 1
    assert FieldRecord.objects.get().revision == 1
    context.close()


def test_the_form_reads_well_on_a_desktop_and_refuses_a_visit_without_answers(
        browser, live_server, field_world):
    context, page = phone(browser, live_server, field_world, viewport=DESKTOP)
    connect(page)

    page.get_by_role("button", name="Household needs survey").click()
    page.get_by_role("button", name="Save visit").click()

    errors = page.locator("#capture-errors")
    expect(errors).to_contain_text("Please answer: Which services does the household lack, or find poor?")
    expect(errors).to_contain_text("Please answer: How many people live in the household?")
    axe_check(page)
    shot(page, "form-errors-desktop")
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("No records yet.")).to_be_visible()
    context.close()


def test_a_photo_whose_upload_fails_is_sent_again_alone(browser, live_server, field_world):
    context, page = phone(browser, live_server, field_world)
    connect(page)
    sent = []
    page.on("request", lambda r: r.method == "POST" and sent.append(r.url.split("/field/api/")[1]))
    page.route("**/attachments/**", lambda route: route.fulfill(status=503, body="busy"))

    record_household(page, needs=["Housing"], urgency="Can wait", people=1, photo=True)

    expect(page.locator(".field-record.is-received")).to_contain_text("Photo waiting to send")
    record = FieldRecord.objects.get()
    assert record.complete is False
    sent.clear()
    page.unroute("**/attachments/**")
    page.get_by_role("button", name="Sync now").click()

    expect(page.locator("#waiting")).to_have_text("Nothing waiting to send.")
    expect(page.locator(".field-record")).not_to_contain_text("Photo waiting")
    assert [url.split("/attachments/")[0] for url in sent if "attachments" in url] == [
        f"records/{record.instance_id.replace(':', '%3A')}"]
    assert "records" not in sent  # the record itself was not sent again
    record.refresh_from_db()
    assert record.complete is True and FieldAttachment.objects.filter(record=record).count() == 1
    context.close()


def test_a_changed_visit_is_a_new_version_or_goes_to_the_supervisor(browser, live_server, field_world):
    from imbizo.field.services import record_receive

    context, page = phone(browser, live_server, field_world)
    connect(page)
    record_household(page, needs=["Roads"], urgency="Can wait", people=3)
    expect(page.locator(".field-record.is-received")).to_have_count(1)
    record = FieldRecord.objects.get()

    page.locator(".field-record").get_by_role("button", name="Change").click()
    expect(page.get_by_label("How many people live in the household?")).to_have_value("3")
    expect(page.get_by_label("Roads", exact=True)).to_be_checked()
    page.get_by_label("How many people live in the household?").fill("4")
    page.get_by_role("button", name="Save visit").click()

    expect(page.locator(".field-record")).to_contain_text(f"Receipt F{record.pk}-2")
    record.refresh_from_db()
    assert (record.revision, record.answers["people"]) == (2, 4)

    # Meanwhile the record is changed on the server (another device, a supervisor).
    record_receive(form_code="household-needs", form_version="1", instance_id=record.instance_id,
                   answers={**record.answers, "people": 9}, base_revision=2)
    page.locator(".field-record").get_by_role("button", name="Change").click()
    page.get_by_label("How many people live in the household?").fill("5")
    page.get_by_role("button", name="Save visit").click()

    expect(page.locator(".field-record.is-conflict")).to_contain_text("Sent to your supervisor")
    record.refresh_from_db()
    assert (record.revision, record.answers["people"]) == (3, 9)
    assert record.conflicts.get().answers["people"] == 5
    assert FieldRecord.objects.count() == 1
    shot(page, "conflict-phone")
    context.close()


def test_a_day_of_visits_kept_offline_is_sent_in_one_sync_each_once(browser, live_server, field_world):
    """A worker back in signal after a day without: 100 visits waiting, one sync."""
    import time

    context, page = phone(browser, live_server, field_world)
    connect(page)
    go_offline(context)
    page.evaluate("""async () => {
        const store = await import("/static/fieldapp/store.js");
        for (let i = 0; i < 100; i++) {
            const now = new Date(Date.now() - (100 - i) * 60000).toISOString();
            await store.putVisit({
                instance_id: `uuid:${crypto.randomUUID()}`, form: "household-needs", version: "1",
                title: "Household needs survey", summary: "W001", captured_at: now, created_at: now,
                answers: {ward: "W001", needs: ["water"], urgency: "soon", people: 1 + (i % 7)},
                base_revision: null, attachments: [], problem: null, state: "waiting",
                receipt: null, error: null, edit: 0}, []);
        }
    }""")
    page.reload()
    expect(page.locator("#waiting")).to_have_text("100 records waiting to send.")

    started = time.perf_counter()
    go_online(context)
    expect(page.locator("#waiting")).to_have_text("Nothing waiting to send.", timeout=60_000)
    seconds = time.perf_counter() - started

    expect(page.locator(".field-record.is-received")).to_have_count(100)
    assert FieldRecord.objects.count() == 100
    print(f"\n100 visits sent in one sync: {seconds:.1f} s ({100 / seconds:.0f} per second)")
    context.close()


def test_a_refused_visit_stays_on_the_phone_and_can_be_corrected(browser, live_server, field_world):
    import json

    context, page = phone(browser, live_server, field_world)
    connect(page)
    refusal = {"errors": [{"code": "malformed_record", "field": "answers",
                           "message": "people: 40 is more than a household"}]}
    page.route("**/field/api/records", lambda route: route.fulfill(
        status=400, content_type="application/json", body=json.dumps(refusal)))
    record_household(page, needs=["Jobs"], urgency="Soon: within a few months", people=40)
    expect(page.locator(".field-record.is-refused")).to_contain_text(
        "Not accepted: people: 40 is more than a household")
    assert FieldRecord.objects.count() == 0

    page.unroute("**/field/api/records")
    page.locator(".field-record").get_by_role("button", name="Change").click()
    page.get_by_label("How many people live in the household?").fill("4")
    page.get_by_role("button", name="Save visit").click()

    expect(page.locator(".field-record.is-received")).to_have_count(1)
    assert FieldRecord.objects.get().answers["people"] == 4
    context.close()


def test_a_received_photo_leaves_the_phone(browser, live_server, field_world):
    context, page = phone(browser, live_server, field_world)
    connect(page)

    record_household(page, needs=["Health"], urgency="Can wait", people=2, photo=True)

    expect(page.locator(".field-record.is-received")).to_have_count(1)
    expect(page.locator("#waiting")).to_have_text("Nothing waiting to send.")
    kept = page.evaluate("""async () => {
        const store = await import("/static/fieldapp/store.js");
        return (await store.all("files")).map((f) => [f.state, f.blob === null]);
    }""")
    assert kept == [["received", True]]
    assert FieldAttachment.objects.count() == 1
    context.close()


def test_a_phone_number_is_kept_only_with_the_households_consent(browser, live_server, field_world):
    context, page = phone(browser, live_server, field_world)
    connect(page)
    page.get_by_role("button", name="Household needs survey").click()
    consent = page.get_by_role("group", name=re.compile("Does the household agree"))
    expect(consent).to_be_hidden()

    page.get_by_label("Ward number (if the phone cannot find the location)").fill("W001")
    page.get_by_label("Water", exact=True).check()
    page.get_by_label("Can wait").check()
    page.get_by_label("How many people live in the household?").fill("2")
    page.get_by_label("Phone number, only if the household wants to be contacted").fill("082 555 0101")
    page.get_by_label("Phone number, only if the household wants to be contacted").blur()

    expect(consent).to_be_visible()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#capture-errors")).to_contain_text("Please answer: Does the household agree")
    consent.get_by_label("Yes").check()
    page.get_by_role("button", name="Save visit").click()

    expect(page.locator(".field-record.is-received")).to_have_count(1)
    answers = FieldRecord.objects.get().answers
    assert (answers["contact_phone"], answers["consent"]) == ("+27825550101", "yes")
    expect(page.locator(".field-record")).not_to_contain_text("082")  # not in the list on the phone
    context.close()
