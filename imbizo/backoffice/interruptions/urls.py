"""URLs of the service interruption pages, under /staff/interruptions/."""

from django.urls import path

from . import views

urlpatterns = [
    path("interruptions/", views.interruption_list, name="interruptions"),
    path("interruptions/new/", views.interruption_new, name="interruption_new"),
    path("interruptions/<int:pk>/", views.interruption_detail, name="interruption"),
    path("interruptions/<int:pk>/update/", views.interruption_update, name="interruption_update"),
    path("interruptions/<int:pk>/restore/", views.interruption_restore,
         name="interruption_restore"),
    path("interruptions/<int:pk>/cancel/", views.interruption_cancel,
         name="interruption_cancel"),
]
