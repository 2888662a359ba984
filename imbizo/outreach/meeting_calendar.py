"""Meetings as an iCalendar (RFC 5545) feed, per ward and for the institution.

The `icalendar` library writes the text: line folding at 75 octets, escaping
of commas and semicolons, CRLF line ends. Each meeting keeps one UID (its
uuid) for life and a SEQUENCE that grows when it is held or cancelled, so a
subscribed calendar updates its copy instead of adding another. Times are
written in UTC, which every calendar reads without a VTIMEZONE block.
"""

import datetime

import icalendar
from django.utils.translation import gettext as _

from imbizo.core import clock

from .meeting_models import Meeting, MeetingStatus

PRODUCT_ID = "-//Imbizo//Outreach meetings//EN"
UID_DOMAIN = "meetings.imbizo"


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def calendar_text(*, meetings: list[Meeting], name: str, link_of) -> bytes:
    """The feed of `meetings` called `name`; `link_of(meeting)` is the absolute
    URL of a meeting's public page."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = clock.now().astimezone(datetime.UTC).replace(microsecond=0)
    for meeting in meetings:
        calendar.add_component(_event(meeting, stamp=stamp, link=link_of(meeting)))
    return calendar.to_ical()


def _event(meeting: Meeting, *, stamp: datetime.datetime, link: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC).replace(microsecond=0))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    if meeting.lat is not None and meeting.lon is not None:
        event.add("geo", (meeting.lat, meeting.lon))
    event.add("url", link)
    lines = []
    if meeting.ward_id:
        lines.append(_("Ward %(code)s: %(name)s") % {"code": meeting.ward.code,
                                                      "name": meeting.ward.name})
    elif meeting.region_id:
        lines.append(_("All wards of %(name)s") % {"name": meeting.region.name})
    if meeting.leaders:
        lines.append(_("Leaders: %(names)s") % {"names": "; ".join(meeting.leaders.splitlines())})
    departments = [d.name for d in meeting.departments.all()]
    if departments:
        lines.append(_("Departments called: %(names)s") % {"names": "; ".join(departments)})
    if meeting.status == MeetingStatus.CANCELLED and meeting.cancel_reason:
        lines.insert(0, _("Cancelled: %(why)s") % {"why": meeting.cancel_reason})
    lines.append(link)
    event.add("description", "\n".join(lines))
    if meeting.status == MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event
