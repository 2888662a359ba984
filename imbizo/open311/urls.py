"""GeoReport v2 under /open311/v2/: every resource as .xml (the default) or .json."""

from django.urls import re_path

from . import views

app_name = "open311"

FORMAT = r"(?:\.(?P<fmt>xml|json))?$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FORMAT, views.service_definition, name="service"),
    re_path(r"^requests" + FORMAT, views.request_list, name="requests"),
    re_path(r"^requests/(?P<reference>[^/]+?)" + FORMAT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FORMAT, views.token_detail, name="token"),
    re_path(r"^servicerequestupdates" + FORMAT, views.update_list, name="updates"),
    re_path(r"^(?P<path>.*?)" + FORMAT, views.not_found, name="not_found"),
]
