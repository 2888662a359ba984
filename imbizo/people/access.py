"""Who sees a person's development record (ADR 0035): the person and their
manager, nobody else.

Not administrators, not analysts, not auditors: the institution sees
aggregates only (people.selectors.institution_figures). Every view of a
record by someone other than its owner is written to the access log
(RecordView), which the person sees on their own page.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imbizo.org.models import Staff

from .access_models import RecordView

# How the parts of a record named in the log read on the person's page
# (other parts may log their own words).
WHAT_SHOWN = {
    "record": gettext_lazy("the development page"),
    "assessment form": gettext_lazy("the assessment form"),
    "development plan": gettext_lazy("the development plan"),
}


def can_view(viewer: Staff, subject: Staff) -> bool:
    """Whether `viewer` may see `subject`'s development record: only the
    person themself and the manager they report to (both active)."""
    if viewer is None or subject is None or not viewer.active:
        return False
    if viewer.pk == subject.pk:
        return True
    return subject.manager_id is not None and subject.manager_id == viewer.pk


def record_view(*, viewer: Staff, subject: Staff, what: str) -> None:
    """Log that `viewer` looked at `what` of `subject`'s record (nothing is
    logged when people look at their own)."""
    if viewer.pk == subject.pk:
        return
    RecordView.objects.create(at=timezone.now(), viewer=viewer, subject=subject,
                              what=str(what)[:80])


def subject_or_403(request, staff_id: int | None, *, what: str = "record") -> Staff:
    """The staff member whose record the request is about (the signed-in one
    when `staff_id` is None), after the access rule; the view is logged."""
    viewer = request.staff
    if staff_id is None or int(staff_id) == viewer.pk:
        return viewer
    subject = get_object_or_404(Staff.objects.select_related("user"), pk=staff_id)
    if not can_view(viewer, subject):
        raise PermissionDenied(_("Only the person and their manager may see this record."))
    record_view(viewer=viewer, subject=subject, what=what)
    return subject


def team_of(manager: Staff) -> QuerySet[Staff]:
    """The active people who report directly to `manager`."""
    return (Staff.objects.filter(manager=manager, active=True, left_at__isnull=True)
            .select_related("user", "office").order_by("user__first_name", "user__last_name"))


def record_views_of(subject: Staff, *, limit: int = 10) -> list[dict]:
    """Who looked at `subject`'s record and at what: one row per viewer and
    part, with how often and when last, newest first (two queries)."""
    rows = list(RecordView.objects.filter(subject=subject).values("viewer_id", "what")
                .annotate(times=Count("id"), last=Max("at")).order_by("-last")[:limit])
    viewers = Staff.objects.select_related("user").in_bulk({r["viewer_id"] for r in rows})
    for row in rows:
        row["viewer"] = viewers.get(row["viewer_id"])
        row["label"] = WHAT_SHOWN.get(row["what"], row["what"])
    return rows
