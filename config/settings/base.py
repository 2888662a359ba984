"""Settings shared by every environment. Values come from the environment (12-factor)."""

from pathlib import Path

import environ

from imbizo.core import language_settings
from imbizo.core.links import site_url_for

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "imbizo.server.views.csrf_failure"

INSTALLED_APPS = [
    "imbizo.org.adminsite.AdminConfig",  # django.contrib.admin behind the staff gate
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "imbizo.core",
    "imbizo.geo",
    "imbizo.org",
    "imbizo.catalogue",
    "imbizo.cases",
    "imbizo.notify",
    "imbizo.texts",
    "imbizo.engagement",
    "imbizo.integrations",
    "imbizo.web",
    "imbizo.portal",
    "imbizo.backoffice",
    "imbizo.dashboards",
    "imbizo.demo",
    "imbizo.ops",
    "imbizo.server",
    "imbizo.insights",
    "ninja",  # the API docs page from local static files (imbizo.api)
    "imbizo.quality",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "imbizo.privacy",
    "imbizo.outreach",
    "imbizo.field",
    "imbizo.fieldapp",
    "imbizo.triage",
    "imbizo.channels",
    "imbizo.people",
    "imbizo.clients",
]

MIDDLEWARE = [
    "imbizo.ops.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and CSRF: an oversized or poisoned request is refused unread.
    "imbizo.ops.inputs.InputBoundaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "imbizo.core.locale.LanguageMiddleware",  # cookie, Accept-Language, default; no URL prefix
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "imbizo.ops.caching.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    "imbizo.ops.outage.DatabaseUnavailableMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Last: it decides per resolved view, and it retries a page the replica
    # failed before the outage middleware turns the error into a 503.
    "imbizo.core.replica.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "imbizo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "imbizo.org.context_processors.institution",
                "imbizo.org.context_processors.staff_permissions",
                "imbizo.web.staff_nav.staff_nav",
            ],
        },
    },
    # Plain-text messages (SMS, WhatsApp, email bodies: notify/<template>.<channel>.txt)
    # are not HTML: escaping would send a citizen "O&#x27;Brien" (notify.texts).
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "imbizo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# SQLite by default (WAL, immediate transactions so writers queue instead of
# failing with "database is locked"); PostgreSQL through DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'imbizo.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # An unreachable server fails a request in seconds (a 503) instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
# The intake path's hot statements go to PostgreSQL as prepared statements
# (imbizo.core.statements, ADR 0051); Django's own stay bound on the client,
# which never prepares. Off behind PgBouncer in transaction mode before 1.21,
# which cannot follow a prepared statement from one client to the next.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" and \
        DATABASE_PREPARED_STATEMENTS:
    # psycopg prepares nothing without a threshold (Django's default is None).
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)

# A streaming replica (optional): the public and insight pages read from it
# when it keeps up; every write, the sweep, the outbox, the worker and the
# staff's case work stay on the primary (imbizo.core.replica, ADR 0046).
# Unset, there is one database and nothing is routed.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"].get("CONN_MAX_AGE", 0))
    DATABASES["replica"].setdefault("CONN_HEALTH_CHECKS", True)
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    # The test run has no second test database: the replica alias mirrors default.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["imbizo.core.replica.ReplicaRouter"]
# Reads go back to the primary when the replica is further behind than this.
IMBIZO_REPLICA_MAX_LAG_SECONDS = env.float("IMBIZO_REPLICA_MAX_LAG_SECONDS", default=30.0)
# How long one process trusts its last look at the replica's lag (or outage).
IMBIZO_REPLICA_CHECK_SECONDS = env.float("IMBIZO_REPLICA_CHECK_SECONDS", default=5.0)
# After a write, that browser reads from the primary for this long, so that a
# citizen who reports and then tracks sees the case.
IMBIZO_REPLICA_PIN_SECONDS = env.int("IMBIZO_REPLICA_PIN_SECONDS", default=10)
# The URL namespaces whose GET and HEAD requests may read from the replica.
IMBIZO_REPLICA_NAMESPACES = env.list(
    "IMBIZO_REPLICA_NAMESPACES", default=["portal", "insights", "open311"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_RESET_ON_SUCCESS = True

# The languages this institution offers (any of the eleven official codes)
# and its default, the language of a citizen who has chosen none.
IMBIZO_LANGUAGES = language_settings.parse_enabled(
    env.str("IMBIZO_LANGUAGES", default=language_settings.DEFAULT_ENABLED))
LANGUAGE_CODE = language_settings.parse_default(
    env.str("IMBIZO_DEFAULT_LANGUAGE", default="en"), IMBIZO_LANGUAGES)
LANGUAGES = language_settings.languages_setting(IMBIZO_LANGUAGES)
# A citizen's explicit choice is remembered for a year (docs/languages.md).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
language_settings.add_lang_info()
LOCALE_PATHS = [BASE_DIR / "imbizo" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Africa/Johannesburg")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "imbizo" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# The largest file (a photo) a field submission may carry, in bytes.
FIELD_ATTACHMENT_MAX_BYTES = env.int("FIELD_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        # "triage": long training runs, served by a worker of their own
        # (`imbizo worker --queue triage`) so they never hold up the rest.
        "QUEUES": ["default", "triage"],
    }
}

# A task left RUNNING by a worker that has not beaten for this long (killed,
# its machine lost) goes back to the queue (imbizo.ops.reclaim). Workers beat
# every 5 s; a minute rides out a slow database without running a task twice.
TASKS_RECLAIM_AFTER_SECONDS = env.int("TASKS_RECLAIM_AFTER_SECONDS", default=60)

# Triage (imbizo.triage): the least confidence for a service to be suggested,
# how often web processes look for a newly promoted model, how often the worker
# trains a new one, and how many n-grams a model keeps.
TRIAGE_CONFIDENCE_THRESHOLD = env.float("TRIAGE_CONFIDENCE_THRESHOLD", default=0.3)
TRIAGE_MODEL_CHECK_SECONDS = 30
TRIAGE_TRAIN_EVERY_DAYS = 7
TRIAGE_MAX_FEATURES = 150_000

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# A trial install that must not reach citizens: messages through a backend that
# delivers nothing (console, file, log) are marked "not delivered: test install",
# never sent. Production refuses such backends without it (imbizo.notify.backends).
TEST_INSTALL = env.bool("TEST_INSTALL", default=False)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@imbizo.local")
# The mailbox citizens' email replies go to, polled by an IMAP gateway
# (docs/channels-email.md): emails about a case get Reply-To replies+<token>@...
EMAIL_REPLY_ADDRESS = env.str("EMAIL_REPLY_ADDRESS", default="")
# How often the worker reads those mailboxes (imbizo.channels.email_tasks).
EMAIL_POLL_SECONDS = env.int("EMAIL_POLL_SECONDS", default=60)

# Public site base URL, the start of every link that leaves the site (messages,
# posters, API answers; imbizo.core.links). By default the address `make run`
# serves on: HOST and PORT (exported by the Makefile; `imbizo run --host --port`
# passes its own to the processes it starts).
SITE_URL = env.str("SITE_URL", default="") or site_url_for(
    host=env.str("HOST", default=""), port=env.str("PORT", default=""))

# LOG_FORMAT=json (production default) or plain; every line carries the request id.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "imbizo.ops.logs.RequestIdFilter"},
                "secret_paths": {"()": "imbizo.ops.logs.SecretPathFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "imbizo.ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["request_id", "secret_paths"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # gunicorn's own access log stays off; ours masks secrets and carries the id.
        "imbizo.access": {"level": env.str("ACCESS_LOG_LEVEL", default="INFO")},
    },
}

# Where war-room escalations are emailed (empty: recorded as events only).
WAR_ROOM_EMAIL = env.str("WAR_ROOM_EMAIL", default="")

# Map background tiles for Leaflet, e.g. "https://tile.example.org/{z}/{x}/{y}.png".
# Empty (the default): maps show ward boundaries only and work offline.
MAP_TILES_URL = env.str("MAP_TILES_URL", default="")

# Text messages (see docs/operations.md, "Messages").
SMS_BACKEND = env.str("SMS_BACKEND", default="imbizo.notify.sms.LogSmsBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_METHOD = env.str("SMS_GATEWAY_METHOD", default="POST")
SMS_GATEWAY_CONTENT_TYPE = env.str("SMS_GATEWAY_CONTENT_TYPE", default="application/json")
SMS_GATEWAY_BODY_TEMPLATE = env.str(
    "SMS_GATEWAY_BODY_TEMPLATE", default='{"to": $to, "text": $text, "reference": $message_id}'
)
SMS_GATEWAY_HEADERS = env.dict("SMS_GATEWAY_HEADERS", default={})
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
# WhatsApp replies (docs/channels-whatsapp.md): Meta's Cloud API; each WhatsApp
# gateway's settings name the sending number and token, and may override the URL.
WHATSAPP_BACKEND = env.str("WHATSAPP_BACKEND",
                           default="imbizo.notify.whatsapp.CloudApiWhatsAppBackend")
WHATSAPP_GRAPH_URL = env.str("WHATSAPP_GRAPH_URL", default="https://graph.facebook.com")
WHATSAPP_TIMEOUT = env.float("WHATSAPP_TIMEOUT", default=10.0)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
# How often the worker sends what is due. Acknowledgements of cases opened on
# PostgreSQL (one INSERT statement, no on-commit hook) wait at most this long.
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=5)
# Seconds a worker holds a message it is sending before another may try it.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
# Longest one outbox sweep sends before handing the worker back to its other
# tasks (bulk alerts go on in the next sweep; interactive messages go first).
OUTBOX_SWEEP_BUDGET_SECONDS = env.float("OUTBOX_SWEEP_BUDGET_SECONDS", default=20.0)
# Ward alert sign-ups not confirmed within this many days are deleted (retention sweep).
ALERTS_UNCONFIRMED_DAYS = env.int("ALERTS_UNCONFIRMED_DAYS", default=7)

# Content-Security-Policy: scripts only from this site (no inline scripts);
# styles may be inline (Leaflet and the admin set style attributes).
_MAP_TILE_HOSTS = [MAP_TILES_URL.split("/{", 1)[0].rsplit("/", 1)[0]] if MAP_TILES_URL else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_MAP_TILE_HOSTS],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Invite a citizen to a survey at most once in this many days.
SURVEY_MIN_DAYS_BETWEEN = env.int("SURVEY_MIN_DAYS_BETWEEN", default=30)
# Every average of citizens' answers resting on fewer answers than this is
# shown as "too few answers" (imbizo.core.evidence), on every page.
MIN_ANSWERS_SHOWN = env.int("MIN_ANSWERS_SHOWN", default=5)

# Integrations (docs/api.md): the largest JSON body the REST API reads, and how
# long a webhook consumer may take to answer.
# The largest request body any door takes (three 5 MB photos and the form):
# refused by its Content-Length before it is read (imbizo.ops.inputs).
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=16 * 1024 * 1024)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=64 * 1024)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)

# Operations (docs/operations.md): who may scrape /metrics (addresses or
# networks, and/or a bearer token; neither set: /metrics does not exist), and
# how old the newest worker heartbeat may be for /readyz to answer ready.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
READYZ_WORKER_MAX_AGE = env.int("READYZ_WORKER_MAX_AGE", default=60)
# --- trust: personal data, second factor, rate limits (docs/operations.md) ---
# Personal data is removed from cases resolved or closed this many months ago
# (0 keeps it); access-log entries are deleted after ACCESS_LOG_RETENTION_MONTHS.
PERSONAL_DATA_RETENTION_MONTHS = env.int("PERSONAL_DATA_RETENTION_MONTHS", default=24)
ACCESS_LOG_RETENTION_MONTHS = env.int("ACCESS_LOG_RETENTION_MONTHS", default=36)
# A leaver's development records (assessments, plans, time logs, feedback,
# reflections and who looked at them) are deleted this many months after
# Staff.left_at (docs/people.md).
PEOPLE_RECORDS_KEEP_MONTHS = env.int("PEOPLE_RECORDS_KEEP_MONTHS", default=24)
# Staff roles that must confirm a one-time code (TOTP) after their password.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=["administrator"])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Imbizo")

# Caches: CACHE_URL (or REDIS_URL), e.g. redis://cache:6379/0, serves both; without
# it, memory per process for "default" and the database for the rate limits, so
# that every web process counts the same requests (ADR 0008).
CACHE_URL = env.str("CACHE_URL", default=env.str("REDIS_URL", default=""))
CACHES = {
    "default": env.cache_url_config(CACHE_URL) if CACHE_URL else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {**env.cache_url_config(CACHE_URL), "TIMEOUT": 86400} if CACHE_URL else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "imbizo_cache",
        "TIMEOUT": 86400, "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4}},
}
RATE_LIMIT_CACHE = "ratelimit"
RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
# Requests per client address: "N/s", "N/m", "N/h", "N/d" or e.g. "60/10m".
# Per address unless said otherwise; generous, because a mobile network puts a
# township's phones behind a few addresses (docs/operations.md, "Rate limits").
RATE_LIMITS = {
    "report": env.str("RATE_LIMIT_REPORT", default="60/h"),  # reports sent
    "track": env.str("RATE_LIMIT_TRACK", default="300/10m"),  # tracking look-ups and pages
    "reopen": env.str("RATE_LIMIT_REOPEN", default="20/h"),  # refused reopen requests
    "survey": env.str("RATE_LIMIT_SURVEY", default="60/h"),  # survey answers sent
    # alert sign-ups and confirmation codes typed (each sign-up sends an SMS or email)
    "alerts": env.str("RATE_LIMIT_ALERTS", default="30/h"),
    "open311_read": env.str("RATE_LIMIT_OPEN311_READ", default="600/10m"),  # Open311 GETs
    "open311_write": env.str("RATE_LIMIT_OPEN311_WRITE", default="600/h"),  # POSTs per API key
    # Open311 POSTs per address, whatever the key (or none)
    "open311_write_address": env.str("RATE_LIMIT_OPEN311_WRITE_ADDRESS", default="600/h"),
    "api": env.str("RATE_LIMIT_API", default="1200/10m"),  # REST requests per API key
    "login": env.str("RATE_LIMIT_LOGIN", default="30/15m"),  # failed sign-ins (staff, admin)
    # place searches by anonymous visitors (the report form searches as one types)
    "place_search": env.str("RATE_LIMIT_PLACE_SEARCH", default="600/10m"),
    # "this may already be reported" look-ups by the report form as one types
    "triage_public": env.str("RATE_LIMIT_TRIAGE_PUBLIC", default="300/10m"),
    # OpenRosa requests (ODK Collect, Enketo) per address: a team syncing
    # behind one mobile network address sends hundreds of records at once.
    "openrosa": env.str("RATE_LIMIT_OPENROSA", default="3000/10m"),
}
# OpenRosa (docs/openrosa.md): the largest POST we ask ODK Collect to send
# (it splits a submission with more files over several POSTs), and how long a
# checked field worker password is remembered (ADR 0027).
OPENROSA_ACCEPT_CONTENT_LENGTH = env.int("OPENROSA_ACCEPT_CONTENT_LENGTH", default=10 * 1024 * 1024)
OPENROSA_PASSWORD_REMEMBER_SECONDS = env.int("OPENROSA_PASSWORD_REMEMBER_SECONDS", default=600)
# Counter surveys (the QR code at an office): answers taken from one address
# for one office in an hour, and follow-up cases opened from poor counter
# answers per office in an hour; poor answers past that are flagged on the
# feedback page instead (docs/operations.md).
COUNTER_SURVEY_ANSWERS_PER_ADDRESS = env.int("COUNTER_SURVEY_ANSWERS_PER_ADDRESS", default=10)
COUNTER_FOLLOW_UPS_PER_HOUR = env.int("COUNTER_FOLLOW_UPS_PER_HOUR", default=3)
# How many reverse proxies (load balancer, nginx) stand in front of the web
# processes: the client address is then read from X-Forwarded-For.
RATE_LIMIT_PROXIES = env.int("RATE_LIMIT_PROXIES", default=0)

# Login lockout: per user name and address (a shared office connection is not
# locked out by one person's typos); the address as the rate limits read it.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "imbizo.core.ratelimit.client_address"
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"
