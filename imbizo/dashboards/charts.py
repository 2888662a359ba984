"""Vega-Lite specifications for the pages' charts (plain dicts, rendered by
static/dashboards/charts.js with vega-embed's CSP-safe interpreter).

Every chart has a table next to it with the same figures."""

from django.utils.translation import gettext as _

BLUE, RED, GREY = "#1f5f9c", "#b42318", "#6c757d"


def _base(description: str, values: list[dict]) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description, "width": "container", "height": 220,
        "data": {"values": values}, "config": {"font": "system-ui, sans-serif",
                                               "axis": {"labelFontSize": 12, "titleFontSize": 12}},
    }


def share_trend(months: list[dict], *, target: float | None, title: str) -> dict:
    """A monthly line of a share (0-100) with the target as a dashed rule."""
    spec = _base(title, months)
    line = {"mark": {"type": "line", "point": True, "color": BLUE},
            "encoding": {
                "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth",
                      "title": _("Month")},
                "y": {"field": "share", "type": "quantitative", "title": _("Share (%)"),
                      "scale": {"domain": [0, 100]}},
                "tooltip": [{"field": "month", "type": "temporal", "timeUnit": "yearmonth",
                             "title": _("Month")},
                            {"field": "share", "type": "quantitative", "title": _("Share (%)"),
                             "format": ".1f"},
                            {"field": "cases", "type": "quantitative", "title": _("Cases")}]}}
    layers = [line]
    if target is not None:
        layers.append({"mark": {"type": "rule", "strokeDash": [6, 4], "color": RED},
                       "encoding": {"y": {"datum": target}}})
    spec["layer"] = layers
    return spec


def monthly_counts(months: list[dict], *, title: str) -> dict:
    """Bars of cases reported and resolved per month."""
    spec = _base(title, months)
    spec.update({
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": _("Month")},
            "xOffset": {"field": "what"},
            "y": {"field": "cases", "type": "quantitative", "title": _("Cases")},
            "color": {"field": "what", "type": "nominal", "title": None,
                      "scale": {"range": [BLUE, GREY]}},
            "tooltip": [{"field": "month", "title": _("Month")},
                        {"field": "what", "title": _("What")},
                        {"field": "cases", "type": "quantitative", "title": _("Cases")}]}})
    return spec


def importance_performance(points: list[dict], *, title: str) -> dict:
    """One row per driver, most important first: its performance (mean score)
    as a dot against the line at 4, its importance written beside it.

    A scatter of importance against performance overprinted its labels as
    soon as two drivers scored alike (they often do: the personal factors
    move together); here each label has its own row, at any width.
    """
    spec = _base(title, [{**p, "below": p["mean"] < 4} for p in points])
    # Rows fill the space the page keeps for a chart, and no less than 30 px.
    spec["height"] = {"step": max(30, 180 // max(len(points), 1))}
    x_scale = {"domain": [1, 5], "zero": False, "nice": False}
    order = {"field": "importance", "order": "descending"}
    y = {"field": "label", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelLimit": 160, "labelFontSize": 12}}
    spec["layer"] = [
        {"mark": {"type": "rule", "strokeDash": [4, 4], "color": GREY},
         "encoding": {"x": {"datum": 4, "type": "quantitative", "scale": x_scale}}},
        {"mark": {"type": "point", "filled": True, "size": 110},
         "encoding": {
             "y": y,
             "x": {"field": "mean", "type": "quantitative", "scale": x_scale,
                   "axis": {"values": [1, 2, 3, 4, 5], "format": "d"},
                   "title": _("Performance (mean score, 1-5)")},
             "color": {"field": "below", "type": "nominal", "legend": None,
                       "scale": {"domain": [True, False], "range": [RED, BLUE]}},
             "tooltip": [{"field": "label", "title": _("Driver")},
                         {"field": "importance", "format": ".2f", "title": _("Importance")},
                         {"field": "mean", "format": ".2f", "title": _("Performance")},
                         {"field": "answers", "title": _("Answers")}]}},
        {"mark": {"type": "text", "align": "left", "dx": 10, "fontSize": 11, "color": "#212529"},
         "encoding": {"y": y, "x": {"field": "mean", "type": "quantitative",
                                    "scale": x_scale},
                      "text": {"field": "importance", "format": ".2f"}}},
    ]
    return spec
