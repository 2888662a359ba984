"""Which language a request is answered in, without a language in the URL.

SMS links must stay short and one address must work for every citizen, so the
language never comes from a URL prefix (ADR 0041). In order:

1. the citizen's explicit choice: the language cookie that Django's
   set_language view (/i18n/setlang/) writes;
2. on the REST API and Open311 only, a `?lang=` parameter (a client that
   cannot set headers, e.g. a link in a partner's page);
3. on a case's own pages (tracking, a survey invitation), the case's
   language, which the view applies with `case_language_activate` when the
   citizen has made no explicit choice;
4. the browser's Accept-Language;
5. the institution's default (settings.LANGUAGE_CODE).

An unknown, disabled or malformed code anywhere is skipped, never an error
page. A language is only used when a catalogue for it is installed (Django's
check_for_language), so `<html lang>` never claims a language the page is
not in.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import trans_real

from .languages import normalise_language

_QUERY_PREFIXES = ("/api/", "/open311/")


def _usable(code: str | None) -> str | None:
    language = normalise_language(code)
    if language and translation.check_for_language(language):
        return language
    return None


def chosen_language(request) -> str | None:
    """The language the visitor chose explicitly (the language cookie), if it
    is one this institution enables and has a catalogue for."""
    return _usable(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def _accepted_language(request) -> str | None:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if len(header) > 500:  # a header this long is not a browser's
        return None
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        language = _usable(code)
        if language:
            return language
    return None


def request_language(request) -> str:
    """The language to answer `request` in (see the module docstring)."""
    language = chosen_language(request)
    if language is None and request.path.startswith(_QUERY_PREFIXES):
        language = _usable(request.GET.get("lang"))
    return language or _accepted_language(request) or settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates the request's language; replaces Django's LocaleMiddleware,
    which would also honour URL prefixes this product does not use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Shared caches must keep one copy per language and per choice.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        return response


def case_language_activate(request, language: str | None) -> None:
    """On a case's own page, answer in the case's language unless the visitor
    has chosen one: the citizen who reported in isiXhosa follows the SMS link
    and reads the page in isiXhosa."""
    if chosen_language(request) is not None:
        return
    code = _usable(language)
    if code:
        translation.activate(code)
        request.LANGUAGE_CODE = code


def citizen_language(request) -> str:
    """The language to keep on a report made from this page: the page's when
    the citizen chose it or reads in a language other than the default;
    otherwise "" so that triage finds it in their words (an isiZulu report
    typed on the English page is still answered in isiZulu)."""
    language = translation.get_language() or ""
    if chosen_language(request) is not None or language != settings.LANGUAGE_CODE:
        return language
    return ""
