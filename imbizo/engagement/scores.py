"""Pure rules about answers: ranges, recommend categories, when the loop fires."""

from collections.abc import Iterable

from .models import QuestionType

RANGES = {QuestionType.SCALE_5: (1, 5), QuestionType.SCALE_11: (0, 10),
          QuestionType.YES_NO: (0, 1)}


def recommend_category(score: int) -> str:
    """0-6 detractor, 7-8 passive, 9-10 promoter."""
    if score <= 6:
        return "detractor"
    return "passive" if score <= 8 else "promoter"


def loop_fires(*, answers: Iterable[tuple[str, int | None]], drivers: list[str],
               max_score: int | None, detractor: bool) -> bool:
    """Whether a closed-loop rule fires for these (driver, number) answers."""
    for driver, number in answers:
        if number is None:
            continue
        if max_score is not None and driver in drivers and number <= max_score:
            return True
        if detractor and driver == "recommend" and recommend_category(number) == "detractor":
            return True
    return False
