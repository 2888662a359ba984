"""Feedback: asking colleagues, answering, the client ratings of one's own
contacts and the patterns in what people say
(docs/people-time-and-feedback.md, "Feedback"; ADR 0036)."""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imbizo.core import clock
from imbizo.core.errors import DomainError
from imbizo.core.evidence import enough_answers
from imbizo.core.inputs import text_fault
from imbizo.core.limits import LINE_MAX, TEXT_MAX
from imbizo.engagement.models import Answer, Driver, QuestionType
from imbizo.org.models import Staff

from .feedback_models import FeedbackRequest, Relation


class FeedbackError(StrEnum):
    ONESELF = "oneself"
    LEFT = "left"
    NOT_YOUR_MANAGER = "not_your_manager"
    ALREADY_ASKED = "already_asked"
    NOT_YOURS = "not_yours"
    ALREADY_ANSWERED = "already_answered"
    EMPTY = "empty"
    INVALID_TEXT = "invalid_text"


def _has_left(staff: Staff) -> bool:
    return not staff.active or staff.left_at is not None or not staff.user.is_active


def _text(value: str, *, name: str, limit: int) -> str:
    value = (value or "").strip()
    if text_fault(value) or len(value) > limit:
        raise DomainError(FeedbackError.INVALID_TEXT, _(
            "%(field)s must be plain text of at most %(n)d characters.")
            % {"field": name, "n": limit}, field=name)
    return value


def feedback_giver_check(*, asker: Staff, giver: Staff) -> None:
    """Raise the DomainError saying why `giver` may not be asked by `asker`, if any."""
    if giver.pk == asker.pk:
        raise DomainError(FeedbackError.ONESELF,
                          _("Ask someone else: feedback on yourself comes from others."),
                          field="giver")
    if _has_left(giver):
        raise DomainError(FeedbackError.LEFT, _(
            "%(name)s has left the institution and cannot be asked.") % {"name": giver},
            field="giver")


@transaction.atomic
def feedback_ask(*, asker: Staff, giver: Staff, relation: str,
                 question: str = "") -> FeedbackRequest:
    """Ask `giver` for feedback on `asker`'s service. One open question per pair."""
    feedback_giver_check(asker=asker, giver=giver)
    relation = Relation(relation)
    if relation == Relation.MANAGER and asker.manager_id != giver.pk:
        raise DomainError(FeedbackError.NOT_YOUR_MANAGER, _(
            "%(name)s is not your manager: ask them as a colleague or an internal client.")
            % {"name": giver}, field="relation")
    question = _text(question, name="question", limit=LINE_MAX)
    if FeedbackRequest.objects.filter(asker=asker, giver=giver, answered_at__isnull=True).exists():
        raise DomainError(FeedbackError.ALREADY_ASKED, _(
            "You have already asked %(name)s; they have not answered yet.") % {"name": giver},
            field="giver")
    try:
        with transaction.atomic():
            return FeedbackRequest.objects.create(asker=asker, giver=giver, relation=relation,
                                                  question=question, asked_at=clock.now())
    except IntegrityError:  # a second click at the same instant
        raise DomainError(FeedbackError.ALREADY_ASKED, _(
            "You have already asked %(name)s; they have not answered yet.") % {"name": giver},
            field="giver") from None


@transaction.atomic
def feedback_answer(*, request_id: int, giver: Staff, start: str = "", stop: str = "",
                    keep: str = "", comment: str = "") -> FeedbackRequest:
    """`giver` answers a request made of them: at least one of the four boxes."""
    request = (FeedbackRequest.objects.select_for_update()
               .filter(pk=request_id, giver=giver).first())
    if request is None:
        raise DomainError(FeedbackError.NOT_YOURS, _("That request was not made of you."))
    if request.answered_at is not None:
        raise DomainError(FeedbackError.ALREADY_ANSWERED, _("You have answered this already."))
    texts = {name: _text(value, name=name, limit=TEXT_MAX) for name, value in
             (("start", start), ("stop", stop), ("keep", keep), ("comment", comment))}
    if not any(texts.values()):
        raise DomainError(FeedbackError.EMPTY, _(
            "Write at least one thing to start, stop or keep doing, or a comment."),
            field="start")
    for name, value in texts.items():
        setattr(request, name, value)
    request.answered_at = clock.now()
    request.save(update_fields=["start", "stop", "keep", "comment", "answered_at"])
    return request


# --- reading ---------------------------------------------------------------------------


def feedback_waiting_for(*, giver: Staff) -> list[FeedbackRequest]:
    """Requests made of `giver` that they have not answered, oldest first."""
    return list(FeedbackRequest.objects.filter(giver=giver, answered_at__isnull=True)
                .select_related("asker__user").order_by("asked_at"))


def feedback_asked_by(*, asker: Staff, limit: int = 50) -> list[FeedbackRequest]:
    """What `asker` asked and what came back, newest first."""
    return list(FeedbackRequest.objects.filter(asker=asker)
                .select_related("giver__user").order_by("-asked_at")[:limit])


def feedback_givers(*, asker: Staff):
    """Whom `asker` may ask: everyone still working here but themself."""
    return (Staff.objects.filter(active=True, left_at__isnull=True, user__is_active=True)
            .exclude(pk=asker.pk).select_related("user", "office")
            .order_by("user__first_name", "user__last_name"))


def _own_contacts(staff: Staff) -> Q:
    """Answers to surveys about `staff`'s own contacts (the contact's staff is them)."""
    return Q(response__contact__staff=staff)


@dataclass(frozen=True)
class DriverFigure:
    driver: str
    label: str
    average: float | None
    answers: int

    @property
    def shown(self) -> bool:
        return enough_answers(self.answers)


@dataclass(frozen=True)
class ClientRatings:
    since: datetime.datetime
    rated_contacts: int
    figures: list[DriverFigure]

    @property
    def shown(self) -> bool:
        return enough_answers(self.rated_contacts)


def client_ratings(*, staff: Staff, since: datetime.datetime) -> ClientRatings:
    """The 1-to-5 ratings clients gave `staff`'s own contacts since `since`, per
    driver: two queries. Pages show a figure only from MIN_ANSWERS_SHOWN answers."""
    scope = Q(_own_contacts(staff), response__submitted_at__gte=since)
    rows = (Answer.objects.filter(scope, question__type=QuestionType.SCALE_5,
                                  number__isnull=False)
            .values("driver").annotate(average=Avg("number"), answers=Count("pk"))
            .order_by("driver"))
    labels = dict(Driver.choices)
    figures = [DriverFigure(driver=r["driver"], label=str(labels.get(r["driver"], r["driver"])),
                            average=float(r["average"]) if r["average"] is not None else None,
                            answers=r["answers"]) for r in rows]
    order = {d: i for i, d in enumerate(("overall", "helpfulness", "concern", "friendliness",
                                         "civility", "timeliness"))}
    figures.sort(key=lambda f: (order.get(f.driver, 99), f.label))
    rated = (Answer.objects.filter(scope).values("response__contact_id").distinct().count())
    return ClientRatings(since=since, rated_contacts=rated, figures=figures)


# --- patterns --------------------------------------------------------------------------

# Themes found in what people write, by plain keywords (a word starting with
# one of these). Simple on purpose: a person reads their own comments, and a
# keyword rule is one they can check (ADR 0036).
THEMES: dict[str, tuple[object, tuple[str, ...]]] = {
    "time": (gettext_lazy("Time and waiting"),
             ("wait", "queue", "slow", "late", "fast", "quick", "prompt", "delay", "time",
              "soon", "date")),
    "touch": (gettext_lazy("Keeping people informed"),
              ("phone back", "call back", "update", "sms", "told", "tell", "inform",
               "follow", "let me know", "remind")),
    "explain": (gettext_lazy("Explaining"),
                ("explain", "clear", "understand", "information", "why", "procedure")),
    "listen": (gettext_lazy("Listening and asking"),
               ("listen", "question", "ask", "hear", "interrupt")),
    "manner": (gettext_lazy("Manner and tone"),
               ("friendl", "polite", "patien", "rude", "tone", "kind", "respect", "smile",
                "calm")),
    "ownership": (gettext_lazy("Taking ownership"),
                  ("own", "responsib", "window to another", "pass", "fix", "finish",
                   "sent me", "promise")),
}
OTHER_THEME = "other"


def themes_of(text: str) -> list[str]:
    """The themes `text` touches (OTHER_THEME when none): a pure keyword rule."""
    lowered = text.casefold()
    found = [key for key, (_label, words) in THEMES.items()
             if any(re.search(r"\b" + re.escape(word), lowered) for word in words)]
    return found or [OTHER_THEME]


def theme_label(key: str) -> str:
    return str(THEMES[key][0]) if key in THEMES else _("Something else")


@dataclass
class ThemeRow:
    key: str
    label: str
    per_month: list[int]
    slots: Counter = field(default_factory=Counter)  # start / stop / keep / comment
    quotes: list[tuple[datetime.datetime, str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.per_month)


@dataclass(frozen=True)
class Patterns:
    months: list[datetime.date]
    themes: list[ThemeRow]
    colleague_answers: int
    client_comments: int


SLOTS = ("start", "stop", "keep", "comment")


def _month(at: datetime.datetime) -> datetime.date:
    return timezone.localtime(at).date().replace(day=1)


def feedback_patterns(*, staff: Staff, since: datetime.datetime,
                      until: datetime.datetime | None = None) -> Patterns:
    """What colleagues and clients wrote about `staff`, grouped by theme per month.

    Colleagues' words are quoted (they wrote to the person by name); clients'
    comments on the person's own contacts are counted, never quoted, so no
    citizen's words are tied to one contact. Two queries.
    """
    until = until or clock.now()
    months = []
    month = _month(since)
    while month <= _month(until):
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    index = {m: i for i, m in enumerate(months)}
    rows: dict[str, ThemeRow] = defaultdict(lambda: None)  # type: ignore[assignment]

    def row(key: str) -> ThemeRow:
        if rows[key] is None:
            rows[key] = ThemeRow(key=key, label=theme_label(key), per_month=[0] * len(months))
        return rows[key]

    colleague = 0
    for request in (FeedbackRequest.objects.filter(asker=staff, answered_at__gte=since,
                                                   answered_at__lte=until)
                    .select_related("giver__user").order_by("answered_at")):
        colleague += 1
        at = request.answered_at
        for slot in SLOTS:
            text = getattr(request, slot)
            if not text:
                continue
            for key in themes_of(text):
                theme = row(key)
                theme.per_month[index[_month(at)]] += 1
                theme.slots[slot] += 1
                theme.quotes.append((at, str(request.giver), text))
    clients = 0
    slot_of = {Driver.START: "start", Driver.STOP: "stop", Driver.KEEP: "keep"}
    for driver, text, at in (Answer.objects.filter(_own_contacts(staff),
                                                   response__submitted_at__gte=since,
                                                   response__submitted_at__lte=until)
                             .exclude(text="").values_list("driver", "text",
                                                           "response__submitted_at")):
        clients += 1
        for key in themes_of(text):
            theme = row(key)
            theme.per_month[index[_month(at)]] += 1
            theme.slots[slot_of.get(driver, "comment")] += 1
    ordered = sorted((r for r in rows.values() if r is not None),
                     key=lambda r: (r.key == OTHER_THEME, -r.total, r.label))
    for theme in ordered:
        theme.quotes.sort(reverse=True)
        del theme.quotes[5:]
    return Patterns(months=months, themes=ordered, colleague_answers=colleague,
                    client_comments=clients)
