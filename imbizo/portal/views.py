"""Public pages: read-only views over the catalogue (interface only)."""

from django.http import Http404
from django.shortcuts import render

from imbizo.catalogue import selectors as catalogue
from imbizo.catalogue.models import Channel


def home(request):
    return render(request, "portal/home.html", {"groups": catalogue.service_groups()})


def service_list(request):
    query = request.GET.get("q", "").strip()[:200]
    group = request.GET.get("group", "").strip()[:120]
    services = catalogue.service_list_public(query=query, group=group)
    return render(
        request,
        "portal/service_list.html",
        {"services": services, "query": query, "group": group,
         "groups": catalogue.service_groups()},
    )


def service_detail(request, code: str):
    service = catalogue.service_list_public().filter(code=code).first()
    if service is None:
        raise Http404("No such service")
    standard = service.current_standards[0] if service.current_standards else None
    channels = [Channel(c).label for c in service.channels if c in Channel.values]
    return render(request, "portal/service_detail.html", {
        "service": service, "standard": standard, "channels": channels,
    })
