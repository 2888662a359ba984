from django.urls import path

from . import alerts, interruptions, places, recognition, report_triage, reports, surveys, views
from .client_groups import client_matrix

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_list, name="service_list"),
    path("services/<str:code>/", views.service_detail, name="service_detail"),
    path("who-we-serve/", client_matrix, name="client_matrix"),
    path("report/", reports.report, name="report"),
    path("report/questions/", reports.report_questions, name="report_questions"),
    path("report/similar/", report_triage.report_similar, name="report_similar"),
    path("track/", reports.track_lookup, name="track_lookup"),
    path("track/<str:reference>/", reports.track, name="case_track"),
    path("track/<str:reference>/reopen/", reports.track_reopen, name="case_reopen"),
    path("wards.geojson", reports.wards, name="wards_geojson"),
    path("places/search/", places.place_search, name="place_search"),
    path("survey/<str:token>/", surveys.survey, name="survey"),
    path("recognition/", recognition.recognition, name="recognition"),
    path("alerts/", alerts.alerts_subscribe, name="alerts"),
    path("alerts/sent/", alerts.alerts_sent, name="alerts_sent"),
    path("alerts/confirm/<str:token>/", alerts.alerts_confirm, name="alerts_confirm"),
    path("alerts/u/<str:token>/", alerts.alerts_unsubscribe, name="alerts_unsubscribe"),
    path("interruptions/", interruptions.interruption_list, name="interruptions"),
    path("interruptions/<int:pk>/", interruptions.interruption_detail, name="interruption"),
]
