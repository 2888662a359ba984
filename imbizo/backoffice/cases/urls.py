"""URLs of the case work pages: queues, intake, caller lookup, ratings, a case
and its actions, the citizen's journey and photos (names unprefixed)."""

from django.urls import path

from . import queues, triage, views

urlpatterns = [
    # Before queue/<view>/, which "assign" would match.
    path("queue/assign/", queues.queue_assign, name="queue_assign"),
    path("queue/<slug:view>/", queues.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    path("intake/questions/", views.intake_questions, name="intake_questions"),
    path("intake/triage/", triage.intake_triage, name="intake_triage"),
    path("triage/in-use/", triage.triage_in_use, name="triage_in_use"),
    path("feedback/", views.feedback, name="feedback"),
    path("intake/lookup/", views.caller_lookup, name="caller_lookup"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/journey/", views.citizen_journey, name="citizen_journey"),
    path("cases/<str:reference>/photos/<int:photo_id>/", views.case_photo, name="case_photo"),
    path("cases/<str:reference>/<slug:action>/", views.case_action, name="case_action"),
]
