"""Settings for the intake benchmark: the product's own, plus a ceiling view."""

from config.settings.base import *  # noqa: F403

DEBUG = False
# wrk sends every request from one address; the public rate limits would answer 429.
RATE_LIMITS_ENABLED = False
ROOT_URLCONF = "benchsite.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "WARNING"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
