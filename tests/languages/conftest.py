"""Compiled catalogues for the language tests.

Django activates a language only when it has a compiled catalogue; the .mo
files are built from the .po sources (imbizo compile-catalogues, run by the
build and at the start of the test session), never committed.
"""

import pytest
from django.conf import settings as django_settings

from imbizo.core.catalogues import LOCALE_DIR, compile_catalogues


@pytest.fixture
def catalogues(settings):
    """Every enabled language has its catalogue; setting LOCALE_PATHS again
    clears Django's per-process caches of which languages exist."""
    compile_catalogues()
    settings.LOCALE_PATHS = [str(LOCALE_DIR), *django_settings.LOCALE_PATHS[1:]]
    return LOCALE_DIR
