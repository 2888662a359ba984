"""Local development: `make run` uses these."""

from imbizo.core.links import site_host_of

from .base import *  # noqa: F403
from .base import env

# Demo messages go to files, never to the console log (docs/operations.md):
# one file per sending session under var/mail, one per text under var/sms.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))  # noqa: F405
SMS_BACKEND = env.str("SMS_BACKEND", default="imbizo.notify.sms.FileSmsBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))  # noqa: F405
WHATSAPP_BACKEND = env.str("WHATSAPP_BACKEND",
                           default="imbizo.notify.whatsapp.FileWhatsAppBackend")
WHATSAPP_FILE_PATH = env.str("WHATSAPP_FILE_PATH", default=str(VAR_DIR / "whatsapp"))  # noqa: F405

# Off unless DEBUG=1: Django's debug pages list every URL pattern and settings.
# Static files are served by WhiteNoise either way (from the finders below).
DEBUG = env.bool("DEBUG", default=False)
# The address SITE_URL names is served too (HOST=0.0.0.0 with SITE_URL set).
ALLOWED_HOSTS = [*ALLOWED_HOSTS, site_host_of(SITE_URL)]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# /metrics for this machine only (production: nobody unless configured).
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# The demo logins work with a password alone unless asked otherwise.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
