"""URLs of the field supervision pages, under /staff/field/ (names field_*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("field/", views.supervision, name="field_home"),
    path("field/assign/", views.assign, name="field_assign"),
    path("field/assignments/<int:pk>/remove/", views.assignment_remove,
         name="field_assignment_remove"),
    path("field/devices/<int:pk>/withdraw/", views.device_withdraw, name="field_device_withdraw"),
    path("field/conflicts/", views.conflicts, name="field_conflicts"),
    path("field/conflicts/<int:pk>/resolve/", views.conflict_resolve, name="field_conflict_resolve"),
    path("field/outside/", views.outside, name="field_outside"),
    path("field/outside/<int:pk>/place/", views.record_place, name="field_record_place"),
]
