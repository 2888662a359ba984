"""Structured logs: one JSON object per line, each with the request's id.

Nothing personal goes in: messages log ids, never names, numbers or bodies,
and secret path segments (survey tokens) are masked.
"""

import contextvars
import json
import logging
import re
import time
import uuid

from . import metrics

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Secrets carried in a URL: survey tokens, Open311 request tokens, reopen secrets,
# the secret of a channel gateway's callback (/channels/<kind>/<gateway>/<secret>/).
_SECRET_PATHS = re.compile(
    r"(/survey/|/open311/v2/tokens/|/channels/[^/\s?]+/[^/\s?]+/|[?&]secret=)[^/\s?&\"']+")

access_logger = logging.getLogger("imbizo.access")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class SecretPathFilter(logging.Filter):
    """Mask secrets in the paths Django's own request lines carry ("Not Found:
    /survey/<token>/"), which are logged before any view of ours could."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(("django.request", "django.server", "django.security")) and \
                isinstance(record.args, tuple):
            record.args = tuple(safe_path(arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def safe_path(path: str) -> str:
    return _SECRET_PATHS.sub(r"\1…", path)


class RequestIdMiddleware:
    """Give every request an id (a valid incoming X-Request-ID, or a new one),
    echo it in the response, put it on every log line, and log the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            seconds = time.perf_counter() - started
            access_logger.info(
                "%s %s %s", request.method, safe_path(request.path), response.status_code,
                extra={"method": request.method, "path": safe_path(request.path),
                       "status": response.status_code, "duration_ms": round(seconds * 1000, 1)})
            metrics.request_observe(request, response.status_code, seconds)
            return response
        finally:
            request_id.reset(token)
