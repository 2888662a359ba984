"""Keyset pagination: `?limit=50&cursor=...`, newest first.

A cursor is the id of the last row of the previous page, encoded; the next
page is one indexed range read whatever its depth (no OFFSET, no COUNT).
"""

import base64
import binascii
from typing import Generic, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

from imbizo.core.errors import DomainError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

T = TypeVar("T")


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT,
                       description=f"Items per page, at most {MAX_LIMIT}.")
    cursor: str | None = Field(None, max_length=40,
                               description="`next_cursor` of the previous page.")


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


def cursor_encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _sep, value = text.partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError(text)
        return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise DomainError("invalid_cursor", _("This cursor is not valid; start again without it."),
                          field="cursor") from exc


def page(queryset: QuerySet, params: PageParams) -> tuple[list, str | None]:
    """One page of `queryset` (ordered by -id) and the cursor of the next."""
    if params.cursor:
        queryset = queryset.filter(pk__lt=cursor_decode(params.cursor))
    rows = list(queryset[: params.limit + 1])
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    return rows, (cursor_encode(rows[-1].pk) if more else None)
