from django.urls import path

from . import meeting_views, views

# The namespace keeps the name these pages had when they lived in the
# insights app: the URL names ("insights:warroom", ...) are what templates of
# other packages, the tests and the trust URL table reverse, and they name
# what the pages show. The package is named for what it is, an interface.
app_name = "insights"

urlpatterns = [
    path("warroom/", views.warroom, name="warroom"),
    path("needs/", views.needs, name="needs"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard/services/<slug:code>/", views.scorecard_service, name="scorecard_service"),
    path("scorecard/offices/", views.scorecard_offices, name="scorecard_offices"),
    path("scorecard/offices/<slug:code>/", views.scorecard_office, name="scorecard_office"),
    path("wards/", views.ward_index, name="ward_index"),
    path("wards/<str:code>/", views.ward_page, name="ward"),
    path("drivers/", views.drivers, name="drivers"),
    # Imbizo meetings and the commitments made at them (issue 16).
    path("meetings/", meeting_views.meetings, name="meetings"),
    path("meetings.ics", meeting_views.meetings_ics, name="meetings_ics"),
    path("meetings/<uuid:uid>/", meeting_views.meeting, name="meeting"),
    path("commitments/", meeting_views.commitments, name="commitments"),
    path("wards/<str:code>/meetings.ics", meeting_views.ward_meetings_ics,
         name="ward_meetings_ics"),
    path("wards/<str:code>/commitments/", meeting_views.ward_commitments,
         name="ward_commitments"),
]
