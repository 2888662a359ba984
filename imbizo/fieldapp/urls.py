from django.urls import path

from . import api, shell

app_name = "fieldapp"

urlpatterns = [
    path("", shell.app, name="app"),
    path("sw.js", shell.service_worker, name="service_worker"),
    path("manifest.webmanifest", shell.manifest, name="manifest"),
    path("connect/", shell.connect, name="connect"),
    path("api/bootstrap", api.bootstrap, name="api_bootstrap"),
    path("api/device", api.device, name="api_device"),
    path("api/status", api.status, name="api_status"),
    path("api/records", api.records, name="api_records"),
    path("api/records/<str:instance_id>/attachments/<str:name>", api.attachment,
         name="api_attachment"),
]
