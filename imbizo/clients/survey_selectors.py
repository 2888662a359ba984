"""Reads of the client-service survey: the scorecard's figures and the rounds."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import BooleanField, Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear

from imbizo.core import clock
from imbizo.engagement.models import Answer, Driver
from imbizo.org.models import Office

from .models import ClientGroup
from .survey_models import SamplingRule, SurveyRound
from .survey_scores import MEASURES, RECOMMEND, Cell, quarter_label

QUARTERS_SHOWN = 8


@dataclass
class Row:
    """One measure's figures, quarter by quarter: our own rounds and the outside
    party's, kept apart."""

    code: str
    label: str
    own: list[Cell] = field(default_factory=list)
    third: list[Cell] = field(default_factory=list)

    @property
    def is_nps(self) -> bool:
        """The 0-10 question, shown as a net promoter score, not a mean."""
        return self.code == RECOMMEND

    @property
    def has_third(self) -> bool:
        return any(cell.count for cell in self.third)


@dataclass
class Block:
    """The figures of one client group or one office."""

    name: str
    rows: list[Row]
    answered: int


@dataclass
class Scorecard:
    quarters: list[str]
    groups: list[Block]
    offices: list[Block]

    @property
    def phone_hidden(self) -> int:
        """How many of the oldest quarters a phone leaves out: three columns of
        figures beside the measure's name fit a 375-pixel screen."""
        return max(0, len(self.quarters) - 3)


def _quarters(now: datetime, count: int) -> list[tuple[int, int]]:
    year, quarter = now.year, (now.month - 1) // 3 + 1
    shown = []
    for _step in range(count):
        shown.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return shown[::-1]


def _figures(*, by: str, since_year: int, instrument_code: str):
    """Answer counts, sums, promoters and detractors per (key, year, quarter,
    third party, driver): one aggregate query."""
    answers = (Answer.objects
               .filter(response__instrument__code=instrument_code,
                       driver__in=[*MEASURES, RECOMMEND], number__isnull=False,
                       response__submitted_at__year__gte=since_year)
               .annotate(key=F(by), year=ExtractYear("response__submitted_at"),
                         quarter=ExtractQuarter("response__submitted_at"),
                         third=Coalesce("response__client_recipient__round__third_party",
                                        Value(False), output_field=BooleanField()))
               .values("key", "year", "quarter", "third", "driver")
               .annotate(count=Count("id"), total=Sum("number"),
                         promoters=Count("id", filter=Q(number__gte=9)),
                         detractors=Count("id", filter=Q(number__lte=6)))
               .order_by())
    return [a for a in answers if a["key"] is not None]


def _blocks(rows, names: dict[int, str], quarters: list[tuple[int, int]],
            codes: tuple[str, ...]) -> list[Block]:
    index = {q: i for i, q in enumerate(quarters)}
    cells: dict = defaultdict(lambda: defaultdict(dict))
    answered: dict[int, int] = defaultdict(int)
    for r in rows:
        slot = index.get((r["year"], r["quarter"]))
        if slot is None:
            continue
        cells[r["key"]][(r["driver"], r["third"])][slot] = Cell(
            count=r["count"], total=r["total"] or 0, promoters=r["promoters"],
            detractors=r["detractors"])
        if r["driver"] == RECOMMEND or (r["driver"] == codes[0] and RECOMMEND not in codes):
            answered[r["key"]] += r["count"]
    labels = dict(_labels())
    blocks = []
    for key, name in names.items():
        if key not in cells:
            continue
        block_rows = []
        for code in codes:
            own, third = cells[key][(code, False)], cells[key][(code, True)]
            block_rows.append(Row(code=code, label=labels[code],
                                  own=[own.get(i, Cell()) for i in range(len(quarters))],
                                  third=[third.get(i, Cell()) for i in range(len(quarters))]))
        blocks.append(Block(name=name, rows=block_rows, answered=answered[key]))
    return blocks


def _labels():
    return [(code, Driver(code).label) for code in (*MEASURES, RECOMMEND)]


def client_scorecard(*, now: datetime | None = None, instrument_code: str = "client-service",
                     quarters: int = QUARTERS_SHOWN) -> Scorecard:
    """Each of the seven measures by client group, quarter by quarter (mean 1-5
    and count), with the would-recommend score (NPS); NPS and the referral
    measure by office. Our own rounds and third-party results apart.

    Four queries: two aggregates (by group, by office) and their names."""
    now = now or clock.now()
    shown = _quarters(now, quarters)
    since = shown[0][0]
    by_group = _figures(by="response__client_link__group_id", since_year=since,
                        instrument_code=instrument_code)
    by_office = [r for r in _figures(by="response__office_id", since_year=since,
                                     instrument_code=instrument_code)
                 if r["driver"] in (RECOMMEND, MEASURES[-1])]
    groups = dict(ClientGroup.objects.order_by("order", "name").values_list("pk", "name"))
    offices = dict(Office.objects.filter(pk__in={r["key"] for r in by_office})
                   .order_by("name").values_list("pk", "name"))
    return Scorecard(
        quarters=[quarter_label(y, q) for y, q in shown],
        groups=_blocks(by_group, groups, shown, (*MEASURES, RECOMMEND)),
        offices=_blocks(by_office, offices, shown, (RECOMMEND, MEASURES[-1])),
    )


def rule_list() -> list[SamplingRule]:
    return list(SamplingRule.objects.select_related("office", "group").order_by("name"))


def round_list(*, limit: int = 30) -> list[SurveyRound]:
    """The latest rounds with their rule, and how many recipients answered."""
    return list(SurveyRound.objects.select_related("rule", "started_by__user")
                .annotate(answered=Count("recipients", filter=Q(recipients__response__isnull=False)))
                .order_by("-started_at", "-pk")[:limit])


def round_get(*, pk: int) -> SurveyRound | None:
    return (SurveyRound.objects.select_related("rule", "started_by__user")
            .annotate(answered=Count("recipients",
                                     filter=Q(recipients__response__isnull=False)))
            .filter(pk=pk).first())
