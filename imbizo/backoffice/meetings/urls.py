"""URLs of the meeting and commitment staff pages, under /staff/ (names meeting*, commitment*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/plan/", views.meeting_plan, name="meeting_plan"),
    path("meetings/<uuid:uid>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:uid>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/update/", views.commitment_update, name="commitment_update"),
    path("commitments/<int:pk>/due/", views.commitment_due, name="commitment_due"),
    path("commitments/photos/<int:pk>/", views.commitment_photo, name="commitment_photo"),
]
