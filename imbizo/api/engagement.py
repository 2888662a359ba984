"""Moments of truth (contacts) and survey responses."""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from imbizo.cases.selectors import case_references
from imbizo.integrations.selectors import (
    contact_list_for_key,
    key_sees_personal_data,
    response_list_for_key,
)

from .errors import READ_ERRORS
from .pagination import Page, PageParams, page
from .security import read_key
from .types import Instant, query_checked

router = Router(tags=["feedback"])


class Period(Schema):
    since: Instant | None = Field(None, description="At or after (with offset).")
    until: Instant | None = Field(None, description="Before (with offset).")


class ContactPersonal(Schema):
    citizen_key: str = Field(description="Pseudonym linking one citizen's contacts.")
    staff: int | None = Field(description="Staff member's id.")
    notes: str


class ContactOut(Schema):
    id: int
    at: datetime
    kind: str
    channel: str
    office: str | None
    case: str | None = Field(description="Case reference.")
    wait_seconds: int | None
    handling_seconds: int | None
    outcome: str
    personal: ContactPersonal | None = Field(description="Null without the `personal` scope.")


class AnswerOut(Schema):
    question: str = Field(description="Question code.")
    driver: str
    number: int | None
    text: str | None = Field(description="Free text; null without the `personal` scope.")


class ResponseOut(Schema):
    id: int
    submitted_at: datetime
    instrument: str
    instrument_version: int
    channel: str
    office: str | None
    case: str | None
    follow_up: str | None = Field(description="Case opened by the closed loop, if any.")
    answers: list[AnswerOut]


def contact_out(c, *, personal: bool) -> dict:
    return {
        "id": c.pk, "at": c.at, "kind": c.kind, "channel": c.channel,
        "office": c.office.code if c.office_id else None,
        "case": c.case.reference if c.case_id else None,
        "wait_seconds": c.wait_seconds, "handling_seconds": c.handling_seconds,
        "outcome": c.outcome,
        "personal": {"citizen_key": c.citizen_key, "staff": c.staff_id, "notes": c.notes}
        if personal else None,
    }


def response_out(r, *, personal: bool, follow_ups: dict) -> dict:
    return {
        "id": r.pk, "submitted_at": r.submitted_at, "instrument": r.instrument.code,
        "instrument_version": r.instrument.version, "channel": r.channel,
        "office": r.office.code if r.office_id else None,
        "case": r.case.reference if r.case_id else None,
        "follow_up": follow_ups.get(r.follow_up_id),
        "answers": [{"question": a.question.code, "driver": a.driver, "number": a.number,
                     "text": (a.text if personal else None) if a.text else None}
                    for a in r.answers.all()],
    }


@router.get("/contacts", response={200: Page[ContactOut], **READ_ERRORS}, auth=read_key,
            summary="List contacts (moments of truth)", operation_id="contact_list")
@query_checked
def contacts(request, period: Query[Period], paging: Query[PageParams]):
    rows, next_cursor = page(
        contact_list_for_key(key=request.auth, since=period.since, until=period.until), paging)
    personal = key_sees_personal_data(request.auth)
    return {"items": [contact_out(c, personal=personal) for c in rows],
            "next_cursor": next_cursor}


@router.get("/survey-responses", response={200: Page[ResponseOut], **READ_ERRORS},
            auth=read_key, summary="List survey responses", operation_id="response_list")
@query_checked
def responses(request, period: Query[Period], paging: Query[PageParams]):
    rows, next_cursor = page(
        response_list_for_key(key=request.auth, since=period.since, until=period.until), paging)
    follow_ups = case_references(ids={r.follow_up_id for r in rows if r.follow_up_id})
    personal = key_sees_personal_data(request.auth)
    return {"items": [response_out(r, personal=personal, follow_ups=follow_ups) for r in rows],
            "next_cursor": next_cursor}
