"""OpenRosa 1.0 under /openrosa/: the server URL a field worker types into
ODK Collect is <site>/openrosa (Collect appends /formList and /submission)."""

from django.urls import re_path

from . import views

app_name = "openrosa"

# Collect joins the server URL and "/formList" as typed: a server URL ending
# in "/" gives "openrosa//formList", which must work too.
_SLASHES = r"^[/]*"  # a character class: Django warns of patterns starting "^/"

urlpatterns = [
    re_path(_SLASHES + r"formList$", views.form_list, name="form_list"),
    re_path(_SLASHES + r"submission$", views.submission, name="submission"),
    re_path(_SLASHES + r"forms/(?P<code>[-a-zA-Z0-9_]{1,64})/(?P<version>[^/]{1,32})/form\.xml$",
            views.form_download, name="form"),
    re_path(_SLASHES + r"forms/(?P<code>[-a-zA-Z0-9_]{1,64})/(?P<version>[^/]{1,32})/manifest$",
            views.form_manifest, name="manifest"),
]
