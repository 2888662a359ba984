"""Dashboard and accountability pages (interface only): parse, authorise,
call one report, render or export. Figures come from imbizo.insights.reports."""

from urllib.parse import quote

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imbizo.catalogue.models import Service
from imbizo.core.evidence import enough_answers, min_answers_shown
from imbizo.field import selectors as field_figures
from imbizo.geo.models import Ward
from imbizo.insights import reports, standing
from imbizo.insights.rules import DRIVER_MIN_PAIRS, HOTSPOT_MAX_P, HOTSPOT_MIN_CASES, HOTSPOT_MIN_RATIO
from imbizo.org.authorisation import permission_required
from imbizo.org.models import Office
from imbizo.org.permissions import Permission
from imbizo.outreach import interruption_selectors as interruptions

from . import charts, maps, meeting_views
from .exports import Table, export, json_response
from .templatetags.dashboards import percent

# The staff gate with the permission of these pages (imbizo.org.authorisation).
insight_staff_required = permission_required(Permission.INSIGHTS_VIEW)


def _query_without_export(request) -> str:
    query = request.GET.copy()
    for key in ("export", "format"):
        query.pop(key, None)
    return query.urlencode()


def _page(request, template, context, tables, filename):
    """Render the page, or the table asked for in ?export=&format=."""
    response = export(tables, name=request.GET.get("export", ""),
                      fmt=request.GET.get("format", ""), filename=filename)
    if response is not None:
        return response
    context.update({"tables": {t.name: t for t in tables}, "query": _query_without_export(request),
                    "map_tiles_url": settings.MAP_TILES_URL})
    return render(request, template, context)


def _share_cell(value):
    return None if value is None else round(value * 100, 1)


# --- war room ------------------------------------------------------------------


@insight_staff_required
def warroom(request):
    room = reports.warroom()
    ward_rows = [{"code": w.ward.code, "name": w.ward.name, "region": w.ward.region,
                  "open": w.open, "overdue": w.overdue, "escalated": w.escalated,
                  "opened_24h": w.opened_24h, "breached_24h": w.breached_24h}
                 for w in sorted(room.wards, key=lambda w: (-w.open, w.ward.code))]
    tables = [
        Table("wards", _("Open cases by ward"), [
            ("code", _("Ward")), ("name", _("Name")), ("region", _("Region")),
            ("open", _("Open")), ("overdue", _("Overdue")), ("escalated", _("Escalated")),
            ("opened_24h", _("Opened, last 24 h")), ("breached_24h", _("Overdue, last 24 h"))],
            ward_rows),
        Table("hotspots", _("Hotspots"), [
            ("code", _("Ward")), ("name", _("Name")), ("recent", _("Opened, last 7 days")),
            ("expected", _("Usual for 7 days")), ("ratio", _("Times usual"))],
            [{"code": h.ward.code, "name": h.ward.name, "recent": h.verdict.recent,
              "expected": round(h.verdict.expected, 1), "ratio": round(h.verdict.ratio, 1)}
             for h in room.hotspots]),
        Table("overdue", _("Oldest overdue cases"), [
            ("reference", _("Reference")), ("service", _("Service")), ("ward", _("Ward")),
            ("office", _("Office")), ("due", _("Was due")), ("level", _("Escalation level"))],
            [{"reference": c.reference, "service": c.service.name,
              "ward": c.ward.code if c.ward else "", "office": c.office.name if c.office else "",
              "due": c.resolve_due_at, "level": c.escalation_level}
             for c in room.oldest_overdue]),
    ]
    running = interruptions.interruption_list_running()
    tables.append(_running_table(running))
    painted, legend = maps.classes({w.ward.code: w.open for w in room.wards})
    context = {"room": room, "map_values": painted, "legend": legend, "running": running,
               "promises": meeting_views.warroom_promises(),
               "refresh_seconds": int(getattr(settings, "WARROOM_REFRESH_SECONDS", 30)),
               "rule": {"min_cases": HOTSPOT_MIN_CASES, "ratio": HOTSPOT_MIN_RATIO,
                        "p": HOTSPOT_MAX_P}}
    if request.htmx and not request.htmx.history_restore_request:
        context.update({"tables": {t.name: t for t in tables},
                        "query": _query_without_export(request)})
        response = render(request, "dashboards/_warroom_live.html", context)
    else:
        household_period = reports.period_get("3m")
        context.update({"household_period": household_period,
                        "household_regions": field_figures.needs_figures(
                            since=household_period.since,
                            until=household_period.until).regions})
        response = _page(request, "dashboards/warroom.html", context, tables, "warroom")
    patch_vary_headers(response, ("HX-Request",))
    response["Cache-Control"] = "no-store"
    return response


def _running_table(running):
    return Table("interruptions", _("Service interruptions in progress"), [
        ("title", _("Interruption")), ("service", _("Service")), ("wards", _("Wards")),
        ("since", _("Off since")), ("expected", _("Expected back")),
        ("linked_open", _("Linked reports open"))],
        [{"title": i.title, "service": i.service.name,
          "wards": ", ".join(w.code for w in i.wards.all()), "since": i.starts_at,
          "expected": i.expected_restoration_at, "linked_open": i.linked_open}
         for i in running])


def _outage_table(rows, *, name="outages", title=None):
    return Table(name, title or _("Hours without the service, by month"), [
        ("month", _("Month")), ("service", _("Service")), ("hours", _("Hours without it")),
        ("interruptions", _("Interruptions"))],
        [{"month": r["month"].strftime("%Y-%m"), "service": r["service"],
          "hours": round(r["hours"], 1), "interruptions": r["interruptions"]} for r in rows])


# --- needs map -----------------------------------------------------------------


def _share_percent(share):
    return None if share is None else round(share * 100, 1)


def _household_layer(*, period, need: str, group: str) -> tuple[dict, list]:
    """The door-to-door layer of the needs page: the share of visited households
    reporting `need` per ward (for the map) and the tables by ward and region.
    Shares rest on at least MIN_ANSWERS_SHOWN visits (core.evidence)."""
    figures = field_figures.needs_figures(since=period.since, until=period.until)
    codes = [c.code for c in figures.categories]
    if need not in codes:
        # The kind of service chosen for the cases picks its household need.
        grouped = [c.code for c in figures.categories if group and c.service_group == group]
        need = grouped[0] if grouped else figures.top_need()
    chosen = next((c for c in figures.categories if c.code == need), None)

    def part(area):
        return next((s for s in area.needs if s.code == need), None)

    ward_rows = [{"code": area.key, "name": area.name, "visited": area.visited,
                  "households": part(area).households if part(area) else 0,
                  "share": _share_percent(part(area).share) if part(area) else None,
                  "top": ", ".join(f"{s.label} {_share_percent(s.share)}%" for s in area.top())
                  if area.shown else ""} for area in figures.wards]
    region_rows = [{"region": area.name, "visited": area.visited,
                    **{s.code: _share_percent(s.share) for s in area.needs}}
                   for area in figures.regions]
    tables = [
        Table("households", _("Households visited door to door, by ward"), [
            ("code", _("Ward")), ("name", _("Name")), ("visited", _("Households visited")),
            ("households", _("Reporting the need")), ("share", _("Share (%)")),
            ("top", _("Most reported needs"))], ward_rows),
        Table("household_regions", _("Share of visited households reporting each need, "
                                     "by region (%)"), [
            ("region", _("Region")), ("visited", _("Households visited")),
            *[(c.code, c.label) for c in figures.categories]], region_rows),
    ]
    painted, legend = maps.percent_classes({row["code"]: row["share"] for row in ward_rows})
    layer = {"need": chosen, "needs": figures.categories, "map_values": painted,
             "legend": legend, "regions": [(area, area.top(1)) for area in figures.regions],
             "minimum": min_answers_shown(), "visited": sum(a.visited for a in figures.wards)}
    return layer, tables


def needs(request):
    period = reports.period_get(request.GET.get("period"))
    report = reports.needs(group=request.GET.get("group", "")[:120], period=period)
    tables = [
        Table("wards", _("Cases per 1,000 residents by ward"), [
            ("code", _("Ward")), ("name", _("Name")), ("region", _("Region")),
            ("population", _("Residents")), ("cases", _("Cases")),
            ("per_1000", _("Per 1,000 residents"))],
            [{"code": w.ward.code, "name": w.ward.name, "region": w.ward.region,
              "population": w.ward.population, "cases": w.cases, "per_1000": w.per_1000}
             for w in sorted(report.wards, key=lambda w: (-(w.per_1000 or 0), w.ward.code))]),
        Table("regions", _("Greatest need by region"), [
            ("region", _("Region")), ("group", _("Greatest need")), ("cases", _("Cases")),
            ("per_1000", _("Per 1,000 residents"))],
            [{"region": r.region or _("No region"), "group": r.group or "—", "cases": r.cases,
              "per_1000": r.per_1000} for r in report.regions]),
    ]
    households, household_tables = _household_layer(
        period=period, need=request.GET.get("need", "")[:32],
        group=report.group or request.GET.get("group", "")[:120])
    painted, legend = maps.classes({w.ward.code: w.per_1000 for w in report.wards})
    return _page(request, "dashboards/needs.html", {
        "report": report, "periods": [(k, label) for k, (_d, label) in reports.PERIODS.items()],
        "map_values": painted, "legend": legend, "households": households,
    }, tables + household_tables, "needs")


# --- scorecard -------------------------------------------------------------------


def _score_tables(card):
    return [Table("services", _("Service standards: promised and delivered"), [
        ("group", _("Group")), ("service", _("Service")), ("resolved", _("Resolved")),
        ("ack_share", _("Acknowledged in time by a person (%)")),
        ("resolve_share", _("Resolved in time (%)")), ("target", _("Target (%)")),
        ("verdict", _("Pledge"))],
        [{"group": s.service.group, "service": s.service.name, "resolved": s.score.resolved,
          "ack_share": _share_cell(s.score.ack_share),
          "resolve_share": _share_cell(s.score.resolve_share), "target": s.score.target,
          "verdict": _verdict(s.score.meets)} for s in card.services])]


def _verdict(meets):
    if meets is None:
        return _("Too few cases to judge")
    return _("Kept") if meets else _("Missed")


def _office_table(offices):
    return Table("offices", _("Offices, from the lowest share resolved in time"), [
        ("office", _("Office")), ("resolved", _("Resolved")),
        ("ack_share", _("Acknowledged in time by a person (%)")),
        ("resolve_share", _("Resolved in time (%)"))],
        [{"office": o.name, "code": o.code, "resolved": o.score.resolved,
          "ack_share": _share_cell(o.score.ack_share),
          "resolve_share": _share_cell(o.score.resolve_share)} for o in offices])


def _month_rows(card) -> dict[str, list[tuple[str, str, int]]]:
    """Months as (label, share, cases) for all services, keyed "" (each service's
    are on its own page)."""
    labels: dict = {}

    def rows(months):
        return [(labels.setdefault(month, date_format(month, "F Y")),
                 percent(score.resolve_share), score.resolve_cases) for month, score in months]

    return {"": rows(card.months)}


def _overall_spec(card):
    values = [{"month": month.isoformat(), "share": _share_cell(score.resolve_share),
               "cases": score.resolve_cases}
              for month, score in card.months if score.resolve_share is not None]
    return charts.share_trend(values, target=None, title=_(
        "All services: share resolved in time by month")) if values else None




def scorecard(request):
    period = reports.period_get(request.GET.get("period"), default="12m")
    card = reports.scorecard(period=period)
    offices = card.offices[:5]
    outage_wards = interruptions.outage_hours_by_ward(months=12)[:10]
    tables = [*_score_tables(card), _office_table(offices), Table(
        "outage_wards", _("Wards longest without a service, last 12 months"), [
            ("code", _("Ward")), ("name", _("Name")), ("hours", _("Hours without a service")),
            ("interruptions", _("Interruptions"))],
        [{**r, "hours": round(r["hours"], 1)} for r in outage_wards])]
    return _page(request, "dashboards/scorecard.html", {
        "outage_wards": outage_wards,
        **_standing(request, card), "card": card, "worst": offices, "staff_view": False,
        "promises": meeting_views.scorecard_promises(),
        "month_rows": _month_rows(card), "overall": _overall_spec(card),
        "periods": [(k, label) for k, (_d, label) in reports.PERIODS.items()],
    }, tables, "scorecard")


def _standing(request, card) -> dict:
    """The summary, and the table searched (?q=) and sorted (?sort=) without JavaScript."""
    trends = {s.service.code: standing.trend_of(s.months) for s in card.services}
    column, descending = standing.sort_parse(request.GET.get("sort", "")[:20])
    query = request.GET.get("q", "").strip()[:100]
    rows = standing.rows_sorted(standing.rows_matching(card.services, query), trends,
                                column=column, descending=descending)
    return {"summary": standing.summary_of(card.services, trends), "trends_of": trends,
            "rows": [(row, trends[row.service.code]) for row in rows], "search": query,
            "sort": column, "descending": descending,
            "sort_links": _sort_links(request, column, descending)}


def _sort_links(request, column: str, descending: bool) -> dict[str, str]:
    """For each column, the query that sorts by it (the other way when it is
    the current one), keeping the period and the search."""
    links = {}
    for name in standing.SORT_KEYS:
        query = request.GET.copy()
        for key in ("export", "format", "sort"):
            query.pop(key, None)
        query["sort"] = f"-{name}" if name == column and not descending else name
        links[name] = query.urlencode()
    return links


def scorecard_service(request, code: str):
    """One service's promise kept or missed, and its trend month by month."""
    period = reports.period_get(request.GET.get("period"), default="12m")
    card = reports.scorecard(period=period)
    row = next((s for s in card.services if s.service.code == code), None)
    if row is None:
        service = Service.objects.filter(code=code, active=True).values("code", "name").first()
        if service is None:
            raise Http404(_("No such service."))
    else:
        service = {"code": row.service.code, "name": row.service.name}
    months = _service_month_rows(row) if row else []
    table = Table("months", _("Share resolved in time by month"), [
        ("month", _("Month")), ("resolve_share", _("Resolved in time (%)")),
        ("cases", _("Cases judged")), ("ack_share", _("Acknowledged in time by a person (%)"))],
        [{"month": month.strftime("%Y-%m"), "resolve_share": _share_cell(score.resolve_share),
          "cases": score.resolve_cases, "ack_share": _share_cell(score.ack_share)}
         for month, score in (row.months if row else [])])
    return _page(request, "dashboards/scorecard_service.html", {
        "card": card, "row": row, "service": service, "months": months,
        "trend": standing.trend_of(row.months) if row else standing.Trend.UNKNOWN,
        "gap": standing.gap(row.score) if row else None,
        "chart": _service_spec(row) if row else None,
        "periods": [(k, label) for k, (_d, label) in reports.PERIODS.items()],
    }, [table], f"scorecard-{code}")


def _service_month_rows(row) -> list[tuple[str, str, int, bool | None]]:
    """(month, share, cases, kept): a month of few cases is shown but not judged."""
    return [(date_format(month, "M Y"), percent(score.resolve_share), score.resolve_cases,
             score.meets) for month, score in row.months]


def _service_spec(row):
    values = [{"month": month.isoformat(), "share": _share_cell(score.resolve_share),
               "cases": score.resolve_cases}
              for month, score in row.months if score.resolve_share is not None]
    return charts.share_trend(values, target=row.score.target, title=_(
        "%(service)s: share resolved in time by month") % {"service": row.service.name}
    ) if values else None


@insight_staff_required
def scorecard_offices(request):
    period = reports.period_get(request.GET.get("period"), default="12m")
    offices = reports.office_scores(period=period)
    return _page(request, "dashboards/scorecard_offices.html", {
        "offices": offices, "period": period,
        "periods": [(k, label) for k, (_d, label) in reports.PERIODS.items()],
    }, [_office_table(offices)], "scorecard-offices")


@insight_staff_required
def scorecard_office(request, code: str):
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise Http404(_("No such office."))
    period = reports.period_get(request.GET.get("period"), default="12m")
    card = reports.scorecard(period=period, office=office)
    return _page(request, "dashboards/scorecard.html", {
        **_standing(request, card),
        "card": card, "office": office, "worst": [],
        "month_rows": _month_rows(card), "overall": _overall_spec(card),
        "staff_view": True,
        "periods": [(k, label) for k, (_d, label) in reports.PERIODS.items()],
    }, _score_tables(card), f"scorecard-{office.code}")


# --- ward pages ------------------------------------------------------------------


def _ward_tables(report):
    return [
        Table("groups", _("By kind of service"), [
            ("group", _("Kind of service")), ("opened", _("Reported")),
            ("resolved", _("Resolved")), ("resolve_share", _("Resolved in time (%)"))],
            [{"group": g.group, "opened": g.opened, "resolved": g.resolved,
              "resolve_share": _share_cell(g.resolve_share)} for g in report.groups]),
        Table("months", _("By month"), [
            ("month", _("Month")), ("opened", _("Reported")), ("resolved", _("Resolved"))],
            [{"month": month.strftime("%Y-%m"), "opened": o, "resolved": r}
             for month, o, r in report.months]),
    ]


def _ward_or_404(code):
    ward = Ward.objects.select_related("region").filter(code=code).first()
    if ward is None:
        raise Http404(_("No such ward."))
    return ward


def _summary_table(rows):
    return Table("wards", _("Wards"), [
        ("code", _("Ward")), ("name", _("Name")), ("region", _("Region")),
        ("opened", _("Reported")), ("resolved", _("Resolved")),
        ("resolve_share", _("Resolved in time (%)")), ("open_now", _("Open now")),
        ("overdue_now", _("Overdue now"))],
        [{"code": r.ward.code, "name": r.ward.name, "region": r.ward.region, "opened": r.opened,
          "resolved": r.resolved, "resolve_share": _share_cell(r.resolve_share),
          "open_now": r.open_now, "overdue_now": r.overdue_now} for r in rows])


def ward_index(request):
    period = reports.period_get(request.GET.get("period"), default="12m")
    table = _summary_table(reports.ward_summaries(period=period))
    # One reverse() for 580 links: the ward's code goes where the marker is.
    marker = "0WARD0"
    link = reverse("insights:ward", args=[marker]) + f"?period={period.key}"
    for row in table.rows:
        row["href"] = link.replace(marker, quote(row["code"], safe=""))
    if request.GET.get("format") == "json":
        return json_response([table], {"period": {"from": period.since,
                                                  "to": period.last_day}}, "wards")
    return _page(request, "dashboards/ward_index.html", {
        "period": period, "periods": [(k, label) for k, (_d, label) in reports.PERIODS.items()],
    }, [table], "wards")


def ward_page(request, code: str):
    ward = _ward_or_404(code)
    period = reports.period_get(request.GET.get("period"), default="12m")
    report = reports.ward_report(ward=ward, period=period)
    tables = [*_ward_tables(report),
              _outage_table(interruptions.ward_outage_months(ward_id=ward.pk, months=12))]
    households = field_figures.ward_needs(ward=ward, since=period.since, until=period.until)
    if households is not None:
        tables.append(Table("households", _("What visited households need"), [
            ("need", _("Need")), ("group", _("Kind of service")),
            ("households", _("Households reporting it")), ("share", _("Share (%)"))],
            [{"need": s.label, "group": s.service_group, "households": s.households,
              "share": _share_percent(s.share)} for s in households.needs]))
    outreach = meeting_views.ward_outreach(ward)
    if request.GET.get("format") == "json":
        return json_response(tables, {
            "promises": meeting_views.promises_json(outreach["promises"]),
            "ward": {"code": ward.code, "name": ward.name, "region": report.ward.region,
                     "population": ward.population},
            "period": {"from": period.since, "to": period.last_day},
            "summary": {"reported": report.opened, "resolved": report.resolved,
                        "resolved_in_time_share": report.resolve_share,
                        "open_now": report.open_now, "overdue_now": report.overdue_now,
                        "median_days_to_resolve": report.median_days,
                        "satisfaction_1_to_5": report.satisfaction
                        if enough_answers(report.ratings) else None,
                        "ratings": report.ratings,
                        "households_visited": households.visited if households else 0}},
                             f"ward-{ward.code}")
    months = [{"month": month.strftime("%Y-%m"), "what": what, "cases": n}
              for month, o, r in report.months
              for what, n in ((_("Reported"), o), (_("Resolved"), r))]
    return _page(request, "dashboards/ward.html", {
        "interruptions": interruptions.interruption_list_public(ward_id=ward.pk),
        "report": report, "outreach": outreach,
        "periods": [(k, label) for k, (_d, label) in reports.PERIODS.items()],
        "chart": charts.monthly_counts(months, title=_("Cases reported and resolved by month"))
        if months else None,
        "households": households, "min_households": min_answers_shown(),
    }, tables, f"ward-{ward.code}")


# --- satisfaction drivers -----------------------------------------------------------


@insight_staff_required
def drivers(request):
    period = reports.period_get(request.GET.get("period"), default="12m")
    office_code, service_code = request.GET.get("office", ""), request.GET.get("service", "")
    office = Office.objects.filter(code=office_code).first() if office_code else None
    service = Service.objects.filter(code=service_code).first() if service_code else None
    report = reports.drivers(period=period, office=office, service=service)
    # A mean of too few answers is not shown, in the table or on the chart.
    too_few = _("too few answers")
    rows = [{"driver": reports.driver_label(d.driver), "importance": d.importance
             and round(d.importance, 2),
             "mean": None if d.mean is None
             else round(d.mean, 2) if enough_answers(d.answers) else too_few,
             "answers": d.answers, "pairs": d.pairs} for d in report.scores]
    tables = [
        Table("drivers", _("Drivers of overall satisfaction"), [
            ("driver", _("Driver")), ("importance", _("Importance (r)")),
            ("mean", _("Performance (mean, 1-5)")), ("answers", _("Answers")),
            ("pairs", _("Answers with an overall score"))], rows),
        Table("offices", _("What each office should work on first"), [
            ("office", _("Office")), ("driver", _("Driver to work on")),
            ("mean", _("Its mean score")), ("responses", _("Overall ratings"))],
            [{"office": name, "driver": reports.driver_label(focus.driver) if focus else "—",
              "mean": None if focus is None
              else round(focus.mean, 2) if enough_answers(focus.answers) else too_few,
              "responses": n}
             for _code, name, focus, n in report.by_office]),
    ]
    points = [{**row, "label": row["driver"]} for row, d in zip(rows, report.scores, strict=True)
              if d.importance is not None and d.mean is not None and enough_answers(d.answers)]
    return _page(request, "dashboards/drivers.html", {
        "report": report, "office": office, "service": service,
        "offices": Office.objects.order_by("name").values_list("code", "name"),
        "services": Service.objects.filter(active=True).order_by("name").values_list(
            "code", "name"),
        "periods": [(k, label) for k, (_d, label) in reports.PERIODS.items()],
        "min_pairs": DRIVER_MIN_PAIRS, "min_answers": min_answers_shown(),
        "chart": charts.importance_performance(
            points, title=_("Importance and performance of each driver")) if points else None,
    }, tables, "drivers")
