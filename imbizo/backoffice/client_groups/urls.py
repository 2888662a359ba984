"""URLs of the client group staff pages, under /staff/clients/ (names client_*)."""

from django.urls import path

from . import views

urlpatterns = [
    path("clients/reviews/", views.review_home, name="client_reviews"),
    path("clients/reviews/<int:pk>/", views.review_detail, name="client_review"),
    path("clients/reviews/<int:pk>/suggestions/", views.suggestion_add,
         name="client_suggestion_add"),
    path("clients/reviews/<int:pk>/choose/", views.suggestions_choose,
         name="client_suggestions_choose"),
    path("clients/reviews/<int:pk>/hold/", views.review_hold, name="client_review_hold"),
    path("clients/suggestions/<int:pk>/action/", views.suggestion_action,
         name="client_suggestion_action"),
    path("clients/groups/<slug:code>/", views.group_board, name="client_group"),
    path("clients/groups/<slug:code>/open/", views.review_open, name="client_review_open"),
    path("clients/matrix/", views.matrix, name="client_matrix"),
]
