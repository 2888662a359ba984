"""The USSD dialogue as a pure function of the inputs (no database)."""

from dataclasses import dataclass, field

from imbizo.channels.ussd_menu import SCREEN_MAX, menu_from
from imbizo.channels.ussd_session import (
    Follow,
    PlaceOption,
    Question,
    Rate,
    Report,
    ServiceOption,
    inputs_of,
    walk,
)

WATER = ServiceOption("water-leak", "Water leak")
METER = ServiceOption("meter", "Broken meter", questions=(
    Question("kind", "Which meter?", choices=(("water", "Water"), ("power", "Electricity"))),
    Question("number", "Meter number?", numeric=True),
))


@dataclass
class World:
    services_list: list = field(default_factory=lambda: [WATER, METER])
    rate: list = field(default_factory=lambda: [Question("concern", "Did we care?"),
                                                Question("civility", "Were we polite?")])

    def services(self):
        return self.services_list

    def places(self, typed):
        if typed == "5":
            return [PlaceOption("Ward 5", "UB005")]
        if typed.lower().startswith("main"):
            return [PlaceOption("Main Road, Ward 1", "UB001"), PlaceOption("Main St, Ward 2", "UB002")]
        return []

    def rate_questions(self):
        return self.rate


MENU = menu_from({})


def test_a_report_takes_five_steps_and_ends_in_a_report_action():
    reply = walk(menu=MENU, world=World(), inputs=inputs_of("1*1*5*Pipe burst in the street*1"))
    assert reply.end and isinstance(reply.action, Report)
    assert reply.action.service == WATER and reply.action.place.ward_code == "UB005"
    assert reply.action.description == "Pipe burst in the street"


def test_required_questions_are_asked_numbered_then_free():
    world = World()
    assert "1 Water" in walk(menu=MENU, world=world, inputs=["1", "2", "5"]).text
    reply = walk(menu=MENU, world=world, inputs=["1", "2", "5", "2"])
    assert reply.text.startswith("Meter number?")
    assert "Type a number" in walk(menu=MENU, world=world, inputs=["1", "2", "5", "2", "abc"]).text
    reply = walk(menu=MENU, world=world, inputs=["1", "2", "5", "2", "1234", "No power", "1"])
    assert reply.action.attributes == {"kind": "power", "number": "1234"}


def test_a_choice_out_of_range_shows_the_same_screen_with_an_error():
    reply = walk(menu=MENU, world=World(), inputs=["1", "7"])
    assert not reply.end
    assert reply.text.startswith("Choose a number from the list.\nWhich service?")


def test_several_places_are_offered_and_back_returns():
    reply = walk(menu=MENU, world=World(), inputs=["1", "1", "main"])
    assert "1 Main Road, Ward 1" in reply.text and "0 Back" in reply.text
    reply = walk(menu=MENU, world=World(), inputs=["1", "1", "main", "0"])
    assert reply.text.startswith("Your ward number")
    assert walk(menu=MENU, world=World(), inputs=["1", "1", "nowhere"]).text.startswith(
        "No place found")


def test_long_lists_are_paged_with_more_and_back():
    world = World(services_list=[ServiceOption(f"s{i}", f"Service number {i}") for i in range(20)])
    first = walk(menu=MENU, world=world, inputs=["1"])
    assert "98 More" in first.text and "1 Service number 0" in first.text
    second = walk(menu=MENU, world=world, inputs=["1", "98"])
    assert "1 Service number 0" not in second.text
    number = second.text.split("\n")[1].split(" ")[0]
    chosen = walk(menu=MENU, world=world, inputs=["1", "98", number, "5", "Broken", "1"])
    assert chosen.action.service.code == f"s{int(number) - 1}"
    assert walk(menu=MENU, world=world, inputs=["1", "98", "0"]).text == first.text


def test_follow_and_rate_end_in_their_actions():
    assert walk(menu=MENU, world=World(), inputs=["2", "ub-123"]).action == Follow("UB-123")
    reply = walk(menu=MENU, world=World(), inputs=["3", "4", "9", "5"])
    assert "Reply with a number from 1 to 5" not in reply.text and reply.action == Rate(
        {"concern": "4", "civility": "5"})
    assert "Reply with a number from 1 to 5" in walk(
        menu=MENU, world=World(), inputs=["3", "9"]).text


def test_nothing_to_rate_ends_politely():
    reply = walk(menu=MENU, world=World(rate=[]), inputs=["3"])
    assert reply.end and reply.action is None and "no recent contact" in reply.text


def test_a_second_language_is_offered_and_used():
    menu = menu_from({"languages": ["en", "af"], "texts": {"af": {"main": "Wat wil u doen?"}}})
    assert "4 Afrikaans" in walk(menu=menu, world=World(), inputs=[]).text
    reply = walk(menu=menu, world=World(), inputs=["4"])
    assert reply.text.startswith("Wat wil u doen?") and "4 English" in reply.text
    assert reply.language == "af"


def test_every_screen_fits_even_with_long_names():
    long = "A very long service name that goes on and on about the municipality"
    world = World(services_list=[ServiceOption(f"s{i}", long + str(i)) for i in range(30)])
    for inputs in (["1"], ["1", "98"], ["1", "98", "98"], ["1", "77"], ["1", "1", "x" * 300]):
        assert len(walk(menu=MENU, world=world, inputs=inputs).text) <= SCREEN_MAX


def test_inputs_of_splits_the_africas_talking_text():
    assert inputs_of("") == [] and inputs_of("1*2* Main ") == ["1", "2", "Main"]


def test_an_error_longer_than_the_title_still_fits_with_the_options():
    menu = menu_from({"texts": {"en": {"service": "Pick", "bad_choice": "Wrong number " * 7}}})
    world = World(services_list=[ServiceOption(f"s{i}", "Twenty-eight characters long") for i in
                                 range(9)])
    reply = walk(menu=menu, world=world, inputs=["1", "77"])
    assert len(reply.text) <= SCREEN_MAX and reply.text.endswith("\n0 Back")
    assert reply.text.startswith("Wrong number")
