"""The USSD dialogue as a pure function of the menu and the inputs so far.

Africa's Talking sends, at every step, everything the caller typed since the
session began, joined by "*". The screen to show is worked out again from
the start each time (`walk`): nothing but the inputs decides where the caller
is, so a repeated or reordered request cannot leave a half-made state. What
is looked up (services, places, the questions of the last contact's survey)
comes from a `World`, which the tests give plainly and `channels.ussd` gives
from the database. No ORM and no clock here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from imbizo.core.inputs import text_fault
from imbizo.core.languages import ENDONYMS

from .ussd_menu import BACK, MORE, SCREEN_MAX, Menu

LABEL_MAX = 32


@dataclass(frozen=True)
class Question:
    """One question asked in the menu: choices numbered, or free entry."""

    code: str
    text: str
    choices: tuple[tuple[str, str], ...] = ()  # (key, label)
    numeric: bool = False
    # The words in other languages: {language: {"text": ..., "choice.<key>": ...}}.
    words: dict = field(default_factory=dict, compare=False, hash=False)

    def text_in(self, language: str) -> str:
        return (self.words.get(language) or {}).get("text", self.text)

    def choices_in(self, language: str) -> tuple[tuple[str, str], ...]:
        own = self.words.get(language) or {}
        return tuple((key, own.get(f"choice.{key}", label)) for key, label in self.choices)


@dataclass(frozen=True)
class ServiceOption:
    code: str
    name: str
    questions: tuple[Question, ...] = ()
    names: dict = field(default_factory=dict, compare=False, hash=False)  # {language: name}

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)


@dataclass(frozen=True)
class PlaceOption:
    label: str
    ward_code: str = ""
    lat: float | None = None
    lon: float | None = None


class World(Protocol):
    def services(self) -> list[ServiceOption]: ...
    def places(self, typed: str) -> list[PlaceOption]: ...
    def rate_questions(self) -> list[Question]: ...


@dataclass(frozen=True)
class Report:
    service: ServiceOption
    place: PlaceOption
    description: str
    attributes: dict


@dataclass(frozen=True)
class Follow:
    reference: str


@dataclass(frozen=True)
class Rate:
    answers: dict  # question code -> "1".."5"


@dataclass(frozen=True)
class Reply:
    """The screen to show; `action` is to be done before the END screen is shown."""

    text: str
    end: bool = False
    action: Report | Follow | Rate | None = None
    language: str = "en"

    @property
    def body(self) -> str:
        return ("END " if self.end else "CON ") + self.text


@dataclass(frozen=True)
class _State:
    screen: str = "main"
    language: str = "en"
    page: int = 0
    service: ServiceOption | None = None
    place: PlaceOption | None = None
    picks: tuple[PlaceOption, ...] = ()
    question: int = 0
    attributes: tuple[tuple[str, str], ...] = ()
    description: str = ""
    answers: tuple[tuple[str, str], ...] = ()


@dataclass
class _Walk:
    menu: Menu
    world: World
    stack: list[_State] = field(default_factory=list)
    _services: list[ServiceOption] | None = None
    _rate: list[Question] | None = None

    def t(self, state: _State, key: str, **values) -> str:
        return self.menu.text(state.language, key, **values)

    def services(self) -> list[ServiceOption]:
        if self._services is None:
            self._services = self.world.services()
        return self._services

    def rate_questions(self) -> list[Question]:
        if self._rate is None:
            self._rate = self.world.rate_questions()
        return self._rate

    # Options shown on a screen: (label, value) pairs, paged when long.
    def options(self, state: _State) -> list[tuple[str, object]]:
        if state.screen == "main":
            own = [(self.t(state, flow), flow) for flow in self.menu.flows]
            return own + [(ENDONYMS[code], ("language", code)) for code in self.menu.languages
                          if code != state.language]
        if state.screen == "service":
            return [(s.name_in(state.language), s) for s in self.services()]
        if state.screen == "place_pick":
            return [(p.label, p) for p in state.picks]
        if state.screen == "question":
            question = state.service.questions[state.question]
            return [(label, key) for key, label in question.choices_in(state.language)]
        if state.screen == "confirm":
            return [(self.t(state, "yes"), True), (self.t(state, "no"), False)]
        return []

    def title(self, state: _State) -> str:
        if state.screen == "question":
            return state.service.questions[state.question].text_in(state.language)
        if state.screen == "rate_question":
            question = self.rate_questions()[state.question]
            return f"{question.text}\n{self.t(state, 'rate_scale')}"
        if state.screen == "confirm":
            return self.t(state, "confirm", service=_short(state.service.name_in(state.language), 40),
                          place=_short(state.place.label, 40))
        key = {"free_place": "place", "description": "description", "follow": "reference",
               "place_pick": "place_pick"}.get(state.screen, state.screen)
        return self.t(state, key)

    def pages(self, state: _State) -> list[list[tuple[int, str, object]]]:
        """The options numbered 1.. and cut into pages that each fit a screen
        under the title (an error takes the title's place when both do not fit),
        so that the pages never move."""
        options = self.options(state)
        if not options:
            return [[]]
        # Room for the title, or for the error of a wrong choice in its place.
        head = max(len(self.title(state)), len(self.t(state, "bad_choice"))) + 1
        more = len(f"\n{MORE} {self.t(state, 'more')}")
        back = len(f"\n{BACK} {self.t(state, 'back')}")
        pages, page, used = [], [], head
        for number, (label, value) in enumerate(options, start=1):
            line = len(f"\n{number} {_short(label, LABEL_MAX)}")
            room = SCREEN_MAX - more - back
            if page and (len(page) >= self.menu.page_size or used + line > room):
                pages.append(page)
                page, used = [], head
            page.append((number, label, value))
            used += line
        pages.append(page)
        return pages

    def render(self, state: _State, error: str = "") -> Reply:
        pages = self.pages(state)
        page = pages[min(state.page, len(pages) - 1)]
        lines = [f"{number} {_short(label, LABEL_MAX)}" for number, label, _v in page]
        if state.page + 1 < len(pages):
            lines.append(f"{MORE} {self.t(state, 'more')}")
        if state.screen != "main":
            lines.append(f"{BACK} {self.t(state, 'back')}")
        head = [self.title(state)]
        if error:
            both = [error, *head]
            head = both if len("\n".join(both + lines)) <= SCREEN_MAX else [error]
        return Reply(_short("\n".join(head + lines), SCREEN_MAX))

    def end(self, state: _State, key: str, **values) -> Reply:
        return Reply(_short(self.t(state, key, **values), SCREEN_MAX), end=True)

    def enter(self, state: _State, new: _State) -> _State:
        self.stack.append(state)
        return new

    def back(self, state: _State) -> _State:
        return self.stack.pop() if self.stack else replace(state, screen="main", page=0)

    def step(self, state: _State, typed: str) -> tuple[_State, str, Reply | None]:
        """(next state, error to show, final reply when the session ends)."""
        if self.options(state):
            return self.choose(state, typed)
        if typed == BACK:
            return self.back(state), "", None
        return self.type_in(state, typed)

    def choose(self, state: _State, typed: str):
        pages = self.pages(state)
        if typed == MORE and state.page + 1 < len(pages):
            return replace(state, page=state.page + 1), "", None
        if typed == BACK and state.screen != "main":
            if state.page:
                return replace(state, page=state.page - 1), "", None
            return self.back(state), "", None
        values = {str(number): value for number, _l, value in pages[state.page]}
        if typed not in values:
            return state, self.t(state, "bad_choice"), None
        return self.chosen(state, values[typed])

    def chosen(self, state: _State, value):
        s = state
        if s.screen == "main":
            if isinstance(value, tuple):
                return replace(s, language=value[1]), "", None
            if value == "report":
                if not self.services():
                    return s, "", self.end(s, "none_offered")
                return self.enter(s, replace(s, screen="service", page=0)), "", None
            if value == "follow":
                return self.enter(s, replace(s, screen="follow", page=0)), "", None
            if not self.rate_questions():
                return s, "", self.end(s, "rate_none")
            return self.enter(s, replace(s, screen="rate_question", question=0)), "", None
        if s.screen == "service":
            return self.enter(s, replace(s, screen="free_place", page=0, service=value,
                                         attributes=(), question=0)), "", None
        if s.screen == "place_pick":
            return self.after_place(s, value), "", None
        if s.screen == "question":
            return self.answered(s, value), "", None
        if value:  # confirm
            action = Report(service=s.service, place=s.place, description=s.description,
                            attributes=dict(s.attributes))
            return s, "", Reply("", end=True, action=action)
        return s, "", self.end(s, "cancelled")

    def after_place(self, s: _State, place: PlaceOption) -> _State:
        new = replace(s, place=place, page=0, question=0, attributes=())
        if s.service.questions:
            return self.enter(s, replace(new, screen="question"))
        return self.enter(s, replace(new, screen="description"))

    def answered(self, s: _State, value: str) -> _State:
        question = s.service.questions[s.question]
        new = replace(s, page=0, attributes=s.attributes + ((question.code, value),))
        if s.question + 1 < len(s.service.questions):
            return self.enter(s, replace(new, question=s.question + 1))
        return self.enter(s, replace(new, screen="description"))

    def type_in(self, s: _State, typed: str):
        text = " ".join(typed.split())
        if s.screen == "rate_question":
            if text not in {"1", "2", "3", "4", "5"}:
                return s, self.t(s, "bad_scale"), None
            questions = self.rate_questions()
            answers = s.answers + ((questions[s.question].code, text),)
            if s.question + 1 < len(questions):
                return self.enter(s, replace(s, question=s.question + 1, answers=answers)), "", None
            return s, "", Reply("", end=True, action=Rate(answers=dict(answers)))
        if text_fault(text):
            return s, self.t(s, "bad_text"), None
        if len(text) < 2 and not (s.screen == "free_place" and text.isdigit()):
            return s, self.t(s, "bad_text"), None
        limit = self.menu.description_max if s.screen == "description" else 80
        if len(text) > limit:
            return s, self.t(s, "too_long", max=limit), None
        if s.screen == "follow":
            return s, "", Reply("", end=True, action=Follow(reference=text.upper()))
        if s.screen == "free_place":
            found = self.world.places(text)
            if not found:
                return s, self.t(s, "place_none"), None
            if len(found) == 1:
                return self.after_place(s, found[0]), "", None
            return self.enter(s, replace(s, screen="place_pick", page=0,
                                         picks=tuple(found))), "", None
        if s.screen == "question":
            question = s.service.questions[s.question]
            if question.numeric and not _is_number(text):
                return s, self.t(s, "bad_number"), None
            return self.answered(s, text), "", None
        # description
        return self.enter(s, replace(s, screen="confirm", page=0, description=text)), "", None


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def inputs_of(text: str) -> list[str]:
    """The caller's inputs in an Africa's Talking `text` ("" at the start)."""
    return [part.strip() for part in text.split("*")] if text else []


def walk(*, menu: Menu, world: World, inputs: list[str], language: str = "") -> Reply:
    """The screen after `inputs`, replayed from the main menu.

    An input that does not fit its screen leaves the caller there with a short
    error (shown only when it was the last input)."""
    walker = _Walk(menu=menu, world=world)
    state = _State(language=language if language in menu.languages else menu.languages[0])
    error = ""
    for typed in inputs:
        state, error, final = walker.step(state, typed)
        if final is not None:
            return replace(final, language=state.language)
    return replace(walker.render(state, error), language=state.language)
