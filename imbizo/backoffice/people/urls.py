"""URLs of the people pages, under /staff/people/ (names people_*).

Helper parts of the people app (time log, feedback, reflections) live in
backoffice/people_log under /staff/people/log/, /feedback/ and /contacts/.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.home, name="people_home"),
    path("people/team/", views.team, name="people_team"),
    path("people/staff/<int:staff_id>/", views.person, name="people_person"),
    path("people/export/", views.export, name="people_export"),
]
