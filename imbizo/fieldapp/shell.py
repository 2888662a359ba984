"""The field app's pages: the app shell, its service worker and manifest, and
the one page that needs the staff session (connecting a phone).

The shell is the same for everyone and holds no personal data: the service
worker keeps it for offline use, and everything about the worker comes from
the JSON API with the phone's token (imbizo.fieldapp.api).
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from imbizo.org.authorisation import permission_required
from imbizo.org.permissions import Permission

from .texts import app_texts

# What the service worker keeps for offline use, besides the shell page itself.
# Under their plain names (shell_asset), not the hashed names of the manifest
# storage: app.js imports "./store.js" by its plain name, so every file of the
# shell is asked for by that name, and the worker's cache name changes with
# their contents instead (ADR 0028).
SHELL_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "fieldapp/app.css",
    "fieldapp/app.js",
    "fieldapp/store.js",
    "fieldapp/outbox.js",
    "fieldapp/questions.js",
    "fieldapp/icon-192.png",
    "fieldapp/icon-512.png",
    "fieldapp/icon.svg",
)


def shell_asset(name: str) -> str:
    """The plain URL of a shell file (STATIC_URL + name)."""
    return f"{settings.STATIC_URL}{name}"


@require_GET
def app(request):
    """The app shell: one page, drawn by app.js from what IndexedDB holds."""
    # The shell's files by their plain names (see SHELL_STATIC).
    return render(request, "fieldapp/app.html", {"texts": app_texts(),
                                                 "static_url": settings.STATIC_URL})


@require_GET
@permission_required(Permission.FIELD_CAPTURE)
def connect(request):
    """Connect this phone: the signed-in field worker gets a device token
    (kept in IndexedDB by app.js), so that syncing never needs the session."""
    return render(request, "fieldapp/connect.html", {
        "texts": app_texts(), "staff": request.staff,
    })


@require_GET
def manifest(request):
    """The web app manifest that makes /field/ installable on a phone's home screen."""
    document = {
        "name": _("Imbizo field app"),
        "short_name": _("Field"),
        "description": _("Record household visits offline and send them when there is signal."),
        "start_url": reverse("fieldapp:app"),
        "scope": reverse("fieldapp:app"),
        "id": reverse("fieldapp:app"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1d4f73",
        "icons": [
            {"src": static("fieldapp/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("fieldapp/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("fieldapp/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = HttpResponse(json.dumps(document), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request):
    """The service worker, at /field/sw.js so that its scope is /field/.

    Served with `no-cache`: the browser asks again on each visit (a 304 when
    nothing changed), so a new version reaches phones as soon as they are online.
    The cache name carries a hash of the shell's files: any change to them
    changes this script, which makes browsers install it and drop the old cache.
    """
    shell = [reverse("fieldapp:app"), reverse("fieldapp:manifest"),
             *(shell_asset(name) for name in SHELL_STATIC)]
    body = _render_worker(tuple(shell))
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@lru_cache(maxsize=4)
def _render_worker(shell: tuple[str, ...]) -> str:
    # Cached per process: the static files and templates do not change under a
    # running server in production (a deployment restarts it).
    digest = hashlib.sha256()
    for name in ("fieldapp/sw.js", "fieldapp/app.html"):
        digest.update(get_template(name).template.source.encode())
    for name in SHELL_STATIC:
        with open(finders.find(name), "rb") as asset:
            digest.update(asset.read())
    return render_to_string("fieldapp/sw.js", {
        "cache_name": json.dumps(f"imbizo-field-{digest.hexdigest()[:16]}"),
        "shell": json.dumps(list(shell)),
        "app_url": json.dumps(reverse("fieldapp:app")),
        "api_prefix": json.dumps(reverse("fieldapp:app") + "api/"),
        "bootstrap_url": json.dumps(reverse("fieldapp:api_bootstrap")),
    })
