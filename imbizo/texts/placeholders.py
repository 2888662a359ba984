"""Placeholders a translation must keep: pure functions, no models.

Content uses three styles: `%(name)s` (gettext-style messages), `{name}`
(str.format: the USSD menu words) and `{{ name }}` (template text). A
translation keeps each placeholder of its English, as many times, and adds
none: a lost `{reference}` sends a citizen a message without their reference;
an extra one fails when the message is rendered.
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(
    r"\{\{\s*[\w.]+\s*\}\}"                      # {{ name }}
    r"|%\([\w.]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # %(name)s, %(count)d
    r"|\{[\w.]*(?:![rsa])?(?::[^{}]*)?\}"        # {name}, {0}, {name:>3}
)


def _normal(placeholder: str) -> str:
    # "{{name}}" and "{{ name }}" are the same placeholder.
    if placeholder.startswith("{{"):
        return "{{ " + placeholder[2:-2].strip() + " }}"
    return placeholder


def placeholders(text: str) -> Counter:
    """The placeholders in `text`, counted."""
    return Counter(_normal(p) for p in PLACEHOLDER.findall(text or ""))


def placeholder_problems(english: str, translation: str) -> list[str]:
    """What the translation leaves out or adds, in plain words (empty: nothing)."""
    want, have = placeholders(english), placeholders(translation)
    problems = []
    missing = sorted((want - have).elements())
    extra = sorted((have - want).elements())
    if missing:
        problems.append(_("The translation leaves out %(names)s: keep it exactly as in the "
                          "English.") % {"names": ", ".join(missing)})
    if extra:
        problems.append(_("The translation adds %(names)s, which the English does not have.")
                        % {"names": ", ".join(extra)})
    return problems
