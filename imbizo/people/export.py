"""A person's own record as one JSON document, and the retention rule for
leavers: each part of the app registers what it holds about a person.

    register_export("time_log", lambda staff: [...])      # list of plain dicts
    register_retention(lambda staff_ids: deleted_count)    # delete leavers' rows

Parts register in their AppConfig.ready (this app's own parts in apps.py).
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from imbizo.org.models import Staff

ExportFn = Callable[[Staff], list[dict]]
RetentionFn = Callable[[list[int]], int]

_EXPORTS: dict[str, ExportFn] = {}
_RETENTION: list[RetentionFn] = []

DEFAULT_KEEP_MONTHS = 24


def register_export(name: str, fn: ExportFn) -> None:
    """Add `fn(staff) -> list[dict]` to the person's export under `name`."""
    _EXPORTS[name] = fn


def register_retention(fn: RetentionFn) -> None:
    """Add `fn(staff_ids) -> rows deleted` to the leaver retention run."""
    if fn not in _RETENTION:
        _RETENTION.append(fn)


def export_sections() -> Iterable[str]:
    return sorted(_EXPORTS)


def export_for(staff: Staff) -> dict:
    """Everything the app holds about `staff`, section by section."""
    return {
        "person": {"id": staff.pk, "name": str(staff), "username": staff.user.get_username()},
        "exported_at": timezone.now().isoformat(),
        "sections": {name: _EXPORTS[name](staff) for name in sorted(_EXPORTS)},
    }


def keep_months() -> int:
    return int(getattr(settings, "PEOPLE_RECORDS_KEEP_MONTHS", DEFAULT_KEEP_MONTHS))


def leavers_past_retention(now=None) -> list[int]:
    """The staff who left more than PEOPLE_RECORDS_KEEP_MONTHS ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(keep_months() * 30.44))
    return list(Staff.objects.filter(left_at__lt=cutoff).values_list("pk", flat=True))


def apply_retention(now=None) -> int:
    """Delete the development records of leavers past the retention period;
    the number of rows deleted."""
    staff_ids = leavers_past_retention(now)
    if not staff_ids:
        return 0
    with transaction.atomic():
        return sum(fn(staff_ids) for fn in _RETENTION)
