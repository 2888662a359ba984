"""Public pages: read-only views over the catalogue (interface only)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from imbizo.catalogue import selectors as catalogue
from imbizo.catalogue.models import Channel
from imbizo.outreach.interruption_selectors import (
    interruption_count_live,
    interruption_list_public,
)


def home(request):
    return render(request, "portal/home.html", {"services": catalogue.service_list_public(),
                                                "interruptions": interruption_count_live()})


def service_list(request):
    """The catalogue, searchable (`q`) and filtered by group (`group`) without JavaScript.

    An htmx request (live search) gets only the results and the result count;
    a history restore gets the whole page.
    """
    query = request.GET.get("q", "").strip()[:200]
    group = request.GET.get("group", "").strip()[:120]
    context = {
        "services": catalogue.service_list_public(query=query, group=group),
        "query": query,
        "group": group,
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "portal/_service_results_live.html", context)
    else:
        context["groups"] = catalogue.service_groups()
        response = render(request, "portal/service_list.html", context)
    # The same URL answers with a fragment or a page: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def service_detail(request, code: str):
    service = catalogue.service_list_public().filter(code=code).first()
    if service is None:
        raise Http404("No such service")
    standard = service.current_standards[0] if service.current_standards else None
    channels = [Channel(c).label for c in service.channels if c in Channel.values]
    return render(request, "portal/service_detail.html", {
        "service": service, "standard": standard, "channels": channels,
        "interruptions": interruption_list_public(service_id=service.pk),
    })
