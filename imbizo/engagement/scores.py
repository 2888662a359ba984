"""Pure rules about answers: ranges, recommend categories, when the loop fires."""

from collections.abc import Iterable
from dataclasses import dataclass

from .models import QuestionType

RANGES = {QuestionType.SCALE_5: (1, 5), QuestionType.SCALE_11: (0, 10),
          QuestionType.YES_NO: (0, 1)}


def recommend_category(score: int) -> str:
    """0-6 detractor, 7-8 passive, 9-10 promoter."""
    if score <= 6:
        return "detractor"
    return "passive" if score <= 8 else "promoter"


@dataclass(frozen=True)
class Rated:
    """One answer as the closed loop sees it."""

    question: str  # the question's code in its survey
    type: str  # a QuestionType
    driver: str
    number: int | None


@dataclass(frozen=True)
class LoopWatch:
    """What a closed-loop rule watches (engagement.models.LoopRule, as plain data)."""

    instrument: str = ""  # a survey's code; "" every survey
    questions: tuple[str, ...] = ()
    drivers: tuple[str, ...] = ()
    max_score: int | None = None
    detractor: bool = False

    def watches(self, answer: Rated) -> bool:
        """Whether the threshold applies to `answer`: a named question, else a
        named driver, else any 1-to-5 question of the rule's survey."""
        if self.questions:
            return answer.question in self.questions
        if self.drivers:
            return answer.driver in self.drivers
        return bool(self.instrument) and answer.type == QuestionType.SCALE_5


def loop_fires(*, instrument: str, answers: Iterable[Rated], watch: LoopWatch) -> bool:
    """Whether a rule watching `watch` fires for these answers to the survey `instrument`."""
    if watch.instrument and watch.instrument != instrument:
        return False
    for answer in answers:
        if answer.number is None:
            continue
        if watch.max_score is not None and watch.watches(answer) \
                and answer.number <= watch.max_score:
            return True
        if watch.detractor and answer.driver == "recommend" \
                and recommend_category(answer.number) == "detractor":
            return True
    return False
