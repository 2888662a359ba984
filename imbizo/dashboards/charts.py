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
    """Drivers placed by importance (x) and performance (y), with quadrant lines."""
    spec = _base(title, points)
    spec["height"] = 300
    spec["layer"] = [
        {"mark": {"type": "point", "filled": True, "size": 90, "color": BLUE},
         "encoding": {
             "x": {"field": "importance", "type": "quantitative", "scale": {"domain": [0, 1]},
                   "title": _("Importance (correlation with overall satisfaction)")},
             "y": {"field": "mean", "type": "quantitative", "scale": {"domain": [1, 5]},
                   "title": _("Performance (mean score, 1-5)")},
             "tooltip": [{"field": "label", "title": _("Driver")},
                         {"field": "importance", "format": ".2f", "title": _("Importance")},
                         {"field": "mean", "format": ".2f", "title": _("Performance")},
                         {"field": "pairs", "title": _("Answers")}]}},
        {"mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 12},
         "encoding": {"x": {"field": "importance", "type": "quantitative"},
                      "y": {"field": "mean", "type": "quantitative"},
                      "text": {"field": "label"}}},
        {"mark": {"type": "rule", "strokeDash": [4, 4], "color": GREY},
         "encoding": {"y": {"datum": 4}}},
        {"mark": {"type": "rule", "strokeDash": [4, 4], "color": GREY},
         "encoding": {"x": {"datum": 0.5}}},
    ]
    return spec
