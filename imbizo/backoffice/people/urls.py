"""URLs of the people pages, under /staff/people/ (names people_*).

The other parts of the people app (time log, feedback, reflections) live in
backoffice/people_log under /staff/people/log/, /feedback/ and /contacts/.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.home, name="people_home"),
    path("people/team/", views.team, name="people_team"),
    path("people/framework/", views.framework_page, name="people_framework"),
    path("people/figures/", views.figures_page, name="people_figures"),
    path("people/export/", views.export, name="people_export"),
    path("people/evidence/<slug:kind>/<int:object_id>/", views.evidence_link,
         name="people_evidence"),
    path("people/staff/<int:staff_id>/", views.person, name="people_person"),
    path("people/staff/<int:staff_id>/assess/", views.assess, name="people_assess"),
    path("people/staff/<int:staff_id>/plan/start/", views.plan_start, name="people_plan_start"),
    path("people/staff/<int:staff_id>/plan/add/", views.plan_add, name="people_plan_add"),
    path("people/staff/<int:staff_id>/plan/agree/", views.plan_agree, name="people_plan_agree"),
    path("people/staff/<int:staff_id>/plan/close/", views.plan_close, name="people_plan_close"),
    path("people/staff/<int:staff_id>/plan/items/<int:item_id>/", views.plan_item,
         name="people_plan_item"),
]
