"""URLs of the time log, feedback and learning-from-contacts pages, under
/staff/people/log/, /staff/people/feedback/ and /staff/people/contacts/
(names people_log_*, people_feedback_*, people_reflect_*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("people/log/", views.log_week, name="people_log_week"),
    path("people/log/save/", views.log_save, name="people_log_save"),
    path("people/log/team/", views.log_team, name="people_log_team"),
    path("people/log/<int:staff_id>/", views.log_week, name="people_log_person"),
    path("people/feedback/", views.feedback_home, name="people_feedback_home"),
    path("people/feedback/ask/", views.feedback_ask, name="people_feedback_ask"),
    path("people/feedback/patterns/", views.feedback_patterns, name="people_feedback_patterns"),
    path("people/feedback/requests/<int:pk>/", views.feedback_answer,
         name="people_feedback_answer"),
    path("people/feedback/<int:staff_id>/", views.feedback_home, name="people_feedback_person"),
    path("people/feedback/<int:staff_id>/patterns/", views.feedback_patterns,
         name="people_feedback_patterns_person"),
    path("people/contacts/", views.reflect_home, name="people_reflect_home"),
    path("people/contacts/pick/", views.reflect_save, name="people_reflect_save"),
    path("people/contacts/extra/", views.reflect_extra, name="people_reflect_extra"),
    path("people/contacts/review/", views.reflect_review, name="people_reflect_review"),
    path("people/contacts/<int:staff_id>/", views.reflect_home, name="people_reflect_person"),
]
