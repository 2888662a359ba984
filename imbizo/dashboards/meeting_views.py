"""Public pages of imbizo meetings and commitments (interface only): the
meetings ahead, each meeting with its report-back agenda, every promise and
whether it was kept, per ward and for the institution, and the calendar
feeds. Nothing here names a citizen: issues are shown by reference, service
and status, as on the public case page."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.links import site_link
from imbizo.geo.models import Ward
from imbizo.org.selectors import institution_get
from imbizo.outreach import meeting_selectors as selectors
from imbizo.outreach.meeting_calendar import calendar_text
from imbizo.outreach.meeting_models import LATE, SHOWN_STATUS_LABELS
from imbizo.outreach.meetings import today

from .exports import Table, export

PAGE_SIZE = 100
EXPORT_MAX = 20_000


def _ward_or_404(code: str) -> Ward:
    ward = Ward.objects.select_related("region").filter(code=code[:32]).first()
    if ward is None:
        raise Http404(_("No such ward."))
    return ward


def ward_outreach(ward: Ward) -> dict:
    """What the ward page shows of meetings and promises (four queries)."""
    return {
        "upcoming": selectors.meeting_list_upcoming(ward=ward, now=clock.now(), limit=5),
        "promises": selectors.commitment_counts_by_ward(ward=ward).get(
            ward.pk, selectors.Promises()),
    }


def promises_json(promises: selectors.Promises) -> dict:
    """A ward's promise counts for its open-data JSON."""
    return {"kept": promises.kept, "late": promises.late, "open": promises.open,
            "dropped": promises.dropped}


def warroom_promises() -> dict:
    """Commitments falling due in the next 14 days, the ten longest late and
    how many are late in all (three queries)."""
    on = today()
    return {"due_soon": _publicly_owned(selectors.commitment_list_due_soon(on=on, days=14)),
            "late": _publicly_owned(selectors.commitment_list_late(on=on, limit=10)),
            "late_total": selectors.commitment_counts(on=on).late,
            "labels": SHOWN_STATUS_LABELS}


def scorecard_promises() -> dict:
    """The institution's promises, and the wards with the most late ones (two queries)."""
    by_ward = selectors.commitment_counts_by_ward()
    worst = sorted(by_ward.items(), key=lambda item: (-item[1].late, -item[1].total))[:10]
    wards = Ward.objects.in_bulk([pk for pk, _counts in worst])
    return {"counts": selectors.commitment_counts(),
            "wards": [(wards[pk], counts) for pk, counts in worst if pk in wards]}


def meetings(request):
    now = clock.now()
    return render(request, "dashboards/meetings/meetings.html", {
        "upcoming": selectors.meeting_list_upcoming(now=now, limit=50),
        "recent": selectors.meeting_list_recent(now=now, limit=20),
    })


def meeting(request, uid):
    try:
        found = selectors.meeting_get(uid=uid)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    on = today()
    agenda = selectors.meeting_agenda(meeting=found, on=on)
    for rows in (agenda.late, agenda.active, agenda.done):
        _publicly_owned(rows)
    return render(request, "dashboards/meetings/meeting.html", {
        "meeting": found, "agenda": agenda,
        "issues": selectors.meeting_issues(meeting=found),
        "commitments": _publicly_owned(selectors.meeting_commitments(meeting=found, on=on)),
        "labels": SHOWN_STATUS_LABELS,
    })


def _publicly_owned(rows):
    for row in rows:
        row.public_owner = selectors.public_owner(row)
    return rows


def _feed(meetings_of, name: str, filename: str) -> HttpResponse:
    body = calendar_text(meetings=meetings_of, name=name, link_of=lambda m: site_link(
        reverse("insights:meeting", kwargs={"uid": m.uid})))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def meetings_ics(request):
    return _feed(selectors.meeting_list_for_feed(now=clock.now()),
                 _("%(name)s: imbizo meetings") % {"name": institution_get().name},
                 "meetings.ics")


def ward_meetings_ics(request, code: str):
    ward = _ward_or_404(code)
    return _feed(selectors.meeting_list_for_feed(ward=ward, now=clock.now()),
                 _("Ward %(code)s: imbizo meetings") % {"code": ward.code},
                 f"ward-{ward.code}-meetings.ics")


def _status_filter(request) -> str:
    status = request.GET.get("status", "")
    return status if status in selectors.SHOWN_STATUSES else ""


def _commitment_table(rows) -> Table:
    return Table("commitments", _("Commitments"), [
        ("promise", _("Promise")), ("owner", _("Owner")), ("wards", _("Wards")),
        ("meeting", _("Made at")), ("due", _("Due")), ("status", _("Status")),
        ("reported", _("Last report-back"))],
        [{"promise": c.text, "owner": c.public_owner,
          "wards": " ".join(w.code for w in c.ward_list),
          "meeting": c.meeting.starts_at.date(), "due": c.due_on,
          "status": str(SHOWN_STATUS_LABELS[c.shown]), "reported": c.reported_at}
         for c in rows])


def _commitment_page(request, *, ward: Ward | None):
    status = _status_filter(request)
    listed = selectors.commitment_list(filters=selectors.CommitmentFilter(ward=ward, status=status))
    exporting = bool(request.GET.get("export"))
    # The page shows 100 at a time; a download has them all (up to 20,000).
    page = None if exporting else Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(listed[:EXPORT_MAX] if exporting else page.object_list)
    wards = selectors.commitment_wards(commitments=rows)
    latest = selectors.commitment_latest_updates(rows)
    on = today()
    for row in rows:
        row.days_late = (on - row.due_on).days if row.shown == LATE else 0
        row.ward_list = wards.get(row.pk, [])
        row.latest = latest.get(row.pk)
        row.public_owner = selectors.public_owner(row)
    table = _commitment_table(rows)
    filename = f"ward-{ward.code}-commitments" if ward else "commitments"
    response = export([table], name=request.GET.get("export", ""),
                      fmt=request.GET.get("format", ""), filename=filename)
    if response is not None:
        return response
    if ward is not None:
        counts = selectors.commitment_counts_by_ward(ward=ward).get(ward.pk, selectors.Promises())
        per_ward = []
    else:
        counts = selectors.commitment_counts()
        by_ward = selectors.commitment_counts_by_ward()
        per_ward = [(w, by_ward[w.pk]) for w in Ward.objects.filter(pk__in=by_ward)
                    .order_by("code")]
    return render(request, "dashboards/meetings/commitments.html", {
        "ward": ward, "commitments": rows, "counts": counts, "per_ward": per_ward,
        "status": status, "labels": SHOWN_STATUS_LABELS, "late": LATE, "page": page,
        "statuses": [(s, SHOWN_STATUS_LABELS[s]) for s in selectors.SHOWN_STATUSES],
    })


def commitments(request):
    return _commitment_page(request, ward=None)


def ward_commitments(request, code: str):
    return _commitment_page(request, ward=_ward_or_404(code))
