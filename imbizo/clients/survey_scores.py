"""Pure rules of the client-service scores: no ORM, no clock."""

from dataclasses import dataclass

from imbizo.engagement.models import Driver

# The seven client-service measures, in the order the scorecard shows them.
MEASURES = (Driver.VALUE, Driver.EASE, Driver.INTEGRITY, Driver.RELEVANCE,
            Driver.MANAGEMENT_FOCUS, Driver.RELATIONSHIP, Driver.REFERRAL)
RECOMMEND = Driver.RECOMMEND


@dataclass(frozen=True)
class Cell:
    """One figure: answers counted, their sum, and for the 0-10 question the
    promoters (9-10) and detractors (0-6) among them."""

    count: int = 0
    total: int = 0
    promoters: int = 0
    detractors: int = 0

    @property
    def mean(self) -> float | None:
        """The mean of 1-5 answers, to one decimal; None without answers."""
        return round(self.total / self.count, 1) if self.count else None

    @property
    def nps(self) -> int | None:
        """Net promoter score in percentage points (-100 to 100): promoters' share
        minus detractors' share; None without answers."""
        return nps(promoters=self.promoters, detractors=self.detractors, count=self.count)


def nps(*, promoters: int, detractors: int, count: int) -> int | None:
    if not count:
        return None
    return round(100 * (promoters - detractors) / count)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year} Q{quarter}"
