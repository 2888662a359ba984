"""The personal service time log: suggest, save and read weeks
(docs/people-time-and-feedback.md, "Time log"; ADR 0036).

What Imbizo knows of a week is read in one query per source: the handling
time of the person's own contacts, and the case events they made, each
counted as a few minutes of work (PEOPLE_MINUTES_PER_CASE_EVENT). Events that
move a citizen's case or tell the citizen something count as serving clients
directly; internal notes, assignments and corrections as administration.
Imbizo knows nothing of internal clients or other work: those start at zero
and the person fills them in.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from imbizo.cases.models import CaseEvent, EventKind
from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.inputs import text_fault
from imbizo.core.limits import LINE_MAX
from imbizo.engagement.models import Contact
from imbizo.org.models import Staff

from .timelog_models import SERVING, TimeLogEntry, TimeLogWeek, WorkKind

DAYS = 7
DAY_HOURS = 24
WEEK_HOURS = DAYS * DAY_HOURS  # 168
HUNDREDTH = Decimal("0.01")
DEFAULT_MINUTES_PER_CASE_EVENT = 10

# Case events that move a citizen's case or speak to the citizen.
CLIENT_EVENTS = (EventKind.OPENED, EventKind.ACKNOWLEDGED, EventKind.STATUS,
                 EventKind.PUBLIC_UPDATE, EventKind.REOPENED)
# Case events that are the institution's own bookkeeping.
ADMIN_EVENTS = (EventKind.NOTE, EventKind.ASSIGNED, EventKind.PUBLIC_TEXT,
                EventKind.PRIORITY, EventKind.SERVICE, EventKind.MERGED)


class TimeLogError(StrEnum):
    NOT_A_MONDAY = "not_a_monday"
    IN_THE_FUTURE = "in_the_future"
    NEGATIVE = "negative"
    DAY_TOO_LONG = "day_too_long"
    WEEK_TOO_LONG = "week_too_long"
    BAD_GOAL = "bad_goal"
    INVALID_TEXT = "invalid_text"


Cell = tuple[int, str]  # (day 0..6, WorkKind)


def week_of(day: datetime.date) -> datetime.date:
    """The Monday starting the week that holds `day`."""
    return day - datetime.timedelta(days=day.weekday())


def this_week() -> datetime.date:
    return week_of(timezone.localdate(clock.now()))


def minutes_per_case_event() -> int:
    return int(getattr(settings, "PEOPLE_MINUTES_PER_CASE_EVENT", DEFAULT_MINUTES_PER_CASE_EVENT))


def _hours(value) -> Decimal:
    return Decimal(value).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _week_bounds(week_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(week_start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(week_start + datetime.timedelta(days=DAYS),
                                    datetime.time.min, tzinfo=zone)
    return start, end


def timelog_suggest(*, staff: Staff, week_start: datetime.date) -> dict[Cell, Decimal]:
    """What Imbizo knows of `staff`'s week, in hours per (day, kind): two queries."""
    start, end = _week_bounds(week_start)
    zone = timezone.get_current_timezone()
    suggested: dict[Cell, Decimal] = {}

    def add(day: datetime.date, kind: str, hours: Decimal) -> None:
        index = (day - week_start).days
        if 0 <= index < DAYS and hours:
            cell = (index, kind)
            suggested[cell] = min(_hours(suggested.get(cell, 0) + hours), Decimal(DAY_HOURS))

    handled = (Contact.objects.filter(staff=staff, at__gte=start, at__lt=end,
                                      handling_seconds__isnull=False)
               .annotate(day=TruncDate("at", tzinfo=zone)).values("day")
               .annotate(seconds=Sum("handling_seconds")).values_list("day", "seconds"))
    for day, seconds in handled:
        add(day, WorkKind.CLIENTS, Decimal(seconds) / 3600)
    minutes = Decimal(minutes_per_case_event())
    events = (CaseEvent.objects.filter(actor=staff, at__gte=start, at__lt=end)
              .annotate(day=TruncDate("at", tzinfo=zone)).values("day")
              .annotate(client=Count("pk", filter=Q(kind__in=CLIENT_EVENTS)),
                        admin=Count("pk", filter=Q(kind__in=ADMIN_EVENTS)))
              .values_list("day", "client", "admin"))
    for day, client, admin in events:
        add(day, WorkKind.CLIENTS, client * minutes / 60)
        add(day, WorkKind.ADMIN, admin * minutes / 60)
    return suggested


def _check(hours: dict[Cell, Decimal]) -> None:
    day_names = _day_names()
    kinds = dict(WorkKind.choices)
    for (day, kind), value in sorted(hours.items()):
        if value < 0:
            raise DomainError(TimeLogError.NEGATIVE, _(
                "%(kind)s on %(day)s is %(hours)s hours: hours cannot be negative.")
                % {"kind": kinds[kind], "day": day_names[day], "hours": value},
                field=f"h_{day}_{kind}")
    total = sum(hours.values(), Decimal(0))
    if total > WEEK_HOURS:
        raise DomainError(TimeLogError.WEEK_TOO_LONG, _(
            "The week adds up to %(hours)s hours; a week has %(max)d.")
            % {"hours": _hours(total), "max": WEEK_HOURS})
    for day in range(DAYS):
        day_total = sum((v for (d, _k), v in hours.items() if d == day), Decimal(0))
        if day_total > DAY_HOURS:
            raise DomainError(TimeLogError.DAY_TOO_LONG, _(
                "%(day)s adds up to %(hours)s hours; a day has %(max)d.")
                % {"day": day_names[day], "hours": _hours(day_total), "max": DAY_HOURS})


def _day_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]


@transaction.atomic
def timelog_save(*, staff: Staff, week_start: datetime.date, hours: dict[Cell, Decimal],
                 goal_share: int | None = None, goal_note: str = "") -> TimeLogWeek:
    """Store `staff`'s week as corrected by them, and their goal for the next.

    `hours` maps (day 0..6, WorkKind) to hours; cells left out are zero. The
    whole week is checked before anything is written: nothing is half stored.
    """
    if week_start.weekday() != 0:
        raise DomainError(TimeLogError.NOT_A_MONDAY, _("A week starts on a Monday."),
                          field="week")
    if week_start > this_week():
        raise DomainError(TimeLogError.IN_THE_FUTURE,
                          _("That week has not started yet; log it once it has."), field="week")
    hours = {(int(d), WorkKind(k)): _hours(v) for (d, k), v in hours.items()}
    if any(not 0 <= d < DAYS for d, _k in hours):
        raise DomainError(TimeLogError.NOT_A_MONDAY, _("A week has seven days."), field="week")
    _check(hours)
    if goal_share is not None and not 0 <= goal_share <= 100:
        raise DomainError(TimeLogError.BAD_GOAL,
                          _("The goal is a share of the week: between 0 and 100 per cent."),
                          field="goal_share")
    goal_note = goal_note.strip()
    if text_fault(goal_note) or len(goal_note) > LINE_MAX:
        raise DomainError(TimeLogError.INVALID_TEXT, _(
            "How you will get there must be one line of at most %(n)d characters.")
            % {"n": LINE_MAX}, field="goal_note")
    suggested = timelog_suggest(staff=staff, week_start=week_start)
    week, _created = TimeLogWeek.objects.update_or_create(
        staff=staff, week_start=week_start,
        defaults={"goal_share": goal_share, "goal_note": goal_note, "saved_at": clock.now()})
    week.entries.all().delete()
    TimeLogEntry.objects.bulk_create(
        TimeLogEntry(week=week, day=day, kind=kind, hours=hours.get((day, kind), Decimal(0)),
                     suggested_hours=suggested.get((day, kind), Decimal(0)))
        for day in range(DAYS) for kind in WorkKind
        if hours.get((day, kind)) or suggested.get((day, kind)))
    return week


# --- reading ---------------------------------------------------------------------------


def share(serving: Decimal | float, total: Decimal | float) -> int | None:
    """Whole per cent of `total` hours spent serving clients; None for an empty week."""
    if not total:
        return None
    return int((Decimal(serving) * 100 / Decimal(total)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    hours: list[Decimal]  # per day
    suggested: list[Decimal]
    total: Decimal


@dataclass(frozen=True)
class WeekView:
    week_start: datetime.date
    saved: TimeLogWeek | None  # None: not saved yet, showing Imbizo's suggestion
    rows: list[KindRow]
    day_totals: list[Decimal]
    total: Decimal
    serving: Decimal
    share: int | None
    goal_before: int | None  # the goal set the week before, for this week
    days: list[datetime.date]

    @property
    def goal_met(self) -> bool | None:
        # Judged on the week as the person saved it, never on a suggestion.
        if self.goal_before is None or self.share is None or self.saved is None:
            return None
        return self.share >= self.goal_before


def timelog_week(*, staff: Staff, week_start: datetime.date) -> WeekView:
    """`staff`'s week as saved, or Imbizo's suggestion when they have not saved it."""
    weeks = {w.week_start: w for w in TimeLogWeek.objects.filter(
        staff=staff, week_start__in=(week_start, week_start - datetime.timedelta(days=DAYS)))}
    saved = weeks.get(week_start)
    before = weeks.get(week_start - datetime.timedelta(days=DAYS))
    suggested = timelog_suggest(staff=staff, week_start=week_start)
    hours = ({(e.day, e.kind): e.hours for e in saved.entries.all()} if saved is not None
             else dict(suggested))
    rows = []
    for kind in WorkKind:
        per_day = [hours.get((d, kind), Decimal(0)) for d in range(DAYS)]
        rows.append(KindRow(kind=kind.value, label=kind.label, hours=per_day,
                            suggested=[suggested.get((d, kind), Decimal(0)) for d in range(DAYS)],
                            total=sum(per_day, Decimal(0))))
    total = sum((r.total for r in rows), Decimal(0))
    serving = sum((r.total for r in rows if r.kind in SERVING), Decimal(0))
    return WeekView(
        week_start=week_start, saved=saved, rows=rows,
        day_totals=[sum((r.hours[d] for r in rows), Decimal(0)) for d in range(DAYS)],
        total=total, serving=serving, share=share(serving, total),
        goal_before=before.goal_share if before else None,
        days=[week_start + datetime.timedelta(days=d) for d in range(DAYS)])


@dataclass(frozen=True)
class TrendPoint:
    week_start: datetime.date
    total: Decimal
    serving: Decimal
    share: int | None
    goal: int | None  # the goal the person had set for this week


def timelog_trend(*, staff: Staff, weeks: int = 12) -> list[TrendPoint]:
    """`staff`'s saved weeks, oldest first, the last `weeks` of them: one query."""
    rows = list(
        TimeLogWeek.objects.filter(staff=staff).order_by("-week_start")
        .annotate(total=Sum("entries__hours"),
                  serving=Sum("entries__hours", filter=Q(entries__kind__in=SERVING)))
        .values_list("week_start", "total", "serving", "goal_share")[:weeks + 1])
    rows.reverse()
    goals = {start + datetime.timedelta(days=DAYS): goal for start, _t, _s, goal in rows}
    points = [TrendPoint(week_start=start, total=total or Decimal(0), serving=serving or Decimal(0),
                         share=share(serving or 0, total or 0), goal=goals.get(start))
              for start, total, serving, _goal in rows]
    return points[-weeks:]


@dataclass(frozen=True)
class TeamRow:
    staff: Staff
    logged: bool
    hours: dict[str, Decimal]  # per WorkKind
    total: Decimal
    share: int | None
    goal: int | None


def timelog_team(*, members: list[Staff], week_start: datetime.date) -> list[TeamRow]:
    """The distribution of each member's week (the manager's view): one query."""
    sums = {k.value: Sum("entries__hours", filter=Q(entries__kind=k.value)) for k in WorkKind}
    found = {row["staff_id"]: row for row in
             TimeLogWeek.objects.filter(staff__in=members, week_start=week_start)
             .values("staff_id", "goal_share").annotate(**sums)}
    rows = []
    for member in members:
        row = found.get(member.pk)
        hours = {k.value: ((row[k.value] if row else None) or Decimal(0)) for k in WorkKind}
        total = sum(hours.values(), Decimal(0))
        rows.append(TeamRow(staff=member, logged=row is not None, hours=hours, total=total,
                            share=share(sum(hours[k] for k in SERVING), total),
                            goal=row["goal_share"] if row else None))
    return rows
