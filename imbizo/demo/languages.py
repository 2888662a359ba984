"""The citizens' languages in the demo: the historical cases (written
straight to the database, past triage) get the languages of a Gauteng and
KwaZulu-Natal metro, and their contacts the language of their case, so the
case page, its language form and the messages show more than English.

Set-based: one UPDATE for the cases, one for the contacts.
"""

from django.db.models import Case as Choose
from django.db.models import F, OuterRef, Subquery, Value, When
from django.db.models.functions import Mod
from django.db.models.lookups import LessThan

from imbizo.cases.models import Case
from imbizo.core.languages import enabled_languages
from imbizo.engagement.models import Contact

# Shares out of 50, by case id: English 15, isiZulu 13, isiXhosa 7,
# Afrikaans 5, Sesotho 4, Setswana 3, Sepedi 3.
SHARES = (("en", 15), ("zu", 13), ("xh", 7), ("af", 5), ("st", 4), ("tn", 3), ("nso", 3))


def languages_build(*, seed: int) -> dict[str, int]:
    """Give every case without a language one (never a language the
    institution does not enable), and every contact its case's."""
    enabled = set(enabled_languages())
    shares = [(code, n) for code, n in SHARES if code in enabled] or [("en", 1)]
    total = sum(n for _code, n in shares)
    bucket = Mod(F("id") + Value(seed % total), Value(total))
    whens, upper = [], 0
    for code, n in shares:
        upper += n
        whens.append(When(LessThan(bucket, Value(upper)), then=Value(code)))
    cases = Case.objects.filter(language="").update(
        language=Choose(*whens, default=Value(shares[0][0])))
    contacts = Contact.objects.filter(language="", case__isnull=False).update(
        language=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("language")[:1]))
    return {"cases": cases, "contacts": contacts}
