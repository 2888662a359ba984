"""Urgency from a citizen's words and the service, by rules kept as data
(urgency_rules.json: phrases per language). Staff confirm before a suggested
urgency becomes a case's priority."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .model_features import text_normal

ORDER = ("low", "normal", "high", "urgent")

# What each rule's code means, in the product's words.
REASONS = {
    "danger_to_life": _("danger to life"),
    "live_wire": _("live wire"),
    "flooding": _("flooding"),
    "sewage_in_home": _("sewage in a home"),
    "fire": _("fire or explosion"),
    "traffic_danger": _("danger on the road"),
    "health_risk": _("risk to health"),
    "days_without": _("without a service for days"),
    "service_default": _("the service's usual urgency"),
}


@dataclass(frozen=True)
class Rule:
    code: str
    priority: str
    pattern: re.Pattern
    languages: frozenset[str]


@cache
def _data() -> dict:
    return json.loads((Path(__file__).parent / "urgency_rules.json").read_text("utf-8"))


@cache
def rules() -> tuple[Rule, ...]:
    out = []
    for rule in _data()["rules"]:
        if rule["priority"] not in ORDER or rule["code"] not in REASONS:
            raise ValueError(f"urgency rule {rule['code']!r}: unknown priority or code")
        phrases = sorted({text_normal(p) for words in rule["phrases"].values() for p in words},
                         key=len, reverse=True)
        pattern = re.compile(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, phrases))
                             + r")(?![0-9a-z])")
        out.append(Rule(rule["code"], rule["priority"], pattern, frozenset(rule["phrases"])))
    return tuple(out)


def service_default(code: str | None) -> str:
    return _data()["service_defaults"].get(code or "", "normal")


def urgency_of(text: str, service_code: str | None = None) -> tuple[str, list[str]]:
    """The suggested priority and the rules' reasons (the highest first)."""
    normal = text_normal(text)
    matched = [r for r in rules() if r.pattern.search(normal)]
    matched.sort(key=lambda r: -ORDER.index(r.priority))
    level = service_default(service_code)
    reasons = [str(REASONS[r.code]) for r in matched]
    for rule in matched:
        if ORDER.index(rule.priority) > ORDER.index(level):
            level = rule.priority
    if not matched and level != "normal":
        reasons = [str(REASONS["service_default"])]
    return level, reasons
