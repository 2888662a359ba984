"""Public pages: read-only views over the catalogue (interface only)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from imbizo.catalogue import selectors as catalogue
from imbizo.catalogue.models import Channel, Service
from imbizo.outreach.interruption_selectors import (
    interruption_count_live,
    interruption_list_public,
)
from imbizo.texts.selectors import translated, translated_ids_matching, translations_attach


def _translated_services(services) -> list:
    """`services` with their own and their standards' translations in the page's
    language (one query per model), and `group_label` set to the group's name
    in that language (the group is a word on each service)."""
    services = list(services)
    standards = [s for service in services for s in getattr(service, "current_standards", ())]
    translations_attach([*services, *standards])
    for service in services:
        service.group_label = translated(service, "group").text if service.group else ""
    return services


def _group_choices() -> list[tuple[str, str]]:
    """(group, its name in the page's language) for the group filter."""
    labels = {}
    for service in _translated_services(catalogue.service_list_public()):
        labels.setdefault(service.group, service.group_label)
    return [(group, labels.get(group, group)) for group in catalogue.service_groups()]


def home(request):
    return render(request, "portal/home.html", {"services": _translated_services(
                                                    catalogue.service_list_public()),
                                                "interruptions": interruption_count_live()})


def service_list(request):
    """The catalogue, searchable (`q`) and filtered by group (`group`) without JavaScript.

    An htmx request (live search) gets only the results and the result count;
    a history restore gets the whole page.
    """
    query = request.GET.get("q", "").strip()[:200]
    group = request.GET.get("group", "").strip()[:120]
    services = catalogue.service_list_public(query=query, group=group)
    if query:  # a word of the service's name in the page's language finds it too
        services = services | catalogue.service_list_public(group=group).filter(
            pk__in=translated_ids_matching(Service, query))
    context = {
        "services": _translated_services(services.distinct()),
        "query": query,
        "group": group,
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "portal/_service_results_live.html", context)
    else:
        context["groups"] = _group_choices()
        response = render(request, "portal/service_list.html", context)
    # The same URL answers with a fragment or a page: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def service_detail(request, code: str):
    service = catalogue.service_list_public().filter(code=code).first()
    if service is None:
        raise Http404("No such service")
    standard = service.current_standards[0] if service.current_standards else None
    translations_attach([service, standard])
    channels = [Channel(c).label for c in service.channels if c in Channel.values]
    return render(request, "portal/service_detail.html", {
        "service": service, "standard": standard, "channels": channels,
        "interruptions": interruption_list_public(service_id=service.pk),
    })
