"""Form definitions as data, and the pure rules that check answers against
them. No ORM, no clock: `answers_clean` is tested alone.

A definition is {"questions": [...], "point_question", "ward_question",
"needs_question"}; each question has "name", "kind" (one of KINDS), "label"
({language: text}), "required", "choices" (for select kinds) and optionally
"relevant" = {"answered": <name>} (asked only when that question has an
answer) or {"selected": [<name>, <choice>]}. `relevant_xpath` turns it into
the XPath an XForm uses.
"""

import datetime
import math
import re
from dataclasses import dataclass

KINDS = ("text", "integer", "decimal", "select_one", "select_multiple", "geopoint", "image", "date")

# The needs a household can report, and the catalogue's service group each
# belongs to. Seeded into field.NeedCategory (data an administrator may change).
NEED_CATEGORIES = (
    ("water", "Water", "Water"),
    ("sanitation", "Sanitation", "Sanitation"),
    ("electricity", "Electricity", "Electricity"),
    ("refuse", "Refuse removal", "Waste"),
    ("housing", "Housing", "Housing"),
    ("roads", "Roads", "Roads"),
    ("safety", "Safety", "Safety"),
    ("social_grants", "Social grants", "Social support"),
    ("health", "Health", "Health"),
    ("education", "Education", "Education"),
    ("jobs", "Jobs", "Jobs"),
)

HOUSEHOLD_FORM_CODE = "household-needs"

_MAX_TEXT = 2000
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,199}$")


def _en(text: str) -> dict:
    return {"en": text}


def household_needs_v1() -> dict:
    """Version 1 of the household needs survey: no names; a phone number only with consent.

    Frozen: the seed migration and phones in the field use it; a change is a
    new function and a new version.
    """
    return {
        "point_question": "location",
        "ward_question": "ward",
        "needs_question": "needs",
        "consent_question": "consent",
        "questions": [
            {"name": "ward", "kind": "text", "required": False,
             "label": _en("Ward number (if the phone cannot find the location)")},
            {"name": "location", "kind": "geopoint", "required": False,
             "label": _en("Location of the household")},
            {"name": "needs", "kind": "select_multiple", "required": True,
             "label": _en("Which services does the household lack, or find poor?"),
             "choices": [{"name": code, "label": _en(label)} for code, label, _ in NEED_CATEGORIES]
             + [{"name": "none", "label": _en("None of these")}]},
            {"name": "urgency", "kind": "select_one", "required": True,
             "label": _en("How urgent is the most pressing need?"),
             "choices": [{"name": "urgent", "label": _en("Urgent: harm today or this week")},
                         {"name": "soon", "label": _en("Soon: within a few months")},
                         {"name": "can_wait", "label": _en("Can wait")}]},
            {"name": "people", "kind": "integer", "required": True,
             "label": _en("How many people live in the household?")},
            {"name": "notes", "kind": "text", "required": False,
             "label": _en("Anything else the household wants the municipality to know")},
            {"name": "contact_phone", "kind": "text", "required": False, "personal": True,
             "format": "phone",
             "label": _en("Phone number, only if the household wants to be contacted")},
            {"name": "consent", "kind": "select_one", "required": True,
             "relevant": {"answered": "contact_phone"},
             "label": _en("Does the household agree that the municipality keeps this number "
                          "to contact them about these needs?"),
             "choices": [{"name": "yes", "label": _en("Yes")},
                         {"name": "no", "label": _en("No")}]},
            {"name": "photo", "kind": "image", "required": False,
             "label": _en("Photo (optional: of the problem, not of people)")},
        ],
    }


def relevant_xpath(relevant: dict | None) -> str:
    """The XForm `relevant` expression for a definition's relevance rule ("" = always)."""
    if not relevant:
        return ""
    if "answered" in relevant:
        return f"${{{relevant['answered']}}} != ''"
    if "selected" in relevant:
        name, choice = relevant["selected"]
        return f"selected(${{{name}}}, '{choice}')"
    raise ValueError(f"unknown relevance rule {relevant!r}")


def definition_problems(definition: dict) -> list[str]:
    """What is wrong with a form definition ([] when it is usable)."""
    problems = []
    questions = definition.get("questions") if isinstance(definition, dict) else None
    if not isinstance(questions, list) or not questions:
        return ["a definition needs a non-empty list of questions"]
    names = set()
    for question in questions:
        name = question.get("name", "")
        if not _NAME.match(str(name)):
            problems.append(f"question name {name!r} is not a valid XForm name")
        if name in names:
            problems.append(f"question {name} appears twice")
        names.add(name)
        if question.get("kind") not in KINDS:
            problems.append(f"question {name} has unknown kind {question.get('kind')!r}")
        if question.get("kind", "").startswith("select") and not question.get("choices"):
            problems.append(f"question {name} has no choices")
    for key in ("point_question", "ward_question", "needs_question"):
        if definition.get(key) and definition[key] not in names:
            problems.append(f"{key} names no question")
    return problems


@dataclass(frozen=True)
class Place:
    """Where a record says the household is."""

    latitude: float | None
    longitude: float | None
    ward_code: str


def _is_relevant(question: dict, answers: dict) -> bool:
    relevant = question.get("relevant")
    if not relevant:
        return True
    if "answered" in relevant:
        return _given(answers.get(relevant["answered"]))
    if "selected" in relevant:
        name, choice = relevant["selected"]
        value = answers.get(name)
        return choice in value if isinstance(value, list) else value == choice
    return True


def _given(value) -> bool:
    return value is not None and value != "" and value != []


def geopoint_parse(value) -> tuple[float, float] | None:
    """(latitude, longitude) from "lat lon [alt acc]" (OpenRosa), [lat, lon] or
    {"lat", "lon"}; None when it is not a point on Earth."""
    try:
        if isinstance(value, str):
            parts = value.split()
            lat, lon = float(parts[0]), float(parts[1])
        elif isinstance(value, list | tuple):
            lat, lon = float(value[0]), float(value[1])
        elif isinstance(value, dict):
            lat, lon = float(value["lat"]), float(value.get("lon", value.get("lng")))
        else:
            return None
    except (ValueError, TypeError, IndexError, KeyError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _clean_one(question: dict, value) -> tuple[object, str | None]:
    """(normalised value, problem or None) for one answer that was given."""
    name, kind = question["name"], question["kind"]
    choices = {c["name"] for c in question.get("choices", ())}
    if kind in ("text", "image"):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return None, f"{name}: expected text"
        text = str(value).strip()
        if len(text) > _MAX_TEXT:
            return None, f"{name}: longer than {_MAX_TEXT} characters"
        if kind == "image" and ("/" in text or "\\" in text or text.startswith(".")):
            return None, f"{name}: a file name, not a path, is expected"
        return text, None
    if kind == "integer":
        try:
            number = int(str(value).strip())
        except ValueError:
            return None, f"{name}: {value!r} is not a whole number"
        if not -(10**9) < number < 10**9:
            return None, f"{name}: {number} is out of range"
        return number, None
    if kind == "decimal":
        try:
            number = float(str(value).strip())
        except ValueError:
            return None, f"{name}: {value!r} is not a number"
        if not math.isfinite(number):
            return None, f"{name}: {value!r} is not a number"
        return number, None
    if kind == "select_one":
        text = str(value).strip()
        if text not in choices:
            return None, f"{name}: {text!r} is not one of the choices"
        return text, None
    if kind == "select_multiple":
        picked = value.split() if isinstance(value, str) else value
        if not isinstance(picked, list) or not all(isinstance(p, str) for p in picked):
            return None, f"{name}: expected a list of choices"
        unknown = [p for p in picked if p not in choices]
        if unknown:
            return None, f"{name}: {', '.join(unknown)} not among the choices"
        return list(dict.fromkeys(picked)), None
    if kind == "geopoint":
        point = geopoint_parse(value)
        if point is None:
            return None, f"{name}: {value!r} is not a point (latitude longitude)"
        return f"{point[0]} {point[1]}" if not isinstance(value, str) else value.strip(), None
    if kind == "date":
        try:
            return datetime.date.fromisoformat(str(value).strip()[:10]).isoformat(), None
        except ValueError:
            return None, f"{name}: {value!r} is not a date (YYYY-MM-DD)"
    return None, f"{name}: unknown kind {kind}"


def answers_clean(definition: dict, answers) -> tuple[dict, list[str]]:
    """(normalised answers, problems) for `answers` against `definition`.

    Unknown names, missing required answers (of relevant questions) and values
    that do not fit their kind are problems; empty answers are dropped;
    answers to questions that are not relevant are dropped too. Answers to
    questions marked "personal" are kept only when the definition's
    "consent_question" is answered "yes": a phone number taken without
    consent is never stored.
    """
    if not isinstance(answers, dict):
        return {}, ["answers must be an object of question names to values"]
    questions = definition.get("questions", [])
    known = {q["name"] for q in questions}
    problems = [f"{name}: no such question in this form" for name in answers if name not in known]
    cleaned: dict = {}
    for question in questions:
        name = question["name"]
        value = answers.get(name)
        relevant = _is_relevant(question, answers)
        if not _given(value):
            if relevant and question.get("required"):
                problems.append(f"{name}: an answer is required")
            continue
        if not relevant:
            continue
        value, problem = _clean_one(question, value)
        if problem:
            problems.append(problem)
        else:
            cleaned[name] = value
    consent = definition.get("consent_question")
    if consent and cleaned.get(consent) != "yes":
        for question in questions:
            if question.get("personal"):
                cleaned.pop(question["name"], None)
    return cleaned, problems


def place_of(definition: dict, answers: dict) -> Place:
    """Where cleaned `answers` put the household."""
    point = None
    if definition.get("point_question") and answers.get(definition["point_question"]):
        point = geopoint_parse(answers[definition["point_question"]])
    ward_code = ""
    if definition.get("ward_question"):
        ward_code = str(answers.get(definition["ward_question"], "")).strip()
    return Place(latitude=point[0] if point else None, longitude=point[1] if point else None,
                 ward_code=ward_code)


def needs_of(definition: dict, answers: dict) -> list[str]:
    """The need category codes `answers` report ([] for a form without needs)."""
    name = definition.get("needs_question")
    if not name:
        return []
    picked = answers.get(name) or []
    return sorted(p for p in picked if p != "none")


def image_names(definition: dict, answers: dict) -> list[str]:
    """File names the answers refer to (image questions)."""
    return sorted({answers[q["name"]] for q in definition.get("questions", [])
                   if q.get("kind") == "image" and answers.get(q["name"])})
