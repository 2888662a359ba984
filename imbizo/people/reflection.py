"""Learning from contacts: the week's good and difficult contact, something
extra for a client, and the manager's weekly review
(docs/people-time-and-feedback.md, "Learning from contacts"; ADR 0036)."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.inputs import text_fault
from imbizo.core.limits import TEXT_MAX
from imbizo.engagement.models import Answer, Contact
from imbizo.org.models import Staff

from .reflection_models import ContactReflection, ExtraStep, Pick
from .timelog import DAYS, this_week
from .timelog_models import TimeLogWeek

# How far back a person may reach for a contact to learn from.
PICK_WEEKS = 4


class ReflectionError(StrEnum):
    NOT_A_MONDAY = "not_a_monday"
    IN_THE_FUTURE = "in_the_future"
    NOT_YOUR_CONTACT = "not_your_contact"
    SAME_CONTACT = "same_contact"
    EMPTY = "empty"
    INVALID_TEXT = "invalid_text"


def _text(value: str, *, name: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(ReflectionError.EMPTY, _("Write what you did."), field=name)
    if text_fault(value) or len(value) > TEXT_MAX:
        raise DomainError(ReflectionError.INVALID_TEXT, _(
            "Write plain text of at most %(n)d characters.") % {"n": TEXT_MAX}, field=name)
    return value


def _week_range(week_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    end = datetime.datetime.combine(week_start + datetime.timedelta(days=DAYS),
                                    datetime.time.min, tzinfo=zone)
    return end - datetime.timedelta(weeks=PICK_WEEKS), end


def _own_contact(*, staff: Staff, contact_id: int | None, week_start: datetime.date,
                 field: str = "contact") -> Contact | None:
    if contact_id is None:
        return None
    since, until = _week_range(week_start)
    contact = Contact.objects.filter(pk=contact_id, staff=staff, at__gte=since,
                                     at__lt=until).first()
    if contact is None:
        raise DomainError(ReflectionError.NOT_YOUR_CONTACT, _(
            "Pick one of your own contacts from the %(n)d weeks up to this one.")
            % {"n": PICK_WEEKS}, field=field)
    return contact


@transaction.atomic
def reflection_save(*, staff: Staff, week_start: datetime.date, pick: str, contact_id: int | None,
                    what_i_did: str, do_differently: str = "",
                    shared: bool = False) -> ContactReflection:
    """Store (or replace) `staff`'s good or difficult contact of the week."""
    pick = Pick(pick)
    if week_start.weekday() != 0:
        raise DomainError(ReflectionError.NOT_A_MONDAY, _("A week starts on a Monday."),
                          field="week")
    if week_start > this_week():
        raise DomainError(ReflectionError.IN_THE_FUTURE, _("That week has not started yet."),
                          field="week")
    contact = _own_contact(staff=staff, contact_id=contact_id, week_start=week_start)
    if contact is None:
        raise DomainError(ReflectionError.NOT_YOUR_CONTACT,
                          _("Pick the contact you are writing about."), field="contact")
    other = Pick.DIFFICULT if pick == Pick.GOOD else Pick.GOOD
    if ContactReflection.objects.filter(staff=staff, week_start=week_start, pick=other,
                                        contact=contact).exists():
        raise DomainError(ReflectionError.SAME_CONTACT, _(
            "You picked this contact as the week's %(other)s already: pick another one.")
            % {"other": other.label.lower()}, field="contact")
    reflection, _created = ContactReflection.objects.update_or_create(
        staff=staff, week_start=week_start, pick=pick,
        defaults={"contact": contact,
                  "what_i_did": _text(what_i_did, name="what_i_did", required=True),
                  "do_differently": _text(do_differently, name="do_differently"),
                  "shared": bool(shared), "written_at": clock.now()})
    return reflection


@transaction.atomic
def extra_step_add(*, staff: Staff, done_on: datetime.date, note: str,
                   contact_id: int | None = None, shared: bool = False) -> ExtraStep:
    """Note something extra `staff` did for a client."""
    today = timezone.localdate(clock.now())
    if done_on > today:
        raise DomainError(ReflectionError.IN_THE_FUTURE,
                          _("Note it once you have done it: the day is in the future."),
                          field="done_on")
    contact = _own_contact(staff=staff, contact_id=contact_id,
                           week_start=done_on - datetime.timedelta(days=done_on.weekday()))
    return ExtraStep.objects.create(staff=staff, done_on=done_on, contact=contact,
                                    note=_text(note, name="note", required=True),
                                    shared=bool(shared), written_at=clock.now())


# --- reading ---------------------------------------------------------------------------


def contacts_to_pick(*, staff: Staff, week_start: datetime.date, limit: int = 40) -> list[Contact]:
    """`staff`'s own contacts a reflection may name, newest first, each with the
    overall rating it received (`overall_rating`, None without one): two queries."""
    since, until = _week_range(week_start)
    contacts = list(Contact.objects.filter(staff=staff, at__gte=since, at__lt=until,
                                           kind=Contact.Kind.PERSON)
                    .select_related("case").order_by("-at")[:limit])
    ratings = dict(Answer.objects.filter(response__contact__in=contacts, driver="overall",
                                         number__isnull=False)
                   .values("response__contact_id").annotate(n=Avg("number"))
                   .values_list("response__contact_id", "n"))
    for contact in contacts:
        contact.overall_rating = ratings.get(contact.pk)
    return contacts


def reflections_of(*, staff: Staff, weeks: int = 8) -> list[ContactReflection]:
    since = this_week() - datetime.timedelta(weeks=weeks)
    return list(ContactReflection.objects.filter(staff=staff, week_start__gte=since)
                .select_related("contact").order_by("-week_start", "pick"))


def reflections_in_week(*, staff: Staff, week_start: datetime.date) -> list[ContactReflection]:
    return list(ContactReflection.objects.filter(staff=staff, week_start=week_start)
                .select_related("contact__case"))


def extra_steps_of(*, staff: Staff, limit: int = 20) -> list[ExtraStep]:
    return list(ExtraStep.objects.filter(staff=staff).select_related("contact")
                .order_by("-done_on", "-pk")[:limit])


@dataclass(frozen=True)
class TeamShared:
    reflections: list[ContactReflection]
    extras: list[ExtraStep]


def team_shared(*, members: list[Staff], since: datetime.date,
                limit: int | None = None) -> TeamShared:
    """What `members` chose to share with their team since `since`, newest
    first (at most `limit` of each kind): two queries."""
    return TeamShared(
        reflections=list(ContactReflection.objects
                         .filter(staff__in=members, shared=True, week_start__gte=since)
                         .select_related("staff__user", "contact")
                         .order_by("-week_start", "staff_id", "pick")[:limit]),
        extras=list(ExtraStep.objects.filter(staff__in=members, shared=True, done_on__gte=since)
                    .select_related("staff__user", "contact").order_by("-done_on", "-pk")[:limit]))


@dataclass(frozen=True)
class ReviewRow:
    staff: Staff
    time_logged: bool
    picks: int  # 0, 1 or 2 of the week's contacts picked
    shared: int
    extras: int


@dataclass(frozen=True)
class WeeklyReview:
    week_start: datetime.date
    rows: list[ReviewRow]
    shared: TeamShared

    @property
    def not_logged(self) -> list[Staff]:
        return [r.staff for r in self.rows if not r.time_logged or r.picks < 2]


def weekly_review(*, members: list[Staff], week_start: datetime.date) -> WeeklyReview:
    """The manager's weekly list: who logged the week and picked their contacts,
    and what the team shared. Five queries whatever the team's size."""
    logged = set(TimeLogWeek.objects.filter(staff__in=members, week_start=week_start)
                 .values_list("staff_id", flat=True))
    picks: dict[int, list[bool]] = {}
    for staff_id, shared in (ContactReflection.objects
                             .filter(staff__in=members, week_start=week_start)
                             .values_list("staff_id", "shared")):
        picks.setdefault(staff_id, []).append(shared)
    week_end = week_start + datetime.timedelta(days=DAYS)
    extras: dict[int, int] = {}
    for staff_id in (ExtraStep.objects.filter(staff__in=members, done_on__gte=week_start,
                                              done_on__lt=week_end)
                     .values_list("staff_id", flat=True)):
        extras[staff_id] = extras.get(staff_id, 0) + 1
    shared = team_shared(members=members, since=week_start)
    shared = TeamShared(
        reflections=[r for r in shared.reflections if r.week_start == week_start],
        extras=[e for e in shared.extras if e.done_on < week_end])
    rows = [ReviewRow(staff=m, time_logged=m.pk in logged, picks=len(picks.get(m.pk, [])),
                      shared=sum(picks.get(m.pk, [])), extras=extras.get(m.pk, 0))
            for m in members]
    return WeeklyReview(week_start=week_start, rows=rows, shared=shared)
