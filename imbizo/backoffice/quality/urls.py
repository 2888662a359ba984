"""URLs of the quality programme's staff pages, under /staff/quality/ (names quality_*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("quality/", views.home, name="quality_home"),
    path("quality/cycles/", views.cycles, name="quality_cycles"),
    path("quality/cycles/start/", views.cycle_start, name="quality_cycle_start"),
    path("quality/cycles/<int:pk>/", views.cycle_detail, name="quality_cycle"),
    path("quality/cycles/<int:pk>/<slug:step>/", views.cycle_step, name="quality_cycle_step"),
    path("quality/visits/as-a-citizen/", views.visit_as_citizen, name="quality_visit_citizen"),
    path("quality/visits/<int:pk>/", views.visit_detail, name="quality_visit"),
    path("quality/photos/<int:pk>/", views.visit_photo, name="quality_photo"),
    path("quality/offices/<slug:code>/", views.scorecard, name="quality_scorecard"),
    path("quality/actions/", views.actions, name="quality_actions"),
    path("quality/actions/new/", views.action_new, name="quality_action_new"),
    path("quality/actions/sources/", views.action_sources, name="quality_action_sources"),
    path("quality/actions/<int:pk>/", views.action_detail, name="quality_action"),
    path("quality/actions/<int:pk>/<slug:how>/", views.action_close, name="quality_action_close"),
    path("quality/focus-groups/", views.focus_groups, name="quality_focus_groups"),
    path("quality/focus-groups/<int:pk>/", views.focus_group_detail, name="quality_focus_group"),
    path("quality/recognition/", views.recognition, name="quality_recognition"),
    path("quality/recognition/mine/", views.my_recognition, name="quality_my_recognition"),
    path("quality/recognition/<int:pk>/<slug:how>/", views.nomination_act,
         name="quality_nomination"),
    path("quality/learning/", views.learning, name="quality_learning"),
    path("quality/learning/stories/new/", views.story_new, name="quality_story_new"),
    path("quality/learning/stories/<int:pk>/", views.story_detail, name="quality_story"),
    path("quality/learning/stories/<int:pk>/publish/", views.story_publish,
         name="quality_story_publish"),
]
