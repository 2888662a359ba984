from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    path("<slug:kind>/<slug:gateway>/<str:secret>/", views.callback, name="callback"),
]
