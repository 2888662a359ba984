import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()


def settle() -> None:
    """Import the URLconf (and so every view) now, then freeze the start-up heap.

    gc.freeze() moves every object made so far (modules, Django's registries)
    to a generation the cycle collector never walks. Without it a page that
    makes tens of thousands of objects sets off a full collection every other
    request or so, and each walks the whole start-up heap: ~55 ms on the needs
    map at 2,000,000 cases (docs/benchmarks.md). What start-up made lives as
    long as the process, so nothing collectable is kept.
    """
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.freeze()


settle()
