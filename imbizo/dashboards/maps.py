"""Choropleth classes for the ward maps: pure, so the legend and the colours
come from the server and the same classes label the table."""

import math
from dataclasses import dataclass

COLOURS = ("#fff3bf", "#ffd43b", "#fd7e14", "#e03131", "#862e9c")
NO_DATA = "#e9ecef"


@dataclass(frozen=True)
class LegendClass:
    low: float
    high: float
    colour: str


def classes(values: dict[str, float | None], *, count: int = 5) -> tuple[dict, list[LegendClass]]:
    """{key: {"value", "colour"}} and the legend, in `count` equal-width classes
    from 0 to the largest value (whole-number classes for counts; wards with no
    value are grey)."""
    present = [v for v in values.values() if v is not None]
    top = max(present, default=0) or 1
    whole = all(float(v).is_integer() for v in present)
    width = max(1, math.ceil((top + 1) / count)) if whole else top / count
    if whole:
        legend = [LegendClass(i * width, (i + 1) * width - 1, COLOURS[i]) for i in range(count)]
    else:
        legend = [LegendClass(round(i * width, 2), round((i + 1) * width, 2), COLOURS[i])
                  for i in range(count)]
    painted = {}
    for key, value in values.items():
        if value is None:
            painted[key] = {"value": None, "colour": NO_DATA}
        else:
            index = min(int(value // width), count - 1) if value > 0 else 0
            painted[key] = {"value": value, "colour": COLOURS[index]}
    return painted, legend


def percent_classes(values: dict[str, float | None]) -> tuple[dict, list[LegendClass]]:
    """Like `classes`, for shares in percent: fixed classes 0–20, 20–40, ... 80–100,
    so maps of different needs and periods read the same."""
    count = len(COLOURS)
    width = 100 / count
    legend = [LegendClass(round(i * width), round((i + 1) * width), COLOURS[i])
              for i in range(count)]
    painted = {}
    for key, value in values.items():
        if value is None:
            painted[key] = {"value": None, "colour": NO_DATA}
        else:
            index = min(int(max(value, 0) // width), count - 1)
            painted[key] = {"value": value, "colour": COLOURS[index]}
    return painted, legend
