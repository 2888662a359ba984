"""URLs of the staff ward alert pages: a notice to subscribers, a caller's sign-up."""

from django.urls import path

from . import views

urlpatterns = [
    path("alerts/", views.notice, name="alerts_notice"),
    path("alerts/subscribe/", views.subscribe, name="alerts_subscribe"),
    path("alerts/subscribe/<str:token>/", views.subscribe_confirm,
         name="alerts_subscribe_confirm"),
]
