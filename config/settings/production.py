"""Production: everything secret or host-specific comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from imbizo.notify.backends import delivery_faults

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Every link sent to citizens starts here; the development default (this
# machine's address) would reach nobody.
if not env.str("SITE_URL", default=""):
    raise ImproperlyConfigured(
        "Imbizo will not start: set SITE_URL to the public address of the site "
        "(for example https://services.example.gov.za); links in messages start with it.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload only takes effect once the domain is submitted to the browsers' list.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # noqa: F405

# Cookies: sent over HTTPS only, out of reach of scripts, bound to this host
# (the __Host- prefix), and a staff session lasts a working day.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

# A production install delivers what it says it sent (imbizo.notify.backends).
if not TEST_INSTALL and (_faults := delivery_faults(  # noqa: F405
        email_backend=EMAIL_BACKEND, sms_backend=SMS_BACKEND)):  # noqa: F405
    raise ImproperlyConfigured("Imbizo will not start: " + " ".join(_faults))
