"""URLs of the client-service survey's staff pages, under /staff/clients/ (names client_survey*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("clients/scorecard/", views.scorecard, name="client_scorecard"),
    path("clients/surveys/", views.surveys, name="client_surveys"),
    path("clients/surveys/rules/<int:pk>/send/", views.send_now, name="client_survey_send"),
    path("clients/surveys/rules/<int:pk>/third-party/", views.third_party,
         name="client_survey_third_party"),
    path("clients/surveys/rounds/<int:pk>/", views.round_detail, name="client_survey_round"),
    path("clients/surveys/rounds/<int:pk>/sample.csv", views.sample_csv,
         name="client_survey_sample"),
]
