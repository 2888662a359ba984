"""Answers that may hold personal data are never kept by a browser or a proxy.

Every page a signed-in member of staff is shown, and every REST API or Open311
answer to a request carrying a key, leave with `Cache-Control: no-store`: a
shared computer's back button or a caching proxy must not show a citizen's
details to the next person. Public pages answered to anonymous visitors keep
their own caching.
"""

from django.utils.cache import patch_cache_control

_PRIVATE_PREFIXES = ("/staff/", "/admin/", "/field/api/")
_KEYED_PREFIXES = ("/api/", "/open311/")
_KEY_HEADERS = ("X-Api-Key", "Authorization")


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _private(request):
            patch_cache_control(response, no_store=True, private=True)
            response.headers.pop("Expires", None)
        return response


def _private(request) -> bool:
    path = request.path
    if path.startswith(_PRIVATE_PREFIXES):
        return True
    if path.startswith(_KEYED_PREFIXES) and any(h in request.headers for h in _KEY_HEADERS):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
