import pytest
from django.utils import translation
from django.utils.translation import trans_real

from imbizo.core.catalogues import compile_catalogues
from imbizo.texts.services import translation_save


@pytest.fixture(scope="session")
def catalogues_compiled(django_db_blocker):
    """The languages' .mo files: Django offers a language to a visitor only
    when it has a compiled catalogue (the build compiles them; a fresh
    checkout has only the .po files)."""
    compile_catalogues()
    for cached in (trans_real.check_for_language, trans_real.get_supported_language_variant):
        getattr(cached, "cache_clear", lambda: None)()
    trans_real._translations = {}
    translation.deactivate()


@pytest.fixture
def zulu(world):
    """The test service with an isiZulu name; its description and pledge untranslated."""
    translation_save(obj=world.service, key="name", language="zu", text="Amanzi avuzayo")
    return world
