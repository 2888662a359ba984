"""URLs of the key client staff pages, under /staff/clients/key/ (names key_client*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("clients/key/", views.key_client_list, name="key_clients"),
    path("clients/key/retention/", views.retention, name="key_client_retention"),
    path("clients/key/<int:pk>/", views.key_client_detail, name="key_client"),
    path("clients/key/<int:pk>/visits/", views.visit_add, name="key_client_visit"),
    path("clients/key/signals/<int:pk>/", views.signal_correct, name="key_client_signal"),
]
