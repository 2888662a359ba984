"""Simple counts of cases. Dashboards' figures come from insights' rollups."""

from ninja import Field, Query, Router, Schema

from imbizo.cases import selectors as case_selectors
from imbizo.cases.selectors import CaseFilter, Span

from .errors import READ_ERRORS
from .security import read_key
from .types import Instant, query_checked

router = Router(tags=["stats"])


class StatsQuery(Schema):
    opened_after: Instant | None = Field(None, description="Opened at or after.")
    opened_before: Instant | None = Field(None, description="Opened before.")


class CaseCountsOut(Schema):
    total: int
    by_status: dict[str, int]
    by_service: dict[str, int] = Field(description="Cases per service code.")


@router.get("/stats/cases", response={200: CaseCountsOut, **READ_ERRORS}, auth=read_key,
            summary="Count cases by status and by service", operation_id="case_counts")
@query_checked
def case_counts(request, period: Query[StatsQuery]):
    """Counts over the cases this key may see, optionally by opening date."""
    return case_selectors.case_counts(viewer=request.auth, filters=CaseFilter(
        opened=Span(period.opened_after, period.opened_before)))
