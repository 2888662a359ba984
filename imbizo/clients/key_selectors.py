"""Reads about key clients: who manages a case's client, retention, the pages.

Retention (issue 21, item 6; docs/adr/0038-key-client-retention.md): a key
client is *eligible* at `as_of` when it had a case in the twelve months that
began two years before `as_of`, and *retained* when it also had one in the
twelve months that end at `as_of`. Both windows are closed at `as_of`, so the
figure for a date is final on that date and the quarterly trend never moves.
A case belongs to a key client through its CaseClient link.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from imbizo.cases.models import Case
from imbizo.engagement.models import Response
from imbizo.org.models import Staff

from .key_models import Signal, Visit
from .models import CaseClient, KeyClient


def account_manager_of_case(case) -> Staff | None:
    """The active account manager of the key client `case` belongs to, or None
    (no key client, or its manager has left). One query."""
    if case is None:
        return None
    link = (CaseClient.objects.filter(case_id=case.pk, key_client__isnull=False)
            .select_related("key_client__account_manager__user").first())
    if link is None:
        return None
    manager = link.key_client.account_manager
    return manager if manager.active else None


# --- retention ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    eligible: int
    retained: int

    @property
    def share(self) -> float | None:
        """Retained as a share of eligible (0..1), None when nobody was eligible."""
        return self.retained / self.eligible if self.eligible else None


@dataclass(frozen=True)
class RetentionPoint:
    as_of: date
    label: str
    retention: Retention


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _key_clients(*, group=None, office=None):
    clients = KeyClient.objects.all()
    if group is not None:
        clients = clients.filter(group=group)
    if office is not None:
        clients = clients.filter(office=office)
    return clients


def _links(*, since: date, until: date, group=None, office=None):
    links = CaseClient.objects.filter(key_client__isnull=False, case__opened_at__gte=_start(since),
                                      case__opened_at__lt=_start(until))
    if group is not None:
        links = links.filter(key_client__group=group)
    if office is not None:
        links = links.filter(key_client__office=office)
    return links


def _count(presence: Iterable[tuple[bool, bool]]) -> Retention:
    eligible = retained = 0
    for before, after in presence:
        if before:
            eligible += 1
            retained += after
    return Retention(eligible=eligible, retained=retained)


def retention(*, as_of: date, group=None, office=None) -> Retention:
    """Key clients with a case in the year before last (eligible) that had one in
    the last year too (retained), at `as_of`; for one group or office if given.
    One query."""
    middle, first = _years_before(as_of, 1), _years_before(as_of, 2)
    rows = (_links(since=first, until=as_of, group=group, office=office)
            .values("key_client")
            .annotate(before=Count("pk", filter=Q(case__opened_at__lt=_start(middle))),
                      after=Count("pk", filter=Q(case__opened_at__gte=_start(middle)))))
    return _count((r["before"] > 0, r["after"] > 0) for r in rows)


def retention_by(*, as_of: date, field: str) -> dict[int | None, Retention]:
    """Retention at `as_of` for each value of the key client's `field` ("group" or
    "office"): {id: Retention}. One query."""
    if field not in {"group", "office"}:
        raise ValueError(field)
    middle, first = _years_before(as_of, 1), _years_before(as_of, 2)
    rows = (_links(since=first, until=as_of).values("key_client", f"key_client__{field}")
            .annotate(before=Count("pk", filter=Q(case__opened_at__lt=_start(middle))),
                      after=Count("pk", filter=Q(case__opened_at__gte=_start(middle)))))
    presence: dict[int | None, list[tuple[bool, bool]]] = defaultdict(list)
    for r in rows:
        presence[r[f"key_client__{field}"]].append((r["before"] > 0, r["after"] > 0))
    return {key: _count(values) for key, values in presence.items()}


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarter_label(day: date) -> str:
    """The quarter that ends the day before `day` (the last quarter measured)."""
    last = day - timedelta(days=1)
    return f"{last.year} Q{(last.month - 1) // 3 + 1}"


def retention_trend(*, as_of: date, quarters: int = 8, group=None,
                    office=None) -> list[RetentionPoint]:
    """Retention at the start of each of the last `quarters` quarters up to
    `as_of` (oldest first), each labelled by the quarter it closes. One query:
    the quarters in which each key client had a case."""
    ends = []
    end = quarter_start(as_of)
    for _i in range(quarters):
        ends.append(end)
        end = quarter_start(end - timedelta(days=1))
    ends.reverse()
    rows = (_links(since=_years_before(ends[0], 2), until=ends[-1], group=group, office=office)
            .annotate(quarter=TruncQuarter("case__opened_at"))
            .values_list("key_client", "quarter").distinct())
    active: dict[int, set[date]] = defaultdict(set)
    for key_client, quarter in rows:
        day = quarter.date() if isinstance(quarter, datetime) else quarter
        active[key_client].add(day)
    points = []
    for end in ends:
        middle, first = _years_before(end, 1), _years_before(end, 2)
        presence = ((any(first <= q < middle for q in qs), any(middle <= q < end for q in qs))
                    for qs in active.values())
        points.append(RetentionPoint(as_of=end, label=_quarter_label(end),
                                     retention=_count(presence)))
    return points


# --- the pages ---------------------------------------------------------------------------


def next_visit_due(client: KeyClient, last_visited: date | None,
                   next_planned: date | None) -> date:
    """The planned next visit, or the last visit (else the client's start) plus the
    client's visiting interval."""
    if next_planned is not None:
        return next_planned
    start = last_visited or timezone.localdate(client.created_at)
    return start + timedelta(days=client.visit_every_days)


def key_client_list(*, viewer: Staff, group=None, mine: bool = False) -> list[KeyClient]:
    """Every active key client, the viewer's own first, with their counts and the
    next visit due (`next_due`). Two queries whatever the number of clients."""
    last = Visit.objects.filter(key_client=OuterRef("pk")).order_by("-visited_on", "-pk")
    clients = (KeyClient.objects.filter(active=True)
               .select_related("group", "office", "account_manager__user")
               .annotate(last_visited=Subquery(last.values("visited_on")[:1]),
                         next_planned=Subquery(last.values("next_visit_on")[:1]),
                         open_signals=Count("signals", filter=Q(signals__recorded_at__isnull=True),
                                            distinct=True)))
    if group is not None:
        clients = clients.filter(group=group)
    if mine:
        clients = clients.filter(account_manager=viewer)
    rows = list(clients.order_by("name"))
    for client in rows:
        client.next_due = next_visit_due(client, client.last_visited, client.next_planned)
        client.is_mine = client.account_manager_id == viewer.pk
    rows.sort(key=lambda c: (not c.is_mine, c.name))
    return rows


def key_client_get(*, pk: int) -> KeyClient | None:
    return (KeyClient.objects.select_related("group", "office", "account_manager__user")
            .filter(pk=pk).first())


@dataclass
class KeyClientCase:
    case: Case
    agreed: str
    ratings: list  # Response rows, each with `score` (mean of its numeric answers)


def key_client_cases(*, client: KeyClient, limit: int = 100) -> list[KeyClientCase]:
    """The key client's latest cases, each with its survey ratings. Two queries."""
    links = list(CaseClient.objects.filter(key_client=client)
                 .select_related("case__service", "case__office")
                 .order_by("-case__opened_at")[:limit])
    ratings: dict[int, list] = defaultdict(list)
    for response in (Response.objects.filter(case_id__in=[link.case_id for link in links])
                     .select_related("instrument")
                     .annotate(score=Avg("answers__number"))
                     .order_by("submitted_at")):
        ratings[response.case_id].append(response)
    return [KeyClientCase(case=link.case, agreed=link.agreed, ratings=ratings[link.case_id])
            for link in links]


def key_client_visits(*, client: KeyClient) -> list[Visit]:
    return list(client.visits.select_related("by__user"))


def key_client_signals(*, client: KeyClient, recent: int = 20) -> list[Signal]:
    """Open signals first (oldest first: the longest waiting on top), then the
    latest with their corrective action."""
    rows = list(client.signals.select_related("case", "recorded_by__user")
                .order_by("-at")[:200])
    open_ = sorted((s for s in rows if s.is_open), key=lambda s: s.at)
    done = [s for s in rows if not s.is_open][:recent]
    return open_ + done


def signals_open_for(*, staff: Staff) -> list[Signal]:
    """The open signals of the key clients `staff` manages, oldest first."""
    return list(Signal.objects.filter(key_client__account_manager=staff, recorded_at__isnull=True)
                .select_related("key_client", "case").order_by("at"))


def signal_get(*, pk: int) -> Signal | None:
    return Signal.objects.select_related("key_client", "case").filter(pk=pk).first()


def case_client_panel(*, case) -> CaseClient | None:
    """The client link of `case` for the staff case page (group, key client, agreed)."""
    return (CaseClient.objects.select_related("group", "key_client")
            .filter(case_id=case.pk).first())


def last_case_at(*, client_ids: list[int]) -> dict[int, datetime]:
    return dict(CaseClient.objects.filter(key_client_id__in=client_ids)
                .values_list("key_client").annotate(last=Max("case__opened_at")))
