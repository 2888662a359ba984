from django.contrib.auth import views as auth_views
from django.urls import path

from imbizo.core.ratelimit import failures_limited

from . import otp, privacy, qr, views
from .quality_urls import urlpatterns as quality_urlpatterns

app_name = "backoffice"

urlpatterns = [
    path("login/", failures_limited("login")(
        auth_views.LoginView.as_view(template_name="backoffice/login.html")), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("queue/<slug:view>/", views.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    path("feedback/", views.feedback, name="feedback"),
    path("intake/lookup/", views.caller_lookup, name="caller_lookup"),
    path("offices/<slug:code>/feedback-qr.<str:fmt>", qr.counter_qr, name="counter_qr"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/journey/", views.citizen_journey, name="citizen_journey"),
    path("cases/<str:reference>/photos/<int:photo_id>/", views.case_photo, name="case_photo"),
    path("cases/<str:reference>/<slug:action>/", views.case_action, name="case_action"),
    path("second-factor/", otp.second_factor, name="otp"),
    path("audit/access/", privacy.access_log, name="access_log"),
    path("privacy/", privacy.privacy_request, name="privacy_request"),
    path("privacy/export/", privacy.privacy_export, name="privacy_export"),
    path("privacy/erase/", privacy.privacy_erase, name="privacy_erase"),
]
urlpatterns += quality_urlpatterns
