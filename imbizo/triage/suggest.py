"""What triage suggests for a citizen's own words: the service, the urgency, the
Batho Pele principles and the language.

The one entry point for every door (the API, the report form, the agent intake,
the SMS and USSD dialogues): `suggest()`. It never guesses: below the confidence
threshold (settings.TRIAGE_CONFIDENCE_THRESHOLD) it suggests no service and says
why in `reason`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from imbizo.catalogue.models import Service
from imbizo.triage.errors import TriageError, TriageInputError
from imbizo.triage.language import language_of
from imbizo.triage.model import model_in_use
from imbizo.triage.urgency import urgency_of

# The longest description triage reads, in characters (an SMS thread or a long
# e-mail fits; a pasted document does not).
MAX_DESCRIPTION = 4000


@dataclass(frozen=True)
class ServiceGuess:
    code: str
    name: str
    confidence: float          # 0..1


@dataclass(frozen=True)
class Suggestion:
    services: list[ServiceGuess]   # best first, at most 3, only above the threshold
    urgency: str                   # a catalogue.Priority value: "urgent"|"high"|"normal"|"low"
    urgency_reasons: list[str] = field(default_factory=list)  # e.g. ["live wire"]
    principles: list[str] = field(default_factory=list)       # cases.models.Principle codes
    language: str = ""             # core.languages.Language code or "" when unsure
    model: str = ""                # the model version used, "" when none
    reason: str = ""               # why there are no service suggestions ("" when there are)


def clean_description(description: str | None) -> str:
    """The description stripped, or TriageInputError naming what is wrong."""
    text = (description or "").strip()
    if not text:
        raise TriageInputError(TriageError.EMPTY_DESCRIPTION,
                               _("Describe the problem in a few words."), field="description")
    if len(text) > MAX_DESCRIPTION:
        raise TriageInputError(
            TriageError.DESCRIPTION_TOO_LONG,
            _("The description is too long: at most %(max)d characters.") % {"max": MAX_DESCRIPTION},
            field="description")
    return text


_names: dict = {"at": -math.inf, "names": {}}


def service_names() -> dict[str, str]:
    """Code -> name of the active services, read at most every
    TRIAGE_MODEL_CHECK_SECONDS (services change rarely; a suggestion must not
    cost a query each time)."""
    every = getattr(settings, "TRIAGE_MODEL_CHECK_SECONDS", 30)
    now = time.monotonic()
    if now - _names["at"] >= every:
        _names["names"] = dict(Service.objects.filter(active=True).values_list("code", "name"))
        _names["at"] = now
    return _names["names"]


def threshold() -> float:
    """The least confidence (0..1) for a service to be suggested."""
    return float(getattr(settings, "TRIAGE_CONFIDENCE_THRESHOLD", 0.3))


def suggest(*, description: str, lat: float | None = None, lon: float | None = None,
            service_code: str | None = None) -> Suggestion:
    """Suggest services (best first, at most 3, each at least as confident as the
    threshold), urgency, principles and language for `description`.

    `service_code`, when the caller already chose one, must be a known service:
    its usual urgency then counts instead of the best guess's. `lat`/`lon` are
    accepted for the duplicates finder's sake; the model does not use them.
    Raises TriageInputError for an empty or over-long description or an unknown
    service code."""
    text = clean_description(description)
    language = language_of(text)
    model = model_in_use()
    guesses, reason, features = _model_guesses(model, text)
    principles: list[str] = []
    if features is not None:
        p_scores = model.principle_scores(*features)
        principles = [model.principles[i] for i in np.argsort(-p_scores)
                      if p_scores[i] >= 0.5][:3]
    names = service_names() if guesses or service_code else {}
    if service_code and service_code not in names:
        raise TriageInputError(TriageError.UNKNOWN_SERVICE,
                               _("There is no service with the code %(code)s.")
                               % {"code": service_code}, field="service_code")
    services = [ServiceGuess(code, names[code], round(confidence, 4))
                for code, confidence in guesses if code in names]
    if guesses and not services:
        reason = _("the likely services are no longer offered")
    urgency, urgency_reasons = urgency_of(
        text, service_code or (services[0].code if services else None))
    return Suggestion(services=services, urgency=urgency, urgency_reasons=urgency_reasons,
                      principles=principles, language=language,
                      model=model.version if model else "", reason=reason)


def services_suggested(*, description: str) -> tuple[list[str], str]:
    """The codes of the services suggest() offers for `description`, best first,
    and the model's version ("" when none): nothing else of a suggestion (urgency,
    principles, language), which the record of triage in use does not keep and
    the intake path should not pay for. Raises as suggest() does for the text."""
    text = clean_description(description)
    model = model_in_use()
    guesses, _reason, _features = _model_guesses(model, text)
    names = service_names() if guesses else {}
    codes = [code for code, _confidence in guesses if code in names]
    return codes, model.version if model else ""


def _model_guesses(model, text: str) -> tuple[list[tuple[str, float]], str, tuple | None]:
    """(code, confidence) of the services `model` finds likely enough for `text`,
    best first, at most 3; why there are none ("" when there are); the text's
    features, None when the model has none for it."""
    if model is None:
        return [], _("no model has been trained yet"), None
    cols, values = model.features(text)
    if not len(cols):
        return [], _("none of these words were seen in past cases"), None
    scores = model.service_scores(cols, values)
    order = np.argsort(-scores)[:3]
    least = threshold()
    guesses = [(model.services[i], float(scores[i])) for i in order if scores[i] >= least]
    reason = ""
    if not guesses:
        reason = _("no service is likely enough (best %(best)d%%, at least %(least)d%% "
                   "needed)") % {"best": round(float(scores[order[0]]) * 100),
                                 "least": round(least * 100)}
    return guesses, reason, (cols, values)
