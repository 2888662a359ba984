"""Public pages of service interruptions: the list (current, planned, recent)
and one interruption with its updates. Public facts only: no reports, no
names."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from imbizo.outreach import interruption_selectors as selectors
from imbizo.outreach.interruptions import restoration_target


def interruption_list(request):
    return render(request, "portal/interruptions.html", {
        "found": selectors.interruption_list_public(),
        "recent_days": selectors.RECENT_DAYS,
    })


def interruption_detail(request, pk: int):
    interruption = selectors.interruption_get(pk=pk)
    if interruption is None:
        raise Http404(_("There is no such interruption."))
    return render(request, "portal/interruption.html", {
        "interruption": interruption,
        "updates": selectors.interruption_updates(interruption),
        "target": restoration_target(interruption),
    })
