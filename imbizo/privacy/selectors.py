"""Reads for personal data: finding a citizen's cases, consents, the access log."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from imbizo.cases.intake import phone_normalise
from imbizo.cases.models import Case
from imbizo.cases.reference import reference_parse
from imbizo.cases.selectors import INSTITUTION, case_filtered
from imbizo.core.errors import DomainError
from imbizo.core.pseudonyms import citizen_key

from .errors import PrivacyError
from .models import Consent, ErasedCase, PersonalDataAccess


@dataclass(frozen=True)
class CitizenMatch:
    """A citizen as found for a data request: their phone numbers and emails,
    the pseudonyms of those, and the ids of every case that carries them."""

    identifiers: frozenset[str]
    keys: frozenset[str]
    case_ids: tuple[int, ...]


def citizen_find(*, phone: str = "", email: str = "", reference: str = "") -> CitizenMatch:
    """Every case of the citizen with this phone, email or case reference.

    A reference stands for the person behind that case: their other cases
    (same phone or email) are found too. Raises DomainError when nothing is
    given or the reference is unknown.
    """
    identifiers: set[str] = set()
    seed_ids: set[int] = set()
    if phone.strip():
        identifiers.add(phone_normalise(phone))
    if email.strip():
        identifiers.add(email.strip().lower())
    if reference.strip():
        canonical = reference_parse(reference)
        row = (case_filtered(viewer=INSTITUTION).filter(reference=canonical)
               .values("pk", "citizen_phone", "citizen_email").first() if canonical else None)
        if row is None:
            raise DomainError(PrivacyError.NOT_FOUND, _("There is no case with that reference."),
                              field="reference")
        seed_ids.add(row["pk"])
        identifiers.update(v.lower() if "@" in v else v
                           for v in (row["citizen_phone"], row["citizen_email"]) if v)
    if not identifiers and not seed_ids:
        raise DomainError(PrivacyError.NOTHING_TO_FIND_BY,
                          _("Give a phone number, an email address or a case reference."))
    phones = [i for i in identifiers if "@" not in i]
    emails = [i for i in identifiers if "@" in i]
    where = Q(pk__in=seed_ids) | Q(citizen_phone__in=phones)
    for address in emails:
        where |= Q(citizen_email__iexact=address)
    case_ids = tuple(case_filtered(viewer=INSTITUTION).filter(where).order_by("opened_at")
                     .values_list("pk", flat=True))
    return CitizenMatch(identifiers=frozenset(identifiers),
                        keys=frozenset(citizen_key(i) for i in identifiers),
                        case_ids=case_ids)


def citizen_cases(*, match: CitizenMatch) -> QuerySet[Case]:
    return (case_filtered(viewer=INSTITUTION).filter(pk__in=match.case_ids)
            .select_related("service", "erasure").order_by("-opened_at"))


def citizen_consents(*, case_ids) -> dict[int, list[Consent]]:
    grouped: dict[int, list[Consent]] = {}
    for consent in Consent.objects.filter(case_id__in=case_ids).select_related("wording"):
        grouped.setdefault(consent.case_id, []).append(consent)
    return grouped


def case_consent(*, case) -> Consent | None:
    """The latest consent given with `case`, with its wording."""
    return Consent.objects.filter(case=case).select_related("wording").first()


def case_erasure(*, case) -> ErasedCase | None:
    """When and why the personal data of `case` was removed, if it was."""
    return ErasedCase.objects.filter(case=case).first()


def access_log(*, username: str = "", reference: str = "", purpose: str = "",
               since: datetime | None = None, until: datetime | None = None,
               ) -> QuerySet[PersonalDataAccess]:
    """Access to personal data, newest first, filtered as an auditor asks."""
    entries = PersonalDataAccess.objects.select_related("case").order_by("-at", "-id")
    if username:
        entries = entries.filter(username=username)
    if reference:
        canonical = reference_parse(reference)
        entries = entries.filter(case__reference=canonical) if canonical else entries.none()
    if purpose:
        entries = entries.filter(purpose=purpose)
    if since:
        entries = entries.filter(at__gte=since)
    if until:
        entries = entries.filter(at__lt=until)
    return entries
