from django.contrib import admin
from django.urls import include, path

from imbizo.server import views as server_views

admin.site.site_header = "Imbizo administration"
admin.site.site_title = "Imbizo"

# A database outage answers 503 (imbizo.ops.outage); other errors the usual 500.
handler500 = "imbizo.ops.outage.server_error"

urlpatterns = [
    path("healthz", server_views.healthz, name="healthz"),
    path("readyz", server_views.readyz, name="readyz"),
    path("metrics", server_views.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("staff/", include("imbizo.backoffice.urls")),
    path("open311/v2/", include("imbizo.open311.urls")),
    path("api/v1/", include("imbizo.api.urls")),
    path("openrosa/", include("imbizo.openrosa.urls")),
    path("field/", include("imbizo.fieldapp.urls")),
    path("channels/", include("imbizo.channels.urls")),
    path("", include("imbizo.portal.urls")),
    path("", include("imbizo.dashboards.urls")),
]

# Uploaded photos are never served from MEDIA_URL, not even in development:
# the back office serves each one to staff who may see its case.
