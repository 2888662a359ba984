"""The place search the forms' map widget calls: the gazetteer is public data.

Anonymous callers are rate-limited per address (RATE_LIMITS["place_search"]);
signed-in staff, who search all day at the intake desk, are not.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from imbizo.core.ratelimit import RateLimited, client_address, limit_check
from imbizo.geo.selectors import place_search as places_found

QUERY_MAX = 200


@require_GET
@cache_control(private=True, max_age=60)
def place_search(request):
    """GET ?q=TEXT[&limit=N] → {"query", "places": [...], "message"}."""
    if not request.user.is_authenticated:
        try:
            limit_check(scope="place_search", client=client_address(request))
        except RateLimited as limited:
            response = JsonResponse({"error": limited.message}, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
    query = request.GET.get("q", "")[:QUERY_MAX]
    try:
        limit = int(request.GET.get("limit", "8"))
    except ValueError:
        limit = 8
    hits = places_found(query, limit)
    message = ""
    if not hits:
        message = (_("No place matches “%(q)s”.") % {"q": query.strip()} if query.strip()
                   else _("Type at least two letters of a street or place."))
    return JsonResponse({"query": query, "places": [hit.as_json() for hit in hits],
                         "message": message})
