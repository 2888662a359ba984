"""URLs of the personal-data pages: the access log and citizens' requests."""

from django.urls import path

from . import views

urlpatterns = [
    path("audit/access/", views.access_log, name="access_log"),
    path("privacy/", views.privacy_request, name="privacy_request"),
    path("privacy/export/", views.privacy_export, name="privacy_export"),
    path("privacy/erase/", views.privacy_erase, name="privacy_erase"),
]
