"""Test settings: fast hashing, in-memory mail, no manifest for static files."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = False
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "triage"],
    }
}
TRIAGE_MODEL_CHECK_SECONDS = 0
LOGGING_CONFIG = None

# A file, not memory, for SQLite test databases: threads in concurrency tests
# then share one database with real WAL locking (shared-cache memory databases
# fail with "table is locked" instead of waiting).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3"),  # noqa: F405
    }

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The second factor is tested on its own (tests/trust); other tests sign in with a password.
OTP_REQUIRED_ROLES: list[str] = []
# Rate limits are tested on their own (tests/trust); elsewhere they would only
# turn repeated test requests into 429s.
RATE_LIMITS_ENABLED = False
