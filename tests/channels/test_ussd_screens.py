"""Every USSD screen fits 182 characters, in every language of the menu: a
walk through all screens reachable from the main menu, against the database."""

import collections
import functools
import re

import pytest

from imbizo.catalogue.models import ServiceAttribute
from imbizo.catalogue.snapshot import snapshot_reset
from imbizo.channels.adapters import adapter_for
from imbizo.channels.ussd import DatabaseWorld, gateway_menu
from imbizo.channels.ussd_menu import PLACEHOLDERS, SCREEN_MAX, TEXTS, menu_from, menu_problems
from imbizo.channels.ussd_session import walk
from imbizo.demo.channels_ussd import MENU
from imbizo.engagement.services import contact_record
from imbizo.geo.models import Place
from imbizo.geo.services import places_locate
from tests.factories import ServiceFactory, ServiceStandardFactory, StaffFactory

from .conftest import gateway_make

pytestmark = pytest.mark.django_db
PHONE = "+27821234567"
LONG = "of building rubble and garden refuse on municipal land"
FREE = ["5", "Main", "x" * 200, "Leaking since Monday morning"]
OPTION = re.compile(r"^(\d{1,2}) ", re.MULTILINE)


@pytest.fixture
def big_world(world):
    """Nine services with long names, one with a choice and a free question,
    places that several match, a contact to rate."""
    world.ward.name = "Ward 5"
    world.ward.save()
    for n in range(8):
        service = ServiceFactory(code=f"long-{n}", name=f"Illegal dumping {n} {LONG}", channels=["ussd"])
        ServiceStandardFactory(service=service, pledge="We promise " + "a great deal " * 30)
    ServiceAttribute.objects.create(
        service=world.service, code="where", datatype="singlevaluelist", required=True,
        description="Where exactly is the problem that you are reporting to us today? " * 2,
        values=[{"key": str(k), "name": f"Option number {k} " + "with words " * 6}
                for k in range(12)])
    ServiceAttribute.objects.create(service=world.service, code="note", datatype="string",
                                    required=True, description="Anything else we should know?")
    world.service.name, world.service.channels = "A water leak", ["ussd"]
    world.service.save()
    lon, lat = world.ward.centroid_lon, world.ward.centroid_lat
    made = [Place(code=f"p{n}", name=f"Main Road {n} " + "Extension " * 4, kind="street",
                  area="Orlando West " * 3, lat=lat, lon=lon) for n in range(12)]
    places_locate(made)
    Place.objects.bulk_create(made)
    officer = StaffFactory(office=world.office)
    contact_record(channel="walk_in", staff=officer, office=world.office, identifier=PHONE)
    snapshot_reset()
    return world


class Remembered(DatabaseWorld):
    """The database's answers, looked up once per walk (the walk replays often)."""

    __hash__ = object.__hash__

    @functools.cache  # noqa: B019 - one short-lived instance per test
    def services(self):
        return super().services()

    @functools.cache  # noqa: B019
    def places(self, typed):
        return super().places(typed)

    @functools.cache  # noqa: B019
    def rate_questions(self):
        return super().rate_questions()


def test_every_screen_of_every_language_fits(big_world):
    gateway = gateway_make(kind="ussd", slug="africastalking", settings={"menu": MENU})
    menu = gateway_menu(gateway)
    world = Remembered(menu=menu, address=PHONE)
    assert menu.languages == ("en", "af")
    seen, screens = set(), 0
    for language in menu.languages:
        queue = collections.deque([[]])  # breadth first: each screen by its shortest path
        while queue:
            inputs = queue.popleft()
            reply = walk(menu=menu, world=world, inputs=inputs, language=language)
            text = reply.text if reply.action is None else ""
            screens += 1
            assert len(text) <= SCREEN_MAX, (inputs, len(text), text)
            # Breadth first, the place screen is first reached through service 1,
            # the one with questions.
            key = (language, text)
            if reply.end or len(inputs) >= 12 or key in seen:
                continue
            seen.add(key)
            options = [n for n in OPTION.findall(text) if n not in ("0", "98")]
            moves = [*options, "97", "98"] if options else FREE
            moves = [*moves, "0"]
            queue.extend(inputs + [typed] for typed in moves)
    print("screens walked:", screens)
    assert screens > 200
    assert any("98 Meer" in text for _lang, text in seen)
    assert any("Option number 11" in text for _lang, text in seen)  # the last page was reached


def test_every_text_of_every_language_fits_with_its_longest_values():
    menu = menu_from(MENU)
    values = {"service": "s" * 40, "place": "p" * 40, "reference": "2026-ABCD123", "pledge": "",
              "max": 120}
    for language in menu.languages:
        for key in TEXTS:
            fill = {name: values[name] for name in PLACEHOLDERS.get(key, ())}
            assert len(menu.text(language, key, **fill)) <= 140, (language, key)


def test_the_menu_data_is_checked_before_it_is_kept(world):
    adapter = adapter_for("ussd", "africastalking")
    assert adapter.settings_check({"menu": MENU}) == []
    problems = adapter.settings_check({"menu": {
        "page_size": 40, "flows": ["report", "dance"], "languages": ["en", "xx"],
        "services": ["no-such-service"], "texts": {"af": {"main": "{oops}", "nope": "x"}},
        "colour": "blue"}, "extra": 1})
    text = " | ".join(problems)
    for expected in ("extra", "colour", "page_size", "flows", "languages", "no-such-service",
                     "placeholders", "nope"):
        assert expected in text, expected
    assert menu_problems("not a menu") == ["The menu must be an object of settings."]
