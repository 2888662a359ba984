from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from imbizo.ops import views as ops_views

admin.site.site_header = "Imbizo administration"
admin.site.site_title = "Imbizo"

# A database outage answers 503 (imbizo.ops.outage); other errors the usual 500.
handler500 = "imbizo.ops.outage.server_error"

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("staff/", include("imbizo.backoffice.urls")),
    path("open311/v2/", include("imbizo.open311.urls")),
    path("api/v1/", include("imbizo.api.urls")),
    path("", include("imbizo.portal.urls")),
    path("", include("imbizo.insights.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
