"""The project's URLs and one page that fails, for the 500 page's test."""

from django.urls import path

from config.urls import handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
