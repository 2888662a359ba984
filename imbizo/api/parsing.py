"""Request bodies: JSON only, refused before parsing when too large."""

import json

from django.conf import settings
from ninja.parser import Parser

# Generous for a case with every field filled (a description is up to
# limits.TEXT_MAX characters).
DEFAULT_MAX_BODY_BYTES = 64 * 1024


def max_body_bytes() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


class BodyTooLarge(Exception):
    def __init__(self, size: int, limit: int):
        super().__init__(f"{size} > {limit}")
        self.size, self.limit = size, limit


class MalformedBody(Exception):
    pass


class BoundedJsonParser(Parser):
    """ninja wraps what this raises in HttpError(400); api.errors looks at the cause."""

    def parse_body(self, request):
        limit = max_body_bytes()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise BodyTooLarge(declared, limit)
        body = request.body
        if len(body) > limit:
            raise BodyTooLarge(len(body), limit)
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise MalformedBody(str(exc)) from exc
        if not isinstance(data, dict):
            raise MalformedBody("the body must be a JSON object")
        return data
