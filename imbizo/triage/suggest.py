"""What triage suggests for a citizen's own words: the service, the urgency, the
Batho Pele principles and the language.

The one entry point for every door (the API, the report form, the agent intake,
the SMS and USSD dialogues): `suggest()`. It never guesses: below the confidence
threshold (settings.TRIAGE_CONFIDENCE_THRESHOLD) it suggests no service and says
why in `reason`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from imbizo.triage.errors import TriageError, TriageInputError

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


def suggest(*, description: str, lat: float | None = None, lon: float | None = None,
            service_code: str | None = None) -> Suggestion:
    """Suggest services (best first, at most 3), urgency, principles and language
    for `description`. `service_code`, when the caller already chose one, is kept
    as the service whose default urgency counts. Raises TriageInputError for an
    empty or over-long description."""
    clean_description(description)
    return Suggestion(services=[], urgency="normal", urgency_reasons=[], principles=[],
                      language="", model="",
                      reason=_("no model has been trained yet"))
