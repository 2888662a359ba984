from django.contrib.auth import views as auth_views
from django.urls import path

from imbizo.core.ratelimit import failures_limited

from . import otp, qr
from .alerts.urls import urlpatterns as alerts_urlpatterns
from .cases import queues
from .cases.urls import urlpatterns as cases_urlpatterns
from .client_groups.urls import urlpatterns as client_groups_urlpatterns
from .client_survey.urls import urlpatterns as client_survey_urlpatterns
from .field.urls import urlpatterns as field_urlpatterns
from .interruptions.urls import urlpatterns as interruption_urlpatterns
from .key_clients.urls import urlpatterns as key_clients_urlpatterns
from .meetings.urls import urlpatterns as meetings_urlpatterns
from .people.urls import urlpatterns as people_urlpatterns
from .people_log.urls import urlpatterns as people_log_urlpatterns
from .privacy.urls import urlpatterns as privacy_urlpatterns
from .quality.urls import urlpatterns as quality_urlpatterns
from .triage_models.urls import urlpatterns as triage_models_urlpatterns

app_name = "backoffice"

# One namespace for the whole back office: each area lists its own paths,
# named as they always were (backoffice:queue, backoffice:quality_home, ...).
urlpatterns = [
    path("login/", failures_limited("login")(
        auth_views.LoginView.as_view(template_name="backoffice/login.html")), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The staff home is the overview of the case queues, with links to every area.
    path("", queues.home, name="home"),
    path("second-factor/", otp.second_factor, name="otp"),
    path("offices/<slug:code>/feedback-qr.<str:fmt>", qr.counter_qr, name="counter_qr"),
]
urlpatterns += (cases_urlpatterns + privacy_urlpatterns + quality_urlpatterns
                + field_urlpatterns + alerts_urlpatterns + meetings_urlpatterns
                + interruption_urlpatterns + triage_models_urlpatterns)
urlpatterns += people_urlpatterns
urlpatterns += people_log_urlpatterns
urlpatterns += client_groups_urlpatterns
urlpatterns += key_clients_urlpatterns
urlpatterns += client_survey_urlpatterns
