"""URL of the triage model's page (administrators)."""

from django.urls import path

from . import views

urlpatterns = [
    path("triage/models/", views.triage_models, name="triage_models"),
]
