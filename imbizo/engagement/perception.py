"""The cumulative perception score of a citizen's journey (docs/adr/0005).

Pure: no ORM, no clock. Each rated contact gives a score from 0 to 100 (the
mean of its 1-5 answers, rescaled); the journey's score is their weighted
mean, where a contact's weight halves every HALF_LIFE_DAYS and a bad contact
(under 50) counts BAD_CONTACT_WEIGHT times: one rude encounter is remembered
longer than one pleasant one, and old impressions fade.
"""

import math
from dataclasses import dataclass
from datetime import datetime

HALF_LIFE_DAYS = 90.0
BAD_CONTACT_WEIGHT = 2.0
BAD_BELOW = 50.0


@dataclass(frozen=True)
class RatedContact:
    at: datetime
    answers: tuple[int, ...]  # 1-5 answers given about this contact


def contact_score(answers: tuple[int, ...]) -> float | None:
    """0-100 for a contact's 1-5 answers; None when it was not rated."""
    if not answers:
        return None
    if any(not 1 <= a <= 5 for a in answers):
        raise ValueError(f"answers must be 1 to 5, got {answers}")
    return (sum(answers) / len(answers) - 1) / 4 * 100


def contact_weight(score: float, age_days: float) -> float:
    if age_days < 0:
        raise ValueError("a contact cannot be in the future")
    weight = 0.5 ** (age_days / HALF_LIFE_DAYS)
    return weight * (BAD_CONTACT_WEIGHT if score < BAD_BELOW else 1.0)


def perception_score(contacts: list[RatedContact], *, now: datetime) -> float | None:
    """The journey's score, 0-100, or None when no contact was rated."""
    total = weights = 0.0
    for contact in contacts:
        score = contact_score(contact.answers)
        if score is None:
            continue
        weight = contact_weight(score, (now - contact.at).total_seconds() / 86400)
        total += weight * score
        weights += weight
    if weights == 0:
        return None
    result = total / weights
    return round(result, 1) if math.isfinite(result) else None
