from django.urls import path

from . import views

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
]
